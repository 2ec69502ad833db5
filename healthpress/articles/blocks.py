"""The building blocks of an article body. Numbering of cause sections is derived at render time."""

from wagtail import blocks

INLINE_FEATURES = ["bold", "italic", "link"]
TEXT_FEATURES = [*INLINE_FEATURES, "ol", "ul"]


class SectionBlock(blocks.StructBlock):
    """One numbered cause or topic: a heading, what is going on, and what the reader can do."""

    heading = blocks.CharBlock(max_length=150, help_text="Short, e.g. “Muscle fatigue”. No number.")
    explanation = blocks.RichTextBlock(features=TEXT_FEATURES)
    advice = blocks.RichTextBlock(features=TEXT_FEATURES, required=False, label="What you can do")

    class Meta:
        icon = "list-ol"
        label = "Numbered section"
        template = "articles/blocks/section.html"


class PreventionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=150, default="Prevention")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "success"
        label = "Prevention"
        template = "articles/blocks/prevention.html"


class SeeDoctorBlock(blocks.StructBlock):
    """When a reader should book an appointment with their doctor."""

    heading = blocks.CharBlock(max_length=150, default="When to see a doctor")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = "When to see a doctor"
        template = "articles/blocks/see_doctor.html"


# Care-card levels, as NHS care cards name them. The name is read out before the heading so a
# screen-reader user hears the level that sighted readers see from the card's colour and badge.
URGENCY_CHOICES = [
    ("urgent", "Urgent advice (urgent care, same-day doctor)"),
    ("immediate", "Immediate action required (call the emergency number)"),
]


class UrgentBlock(blocks.StructBlock):
    """Symptoms that need help now (emergency number, urgent care), shown more prominently."""

    heading = blocks.CharBlock(max_length=150, default="Get medical help now if")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)
    level = blocks.ChoiceBlock(
        choices=URGENCY_CHOICES,
        default="urgent",
        help_text="Immediate action: the reader should call the emergency number now.",
    )

    class Meta:
        icon = "warning"
        label = "Urgent: seek help now"
        template = "articles/blocks/urgent.html"


class FirstAidBlock(blocks.StructBlock):
    """Step-by-step self-help for the moment the problem happens (e.g. a calf cramp at night)."""

    heading = blocks.CharBlock(max_length=150)
    intro = blocks.TextBlock(required=False, max_length=600)
    steps = blocks.ListBlock(blocks.CharBlock(max_length=400), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "First-aid steps"
        template = "articles/blocks/first_aid.html"


class ReferenceBlock(blocks.StructBlock):
    """One source the article relies on. Cite it in the text with its number, e.g. [1]."""

    authors = blocks.CharBlock(
        max_length=300, required=False, help_text='e.g. "Allen RE, Kirby KA" or an organisation.'
    )
    title = blocks.CharBlock(max_length=300)
    publisher = blocks.CharBlock(max_length=200, required=False, label="Publisher or journal")
    year = blocks.IntegerBlock(min_value=1800, max_value=2100, required=False)
    url = blocks.URLBlock(required=False, label="URL")
    accessed = blocks.DateBlock(required=False, label="Accessed on")

    class Meta:
        icon = "link"
        label = "Reference"


class ArticleBodyBlock(blocks.StreamBlock):
    section = SectionBlock()
    prevention = PreventionBlock()
    see_doctor = SeeDoctorBlock()
    urgent = UrgentBlock()
    first_aid = FirstAidBlock()
    paragraph = blocks.RichTextBlock(features=TEXT_FEATURES, icon="pilcrow")

    class Meta:
        block_counts = {"prevention": {"max_num": 1}, "see_doctor": {"max_num": 1}}
