"""The plain-text importer: the parser on its own, then `manage.py import_articles` end to end."""

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from healthpress.articles.content import question_slug
from healthpress.articles.importer import (
    MAX_FILE_BYTES,
    InvalidArticle,
    article_content,
    parse_article,
    read_article_file,
)
from healthpress.articles.management.commands.import_articles import Command, describe
from healthpress.articles.models import ArticlePage
from healthpress.core.models import HomePage, TopicPage
from healthpress.people.models import Person

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "cramps-article-page.txt"
SEED_QUESTION = "Is cramping caused by excessive calcium or insufficient calcium"
SEED_HEADINGS = [
    "Abnormal calcium metabolism",
    "Muscle fatigue",
    "Electrolyte imbalance",
    "Poor blood circulation",
    "Abnormal neuromodulation",
]
FURNITURE_WORDS = ["Comments (", "Leave a Comment", "Subscribe", "Stay Updated", "About the Author"]

HICCUPS = "Why do I get hiccups after a fizzy drink?"
SORE_THROAT = "Should I worry about a sore throat that comes back every winter"


def fixture_text(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def seed_file():
    if not SEED.exists():
        pytest.skip(f"the shared seed article {SEED} is not there (only in the project workspace)")
    return SEED


def import_articles(*args):
    """Run the command; returns (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *[str(a) for a in args], stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def all_text(article):
    texts = [article.question, *article.short_answer]
    for block in article.blocks:
        texts += [block.heading, *block.paragraphs, *block.advice]
    return "\n".join(texts)


def article(question):
    return ArticlePage.objects.get(slug=question_slug(question))


# The parser ------------------------------------------------------------------------------------


def test_question_short_answer_and_sections_are_read_in_order():
    parsed = parse_article(fixture_text("hiccups.txt"))

    assert parsed.question == HICCUPS
    assert len(parsed.short_answer) == 2
    assert parsed.short_answer[0].startswith("Usually because the drink stretches")
    sections = [b for b in parsed.blocks if b.kind == "section"]
    assert [s.heading for s in sections] == [
        "A stretched stomach",
        "Swallowed air",
        "Cold and hot together",
    ]


def test_question_is_kept_as_written_without_adding_a_question_mark():
    assert parse_article(fixture_text("sore-throat.txt")).question == SORE_THROAT


def test_section_numbers_are_not_stored_in_headings():
    parsed = parse_article(fixture_text("sore-throat.txt"))  # "1)" style headings
    assert [b.heading for b in parsed.blocks if b.kind == "section"] == ["Dry air", "Colds"]


def test_what_you_can_do_paragraph_becomes_the_sections_advice():
    first, second, third = parse_article(fixture_text("hiccups.txt")).blocks[:3]

    assert first.paragraphs == [
        "Bubbles of gas fill the stomach faster than food would. The stomach presses on the "
        "diaphragm, the muscle under the lungs, which answers with short jerky contractions."
    ]
    assert first.advice == [
        "drink slowly, and pour fizzy drinks into a glass so some of the gas escapes first."
    ]
    # A bare "What you can do:" label makes the rest of the section advice.
    assert second.advice == ["Sip instead of gulping.", "Put the drink down while you talk."]
    assert third.advice == []


def test_what_you_can_do_line_right_under_the_explanation_still_starts_the_advice():
    dry_air = parse_article(fixture_text("sore-throat.txt")).blocks[0]
    assert dry_air.paragraphs == [
        "Heating dries the air indoors, and a throat that breathes dry air all night feels "
        "rough in the morning."
    ]
    assert dry_air.advice == ["keep a bowl of water near the radiator or use a humidifier."]


def test_prevention_and_see_a_doctor_headings_start_their_blocks():
    blocks = parse_article(fixture_text("hiccups.txt")).blocks
    assert [(b.kind, b.heading) for b in blocks[3:]] == [
        ("prevention", "Prevention"),
        ("see_doctor", "When to see a doctor"),
    ]
    assert blocks[3].paragraphs[0].startswith("Take small sips")
    assert blocks[4].paragraphs[0].startswith("If hiccups last longer than two days")


def test_urgent_heading_with_text_on_the_next_line():
    urgent = parse_article(fixture_text("sore-throat.txt")).blocks[-1]
    assert (urgent.kind, urgent.heading) == ("urgent", "Seek help now")
    assert urgent.paragraphs[0].startswith("Go to urgent care at once")


@pytest.mark.parametrize("heading", ["get medical help now", "WHEN TO SEE A DOCTOR:", "prevention"])
def test_block_headings_ignore_case_and_a_trailing_colon(heading):
    parsed = parse_article(f"Question\n\nAnswer.\n\n{heading}\n\nSome text.")
    assert len(parsed.blocks) == 1
    assert parsed.blocks[0].paragraphs == ["Some text."]


@pytest.mark.parametrize("name", ["hiccups.txt", "sore-throat.txt", "sleep/afternoon-slump.txt"])
def test_page_furniture_is_never_article_text(name):
    text = all_text(parse_article(fixture_text(name)))
    for word in [*FURNITURE_WORDS, "No comments yet", "Be the first", "Comments are moderated"]:
        assert word not in text
    assert "Sam Rivera" not in text


def test_author_block_with_three_lines_is_name_job_title_and_role():
    author = parse_article(fixture_text("hiccups.txt")).author
    assert (author.name, author.job_title, author.role) == (
        "Sam Rivera",
        "Family Doctor",
        "Medical Reviewer",
    )


def test_author_block_with_two_lines_is_job_title_and_role():
    author = parse_article(fixture_text("sore-throat.txt")).author
    assert (author.name, author.job_title, author.role) == (
        "",
        "Nurse Practitioner",
        "Contributing Writer",
    )


def test_author_block_with_one_line_is_the_job_title():
    author = parse_article(fixture_text("sleep/afternoon-slump.txt")).author
    assert (author.name, author.job_title, author.role) == ("", "Health Editor", "")


def test_crlf_line_endings_and_a_bom_read_like_plain_newlines(tmp_path):
    plain = parse_article(fixture_text("hiccups.txt"))
    windows = tmp_path / "windows.txt"
    windows.write_bytes(
        b"\xef\xbb\xbf" + fixture_text("hiccups.txt").replace("\n", "\r\n").encode()
    )
    old_mac = fixture_text("hiccups.txt").replace("\n", "\r")

    assert parse_article(read_article_file(windows)) == plain
    assert parse_article(old_mac) == plain


def test_hostile_html_is_stored_escaped_never_as_markup():
    text = (
        "Is <b>this</b> safe?\n\n<img src=x onerror=alert(1)> answer.\n\n"
        "1. <i>Heading</i>\n\n<script>alert(1)</script>\n\n"
        "What you can do: <a href='javascript:alert(1)'>click</a>\n\n"
        "Prevention\n\n<iframe src=//evil></iframe>"
    )
    content = article_content(parse_article(text))
    section, prevention = (block["value"] for block in content.body)

    assert section["explanation"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    # Quotes stay as they are, as Wagtail's editor stores them: outside a tag they are text.
    assert section["advice"] == "<p>&lt;a href='javascript:alert(1)'&gt;click&lt;/a&gt;</p>"
    assert prevention["text"] == "<p>&lt;iframe src=//evil&gt;&lt;/iframe&gt;</p>"
    # Plain-text fields are kept as text; templates escape them when they render.
    assert content.question == "Is <b>this</b> safe?"
    assert section["heading"] == "<i>Heading</i>"


def test_content_for_save_article_has_sections_and_blocks():
    content = article_content(parse_article(fixture_text("hiccups.txt")))
    assert content.question == HICCUPS
    assert content.short_answer.count("\n\n") == 1
    assert [b["type"] for b in content.body] == [
        "section",
        "section",
        "section",
        "prevention",
        "see_doctor",
    ]
    assert content.body[2]["value"]["advice"] == ""
    assert content.body[1]["value"]["advice"] == (
        "<p>Sip instead of gulping.</p><p>Put the drink down while you talk.</p>"
    )


@pytest.mark.parametrize(
    "line, heading",
    [
        ("1. Tired muscles", "Tired muscles"),
        ("2) Too little water", "Too little water"),
        ("99. Last one", "Last one"),
        ("0. Not a heading", None),
        ("100. Not a heading", None),
        ("1.5 litres of water a day is enough for most people.", None),
        ("3. " + "long " * 30, None),
    ],
)
def test_numbered_headings_are_short_lines_numbered_1_to_99(line, heading):
    parsed = parse_article(f"Question\n\nAnswer.\n\n{line}\n\nText.")
    sections = [b.heading for b in parsed.blocks if b.kind == "section"]
    assert sections == ([heading] if heading else [])


def test_a_numbered_line_inside_a_paragraph_is_not_a_heading():
    parsed = parse_article("Question\n\nAnswer.\n\n1. Drink water\n2. Rest\n")
    assert parsed.blocks == []
    assert parsed.short_answer == ["Answer.", "1. Drink water 2. Rest"]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("1. A heading first\n\nText.", "no question line"),
        ("Prevention\n\nText.", "no question line"),
        ("Comments (0)\nLeave a Comment\n", "no question line"),
        ("Stay Updated\n\nText.", "no question line"),
        ("Why " + "really " * 60 + "?\n\nText.", "no question line"),
        ("A question\n\n1. Heading\n\nText.", "no short answer"),
        ("A question\n\nComments (3)\nNice article.", "no short answer"),
        ("A question\n\nAnswer.\n\n1. Heading\n\n2. Next\n\nText.", "'Heading' has no text"),
        ("A question\n\nAnswer.\n\nPrevention\n\nA.\n\nPrevention\n\nB.", "more than one"),
    ],
)
def test_text_that_does_not_fit_the_format_is_refused_with_a_reason(text, reason):
    with pytest.raises(InvalidArticle, match=re.escape(reason)):
        parse_article(text)


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"  \n\n\t\n", "empty file"),
        (b"\xef\xbb\xbf\n", "empty file"),
        (b"Question\x00\n\nAnswer", "binary file"),
        ("Caf\u00e9?\n\nOui.".encode("latin-1"), "not UTF-8"),
        ("Question\n\nAnswer".encode("utf-16"), "binary file"),
    ],
)
def test_files_that_are_not_utf8_text_are_refused(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InvalidArticle, match=reason):
        read_article_file(path)


def test_files_over_1_mb_are_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Question\n\n" + b"a" * MAX_FILE_BYTES)
    with pytest.raises(InvalidArticle, match="over 1 MB"):
        read_article_file(path)


LISTS = """Why do my legs ache after a long walk?

Mostly tired muscles. The ache fades within a day or two.

1. Tired muscles

Muscles that worked longer than usual ache for a day or two.
- It is worse after hills.

What you can do:
- Rest them for a day,
  and walk a little less next time.

- Stretch **gently** before bed.

Prevention
Build up the distance step by step.
* Warm up first.
• Wear shoes that fit.

First aid: When a calf cramps on the way

Stop and let it pass.

- Straighten your leg.
- Pull your toes up towards your shin.

Get medical help now if:

- one calf is red, hot and swollen.

**Call your local emergency number.** Don't drive yourself.
"""


def test_lines_starting_with_a_dash_are_a_bulleted_list():
    section, prevention, _, urgent = parse_article(LISTS).blocks

    assert section.paragraphs == [
        "Muscles that worked longer than usual ache for a day or two.",
        ["It is worse after hills."],
    ]
    # An item goes on over the next lines; a blank line between items keeps one list.
    assert section.advice == [
        ["Rest them for a day, and walk a little less next time.", "Stretch **gently** before bed."]
    ]
    assert prevention.paragraphs == [
        "Build up the distance step by step.",
        ["Warm up first.", "Wear shoes that fit."],
    ]
    assert urgent.paragraphs == [
        ["one calf is red, hot and swollen."],
        "**Call your local emergency number.** Don't drive yourself.",
    ]


def test_lists_and_bold_become_rich_text():
    section, prevention, _, urgent = (
        block["value"] for block in article_content(parse_article(LISTS)).body
    )

    assert section["advice"] == (
        "<ul><li>Rest them for a day, and walk a little less next time.</li>"
        "<li>Stretch <strong>gently</strong> before bed.</li></ul>"
    )
    assert prevention["text"] == (
        "<p>Build up the distance step by step.</p>"
        "<ul><li>Warm up first.</li><li>Wear shoes that fit.</li></ul>"
    )
    assert urgent == {
        "heading": "Get medical help now if",
        "text": "<ul><li>one calf is red, hot and swollen.</li></ul>"
        "<p><strong>Call your local emergency number.</strong> Don't drive yourself.</p>",
        "level": "urgent",
    }


def test_first_aid_heading_starts_a_block_with_an_intro_and_steps():
    first_aid = parse_article(LISTS).blocks[2]
    assert (first_aid.kind, first_aid.heading) == ("first_aid", "When a calf cramps on the way")

    assert article_content(parse_article(LISTS)).body[2] == {
        "type": "first_aid",
        "value": {
            "heading": "When a calf cramps on the way",
            "intro": "Stop and let it pass.",
            "steps": ["Straighten your leg.", "Pull your toes up towards your shin."],
        },
    }


def test_a_question_may_start_with_first_aid():
    parsed = parse_article("First aid: what helps a burn?\n\nCool water, for 20 minutes.")
    assert parsed.question == "First aid: what helps a burn?"
    assert parsed.blocks == []


@pytest.mark.parametrize(
    "text, reason",
    [
        ("- A list first\n\nText.", "no question line"),
        ("A question\n\n- One\n- Two", "a list in the short answer"),
        ("A question\n\nAnswer.\n\nFirst aid: Burns\n\nCool it.", "'Burns' has no steps"),
        ("A question\n\nAnswer.\n\nFirst aid: Burns\n\n- Cool it.\n\nMore.", "after its steps"),
        ("A question\n\nAnswer.\n\nFirst aid: Burns\n\n- " + "x" * 401, "over 400"),
    ],
)
def test_lists_and_first_aid_that_do_not_fit_are_refused_with_a_reason(text, reason):
    with pytest.raises(InvalidArticle, match=re.escape(reason)):
        parse_article(text)


@pytest.mark.django_db
def test_an_article_with_lists_and_first_aid_is_saved_and_published(tmp_path):
    path = tmp_path / "legs.txt"
    path.write_text(LISTS)

    status, out, _ = import_articles(path, "--publish")

    assert status == 0, out
    page = ArticlePage.objects.get()
    assert [block.block_type for block in page.body] == [
        "section",
        "prevention",
        "first_aid",
        "urgent",
    ]
    assert list(page.body[2].value["steps"]) == [
        "Straighten your leg.",
        "Pull your toes up towards your shin.",
    ]
    assert page.body[3].value["level"] == "urgent"


def test_dry_run_describes_lists_and_first_aid(tmp_path):
    path = tmp_path / "legs.txt"
    path.write_text(LISTS)
    parsed = parse_article(LISTS)
    text = describe(path, parsed, "", None)
    assert "what you can do: 1 list, starting “Rest them for a day, and walk a" in text
    assert "[first_aid] When a calf cramps on the way" in text
    assert "steps: 2" in text


# The command -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_of_the_seed_article_shows_its_structure_and_writes_nothing():
    status, out, _ = import_articles(seed_file(), "--dry-run")

    assert status == 0
    assert f"Question: {SEED_QUESTION}\n" in out
    assert "Cramps are usually related to calcium deficiency" in out
    assert re.findall(r"^  (\d+)\. (.+)$", out, re.MULTILINE) == [
        (str(n), heading) for n, heading in enumerate(SEED_HEADINGS, start=1)
    ]
    assert "job title Senior Expert, role Contributing Writer" in out
    for word in ["Comments (0)", "Leave a Comment", "Subscribe"]:
        assert word not in out
    assert not ArticlePage.objects.exists()
    assert not TopicPage.objects.exists()
    assert not Person.objects.exists()


def test_seed_sections_hold_no_page_furniture():
    parsed = parse_article(read_article_file(seed_file()))
    assert [b.heading for b in parsed.blocks] == SEED_HEADINGS
    sections_text = "\n".join(p for b in parsed.blocks for p in [*b.paragraphs, *b.advice])
    for word in ["Comments (0)", "Leave a Comment", "Subscribe"]:
        assert word not in sections_text


@pytest.mark.django_db
def test_importing_the_same_question_twice_updates_one_article():
    first = import_articles(seed_file())
    second = import_articles(seed_file())

    assert "created 1, updated 0, failed 0" in first[1]
    assert "created 0, updated 1, failed 0" in second[1]
    page = ArticlePage.objects.get()
    assert page.title == SEED_QUESTION
    assert page.revisions.count() >= 2
    assert page.get_latest_revision_as_object().section_headings() == SEED_HEADINGS


@pytest.mark.django_db
def test_a_fresh_database_gets_a_home_page_and_the_default_topic():
    import_articles(FIXTURES / "hiccups.txt")
    page = article(HICCUPS)
    assert page.topic.title == "General health"
    assert isinstance(page.topic.get_parent().specific, HomePage)


@pytest.mark.django_db
def test_folders_are_imported_recursively_in_sorted_order():
    status, out, err = import_articles(FIXTURES)

    assert status == 0
    assert "created 3, updated 0, failed 0" in out
    created = [line.split(": ")[1] for line in out.splitlines() if line.startswith("Created: ")]
    assert created == [
        str(FIXTURES / "hiccups.txt"),
        str(FIXTURES / "sleep" / "afternoon-slump.txt"),
        str(FIXTURES / "sore-throat.txt"),
    ]
    assert ArticlePage.objects.count() == 3


@pytest.mark.django_db
def test_bad_files_get_one_error_line_each_and_good_files_still_import(tmp_path):
    shutil.copy(FIXTURES / "hiccups.txt", tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_text("   \n\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Pourquoi?\n\nParce que \u00e7a.".encode("latin-1"))
    (tmp_path / "no-question.txt").write_text("1. Heading first\n\nSome text.\n")
    (tmp_path / "no-answer.txt").write_text("A question\n\n1. Heading\n\nText.\n")
    (tmp_path / "big.txt").write_bytes(b"Big question\n\n" + b"words " * 200_000)
    bad = ["big", "binary", "empty", "latin1", "no-answer", "no-question"]

    status, out, err = import_articles(tmp_path)

    assert status == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert sorted(errors) == errors and len(errors) == len(bad)
    for name, line in zip(bad, errors, strict=True):
        assert line.startswith(str(tmp_path / f"{name}.txt") + ": error: ")
    assert "Traceback" not in err
    assert "created 1, updated 0, failed 6" in out
    assert article(HICCUPS)


@pytest.mark.django_db
def test_a_missing_path_is_a_failure_not_a_traceback(tmp_path):
    status, _, err = import_articles(tmp_path / "nope.txt", FIXTURES / "hiccups.txt")
    assert status == 1
    assert f"{tmp_path / 'nope.txt'}: error: cannot read the file" in err
    assert article(HICCUPS)


@pytest.mark.django_db
def test_without_publish_the_article_is_a_draft_for_review():
    import_articles(FIXTURES / "hiccups.txt")
    page = article(HICCUPS)
    assert not page.live
    assert page.get_latest_revision_as_object().short_answer.startswith("Usually because")


@pytest.mark.django_db
def test_publish_makes_the_article_live():
    import_articles(FIXTURES / "hiccups.txt", "--publish")
    page = article(HICCUPS)
    assert page.live
    assert not page.has_unpublished_changes
    assert [b["type"] for b in page.body.raw_data][:1] == ["section"]


@pytest.mark.django_db
def test_reimport_without_publish_keeps_the_live_version_and_adds_a_draft(tmp_path):
    import_articles(FIXTURES / "hiccups.txt", "--publish")
    changed = tmp_path / "hiccups.txt"
    changed.write_text(fixture_text("hiccups.txt").replace("Usually because", "Mostly because"))

    status, out, _ = import_articles(changed)

    assert status == 0 and "updated 1" in out
    page = article(HICCUPS)
    assert page.live and page.has_unpublished_changes
    assert page.short_answer.startswith("Usually because")
    assert page.get_latest_revision_as_object().short_answer.startswith("Mostly because")
    assert page.revisions.count() == 2


@pytest.mark.django_db
def test_author_named_in_the_file_is_created_with_title_and_role():
    import_articles(FIXTURES / "hiccups.txt")
    person = article(HICCUPS).get_latest_revision_as_object().author
    assert (person.name, person.job_title, person.role) == (
        "Sam Rivera",
        "Family Doctor",
        "Medical Reviewer",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dana-okafor", "DANA OKAFOR"])
def test_author_option_finds_a_person_by_slug_or_name_and_keeps_their_details(author, name):
    author.job_title, author.role = "Sports Physician", ""
    author.save()

    import_articles(FIXTURES / "sore-throat.txt", "--author", name)

    assert article(SORE_THROAT).get_latest_revision_as_object().author == author
    author.refresh_from_db()
    assert author.job_title == "Sports Physician"  # not overwritten by the file
    assert author.role == "Contributing Writer"  # was empty, filled from the file
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_without_any_author_the_article_is_saved_with_a_warning():
    status, _, err = import_articles(FIXTURES / "sore-throat.txt")
    assert status == 0
    assert f"{FIXTURES / 'sore-throat.txt'}: warning: no author" in err
    assert article(SORE_THROAT).get_latest_revision_as_object().author is None


@pytest.mark.django_db
def test_topic_option_uses_an_existing_topic_by_slug(topic):
    import_articles(FIXTURES / "hiccups.txt", "--topic", topic.slug)
    assert article(HICCUPS).topic == topic
    assert TopicPage.objects.count() == 1


@pytest.mark.django_db
def test_topic_option_creates_a_missing_topic(home):
    import_articles(FIXTURES / "hiccups.txt", "--topic", "Digestion")
    assert article(HICCUPS).topic.title == "Digestion"


@pytest.mark.django_db
def test_hostile_html_in_a_file_is_stored_escaped(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(
        "Can a script hide in an answer?\n\nNo.\n\n1. Scripts\n\n<script>alert(1)</script>\n"
    )
    import_articles(path)
    page = ArticlePage.objects.get().get_latest_revision_as_object()
    explanation = page.body.raw_data[0]["value"]["explanation"]
    assert "<script>" not in explanation
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in explanation


@pytest.mark.django_db
def test_a_progress_bar_is_shown_for_more_than_three_files(tmp_path, capsys):
    for n in range(4):
        (tmp_path / f"{n}.txt").write_text(f"Question number {n}\n\nAnswer {n}.\n")
    import_articles(tmp_path, "--dry-run")
    assert "4/4" in capsys.readouterr().err


@pytest.mark.django_db
def test_no_progress_bar_for_three_files_or_fewer(tmp_path, capsys):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"Question number {n}\n\nAnswer {n}.\n")
    import_articles(tmp_path, "--dry-run")
    assert "3/3" not in capsys.readouterr().err


def test_help_explains_the_options_and_the_format():
    help_text = Command().create_parser("manage.py", "import_articles").format_help()
    for option in ["--topic", "--author", "--publish", "--dry-run", "What you can do:", "- item"]:
        assert option in help_text
