"""What the article page shows readers about who wrote it, who checked it and on what evidence."""

import datetime
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from healthpress.articles.content import save_article
from healthpress.articles.models import ReviewSettings
from healthpress.articles.review import add_months, set_review
from healthpress.core.site import get_or_create_topic
from healthpress.people.models import Person
from tests.conftest import make_article_content, section
from tests.sitemap_files import all_files_xml

from .helpers import reference

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.ids = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reviewer_person(db):
    return Person.objects.create(name="Kofi Mensah", credentials="MBBS", job_title="GP")


def reviewed(page, person, on):
    set_review(page, person, on)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def cited_article(make_article):
    return make_article(
        "Do cramps come from low calcium?",
        sections=0,
        more_blocks=[
            section(
                "Calcium", "Low calcium can cause cramps [1] and tingling [2].", "Eat well [1]."
            ),
            section("Fatigue", "Tired muscles cramp [3]; see also [9] and [0].", None),
            {
                "type": "section",
                "value": {
                    "heading": "Links",
                    "explanation": '<p>A <a href="https://example.org/x">link [2]</a> stays.</p>',
                    "advice": "",
                },
            },
        ],
        references=[
            reference("Hypocalcaemia in adults", authors="Smith J"),
            reference("Cramps and nerves?", url="javascript:alert(1)", year=None, publisher=""),
            reference("Muscle fatigue", url="", accessed=None),
        ],
    )


class TestReferences:
    def test_references_are_a_numbered_list_with_every_detail(self, client, cited_article):
        html = html_of(client, cited_article)
        refs = html[html.index('<section class="references"') :]
        assert '<h2 id="references-title">References</h2>' in refs
        assert '<ol class="references__list">' in refs
        assert (
            '<li id="ref-1">Smith J. <a class="references__link" href="https://example.org/source">'
            "Hypocalcaemia in adults.</a> Journal of Everyday Medicine, 2024. "
            'Accessed <time datetime="2026-10-01">1 October 2026</time>.' in refs
        )
        # A javascript: address is never a link; a title ending in "?" gets no extra stop.
        assert "javascript:" not in html
        assert "<cite>Cramps and nerves?</cite>" in refs
        # No URL, no accessed date: the rest still reads as a reference.
        assert '<li id="ref-3">Okafor D, Reyes T. <cite>Muscle fatigue.</cite>' in refs

    def test_markers_link_to_references_and_references_link_back(self, client, cited_article):
        html = html_of(client, cited_article)
        assert (
            '<sup class="cite"><a href="#ref-1" id="cite-1" aria-label="Reference 1">[1]</a></sup>'
            in html
        )
        # The second citation of [1] links too, without repeating the id.
        assert html.count('href="#ref-1"') == 2
        assert html.count('id="cite-1"') == 1
        assert '<a class="references__back" href="#cite-1"' in html
        assert '<a class="references__back" href="#cite-3"' in html
        ids = Ids(html).ids
        assert len(ids) == len(set(ids)), "duplicate ids"

    def test_markers_without_a_reference_or_inside_links_stay_text(self, client, cited_article):
        html = html_of(client, cited_article)
        assert "see also [9] and [0]." in html
        assert 'href="#ref-9"' not in html and 'href="#ref-0"' not in html
        assert ">link [2]</a>" in html
        # [2] is cited only inside a link, so it has no back link to a marker that does not exist.
        assert "[2]" in html and 'href="#cite-2"' in html

    def test_no_references_section_without_references(self, client, make_article):
        html = html_of(client, make_article())
        assert 'class="references"' not in html
        assert 'href="#references"' not in html


def test_cited_numbers_follow_what_readers_can_click(cited_article):
    # [2] appears in plain text too ("tingling [2]"), so it is cited; 9 and 0 are not references.
    assert cited_article.cited_references() == {1, 2, 3}


class TestReviewLines:
    def test_written_and_reviewed_lines(self, client, make_article, reviewer_person):
        page = reviewed(make_article(), reviewer_person, datetime.date(2026, 10, 14))
        html = html_of(client, page)
        assert (
            'Written by <a href="/authors/dana-okafor/">Dana Okafor, MD</a>, Senior Expert' in html
        )
        assert (
            'Medically reviewed by <a href="/authors/kofi-mensah/">Kofi Mensah, MBBS</a>, GP on '
            '<time datetime="2026-10-14">14 October 2026</time>' in html
        )
        assert 'Last reviewed <time datetime="2026-10-14">14 October 2026</time>' in html
        assert 'Next review due <time datetime="2028-10-14">14 October 2028</time>' in html
        assert "Due for review" not in html

    def test_unreviewed_article_claims_no_review(self, client, make_article):
        html = html_of(client, make_article())
        assert "Medically reviewed" not in html
        assert "Last reviewed" not in html
        assert "Next review due" not in html

    def test_overdue_article_says_so_and_never_promises_a_past_date(
        self, client, make_article, reviewer_person
    ):
        long_ago = timezone.localdate() - datetime.timedelta(days=800)
        page = reviewed(make_article(), reviewer_person, long_ago)
        html = html_of(client, page)
        assert "Next review due" not in html
        due = add_months(long_ago, 24).isoformat()
        assert f'Review was due <time datetime="{due}">' in html
        assert '<div class="review-notice" role="note">' in html
        assert "Due for review." in html

    def test_overdue_notice_can_be_switched_off(self, client, make_article, reviewer_person, home):
        site_settings = ReviewSettings.for_site(home.get_site())
        site_settings.show_overdue_notice = False
        site_settings.save()
        long_ago = timezone.localdate() - datetime.timedelta(days=800)
        html = html_of(client, reviewed(make_article(), reviewer_person, long_ago))
        assert "review-notice" not in html
        assert "Review was due" in html  # the dates themselves stay true


class TestDisclaimerAndPolicy:
    def test_default_disclaimer_on_every_article(self, client, make_article):
        html = html_of(client, make_article())
        assert '<aside class="article-disclaimer" aria-label="Medical disclaimer">' in html
        assert "not a substitute for professional medical advice" in html

    def test_disclaimer_text_comes_from_the_setting_and_is_escaped(
        self, client, make_article, home
    ):
        site_settings = ReviewSettings.for_site(home.get_site())
        site_settings.disclaimer = "Our <b>own</b> words."
        site_settings.save()
        html = html_of(client, make_article())
        assert "Our &lt;b&gt;own&lt;/b&gt; words." in html

    def test_editorial_policy_is_linked_from_footer_and_review_line(
        self, client, make_article, reviewer_person, home, committed
    ):
        from healthpress.core.models import EditorialPolicyPage

        policy = home.add_child(
            instance=EditorialPolicyPage(title="Editorial policy", body="<p>How we work.</p>")
        )
        policy.save_revision().publish()
        site_settings = ReviewSettings.for_site(home.get_site())
        site_settings.editorial_policy_page = policy
        site_settings.save()
        page = reviewed(make_article(), reviewer_person, timezone.localdate())
        html = html_of(client, page)
        assert f'<li><a href="{policy.url}">Editorial policy</a></li>' in html
        byline = html[html.index('class="byline__review"') :]
        assert f'<a href="{policy.url}">How we write and review</a>' in byline
        assert client.get(policy.url).status_code == 200
        # Unpublished, the policy is no longer linked.
        with committed():
            policy.unpublish()
        assert "Editorial policy</a>" not in html_of(client, page)


class TestTableOfContents:
    def test_shown_from_three_sections(self, client, make_article):
        assert 'class="toc"' in html_of(client, make_article("Three?", sections=3))

    def test_not_shown_for_two_sections(self, client, make_article):
        assert 'class="toc"' not in html_of(client, make_article("Two?", sections=2))

    def test_lists_the_references(self, client, cited_article):
        html = html_of(client, cited_article)
        toc = html[html.index('class="toc"') : html.index("</nav>", html.index('class="toc"'))]
        assert '<a href="#references">References</a>' in toc


class TestCareCards:
    def test_each_level_is_announced_and_shown_in_words(self, client, make_article):
        page = make_article(
            more_blocks=[
                {"type": "see_doctor", "value": {"heading": "See a GP if", "text": "<p>A</p>"}},
                {"type": "urgent", "value": {"heading": "Get help today if", "text": "<p>B</p>"}},
                {
                    "type": "urgent",
                    "value": {"heading": "Call now if", "text": "<p>C</p>", "level": "immediate"},
                },
            ]
        )
        html = html_of(client, page)
        for kind, label, heading in [
            ("doctor", "Non-urgent advice", "See a GP if"),
            ("urgent", "Urgent advice", "Get help today if"),
            ("immediate", "Immediate action required", "Call now if"),
        ]:
            card = html[html.index(f"callout--{kind}") :]
            assert f'<p class="callout__badge" aria-hidden="true">{label}</p>' in card
            assert f'<span class="visually-hidden">{label}: </span>{heading}</h2>' in card


class TestRelatedArticles:
    def test_same_topic_first_then_shared_tags_at_most_four_never_itself(
        self, client, make_article, author
    ):
        page = make_article("Main question?", tags=["sleep", "muscles"])
        same = [make_article(f"Same topic {n}?") for n in range(2)]
        other_topic = get_or_create_topic("Sleep")[0]
        two_tags = save_article(
            make_article_content("Shares two tags?", tags=["sleep", "muscles"]),
            topic=other_topic,
            author=author,
            publish=True,
        )[0]
        one_tag = save_article(
            make_article_content("Shares one tag?", tags=["sleep"]),
            topic=other_topic,
            author=author,
            publish=True,
        )[0]
        save_article(
            make_article_content("Shares one tag too?", tags=["muscles"]),
            topic=other_topic,
            author=author,
            publish=True,
        )
        save_article(
            make_article_content("No shared tag?", tags=["digestion"]),
            topic=other_topic,
            author=author,
            publish=True,
        )
        related = page.related_articles()
        assert len(related) == 4
        assert page not in related
        assert set(related[:2]) == set(same)
        assert related[2] == two_tags
        assert related[3].title.startswith("Shares one tag")
        html = html_of(client, page)
        block = html[html.index('class="related"') :]
        assert "Related questions" in block
        assert two_tags.title in block and "No shared tag?" not in block
        assert one_tag.pk != page.pk

    def test_in_a_topic_full_of_tag_sharers_more_shared_tags_then_newest(self, make_article):
        """The usual case on a big site (articles/related.py): enough articles of the topic share
        a tag, so only they are listed, ranked by shared tags, then newest."""
        page = make_article("Main question?", tags=["sleep", "muscles"])
        one_tag = [make_article(f"One tag {n}?", tags=["muscles"]) for n in range(2)]
        two_tags = make_article("Two tags?", tags=["sleep", "muscles"])
        one_tag += [make_article(f"One tag {n}?", tags=["sleep"]) for n in range(2, 4)]
        make_article("No tag, newest?")
        assert page.related_articles() == [two_tags, one_tag[3], one_tag[2], one_tag[1]]

    def test_drafts_and_private_articles_are_never_related(self, client, make_article, topic):
        page = make_article("Main question?")
        make_article("A draft?", publish=False)
        private = make_article("A private one?")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        assert page.related_articles() == []
        assert 'class="related"' not in html_of(client, page)

    def test_a_restricted_topic_hides_its_articles_and_the_cost_stays_five_queries(
        self, make_article, author, django_assert_num_queries
    ):
        """Wagtail's public() covers a restriction on a whole topic too; the count does not grow
        with the restrictions: the private areas are read (after each purge, which adding one
        makes: core/pages.py), the article's tags counted, one SELECT finds the topic's articles
        sharing one (none here), one the topic's newest others (too few to fill the list), and
        one ranks and loads the cards with other topics' sharers."""
        page = make_article("Main question?", tags=["sleep"])
        private_topic = get_or_create_topic("Members only")[0]
        hidden = save_article(
            make_article_content("Behind a login?", tags=["sleep"]),
            topic=private_topic,
            author=author,
            publish=True,
        )[0]
        shown = [make_article(f"Same topic {n}?") for n in range(3)]
        with django_assert_num_queries(5):
            assert set(page.related_articles()) == {*shown, hidden}
        PageViewRestriction.objects.create(page=private_topic, restriction_type="login")
        PageViewRestriction.objects.create(page=shown[0], restriction_type="login")
        with django_assert_num_queries(5):
            assert set(page.related_articles()) == set(shown[1:])


class TestDiscovery:
    def test_social_tags_canonical_and_feed_links(self, client, make_article, topic):
        page = make_article(short_answer="Mostly <tired> muscles.")
        html = html_of(client, page)
        assert f'<link rel="canonical" href="{page.full_url}">' in html
        assert '<meta name="description" content="Mostly &lt;tired&gt; muscles.">' in html
        assert '<meta property="og:type" content="article">' in html
        assert f'<meta property="og:title" content="{page.title}">' in html
        assert f'<meta property="og:url" content="{page.full_url}">' in html
        assert '<meta property="og:description" content="Mostly &lt;tired&gt; muscles.">' in html
        assert '<meta property="og:site_name" content="HealthPress">' in html
        assert '<meta name="twitter:card" content="summary">' in html
        assert '<meta name="twitter:description" content="Mostly &lt;tired&gt; muscles.">' in html
        assert 'rel="alternate" type="application/rss+xml"' in html
        assert 'href="/feeds/rss/"' in html and 'href="/feeds/atom/"' in html
        assert f'href="/feeds/topics/{topic.slug}/rss/"' in html
        assert f'href="/feeds/topics/{topic.slug}/atom/"' in html

    def test_topic_page_links_its_own_feeds(self, client, topic, make_article):
        make_article()
        html = client.get(topic.url).content.decode()
        assert f'href="/feeds/topics/{topic.slug}/atom/"' in html
        assert '<meta property="og:type" content="website">' in html

    def test_sitemap_gives_lastmod_for_articles_and_authors(
        self, client, make_article, reviewer_person
    ):
        page = reviewed(make_article(), reviewer_person, timezone.localdate())
        xml = all_files_xml(client)
        entry = xml[xml.index(page.full_url) :]
        assert "<lastmod>" in entry[: entry.index("</url>")]
        author_entry = xml[xml.index("/authors/dana-okafor/") :]
        lastmod = page.last_published_at.date().isoformat()
        assert f"<lastmod>{lastmod}</lastmod>" in author_entry[: author_entry.index("</url>")]


class TestPagination:
    @pytest.fixture(autouse=True)
    def small_pages(self, settings):
        settings.ARTICLES_PER_PAGE = 2

    def test_topic_listing_is_paginated(self, client, topic, make_article):
        for n in range(5):
            make_article(f"Question {n}?")
        first = client.get(topic.url).content.decode()
        assert first.count('class="card"') == 2
        assert "Page 1 of 3" in first
        assert 'href="?page=2" rel="next"' in first
        last = client.get(topic.url + "?page=3").content.decode()
        assert last.count('class="card"') == 1
        assert 'href="?page=2" rel="prev"' in last
        assert f'<link rel="canonical" href="{topic.full_url}?page=3">' in last

    @pytest.mark.parametrize("bad", ["0", "-1", "999", "abc", "1%00", "2.5", "9" * 40])
    def test_bad_page_numbers_are_not_found(self, client, topic, make_article, author, bad):
        # A 404, never a page the page cache would keep (tests/core/test_topic_pagination.py).
        for n in range(3):
            make_article(f"Question {n}?")
        for url in (topic.url, author.get_absolute_url()):
            response = client.get(url, {"page": bad})
            assert response.status_code == 404, (url, bad)

    def test_author_listing_is_paginated(self, client, author, make_article):
        for n in range(3):
            make_article(f"Question {n}?")
        html = client.get(author.get_absolute_url() + "?page=2").content.decode()
        assert html.count('class="card"') == 1
        assert "Page 2 of 2" in html
