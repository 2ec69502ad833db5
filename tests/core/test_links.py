"""Links are written by Wagtail and Django ({% pageurl %}, {% url %}, reverse()), never typed as
paths: a site mounted elsewhere, or an admin moved off /admin/, keeps every link working. And a
listing's link to its first page is the bare address, which the canonical-URL rule answers with
200, where `?page=1` gets a 301 (core/canonical_params.py)."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

import healthpress
from healthpress.articles.content import save_article
from healthpress.core.site import get_or_create_topic
from healthpress.people.models import Person
from tests.conftest import make_article_content

PACKAGE = Path(healthpress.__file__).parent
# Settings name path prefixes before any URLconf is loaded (the page cache's exclusions, the
# admin's CSP): reverse() cannot run there.
NOT_CHECKED = {PACKAGE / "settings"}


def templates():
    return sorted(
        path
        for path in PACKAGE.rglob("*")
        if path.is_file() and "templates" in path.relative_to(PACKAGE).parts
    )


def python_modules():
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not NOT_CHECKED & set(path.parents) and "migrations" not in path.parts
    )


def test_no_template_links_home_by_a_typed_path():
    typed = [
        str(path.relative_to(PACKAGE))
        for path in templates()
        if re.search(r"""href=["']/["']""", path.read_text())
    ]
    assert typed == [], "use {% home_url %} (core) or {% pageurl %}"


def test_no_template_or_module_types_an_admin_path():
    # A path beginning with the admin's, not a template name such as "core/admin/panel.html".
    typed = [
        str(p.relative_to(PACKAGE))
        for p in templates()
        if re.search(r"(?<![\w.-])/admin/", p.read_text())
    ]
    for path in python_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            # A path or an address beginning with the admin's (an f-string's parts are checked
            # one by one); prose that mentions it in a docstring is not a link.
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.match(r"(?:https?://[^/\s]*)?/admin/", node.value)
            ):
                typed.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert typed == [], "reverse() Wagtail's admin URL names ({% url %} in templates)"


def test_home_url_is_the_address_wagtail_writes_for_the_home_page(home):
    request = RequestFactory().get("/")
    rendered = Template("{% load healthpress_tags %}{% home_url %}").render(Context({}))
    assert rendered == home.get_url(request)


@pytest.mark.django_db
def test_the_home_link_follows_where_wagtail_is_mounted(home, settings):
    """Mounted under /site/ (a second URLconf with Wagtail's serve URLs there), the home link
    goes there: the tag asks Django, not a typed "/"."""
    settings.ROOT_URLCONF = "tests.core.mounted_urls"
    rendered = Template("{% load healthpress_tags %}{% home_url %}").render(Context({}))
    assert rendered == "/site/"


def test_robots_txt_keeps_crawlers_out_of_the_admin_where_it_is(client, home):
    body = client.get("/robots.txt").content.decode()
    assert f"Disallow: {reverse('wagtailadmin_home')}\n" in body


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.rel = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("rel"):
            self.rel[attrs["rel"]] = attrs["href"]


@pytest.fixture(scope="module")
def listings(module_transaction):
    with module_transaction():
        topic = get_or_create_topic("Linked questions")[0]
        author = Person.objects.create(name="Lin Linker", credentials="MD")
        for n in range(5):
            save_article(
                make_article_content(f"Linked question {n}?"),
                topic=topic,
                author=author,
                publish=True,
            )
        return {"topic": topic.url, "author": author.get_absolute_url()}


@pytest.mark.django_db
@pytest.mark.parametrize("listing", ["topic", "author"])
def test_the_link_back_to_page_one_is_the_bare_address(client, settings, listings, listing):
    settings.ARTICLES_PER_PAGE = 2
    url = listings[listing]
    second = Links(client.get(f"{url}?page=2").content.decode()).rel
    assert second["prev"] == url
    assert client.get(second["prev"]).status_code == 200
    third = Links(client.get(f"{url}?page=3").content.decode()).rel
    assert third["prev"] == "?page=2"
