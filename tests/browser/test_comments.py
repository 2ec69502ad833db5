"""Comments in Chromium: the reader's round trip through moderation, keyboard use, axe-core, and
a hostile-input suite rendered for real."""

import time
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pytest

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

MODERATOR_PASSWORD = "moderate-me-please-123"


@pytest.fixture
def moderator(site, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "moderator", "moderator@health.example", MODERATOR_PASSWORD
    )
    # A moderator who may not see who wrote (docs/comments.md): moderation without the details.
    group = Group.objects.create(name="Moderators without details")
    carried = Group.objects.get(name="Comment moderators").permissions
    group.permissions.set(carried.exclude(codename="view_commenter_details"))
    user.groups.add(group)
    return user


@pytest.fixture
def quick_forms(settings):
    """A browser fills the form faster than a person; rate limits off for the many posts."""
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    settings.COMMENTS_RATE_LIMITS = []


def log_in(page, base, username="moderator"):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(MODERATOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/admin/")


def approve_in_admin(page, base, text, assert_accessible=None):
    """Wagtail's bulk action: tick the row, Approve in the footer, confirm."""
    page.goto(base + "/admin/comments/")
    row = page.locator("tr", has_text=text)
    row.get_by_role("checkbox").check()
    if assert_accessible:
        assert_accessible(page)  # the listing, with the bulk-actions footer showing
    page.get_by_role("link", name="Approve the selected comments").click()
    page.get_by_role("button", name="Yes, approve").click()
    page.wait_for_url(base + "/admin/comments/")
    assert page.get_by_text("1 comment approved.").is_visible()


def test_reader_comments_moderator_approves_reply_follows(
    site, chromium, moderator, quick_forms, assert_accessible
):
    reader = chromium.new_context().new_page()
    reader.goto(site["article"])

    # Keyboard only: focus the name field, Tab through the form, Enter on the button.
    reader.locator("#comment-name").focus()
    reader.keyboard.type("Ana Reader")
    reader.keyboard.press("Tab")
    reader.keyboard.type("ana@example.org")
    reader.keyboard.press("Tab")
    reader.keyboard.type("Magnesium at night helped me.\n\nStretching too.")
    reader.keyboard.press("Tab")
    reader.keyboard.press("Space")  # notify me
    reader.keyboard.press("Tab")
    assert reader.evaluate("document.activeElement.textContent") == "Post comment"
    reader.keyboard.press("Enter")
    reader.wait_for_url("**?comment=received#comments")
    comments = reader.locator("#comments")
    assert comments.get_by_text("Thank you — your comment is awaiting moderation.").is_visible()
    assert comments.get_by_role("heading", name="Comments (0)").is_visible()
    assert reader.get_by_text("Magnesium at night helped me.").count() == 0

    moderator_page = chromium.new_context().new_page()
    log_in(moderator_page, site["base"])
    approve_in_admin(
        moderator_page, site["base"], "Magnesium at night helped me.", assert_accessible
    )

    reader.goto(site["article"])
    assert comments.get_by_role("heading", name="Comments (1)").is_visible()
    first = comments.locator("li.comment", has_text="Magnesium at night helped me.")
    assert first.locator(".comment__body p").all_inner_texts() == [
        "Magnesium at night helped me.",
        "Stretching too.",
    ]
    assert first.locator("time").get_attribute("datetime")
    assert_accessible(reader)

    # A reply, without JavaScript-specific help: the Reply link fills the form's target.
    first.get_by_role("link", name="Reply to Ana Reader").click()
    # is_visible() does not wait: on a busy machine the page had not finished loading.
    reader.get_by_text("Replying to Ana Reader.").wait_for(state="visible")
    reader.get_by_label("Name", exact=True).fill("Ben")
    reader.get_by_label("Comment", exact=True).fill("Same here, thanks!")
    reader.get_by_role("button", name="Post comment").click()
    reader.wait_for_url("**?comment=received#comments")
    approve_in_admin(moderator_page, site["base"], "Same here, thanks!")
    reader.goto(site["article"])
    assert comments.get_by_role("heading", name="Comments (2)").is_visible()
    reply = first.locator(".comment-list--replies li.comment--reply")
    assert reply.locator(".comment__body").inner_text().strip() == "Same here, thanks!"
    assert_accessible(reader)


def test_moderator_opens_the_emailed_link_signs_in_and_approves(
    site, chromium, moderator, settings
):
    """The digest links to the comment's admin page: a sign-in first, then straight back to that
    comment, whose Approve button is the decision. A moderator without
    `comments.view_commenter_details` sees the name and the text, not the address."""
    import re

    from healthpress.articles.models import ArticlePage
    from healthpress.comments import emails
    from healthpress.comments.models import Comment, Status

    settings.WAGTAILADMIN_BASE_URL = site["base"]
    comment = Comment.objects.create(
        article=ArticlePage.objects.live().first(),
        name="Ana Reader",
        email="ana@example.org",
        body="Emailed for moderation.",
    )
    digest = emails.moderator_digest(moderator, [comment]).body
    link = re.search(r"Approve or reject: (\S+)", digest)[1]
    assert link == f"{site['base']}/admin/comments/{comment.pk}/"

    page = chromium.new_context().new_page()
    page.goto(link)
    assert urlsplit(page.url).path == "/admin/login/"
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(MODERATOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(link)
    assert page.get_by_text("Emailed for moderation.").is_visible()
    assert page.get_by_text("ana@example.org").count() == 0
    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_url(site["base"] + "/admin/comments/")
    assert page.get_by_text("Comment by Ana Reader approved.").is_visible()
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_admin_listings_pass_axe(site, browser_page, django_user_model, assert_accessible):
    """Wagtail's listings as a superuser sees them: comments with the commenter's details, a bulk
    action's confirmation, and the newsletter editions."""
    from django.utils import timezone

    from healthpress.articles.models import ArticlePage
    from healthpress.comments.models import Comment
    from healthpress.newsletter.models import Edition

    django_user_model.objects.create_superuser("root", "root@health.example", MODERATOR_PASSWORD)
    Comment.objects.create(
        article=ArticlePage.objects.live().first(),
        name="Ana Reader",
        email="ana@example.org",
        ip_network="203.0.113.0",
        body="Checked by axe.",
    )
    Edition.objects.create(cutoff=timezone.now(), finished_at=timezone.now(), open_slot=None)
    page = browser_page
    log_in(page, site["base"], "root")
    page.goto(site["base"] + "/admin/comments/")
    assert page.get_by_text("<ana@example.org>").is_visible()
    page.locator("tr", has_text="Checked by axe.").get_by_role("checkbox").check()
    page.get_by_role("link", name="Mark the selected comments as spam").click()
    page.wait_for_url("**/admin/bulk/comments/comment/spam/**")
    assert page.get_by_role("button", name="Yes, mark as spam").is_visible()
    assert_accessible(page)
    page.goto(site["base"] + "/admin/newsletter_editions/")
    assert page.get_by_role("columnheader", name="Sent").is_visible()
    assert_accessible(page)


def test_form_error_keeps_the_text_and_passes_axe(
    site, browser_page, quick_forms, assert_accessible
):
    page = browser_page
    page.goto(site["article"])
    page.get_by_label("Name", exact=True).fill("Ana")
    page.get_by_label("Email", exact=True).fill("ana@example")  # valid for the browser only
    page.get_by_label("Comment", exact=True).fill("<b></b>x")  # too short once tags go
    with page.expect_response("**/comments/post/") as response:
        page.get_by_role("button", name="Post comment").click()
    assert response.value.status == 400
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Comment", exact=True).input_value() == "<b></b>x"
    assert page.get_by_label("Name", exact=True).input_value() == "Ana"
    assert page.get_by_text("Write a comment of at least 2 characters").first.is_visible()
    assert_accessible(page)


# At least 60 hostile inputs, by family. Each would run `alert` or load a foreign resource if
# any markup survived; the test watches for dialogs, scripts, foreign requests and elements.
XSS_VECTORS = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<script type="text/javascript">alert(1);</script>',
    "<<SCRIPT>alert(1);//<</SCRIPT>",
    "<script/xss src=http://xss.example/x.js></script>",
    "</script><script>alert(1)</script>",
    "<script\x00>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>x</textarea>",
    "<iframe onload=alert(1)></iframe>",
    "<img src=x:alert(alt) onerror=eval(src) alt=1>",
    "<img/src=x/onerror=alert(1)>",
    # javascript: URLs
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href=" &#14;  javascript:alert(1)">click</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "javascript:alert(1)",
    # SVG and MathML
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    # malformed and nested
    '<img """><script>alert(1)</script>">',
    "<<img src=x onerror=alert(1)//<",
    "<img src=x onerror=alert(1)",
    "<b <script>alert(1)</script>>",
    "<div><div><div><img src=x onerror=alert(1)></div></div>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style><img src=x onerror=alert(1)></style>",
    "<title><img src=x onerror=alert(1)></title>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<textarea></textarea><img src=x onerror=alert(1)>",
    # entity-encoded
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    # mixed case and null bytes
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<iMg sRc=x oNeRrOr=alert(1)>",
    "<img\x00 src=x onerror=alert(1)>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "\x00<script>alert(1)</script>",
    # comment and CDATA tricks
    "<!--<img src=x onerror=alert(1)>-->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<?xml version='1.0'?><script>alert(1)</script>",
    "<!DOCTYPE html><script>alert(1)</script>",
    # style and others
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "<link rel=stylesheet href=http://xss.example/x.css>",
    "<template><img src=x onerror=alert(1)></template>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "\u202e<script>alert(1)</script>",
]


def post_form(base, article_id, name, comment):
    from healthpress.core.fill_token import fill_token

    data = urlencode(
        {
            "page": article_id,
            "name": name,
            "comment": comment,
            "started": fill_token(article_id, time.time() - 60),
        }
    ).encode()
    request = Request(
        base + "/comments/post/", data=data, headers={"Sec-Fetch-Site": "same-origin"}
    )
    request.get_method = lambda: "POST"
    try:
        with urlopen(request, timeout=30) as response:  # follows the 302 to the landing
            return response.status
    except Exception as exc:  # HTTPError for 4xx: the text was refused as too short
        return getattr(exc, "code", exc)


def test_hostile_inputs_render_as_harmless_text(site, chromium, quick_forms):
    from healthpress.articles.models import ArticlePage
    from healthpress.comments.models import Comment

    assert len(XSS_VECTORS) >= 60
    article = ArticlePage.objects.live().get(url_path__endswith=urlsplit(site["article"]).path)
    for n, vector in enumerate(XSS_VECTORS):
        status = post_form(site["base"], article.pk, f"V{n} {vector}"[:80], f"Vector {n}: {vector}")
        assert status == 200, (n, vector, status)
    stored = list(Comment.objects.filter(article=article))
    assert len(stored) == len(XSS_VECTORS)  # nothing lost
    for comment in stored:
        assert comment.status == "pending"
        comment.approve()
    time.sleep(0.2)

    context = chromium.new_context()
    page = context.new_page()
    dialogs, foreign = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base_host = urlsplit(site["base"]).hostname
    page.on(
        "request",
        lambda req: (
            foreign.append(req.url) if urlsplit(req.url).hostname not in {base_host, None} else None
        ),
    )
    seen = 0
    for suffix in ("", "?cpage=2"):
        page.goto(site["article"] + suffix)
        page.wait_for_timeout(300)
        seen += page.locator(".comment__body").count()
        # Inside a comment only the template's own elements: p and br in the body, the meta line.
        strange = page.evaluate(
            """() => [...document.querySelectorAll('#comments .comment')].flatMap(c =>
                 [...c.querySelectorAll('.comment__body *')]
                   .filter(e => !['P', 'BR'].includes(e.tagName)).map(e => e.outerHTML)
                 .concat([...c.querySelectorAll('.comment__meta *')]
                   .filter(e => !['SPAN', 'TIME'].includes(e.tagName)).map(e => e.outerHTML)))"""
        )
        assert strange == []
        scripts = page.evaluate(
            "document.querySelectorAll('#comments script, #comments svg, "
            "#comments math, #comments img, #comments iframe').length"
        )
        assert scripts == 0
    assert seen == len(XSS_VECTORS)
    assert dialogs == []
    assert foreign == []
    context.close()
