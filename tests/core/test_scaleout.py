"""Scale-out: two app processes share PostgreSQL and Redis. A comment approved through one of them
is on the page the other serves at its very next request: the purge crosses processes."""

import http.cookiejar
import os
import re
import subprocess
import urllib.parse
import urllib.request

import pytest

from healthpress.launch.dbcheck import reachable
from healthpress.launch.serve import server_command
from tests.core.live_site import MANAGE, ROOT, demo_site, drop_site, free_port, stop, wait_until_up

PG = "postgres://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/12"  # the page cache takes database 13
ARTICLE = (
    "/muscles-bones-and-joints/is-cramping-caused-by-excessive-calcium-or-insufficient-calcium/"
)
pytestmark = [
    pytest.mark.own_stack,
    pytest.mark.skipif(
        not (reachable(PG) and reachable(REDIS)), reason="needs PostgreSQL and Redis on 127.0.0.1"
    ),
]

MODERATOR_PASSWORD = "scale-out-moderator-pw"
MAKE_PENDING_COMMENT = f"""
from django.contrib.auth import get_user_model
from healthpress.articles.models import ArticlePage
from healthpress.comments.models import Comment
get_user_model().objects.create_superuser("mod", "mod@example.org", "{MODERATOR_PASSWORD}")
article = ArticlePage.objects.get(slug__startswith="is-cramping")
comment = Comment.objects.create(article=article, name="Scale Tester", body="Across processes.")
print(f"/admin/comments/{{comment.pk}}/")
"""
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Built once for the module (a demo site takes a minute): the tests change different things
    (a comment; the topic list and the Site) and each looks only at its own."""
    import redis

    tmp_path = tmp_path_factory.mktemp("scaleout")

    for db in (12, 13):
        redis.Redis.from_url(f"redis://127.0.0.1:6379/{db}").flushdb()
    name = f"hp_scaleout_{os.getpid()}"
    # The moderator signs in with a password only: two-step sign-in has tests of its own.
    env = demo_site(name, tmp_path, REDIS_URL=REDIS, ADMIN_TWO_FACTOR="false")
    made = subprocess.run(
        [*MANAGE, "shell", "-c", MAKE_PENDING_COMMENT],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    comment_page = made.stdout.strip().splitlines()[-1]
    servers, bases = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                server_command("granian", "127.0.0.1", port, 1),
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    for base in bases:
        wait_until_up(base)
    yield bases, comment_page, env
    for server in servers:
        stop(server)
    drop_site(name)


def headers_of(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers, response.read().decode()


def test_comment_approved_through_one_process_shows_on_the_other(two_servers):
    (a, b), comment_page, _ = two_servers
    headers_of(b + ARTICLE)
    headers, html = headers_of(b + ARTICLE)
    assert headers["X-Page-Cache"] == "hit"
    assert "Comments (0)" in html and "Across processes." not in html

    # The moderator's email link opened on process A: the sign-in, then the comment's page and
    # its Approve button (Django CSRF as in a browser).
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = opener.open(a + comment_page, timeout=10)
    assert urllib.parse.urlsplit(login.url).path == "/admin/login/"
    fields = {"username": "mod", "password": MODERATOR_PASSWORD, "next": comment_page}
    fields["csrfmiddlewaretoken"] = CSRF.search(login.read().decode()).group(1)
    signed_in = opener.open(login.url, data=urllib.parse.urlencode(fields).encode(), timeout=10)
    assert urllib.parse.urlsplit(signed_in.url).path == comment_page
    fields = {"action": "approve"}
    fields["csrfmiddlewaretoken"] = CSRF.search(signed_in.read().decode()).group(1)
    done = opener.open(a + comment_page, data=urllib.parse.urlencode(fields).encode(), timeout=10)
    assert urllib.parse.urlsplit(done.url).path == "/admin/comments/"

    headers, html = headers_of(b + ARTICLE)
    assert "Comments (1)" in html
    assert "Across processes." in html


SITE_WIDE_EDITS = """
from wagtail.models import Site
from healthpress.core.models import TopicPage
topic = TopicPage.objects.get(slug="muscles-bones-and-joints")
topic.title = "Muscles and joints, renamed"
topic.save_revision().publish()
site = Site.objects.get(is_default_site=True)
site.port = 8443
site.save()
"""


def test_site_wide_edits_from_another_process_reach_both_servers(two_servers):
    """The topic list and the Site are kept in each process until a purge (pagecache/memo.py): an
    edit made by a third process (here `manage.py shell`) moves every process's purge clock."""
    bases, _, env = two_servers
    for base in bases:
        html = headers_of(base + ARTICLE)[1]
        assert "Muscles and joints, renamed" not in html
        assert 'rel="canonical" href="http://localhost/' in html
    subprocess.run([*MANAGE, "shell", "-c", SITE_WIDE_EDITS], env=env, cwd=ROOT, check=True)
    for base in bases:
        html = headers_of(base + ARTICLE)[1]
        nav = re.search(r'<nav class="topic-nav".*?</nav>', html, re.S).group(0)
        assert "Muscles and joints, renamed" in nav
        assert 'rel="canonical" href="http://localhost:8443/' in html
