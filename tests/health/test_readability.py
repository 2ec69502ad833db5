"""Reading level: the figure of an article is textstat's figure of its reader-facing text, kept on
publish, and the page editor warns when the draft being edited reads above the target."""

import pytest
import textstat

from healthpress.health import readability
from healthpress.health.models import Readability
from tests.conftest import section

pytestmark = pytest.mark.django_db

SHORT = "Cramps can hurt a lot. Stretch the calf muscle. Drink more water today."
LONG = (
    "Nocturnal leg cramps, which are sudden, involuntary and frequently excruciating "
    "contractions of the gastrocnemius muscle, predominantly affect older individuals and "
    "pregnant women, although the underlying pathophysiological mechanisms remain "
    "incompletely characterised despite considerable investigation by researchers."
)


def test_measure_is_textstats_figure_of_the_reader_facing_text(make_article):
    article = make_article(
        "Why do my legs cramp?",
        sections=0,
        short_answer="Mostly tired muscles.",
        more_blocks=[section("Muscle fatigue", "Tired muscles cramp.", "Stretch gently.")],
        references=[{"type": "reference", "value": {"title": "Unread reference title words"}}],
    )
    text = readability.reader_text(article)
    assert text.splitlines() == [
        "Why do my legs cramp?",
        "Mostly tired muscles.",
        "Muscle fatigue.",
        "Tired muscles cramp.",
        "Stretch gently.",
    ]
    grade, share, words = readability.measure(article)
    assert grade == textstat.flesch_kincaid_grade(text)
    assert words == textstat.lexicon_count(text) == 15
    assert share == 0


def test_known_text_figures_match_textstat(make_article):
    article = make_article("Cramps?", sections=0, short_answer=f"{SHORT} {LONG}")
    text = readability.reader_text(article)
    assert text == f"Cramps?\n{SHORT} {LONG}"
    grade, share, words = readability.measure(article)
    assert grade == textstat.flesch_kincaid_grade(text)
    # textstat counts 4 sentences here ("Cramps?" has too few words); one is over 25 words.
    assert textstat.sentence_count(text) == 4
    assert share == pytest.approx(1 / 4)
    assert words == textstat.lexicon_count(text)


def test_lists_and_rich_text_markup_become_separate_plain_sentences(make_article):
    article = make_article(
        "Cramps?",
        sections=0,
        more_blocks=[
            {
                "type": "paragraph",
                "value": "<p>Try <b>this</b> &amp; that:</p>"
                "<ul><li>Stretch</li><li>Walk about</li></ul>",
            },
            {
                "type": "first_aid",
                "value": {
                    "heading": "During a cramp",
                    "intro": "",
                    "steps": ["Stand up", "Flex the foot"],
                },
            },
        ],
    )
    lines = readability.reader_text(article).splitlines()
    assert lines[2:] == [
        "Try this & that:",
        "Stretch.",
        "Walk about.",
        "During a cramp.",
        "Stand up.",
        "Flex the foot.",
    ]


def test_grade_is_stored_when_an_article_is_published(make_article):
    article = make_article("Why do my legs cramp?", short_answer=LONG)
    stored = Readability.objects.get(article=article)
    grade, share, words = readability.measure(article)
    assert (stored.grade, stored.long_sentence_share, stored.words) == (grade, share, words)
    assert stored.above_target


def test_a_draft_is_not_stored_until_published(make_article):
    article = make_article("Why do my legs cramp?", short_answer=SHORT, publish=False)
    assert not Readability.objects.filter(article=article).exists()
    article.save_revision().publish()
    assert Readability.objects.get(article=article).grade == readability.measure(article)[0]


def test_republishing_updates_the_figure(make_article):
    article = make_article("Why do my legs cramp?", short_answer=LONG)
    high = Readability.objects.get(article=article).grade
    article.short_answer = SHORT
    article.save_revision().publish()
    assert Readability.objects.get(article=article).grade < high


def edit_page(client, article):
    response = client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def test_editor_warns_when_the_draft_reads_above_target(admin_client, make_article, settings):
    settings.READING_GRADE_TARGET = 8
    article = make_article("Why do my legs cramp?", short_answer=SHORT)
    # The draft being edited is measured, not the live text.
    article.short_answer = LONG
    article.save_revision()
    grade, _, _ = readability.measure(article)
    html = edit_page(admin_client, article)
    assert f"Reading grade {grade:.1f} is above the target 8" in html
    assert "shorter sentences and everyday words help" in html


def test_editor_is_quiet_below_target(admin_client, make_article, settings):
    settings.READING_GRADE_TARGET = 8
    article = make_article("Why do my legs cramp?", short_answer=SHORT)
    assert readability.measure(article)[0] < 8
    assert "Reading grade" not in edit_page(admin_client, article)


def test_the_target_is_a_setting(admin_client, make_article, settings):
    article = make_article("Why do my legs cramp?", short_answer=SHORT)
    settings.READING_GRADE_TARGET = -5
    assert "is above the target -5" in edit_page(admin_client, article)


def test_the_backfill_command_measures_articles_published_before(make_article):
    from io import StringIO

    from django.core.management import call_command

    from healthpress.health.models import Readability

    first, second = make_article("Why do calves cramp?"), make_article("Why do feet cramp?")
    Readability.objects.all().delete()  # as after an upgrade: published before the app existed
    out = StringIO()
    call_command("measure_reading_levels", stdout=out)
    assert "of 2 live articles" in out.getvalue()
    assert set(Readability.objects.values_list("article_id", flat=True)) == {first.pk, second.pk}
