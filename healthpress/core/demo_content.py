"""The demo site as plain data: the home page, topics, authors and articles that `load_demo` builds.

Everything here is written for HealthPress. The people are fictional. The advice is deliberately
conservative: general information that points readers to a doctor whenever it should.
Rich text is simple HTML (paragraphs, lists, bold); headings come from the blocks, never the HTML.
"""

from datetime import date

from healthpress.articles.content import ArticleContent


def section(heading, explanation, advice):
    return {
        "type": "section",
        "value": {"heading": heading, "explanation": explanation, "advice": advice},
    }


def reference(authors, title, publisher, year, url, accessed=date(2026, 10, 14)):
    return {
        "type": "reference",
        "value": {
            "authors": authors,
            "title": title,
            "publisher": publisher,
            "year": year,
            "url": url,
            "accessed": accessed.isoformat(),
        },
    }


def prevention(text):
    return {"type": "prevention", "value": {"heading": "Prevention", "text": text}}


def see_doctor(text):
    return {"type": "see_doctor", "value": {"heading": "When to see a doctor", "text": text}}


def urgent(text, level="urgent"):
    return {
        "type": "urgent",
        "value": {"heading": "Get medical help now if", "text": text, "level": level},
    }


def first_aid(heading, intro, steps):
    return {"type": "first_aid", "value": {"heading": heading, "intro": intro, "steps": steps}}


# Closes every urgent block: one wording for "what to do", whatever the symptom list.
CALL_NOW = (
    "<p><strong>Call your local emergency number or go to the nearest emergency department."
    "</strong> Don't drive yourself.</p>"
)

HOME = {
    "title": "HealthPress",
    "intro": "Clear answers to everyday health questions, written by named experts.",
}

EDITORIAL_POLICY = {
    "title": "How we write and review our answers",
    "slug": "editorial-policy",
    "intro": "Every answer on this site is written by a named expert, checked by a second "
    "clinician before it is published, and reviewed again on a fixed schedule.",
    "body": "<h2>Who writes</h2>"
    "<p>Answers are written by doctors, nurses, dietitians and other registered health "
    "professionals. Their names, qualifications and roles are shown on every article and on "
    "their author pages.</p>"
    "<h2>Medical review</h2>"
    "<p>Before an answer is published, a medical reviewer who did not write it checks it "
    "against current guidance and the sources it cites. The reviewer's name and the review "
    "date appear at the top of the article.</p>"
    "<p>Every answer is reviewed again at least every two years, sooner when guidance changes. "
    "If a review is late, the article says so.</p>"
    "<h2>Sources</h2>"
    "<p>We rely on national guidance, systematic reviews and major clinical references. The "
    "sources for each answer are listed at its end and numbered in the text.</p>"
    "<h2>Corrections</h2>"
    "<p>If you spot a mistake, leave a comment on the article. We correct errors promptly and "
    "record substantial changes with an updated date.</p>"
    "<h2>Independence</h2>"
    "<p>We do not accept payment to cover or promote products, and our answers never replace "
    "advice from your own doctor.</p>",
}

TOPICS = [
    {
        "name": "Muscles, bones and joints",
        "intro": "Cramps, aches and strains, and how to keep your body moving comfortably.",
    },
    {
        "name": "Heart and circulation",
        "intro": "Blood pressure, swelling and how blood gets where it needs to go.",
    },
    {
        "name": "Digestion",
        "intro": "Heartburn, bloating and the everyday troubles of the gut.",
    },
    {
        "name": "Everyday wellbeing",
        "intro": "Sleep, drinks, headaches and the small daily habits that add up.",
    },
]

PEOPLE = [
    {
        "slug": "amara-lindqvist",
        "name": "Amara Lindqvist",
        "credentials": "MD",
        "job_title": "Senior Expert",
        "role": "Contributing Writer",
        "bio": "Amara is a sports and exercise medicine doctor. For fifteen years she has looked "
        "after runners, dancers and people getting active again later in life, and she writes "
        "about muscles, joints and the aches that come with using them.",
    },
    {
        "slug": "tomas-reyes",
        "name": "Tomás Reyes",
        "credentials": "RN, MSc",
        "job_title": "Cardiac Nurse Specialist",
        "role": "Clinical Editor",
        "bio": "Tomás has nursed on a coronary care unit and now runs a community blood pressure "
        "clinic. He helps readers make sense of common symptoms and spot the ones that need a "
        "doctor.",
    },
    {
        "slug": "priya-nandakumar",
        "name": "Priya Nandakumar",
        "credentials": "RD",
        "job_title": "Registered Dietitian",
        "role": "Nutrition Writer",
        "bio": "Priya is a dietitian who works with people living with digestive conditions, "
        "diabetes and kidney disease. She writes practical advice on food and drink that fits "
        "into real lives.",
    },
]

CRAMPS = ArticleContent(
    question="Is cramping caused by excessive calcium or insufficient calcium?",
    short_answer="Usually neither. A low level of calcium in the blood can make nerves and "
    "muscles overexcitable and set off cramps, but that is uncommon, and too much calcium is "
    "not a typical cause. Most cramps come from tired muscles, lost fluid and salts, reduced "
    "blood flow or irritated nerves, and many night-time calf cramps have no single clear cause.",
    body=[
        section(
            "Abnormal calcium metabolism",
            "<p>Calcium helps keep the electrical activity of nerves and muscles steady. When the "
            "level in the blood falls too low (hypocalcaemia), nerves fire too easily and muscles "
            "can tighten by themselves, sometimes with tingling around the mouth or in the "
            "fingertips [1].</p>"
            "<p>The body guards its blood calcium closely, borrowing from the bones when the diet "
            "runs short, so a low level rarely comes from a few weeks of poor eating. It is more "
            "likely with a long-standing lack of vitamin D, after neck surgery that affects the "
            "parathyroid glands, with kidney disease or with certain medicines. Only a blood test "
            "can tell [4].</p>",
            "<ul><li>Include calcium-rich foods every day: milk, yoghurt and cheese, fortified "
            "plant drinks, tofu made with calcium, tinned fish with soft bones, and leafy "
            "greens.</li>"
            "<li>Your gut needs vitamin D to absorb calcium. Many health services suggest adults "
            "consider a daily vitamin D supplement in the darker months, or all year if they get "
            "little sun.</li>"
            "<li>Don't start calcium tablets for cramps on a hunch: ask a doctor or pharmacist "
            "first. More is not better, and high doses can cause constipation and kidney "
            "stones.</li></ul>",
        ),
        section(
            "Muscle fatigue",
            "<p>A muscle that has worked hard, or held one position for a long time, cramps more "
            "easily. Tiredness seems to upset the balance between the nerve signals that switch a "
            "muscle on and those that let it relax, so it locks tight. That is why cramps often "
            "strike late in a long run or match, or after a whole day on your feet [2].</p>",
            "<ul><li>Build up training gradually instead of making big jumps in distance or "
            "effort.</li>"
            "<li>Warm up before exercise and gently stretch your calves and thighs "
            "afterwards.</li>"
            "<li>Break up long spells of standing or sitting: walk about or circle your ankles "
            "every half hour or so.</li>"
            "<li>Gentle, low-impact activity such as swimming, cycling or yoga keeps muscles "
            "supple.</li></ul>",
        ),
        section(
            "Electrolyte imbalance",
            "<p>Muscles need the right amounts of sodium, potassium, magnesium and calcium to "
            "tighten and relax smoothly. Heavy sweating, vomiting or diarrhoea can drain these "
            "salts along with water. Some medicines shift them too, water tablets (diuretics) "
            "being a common example, and so can kidney problems.</p>",
            "<ul><li>Drink regularly in hot weather and during long exercise. After heavy "
            "sweating or a stomach bug, replace salts as well as water: oral rehydration sachets "
            "from a pharmacy are made for this.</li>"
            "<li>Potatoes, bananas, beans, lentils, nuts, seeds and wholegrains provide potassium "
            "and magnesium, unless you have been told to limit potassium.</li>"
            "<li>Magnesium tablets are widely sold for cramps, but studies suggest they do not "
            "help most people [3].</li>"
            "<li>If cramps began after starting a diuretic or another regular medicine, ask your "
            "doctor, who may check your salts with a blood test. Don't stop a prescribed "
            "medicine on your own.</li></ul>",
        ),
        section(
            "Poor blood circulation",
            "<p>Working muscles rely on a steady blood supply to bring oxygen and take waste "
            "away. Narrowed leg arteries (peripheral arterial disease) can cause a cramping calf "
            "pain that comes on with walking and fades within minutes of rest. Varicose veins "
            "make legs ache and feel heavy, and cold narrows blood vessels, which may also play "
            "a part.</p>",
            "<ul><li>Keep active: regular walking improves blood flow in the legs.</li>"
            "<li>If you smoke, stopping is the most useful single thing you can do for your "
            "arteries.</li>"
            "<li>Keep your legs warm in bed, and avoid socks or waistbands that dig in.</li>"
            "<li>For heavy, aching legs from varicose veins, rest with your feet up for a while "
            "each day.</li></ul>",
        ),
        section(
            "Abnormal neuromodulation",
            "<p>Nerves carry the signals that tell muscles when to contract. When a nerve is "
            "squeezed or damaged, those signals can misfire. A slipped disc in the lower back "
            "pressing on a nerve root, nerve damage from diabetes (peripheral neuropathy) and "
            "some diseases of the nerves themselves can all bring on cramps. There are usually "
            "other clues as well, such as numbness, pins and needles or weakness.</p>",
            "<ul><li>Cramps with numbness, tingling or weakness need a doctor rather than "
            "self-treatment. They may examine you and arrange tests such as nerve conduction "
            "studies or a scan.</li>"
            "<li>If you have diabetes, keeping your blood sugar within your target range helps "
            "protect your nerves; have your feet checked regularly.</li>"
            "<li>Treating the cause, for example physiotherapy for a back problem, often makes "
            "cramps less frequent.</li></ul>",
        ),
        first_aid(
            "When a calf cramp wakes you at night",
            "Most cramps pass within a few minutes. These steps usually help them pass sooner.",
            [
                "Straighten your leg and pull your toes up towards your shin (dorsiflexion). If "
                "you can't reach your foot, loop a towel or belt around it and pull gently.",
                "When you can, stand up and put your weight on the cramped leg with the heel flat "
                "on the floor. Hold on to something steady, then walk a few steps.",
                "Rub the tight muscle firmly with both hands until it softens.",
                "Once the spasm has passed, warmth such as a warm bath or a wrapped hot-water "
                "bottle can ease the soreness that is left.",
                "If the calf is still tender the next day, keep moving gently; the ache usually "
                "fades within a day or two.",
            ],
        ),
        prevention(
            "<ul><li>Stretch your calves for a few minutes before bed: face a wall with one foot "
            "behind the other, keep the back heel down and lean in until you feel a gentle pull. "
            "It is harmless and widely recommended, although the evidence that it prevents "
            "cramps is mixed [2].</li>"
            "<li>Eat a varied diet with dairy foods or fortified alternatives, vegetables, fruit, "
            "pulses and wholegrains.</li>"
            "<li>Drink enough to keep your urine pale yellow, especially in hot weather.</li>"
            "<li>Increase exercise step by step and avoid sudden bursts of hard effort your "
            "body isn't used to.</li>"
            "<li>Go easy on alcohol, which is linked with night cramps.</li>"
            "<li>Cramps become more common with age and in pregnancy. If you are pregnant, check "
            "with your midwife or doctor before taking any supplement.</li></ul>"
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>cramps are frequent or severe, or disturb your sleep most nights;</li>"
            "<li>they come with muscle weakness, muscles getting thinner, numbness or pins and "
            "needles;</li>"
            "<li>you get a cramping calf pain when walking that goes away when you rest;</li>"
            "<li>they started after you began a new medicine;</li>"
            "<li>you notice tingling around your mouth or in your fingers, which can be a sign "
            "of low calcium;</li>"
            "<li>you have diabetes, kidney disease, or a thyroid or parathyroid condition.</li>"
            "</ul>"
            "<p>A blood test can check your calcium, magnesium, potassium, vitamin D and kidney "
            "function.</p>"
        ),
        urgent(
            "<ul><li>cramp or muscle pain comes with chest pain, or pain spreading to your arm, "
            "jaw or back;</li>"
            "<li>one calf is swollen, red, warm and painful, which can mean a blood clot (deep "
            "vein thrombosis), especially after a long journey, an operation or during "
            "pregnancy, and even more so if you are also short of breath;</li>"
            "<li>cramps come with confusion, drowsiness or a fit;</li>"
            "<li>after very hard exercise your muscles are weak and extremely painful and your "
            "urine turns dark, like tea or cola: this can be muscle breakdown "
            "(rhabdomyolysis), which can damage the kidneys.</li></ul>" + CALL_NOW,
            level="immediate",
        ),
    ],
    last_updated=date(2026, 10, 14),
    condition="Muscle cramp",
    tags=["muscles", "sleep", "minerals"],
    last_reviewed=date(2026, 10, 14),
    references=[
        reference(
            "NHS",
            "Leg cramps",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/leg-cramps/",
        ),
        reference(
            "Allen RE, Kirby KA",
            "Nocturnal leg cramps",
            "American Family Physician",
            2012,
            "https://www.aafp.org/pubs/afp/issues/2012/0815/p350.html",
        ),
        reference(
            "Garrison SR, Korownyk CS, Kolber MR, et al.",
            "Magnesium for skeletal muscle cramps",
            "Cochrane Database of Systematic Reviews",
            2020,
            "https://doi.org/10.1002/14651858.CD009402.pub3",
        ),
        reference(
            "National Institute for Health and Care Excellence",
            "Leg cramps: Clinical Knowledge Summary",
            "NICE",
            None,
            "https://cks.nice.org.uk/topics/leg-cramps/",
        ),
    ],
)

LOWER_BACK = ArticleContent(
    question="Why does my lower back hurt after sitting all day?",
    short_answer="Hours in one position stiffen the muscles and joints of the lower back and keep "
    "a steady load on the discs. The ache is usually harmless and eases once you move. Changing "
    "position often, a desk that fits you and regular activity help far more than hunting for "
    "one perfect posture.",
    body=[
        section(
            "Staying still for too long",
            "<p>The spine is built to move. Holding any position for hours, even a so-called "
            "good one, keeps the same muscles working without a break and lets the joints "
            "stiffen. The discs between the vertebrae are partly fed by movement, and sitting "
            "presses on them steadily.</p>",
            "<ul><li>Stand up, walk or stretch every 30 to 45 minutes; a reminder on your phone "
            "helps.</li>"
            "<li>Take calls standing up, or walk over to a colleague instead of sending a "
            "message.</li>"
            "<li>Shift around in your chair freely: no single posture suits you for hours.</li>"
            "</ul>",
        ),
        section(
            "A workstation that doesn't fit you",
            "<p>A chair at the wrong height, a screen you have to lean towards, or a laptop on "
            "the sofa pulls you into slumped or twisted positions. Over a working day these "
            "small strains add up.</p>",
            "<ul><li>Set your chair so your feet rest flat on the floor or a footrest, with your "
            "knees roughly level with your hips.</li>"
            "<li>Sit back against the backrest, with support in the curve of your lower back; a "
            "small cushion or rolled towel will do.</li>"
            "<li>Put the top of the screen at about eye level, an arm's length away. With a "
            "laptop, raise it and use a separate keyboard and mouse.</li></ul>",
        ),
        section(
            "Muscles that are out of condition",
            "<p>The muscles of the trunk, hips and buttocks share the job of holding you "
            "upright. When they are rarely challenged they tire sooner, and hip muscles that "
            "stay shortened through long sitting can pull on the lower back.</p>",
            "<ul><li>Find regular activity you enjoy: walking, swimming, cycling and Pilates all "
            "help.</li>"
            "<li>Simple strengthening moves such as bridges, done a few times a week, make a "
            "difference within weeks.</li>"
            "<li>Stretch the front of your hips and the backs of your thighs after long spells "
            "at a desk.</li></ul>",
        ),
        section(
            "Stress and poor sleep",
            "<p>Pain depends on more than muscles and joints. Stress, low mood and short nights "
            "tense the muscles and make the nervous system more sensitive, so the same back "
            "hurts more in a difficult week.</p>",
            "<ul><li>Protect your sleep and take proper breaks away from your desk.</li>"
            "<li>Physical activity is one of the best remedies for both stress and back pain."
            "</li></ul>",
        ),
        prevention(
            "<ul><li>Build movement into the whole day rather than relying on one gym session."
            "</li>"
            "<li>When lifting, bend your knees and keep the load close to your body.</li>"
            "<li>If your back aches, stay gently active. Moving speeds recovery; long bed rest "
            "slows it.</li></ul>"
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>the pain has not started to improve after a few weeks of looking after "
            "yourself;</li>"
            "<li>it stops you working or sleeping;</li>"
            "<li>it spreads down a leg below the knee, or comes with numbness, tingling or "
            "weakness in the leg;</li>"
            "<li>you are over 50 and the pain is new, or you have had cancer, lost weight "
            "without trying or had a fever with the pain.</li></ul>"
        ),
        urgent(
            "<ul><li>back pain comes with numbness or tingling around your bottom, genitals or "
            "inner thighs, where you would sit on a saddle;</li>"
            "<li>you have new trouble passing urine, or lose control of your bladder or bowels;"
            "</li>"
            "<li>both legs become weak or give way;</li>"
            "<li>back pain comes with a high temperature and you feel very unwell, or follows a "
            "serious fall or accident.</li></ul>"
            "<p>The first three can mean the nerves at the base of the spine are being squeezed "
            "(cauda equina syndrome), which needs treatment within hours.</p>" + CALL_NOW
        ),
    ],
    last_updated=date(2026, 9, 2),
    condition="Low back pain",
    tags=["muscles", "posture", "exercise"],
    last_reviewed=date(2026, 9, 2),
    references=[
        reference(
            "NHS",
            "Back pain",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/back-pain/",
        ),
    ],
)

SHIN_SPLINTS = ArticleContent(
    question="Are shin splints a reason to stop running?",
    short_answer="Not always completely, but it is a reason to cut back. Shin splints are pain "
    "along the inner edge of the shinbone from doing too much too soon, and they usually settle "
    "with a few weeks of lighter training. Pain in one small spot on the bone, or pain at rest or "
    "at night, needs checking for a stress fracture before you run again.",
    body=[
        section(
            "Doing too much, too soon",
            "<p>Medial tibial stress syndrome, the medical name for shin splints, is the bone "
            "and the tissues attached to it reacting to load that rises faster than they can "
            "adapt. Typical triggers are a sudden jump in distance or speed, a new training "
            "plan, or a switch to harder ground.</p>",
            "<ul><li>Cut back until running is pain-free: shorter, slower, on softer ground, or "
            "pause for a couple of weeks.</li>"
            "<li>Stay fit with activity that spares the shins, such as cycling, swimming or "
            "running in water.</li>"
            "<li>An ice pack wrapped in a cloth for 10 to 15 minutes after activity can ease "
            "soreness. Don't use painkillers to run through pain.</li>"
            "<li>When you go back, build up slowly; many runners add no more than about a tenth "
            "to their weekly distance at a time.</li></ul>",
        ),
        section(
            "How you run, and what's on your feet",
            "<p>Long strides, landing heavily and worn-out shoes all increase the load on the "
            "shins. Flat feet, or feet that roll inwards a lot, play a part for some people.</p>",
            "<ul><li>Try slightly shorter, quicker steps.</li>"
            "<li>Replace shoes once their cushioning has worn down.</li>"
            "<li>A physiotherapist or sports medicine clinic can watch you run and suggest "
            "changes; insoles help some people.</li></ul>",
        ),
        section(
            "Weak calves and hips",
            "<p>Strong calf and hip muscles soak up more of the impact of every stride, which "
            "leaves less for the bone to absorb.</p>",
            "<ul><li>Add calf raises and single-leg exercises two or three times a week.</li>"
            "<li>Keep up the strength work after the pain settles, as it helps stop it coming "
            "back.</li></ul>",
        ),
        section(
            "When it may be a stress fracture",
            "<p>Shin splints cause a spread-out ache along several centimetres of bone, often "
            "worst at the start of a run. A stress fracture is a tiny crack in the bone: the "
            "pain tends to be sharp and in one spot that hurts a lot when pressed, and it may "
            "carry on at rest or at night.</p>",
            "<ul><li>If you have pinpoint tenderness or pain at rest, stop running and see a "
            "doctor. Running on a stress fracture can make it worse and much slower to heal."
            "</li></ul>",
        ),
        prevention(
            "<ul><li>Increase training gradually and plan easier weeks.</li>"
            "<li>Mix softer surfaces and rest days into your week.</li>"
            "<li>Keep strength training for your calves and hips all year round.</li></ul>"
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>the pain has not improved after two or three weeks off running;</li>"
            "<li>it is in one spot, is there at rest, or wakes you at night;</li>"
            "<li>there is swelling or you are limping;</li>"
            "<li>you have had stress fractures before, or your periods have become irregular or "
            "stopped during heavy training, which can affect bone strength.</li></ul>"
        ),
        urgent(
            "<ul><li>your lower leg becomes very painful, tight and swollen during or after "
            "exercise and the pain keeps getting worse instead of easing with rest: this can be "
            "compartment syndrome, which needs treatment within hours;</li>"
            "<li>your foot turns numb, pale or cold;</li>"
            "<li>you cannot put weight on the leg after a fall, or after feeling a sudden snap."
            "</li></ul>" + CALL_NOW
        ),
    ],
    condition="Medial tibial stress syndrome",
    tags=["muscles", "exercise", "running"],
    last_reviewed=date(2026, 5, 19),
    references=[
        reference(
            "NHS",
            "Shin splints",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/shin-splints/",
        ),
    ],
)

SLEEP_BLOOD_PRESSURE = ArticleContent(
    question="Can poor sleep raise blood pressure?",
    short_answer="Yes. Blood pressure normally dips during sleep, and regularly sleeping too "
    "little or too badly keeps it higher for longer. Untreated sleep apnoea is a well-known cause "
    "of high blood pressure. Better sleep helps, but it does not replace having your blood "
    "pressure checked and treated if it is high.",
    body=[
        section(
            "Short nights keep the body on alert",
            "<p>In healthy sleep, heart rate and blood pressure fall. When sleep is short or "
            "broken, the body's stress systems stay more active, and over months that can push "
            "daytime readings up. Research links regularly sleeping less than about six hours "
            "with a higher risk of high blood pressure.</p>",
            "<ul><li>Most adults need 7 to 9 hours. Keep a regular bedtime and getting-up time, "
            "weekends included.</li>"
            "<li>Keep the bedroom dark, quiet and cool, and leave screens outside it.</li>"
            "<li>Give yourself half an hour to wind down before bed.</li></ul>",
        ),
        section(
            "Sleep apnoea",
            "<p>In obstructive sleep apnoea the throat repeatedly narrows or closes during "
            "sleep, stopping breathing for several seconds at a time. Each pause lowers oxygen "
            "and briefly wakes the body with a surge in blood pressure. Loud snoring, gasping or "
            "pauses that a partner notices, and heavy sleepiness during the day are the typical "
            "signs.</p>",
            "<ul><li>If this sounds familiar, ask your doctor about a sleep study. Treatment, "
            "often a CPAP machine worn at night, improves sleep and can lower blood pressure."
            "</li>"
            "<li>Losing excess weight, drinking less alcohol and sleeping on your side can "
            "reduce apnoea.</li>"
            "<li>If you feel sleepy at the wheel, stop driving and get checked.</li></ul>",
        ),
        section(
            "Shift work and irregular hours",
            "<p>Night shifts and changing rotas disturb the body clock, which sets the daily "
            "rise and fall of blood pressure.</p>",
            "<ul><li>Keep sleep times as regular as your rota allows, and protect daytime sleep "
            "with blackout blinds and earplugs.</li>"
            "<li>If you work shifts long-term, have your blood pressure checked regularly.</li>"
            "</ul>",
        ),
        section(
            "Habits that harm both",
            "<p>Late caffeine, alcohol, smoking and too little exercise each disturb sleep and "
            "raise blood pressure on their own, so their effects add up.</p>",
            "<ul><li>Avoid caffeine from early afternoon onwards.</li>"
            "<li>Keep alcohol within recommended limits and don't use it to get to sleep: it "
            "breaks sleep up later in the night.</li>"
            "<li>Regular physical activity improves both sleep and blood pressure.</li></ul>",
        ),
        prevention(
            "<ul><li>Know your numbers: adults over 40 should have their blood pressure checked "
            "at least every five years, and more often if it has been high before.</li>"
            "<li>If you use a home monitor, measure at the same times each day, seated and "
            "rested.</li>"
            "<li>Less salt, more fruit and vegetables, a healthy weight and regular activity "
            "all lower blood pressure.</li></ul>"
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>your home readings are often 135/85 or higher;</li>"
            "<li>you snore loudly and someone has noticed pauses in your breathing, or you are "
            "very sleepy during the day;</li>"
            "<li>you have slept badly most nights for more than three months;</li>"
            "<li>you take blood pressure medicine and your readings stay above your target;</li>"
            "<li>a reading is 180/120 or higher without other symptoms: rest for five minutes "
            "and measure again, and if it is still that high, contact your doctor the same day."
            "</li></ul>"
        ),
        urgent(
            "<ul><li>you have chest pain or pressure, or pain spreading to your arm, neck, jaw "
            "or back;</li>"
            "<li>your face, arm or leg suddenly becomes weak or numb, your speech is slurred or "
            "you are confused: these are signs of a stroke;</li>"
            "<li>you have a very high reading together with a sudden severe headache, "
            "breathlessness or changes in your vision.</li></ul>" + CALL_NOW
        ),
    ],
    last_updated=date(2026, 7, 14),
    condition="Hypertension",
    tags=["sleep", "blood pressure"],
    last_reviewed=date(2026, 7, 14),
    references=[
        reference(
            "NHS",
            "High blood pressure (hypertension)",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/high-blood-pressure-hypertension/",
        ),
    ],
)

SWOLLEN_ANKLES = ArticleContent(
    question="Why do my ankles swell at the end of the day?",
    short_answer="Mostly because of gravity: after hours of sitting or standing, fluid settles in "
    "the lowest parts of the body. It is common, especially in hot weather, in pregnancy and in "
    "later life, and usually goes down overnight. Swelling that is new, in one leg only, painful "
    "or comes with breathlessness needs a doctor.",
    body=[
        section(
            "Gravity and sitting still",
            "<p>Your calf muscles work as a pump, squeezing blood in the veins back up towards "
            "the heart with every step. When you sit or stand still for long periods the pump "
            "rests, and fluid leaks out of tiny blood vessels into the tissues around the "
            "ankles. Heat widens blood vessels and makes this worse.</p>",
            "<ul><li>Move your ankles and walk about regularly; on long journeys, get up or "
            "circle your feet every hour.</li>"
            "<li>When resting, raise your legs on cushions, ideally above the level of your "
            "hips.</li>"
            "<li>Keep cool on hot days.</li></ul>",
        ),
        section(
            "Weak valves in the veins",
            "<p>Valves inside the leg veins keep blood flowing one way. When they weaken, as "
            "with varicose veins, blood pools in the lower legs and the ankles swell, often with "
            "aching, itching and, over time, brownish skin.</p>",
            "<ul><li>Stay active and keep to a healthy weight.</li>"
            "<li>Compression stockings can help, but have a nurse or doctor check the "
            "circulation in your legs and measure you first: they are not safe for everyone."
            "</li></ul>",
        ),
        section(
            "Medicines",
            "<p>Swollen ankles are a side effect of some medicines, including certain blood "
            "pressure tablets (amlodipine is a common one), steroids, some anti-inflammatory "
            "painkillers and hormone treatments.</p>",
            "<ul><li>If the swelling began after a new medicine, tell your doctor or pharmacist. "
            "Keep taking it until you have spoken to them; there is often an alternative.</li>"
            "</ul>",
        ),
        section(
            "Heart, kidney or liver conditions",
            "<p>Less often, swelling means the heart is not pumping as strongly as it should "
            "(heart failure), or that the kidneys or liver are not handling fluid and protein "
            "normally. Then both legs are usually affected, pressing the skin may leave a dent, "
            "and there are other symptoms such as breathlessness, tiredness or weight gain over "
            "a few days.</p>",
            "<ul><li>Don't ignore swelling with breathlessness, especially when lying flat: see "
            "a doctor promptly.</li>"
            "<li>If you already have heart failure, weigh yourself every morning and follow your "
            "plan for sudden weight gain.</li></ul>",
        ),
        prevention(
            "<ul><li>Keep moving through the day and break up long spells of sitting.</li>"
            "<li>Cut down on salty foods, which make the body hold on to water.</li>"
            "<li>Wear comfortable shoes and avoid socks tight enough to leave deep marks.</li>"
            "</ul>"
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>the swelling is new and doesn't go down overnight;</li>"
            "<li>it keeps coming back or is getting worse;</li>"
            "<li>you have heart, kidney or liver disease;</li>"
            "<li>the skin over the swelling is broken, weeping or changing colour.</li></ul>"
        ),
        urgent(
            "<ul><li>you have swollen legs with breathlessness, chest pain or coughing up "
            "blood;</li>"
            "<li>you are breathless when lying flat, or wake up gasping;</li>"
            "<li>one leg is suddenly swollen, painful, warm or red, which can be a blood clot."
            "</li></ul>" + CALL_NOW + "<p>If you are pregnant and your face, hands or feet swell "
            "suddenly, or you have a severe headache, problems with your vision or pain just "
            "below your ribs, contact your maternity unit or doctor straight away: these can be "
            "signs of pre-eclampsia.</p>"
        ),
    ],
    condition="Oedema",
    tags=["circulation", "swelling"],
    last_reviewed=date(2026, 8, 11),
    references=[
        reference(
            "NHS",
            "Swollen ankles, feet and legs (oedema)",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/oedema/",
        ),
    ],
)

NIGHT_HEARTBURN = ArticleContent(
    question="What helps heartburn at night?",
    short_answer="Leave at least three hours between your last meal and bed, raise the head end "
    "of your bed, and try sleeping on your left side. Smaller evening meals and less alcohol, "
    "coffee and fatty food late in the day help many people. Frequent heartburn, or heartburn "
    "with difficulty swallowing, weight loss or vomiting, should be checked by a doctor.",
    body=[
        section(
            "Lying down soon after eating",
            "<p>Heartburn is stomach acid washing back up into the food pipe (oesophagus). A "
            "ring of muscle at the bottom of the food pipe normally keeps it in the stomach, but "
            "after a big meal the stomach is full, and lying flat takes away the help of "
            "gravity.</p>",
            "<ul><li>Finish eating at least three hours before you go to bed.</li>"
            "<li>Make your evening meal smaller, and eat your main meal earlier if you can.</li>"
            "<li>Skip bedtime snacks.</li></ul>",
        ),
        section(
            "How you lie in bed",
            "<p>Lying flat lets acid reach the food pipe more easily. Many people find lying on "
            "their right side makes reflux worse, while the left side keeps the stomach below "
            "the food pipe.</p>",
            "<ul><li>Raise the head of your bed by 10 to 20 cm with blocks under the legs or a "
            "wedge under the mattress. Extra pillows work less well because they bend you at "
            "the waist.</li>"
            "<li>Try falling asleep on your left side.</li></ul>",
        ),
        section(
            "Food and drink triggers",
            "<p>Fatty or fried food, large portions, alcohol, coffee, chocolate, fizzy drinks, "
            "spicy dishes, citrus fruit and tomatoes bring on symptoms in some people. Triggers "
            "differ from person to person, so there is no need to give up all of them.</p>",
            "<ul><li>Keep a simple food and symptom diary for two weeks to find your own "
            "triggers.</li>"
            "<li>Cut down on alcohol, particularly in the evening.</li>"
            "<li>If you smoke, stopping helps the muscle ring close properly.</li></ul>",
        ),
        section(
            "Pressure on the stomach",
            "<p>Extra weight around the middle, pregnancy and tight waistbands press on the "
            "stomach and push acid upwards.</p>",
            "<ul><li>If you are overweight, losing even a little often eases reflux "
            "noticeably.</li>"
            "<li>Wear clothes that are loose around the waist in the evening.</li></ul>",
        ),
        section(
            "Remedies from the pharmacy",
            "<p>Antacids and alginates, available without a prescription, relieve occasional "
            "heartburn quickly; alginates form a raft on top of the stomach contents that helps "
            "at night. Some medicines, such as anti-inflammatory painkillers, can make heartburn "
            "worse.</p>",
            "<ul><li>Ask a pharmacist which remedy suits you, especially if you take other "
            "medicines or are pregnant.</li>"
            "<li>If you need remedies on most days, talk to your doctor about acid-reducing "
            "treatment and whether you need tests.</li></ul>",
        ),
        prevention(
            "<ul><li>Eat regular, moderate meals rather than one large late dinner.</li>"
            "<li>Stay active and keep to a healthy weight.</li>"
            "<li>Keep alcohol low and don't smoke.</li></ul>"
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>you have heartburn on most days for three weeks or more;</li>"
            "<li>pharmacy remedies don't help, or you need them most days;</li>"
            "<li>swallowing is difficult or food feels as if it sticks;</li>"
            "<li>you are losing weight without trying, vomiting often, or feel full after small "
            "meals;</li>"
            "<li>you are 55 or over and the symptoms are new;</li>"
            "<li>you have a lasting cough or hoarse voice.</li></ul>"
        ),
        urgent(
            "<ul><li>what feels like heartburn comes with chest pain spreading to your arm, "
            "neck, jaw or back, or with breathlessness, sweating or feeling sick: a heart attack "
            "can feel like indigestion;</li>"
            "<li>you vomit blood or something that looks like coffee grounds;</li>"
            "<li>your stools are black and sticky, like tar.</li></ul>" + CALL_NOW
        ),
    ],
    last_updated=date(2026, 6, 30),
    condition="Heartburn",
    tags=["digestion", "sleep"],
    last_reviewed=date(2026, 6, 30),
    references=[
        reference(
            "NHS",
            "Heartburn and acid reflux",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/heartburn-and-acid-reflux/",
        ),
    ],
)

BLOATING = ArticleContent(
    question="Why do I feel bloated after meals?",
    short_answer="Some fullness after eating is normal. Uncomfortable bloating usually comes from "
    "swallowed air, eating quickly, constipation, or gut bacteria fermenting certain foods, and "
    "simple changes help most people. Bloating that lasts for weeks, starts later in life, or "
    "comes with weight loss or bleeding needs a doctor.",
    body=[
        section(
            "Eating fast and swallowing air",
            "<p>Gulping food, talking while you eat, chewing gum and fizzy drinks all add air "
            "to the stomach, and large meals stretch it.</p>",
            "<ul><li>Eat slowly, chew well and put your fork down between mouthfuls.</li>"
            "<li>Cut back on fizzy drinks and chewing gum.</li>"
            "<li>Try smaller, more frequent meals.</li></ul>",
        ),
        section(
            "Foods that ferment",
            "<p>Some carbohydrates are not fully absorbed in the small intestine. Bacteria in "
            "the large bowel break them down and make gas. Beans, lentils, onions, garlic, "
            "wheat, some fruits and sweeteners such as sorbitol are common culprits, and so is "
            "milk for people who are lactose intolerant.</p>",
            "<ul><li>Notice which foods affect you and eat smaller portions of them rather than "
            "cutting out whole food groups.</li>"
            "<li>Add fibre gradually over a few weeks so your gut can adjust.</li>"
            "<li>Talk to a doctor or dietitian before trying a restrictive diet such as "
            "low-FODMAP.</li></ul>",
        ),
        section(
            "Constipation",
            "<p>When stools move slowly, gas and waste build up, leaving you full and swollen, "
            "often worse as the day goes on.</p>",
            "<ul><li>Drink enough, eat fibre from fruit, vegetables and wholegrains, and stay "
            "active.</li>"
            "<li>Go to the toilet when you feel the urge rather than putting it off.</li></ul>",
        ),
        section(
            "A sensitive gut",
            "<p>In irritable bowel syndrome (IBS) the gut reacts strongly to normal amounts of "
            "gas and stretching, and stress can turn the symptoms up. Coeliac disease, a "
            "reaction to gluten, can also cause bloating.</p>",
            "<ul><li>If you think gluten might be the problem, keep eating it until you have "
            "been tested: cutting it out first can make the test unreliable.</li>"
            "<li>Regular meals, ways to manage stress and regular exercise ease IBS for many "
            "people.</li></ul>",
        ),
        prevention(
            "<ul><li>Eat at regular times and take your time over meals.</li>"
            "<li>Choose still drinks over fizzy ones.</li>"
            "<li>Stay active: a short walk after eating helps the gut move things along.</li>"
            "</ul>"
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>bloating lasts more than three weeks or keeps coming back;</li>"
            "<li>you have lost weight without trying;</li>"
            "<li>your bowel habits have changed, or you see blood in your stools;</li>"
            "<li>you are over 50 and the bloating is new and persistent; in women it is "
            "occasionally a sign of ovarian cancer, so it is worth checking even though the "
            "cause is usually harmless;</li>"
            "<li>you can feel a lump in your tummy.</li></ul>"
        ),
        urgent(
            "<ul><li>bloating comes with severe tummy pain or a high temperature;</li>"
            "<li>you keep vomiting, or cannot pass wind or stools;</li>"
            "<li>you vomit blood or pass black stools.</li></ul>" + CALL_NOW
        ),
    ],
    condition="Abdominal bloating",
    tags=["digestion", "diet"],
    last_reviewed=date(2026, 10, 6),
    references=[
        reference(
            "NHS",
            "Bloating",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/bloating/",
        ),
    ],
)

AFTERNOON_HEADACHES = ArticleContent(
    question="Why do I get headaches in the afternoon?",
    short_answer="Afternoon headaches are usually tension-type headaches brought on by things "
    "that build up through the day: too little to drink, a late or skipped lunch, caffeine "
    "wearing off, screen strain and tight shoulders. They are rarely a sign of anything serious "
    "and usually ease with a few changes to your routine.",
    body=[
        section(
            "Not drinking enough",
            "<p>Even mild dehydration can set off a headache in some people, and a busy morning "
            "makes it easy to forget to drink.</p>",
            "<ul><li>Keep a bottle of water on your desk and sip through the morning.</li>"
            "<li>Pale yellow urine is a sign you are drinking enough.</li></ul>",
        ),
        section(
            "Skipped or sugary meals",
            "<p>A long gap without food, or a lunch high in sugar that leaves you flat an hour "
            "or two later, can bring on a headache.</p>",
            "<ul><li>Eat breakfast and a proper lunch with some protein and wholegrains.</li>"
            "<li>Keep a healthy snack to hand for long afternoons.</li></ul>",
        ),
        section(
            "Caffeine",
            "<p>Caffeine wears off as the day goes on. If you drink a lot in the morning, the "
            "dip later can cause a withdrawal headache, while coffee late in the day can cost "
            "you sleep and lead to more headaches.</p>",
            "<ul><li>Keep your caffeine steady from day to day and moderate: around 400 mg a "
            "day, about four mugs of coffee, is a common upper limit for adults, and 200 mg in "
            "pregnancy.</li>"
            "<li>To cut down, reduce gradually over a week or two rather than stopping "
            "suddenly.</li></ul>",
        ),
        section(
            "Screens, posture and tight muscles",
            "<p>Hours of close screen work, a badly placed monitor and hunched shoulders tighten "
            "the muscles of the neck and scalp. Uncorrected eyesight problems add to the "
            "strain.</p>",
            "<ul><li>Every 20 minutes, look at something about 6 metres away for 20 seconds.</li>"
            "<li>Put your screen at eye level and take short breaks to roll your shoulders and "
            "move your neck.</li>"
            "<li>Have your eyes tested every two years, or sooner if your vision changes.</li>"
            "</ul>",
        ),
        section(
            "Too many painkillers",
            "<p>Taking painkillers for headaches on many days a month can itself cause "
            "near-daily headaches, known as medication overuse headache.</p>",
            "<ul><li>If you find yourself taking painkillers for headaches on more than two or "
            "three days a week, talk to a pharmacist or doctor.</li></ul>",
        ),
        prevention(
            "<ul><li>Eat regular meals, drink steadily and keep regular sleep times.</li>"
            "<li>Get up and move around during the working day.</li>"
            "<li>A short walk outdoors after lunch helps many people.</li></ul>"
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>you get headaches often, or they are getting worse;</li>"
            "<li>painkillers don't help, or you use them on more than two or three days a "
            "week;</li>"
            "<li>headaches wake you up, or are worst when you wake;</li>"
            "<li>they come with being sick or changes in your vision;</li>"
            "<li>you are over 50 and have a new kind of headache.</li></ul>"
        ),
        urgent(
            "<ul><li>a headache comes on suddenly and is very severe, the worst you have ever "
            "had, reaching full strength within a minute or so;</li>"
            "<li>it comes with weakness, numbness, slurred speech, confusion or drowsiness;</li>"
            "<li>it comes with a high temperature, a stiff neck, or a rash that does not fade "
            "when you press a glass against it;</li>"
            "<li>it follows a head injury, especially with vomiting or sleepiness;</li>"
            "<li>you suddenly lose vision, or have a painful red eye.</li></ul>" + CALL_NOW
        ),
    ],
    condition="Headache",
    tags=["hydration", "sleep"],
    last_reviewed=date(2026, 4, 14),
    references=[
        reference(
            "NHS",
            "Headaches",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/headaches/",
        ),
    ],
)

DAILY_WATER = ArticleContent(
    question="How much water do I really need each day?",
    short_answer="Most healthy adults do well on about 6 to 8 glasses of fluid a day, roughly 1.5 "
    "to 2 litres, with more in hot weather or when exercising. All drinks count, tea and coffee "
    "included, and food provides some water too. For most people, thirst and pale yellow urine "
    "are reliable guides.",
    body=[
        section(
            "Where the usual advice comes from",
            "<p>Health authorities suggest around 1.5 to 2 litres of drinks a day for adults. "
            "Your total water needs are higher, often put at about 2 litres for women and 2.5 "
            "litres for men, but about a fifth of that comes from food, especially fruit, "
            "vegetables, soups and yoghurt.</p>",
            "<ul><li>Treat the figure as a starting point, not a target to force down.</li>"
            "<li>Spread drinks through the day rather than having a lot at once.</li></ul>",
        ),
        section(
            "What counts",
            "<p>Water, milk, tea, coffee and other drinks all count. Caffeine makes you pass a "
            "little more urine, but in moderate amounts tea and coffee still hydrate you. "
            "Sugary drinks and juice count too, but bring sugar with them.</p>",
            "<ul><li>Choose water, milk, or unsweetened tea and coffee most of the time.</li>"
            "<li>Keep fruit juice and smoothies to one small glass, about 150 ml, a day.</li>"
            "<li>Alcohol makes you pass more urine, so alternate alcoholic drinks with water."
            "</li></ul>",
        ),
        section(
            "When you need more",
            "<p>You lose more water in hot weather, during exercise, with a fever, vomiting or "
            "diarrhoea, and while breastfeeding. Older people often feel less thirsty and can "
            "become dehydrated without noticing.</p>",
            "<ul><li>Drink before, during and after exercise, and more on hot days.</li>"
            "<li>With diarrhoea or vomiting, take small, frequent sips; oral rehydration "
            "sachets replace lost salts.</li>"
            "<li>If you look after an older relative, offer drinks regularly instead of waiting "
            "to be asked.</li></ul>",
        ),
        section(
            "Signs you need more, or less",
            "<p>Thirst, dark, strong-smelling urine, passing little urine, headache, dizziness "
            "and tiredness suggest you need more fluid. Drinking far too much is uncommon but "
            "possible, mostly during long endurance events: it dilutes the sodium in the blood "
            "(hyponatraemia) and causes headache, nausea and confusion.</p>",
            "<ul><li>Let thirst and the colour of your urine guide you.</li>"
            "<li>In marathons and other long events, drink when thirsty rather than at every "
            "drinks station.</li>"
            "<li>If your doctor has asked you to limit fluids, for example because of heart "
            "failure or kidney disease, follow that advice.</li></ul>",
        ),
        see_doctor(
            "<p>Make an appointment with your doctor if:</p>"
            "<ul><li>you are always very thirsty or passing a lot of urine, which can be a sign "
            "of diabetes;</li>"
            "<li>signs of dehydration don't improve after you drink more;</li>"
            "<li>you have a condition, or take a medicine such as a diuretic, that affects your "
            "fluid balance and you are unsure how much to drink.</li></ul>"
        ),
        urgent(
            "<ul><li>someone is confused, very drowsy or hard to wake;</li>"
            "<li>they have not passed urine all day, or have a racing heart and feel faint on "
            "standing;</li>"
            "<li>they cannot keep any fluids down;</li>"
            "<li>they become confused, have a severe headache or have a fit after drinking "
            "large amounts of water, for example during a long race.</li></ul>" + CALL_NOW
        ),
    ],
    last_updated=date(2026, 11, 3),
    condition="Dehydration",
    tags=["hydration", "diet", "minerals"],
    last_reviewed=date(2026, 11, 3),
    references=[
        reference(
            "NHS",
            "Dehydration",
            "NHS website",
            None,
            "https://www.nhs.uk/conditions/dehydration/",
        ),
    ],
)

# Each article: where it lives, who wrote it, who reviewed it (never its author), and when it
# was first published.
ARTICLES = [
    {
        "topic": "Muscles, bones and joints",
        "author": "amara-lindqvist",
        "published": date(2026, 2, 17),
        "reviewer": "tomas-reyes",
        "content": CRAMPS,
    },
    {
        "topic": "Muscles, bones and joints",
        "author": "amara-lindqvist",
        "published": date(2026, 3, 10),
        "reviewer": "tomas-reyes",
        "content": LOWER_BACK,
    },
    {
        "topic": "Muscles, bones and joints",
        "author": "amara-lindqvist",
        "published": date(2026, 5, 19),
        "reviewer": "tomas-reyes",
        "content": SHIN_SPLINTS,
    },
    {
        "topic": "Heart and circulation",
        "author": "tomas-reyes",
        "published": date(2026, 2, 3),
        "reviewer": "amara-lindqvist",
        "content": SLEEP_BLOOD_PRESSURE,
    },
    {
        "topic": "Heart and circulation",
        "author": "tomas-reyes",
        "published": date(2026, 8, 11),
        "reviewer": "amara-lindqvist",
        "content": SWOLLEN_ANKLES,
    },
    {
        "topic": "Digestion",
        "author": "priya-nandakumar",
        "published": date(2026, 1, 20),
        "reviewer": "amara-lindqvist",
        "content": NIGHT_HEARTBURN,
    },
    {
        "topic": "Digestion",
        "author": "priya-nandakumar",
        "published": date(2026, 10, 6),
        "reviewer": "amara-lindqvist",
        "content": BLOATING,
    },
    {
        "topic": "Everyday wellbeing",
        "author": "tomas-reyes",
        "published": date(2026, 4, 14),
        "reviewer": "amara-lindqvist",
        "content": AFTERNOON_HEADACHES,
    },
    {
        "topic": "Everyday wellbeing",
        "author": "priya-nandakumar",
        "published": date(2026, 6, 9),
        "reviewer": "tomas-reyes",
        "content": DAILY_WATER,
    },
]
