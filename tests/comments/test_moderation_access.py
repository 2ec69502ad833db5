"""Who may decide a comment and who sees who wrote it (issue 15): decisions only in the admin,
signed in, as a moderator, with Django's CSRF token; links mailed before that decide nothing; a
commenter's email address, network and browser only for those with the
`comments.view_commenter_details` permission (the "Comment moderators" group, superusers)."""

import re
from html.parser import HTMLParser
from importlib import import_module
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import signing

from healthpress.comments import links
from healthpress.comments import moderators as moderators_module
from healthpress.comments.models import Comment, Status
from tests.comments.conftest import changes
from tests.conftest import BrowserLikeClient

pytestmark = pytest.mark.django_db

EMAIL = "secret-reader@example.org"
NETWORK = "203.0.113.0"
BROWSER = "SecretBrowser/7.1"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def comment(article):
    return Comment.objects.create(
        article=article,
        name="Ana Reader",
        email=EMAIL,
        body="Magnesium helped me.",
        ip_network=NETWORK,
        user_agent=BROWSER,
    )


@pytest.fixture
def comment_moderator(django_user_model):
    """A moderator who may also see who wrote: the "Comment moderators" group."""
    user = django_user_model.objects.create_user("cmod", "cmod@health.example", "pw-for-tests")
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user


def old_moderation_link(comment, action, moderator):
    """A link as the digest mailed them before issue 15 (links.moderation_url, now removed)."""
    payload = {"c": comment.pk, "a": action, "m": moderator.pk}
    return f"/comments/moderate/{signing.dumps(payload, salt=links.MODERATION_SALT)}/"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Links ------------------------------------------------------------------------------------------


def test_old_moderation_links_never_act_and_send_to_the_admin_page(comment, moderator, committed):
    approve = old_moderation_link(comment, "approve", moderator)
    reject = old_moderation_link(comment, "reject", moderator)
    admin_page = f"/admin/comments/{comment.pk}/"
    anonymous = BrowserLikeClient(enforce_csrf_checks=True)
    signed_in = BrowserLikeClient(enforce_csrf_checks=True)
    signed_in.force_login(moderator)
    with committed():
        for browser in (anonymous, signed_in):
            for url in (approve, reject):
                for response in (browser.get(url), browser.post(url), browser.post(url, {})):
                    assert (response.status_code, response["Location"]) == (302, admin_page)
    comment.refresh_from_db()
    assert comment.status == Status.PENDING and not changes()
    # The admin page then asks a stranger to sign in.
    login = anonymous.get(admin_page)
    assert login.status_code == 302 and login["Location"].startswith("/admin/login/")


def test_old_moderation_links_expire_and_forged_ones_are_not_found(
    comment, moderator, client, monkeypatch
):
    import time

    url = old_moderation_link(comment, "approve", moderator)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 8 * 86400)
    expired = client.get(url)
    assert expired.status_code == 410 and "This link has expired" in expired.content.decode()
    assert client.get("/comments/moderate/forged-token/").status_code == 404
    confirm_salted = signing.dumps({"c": comment.pk, "a": "approve"}, salt=links.CONFIRM_SALT)
    assert client.get(f"/comments/moderate/{confirm_salted}/").status_code == 404


def test_the_comment_page_asks_a_stranger_to_sign_in_and_comes_back(comment, client):
    url = f"/admin/comments/{comment.pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next=/admin/comments/{comment.pk}/"
    assert client.post(url, {"action": "approve"}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


# Deciding on the comment's page -----------------------------------------------------------------


def test_moderator_approves_on_the_comment_page_with_the_csrf_token(comment, moderator, committed):
    browser = BrowserLikeClient(enforce_csrf_checks=True)
    browser.force_login(moderator)
    url = f"/admin/comments/{comment.pk}/"
    html = page(browser, url)
    assert 'name="action" value="approve"' in html and 'value="spam"' in html
    # Without the token (a forged cross-site form), Django refuses and nothing changes.
    assert browser.post(url, {"action": "approve"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    with committed():
        done = browser.post(url, {"action": "approve", "csrfmiddlewaretoken": CSRF.search(html)[1]})
    assert (done.status_code, done["Location"]) == (302, "/admin/comments/")
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    [log] = changes(comment)
    assert (log.user, log.via, log.new_status) == (moderator, "admin", "approved")
    pending = page(browser, "/admin/comments/")
    assert "Comment by Ana Reader approved." in pending
    assert "Magnesium helped me." not in pending  # back on the pending list, where it has left


@pytest.mark.parametrize(("action", "status"), [("reject", "rejected"), ("spam", "spam")])
def test_moderator_rejects_or_marks_spam_on_the_comment_page(
    client, comment, moderator, action, status
):
    client.force_login(moderator)
    response = client.post(f"/admin/comments/{comment.pk}/", {"action": action})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == status and changes(comment)[0].via == "admin"
    again = client.post(f"/admin/comments/{comment.pk}/", {"action": action}, follow=True)
    assert "nothing changed" in again.content.decode() and len(changes(comment)) == 1


def test_an_unknown_action_changes_nothing(client, comment, moderator):
    client.force_login(moderator)
    response = client.post(f"/admin/comments/{comment.pk}/", {"action": "delete"})
    assert response["Location"] == f"/admin/comments/{comment.pk}/"
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_signed_in_editor_who_is_no_moderator_gets_403(client, comment, django_user_model):
    editor = django_user_model.objects.create_user("ed", "ed@x.example", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    url = f"/admin/comments/{comment.pk}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "approve"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


# Who sees who wrote -----------------------------------------------------------------------------


def assert_details_hidden(client, comment):
    listing = page(client, "/admin/comments/?status=")
    detail = page(client, f"/admin/comments/{comment.pk}/")
    for html in (listing, detail):
        assert "Ana Reader" in html and "Magnesium helped me." in html  # name and text
        assert "Pending" in html and comment.article.title in html  # status and article
        assert "secret-reader" not in html and NETWORK not in html and BROWSER not in html
    for q in (EMAIL, "secret-reader", "example.org"):
        found = page(client, f"/admin/comments/?status=&q={q}")
        assert "No comments match your query." in found and "Magnesium" not in found, q
    assert "Magnesium" in page(client, "/admin/comments/?status=&q=magnesium")


def assert_details_shown(client, comment):
    listing = page(client, "/admin/comments/?status=")
    detail = page(client, f"/admin/comments/{comment.pk}/")
    assert EMAIL in listing and NETWORK in listing
    assert EMAIL in detail and NETWORK in detail and BROWSER in detail
    assert "Magnesium" in page(client, "/admin/comments/?status=&q=secret-reader")


def test_a_moderator_without_the_permission_sees_no_email_or_network(client, comment, moderator):
    client.force_login(moderator)
    assert_details_hidden(client, comment)


def test_comment_moderators_see_email_network_and_browser(client, comment, comment_moderator):
    client.force_login(comment_moderator)
    assert_details_shown(client, comment)


def test_a_superuser_sees_email_network_and_browser(client, comment, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@x.example", "pw"))
    assert_details_shown(client, comment)


def test_the_comment_moderators_group_moderates_and_sees_details_and_moderators_does_neither():
    group = Group.objects.get(name="Comment moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "moderate_comment", "view_commenter_details"} <= codenames
    assert {"add_blockedterm", "change_blockedterm", "delete_blockedterm"} <= codenames
    # Wagtail's page-moderating group keeps its pages, not the comments.
    moderators = Group.objects.get(name="Moderators")
    assert not moderators.permissions.filter(content_type__app_label="comments").exists()


class FormFields(HTMLParser):
    """The fields a browser would submit with each form of a page, as (name, value) pairs."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is None or "name" not in attrs and tag != "option":
            return
        elif tag == "input" and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.current.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.current.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.current.append((attrs["name"], ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None

    def form_with(self, name):
        return next(f for f in self.forms if any(key == name for key, _ in f))


def test_the_permission_can_be_granted_to_any_group_in_the_groups_editor(
    client, comment, moderator, django_user_model
):
    """An operator gives another group the sight of commenters' details in Settings → Groups:
    the permission is listed there under Comment and saving the form grants it."""
    client.force_login(django_user_model.objects.create_superuser("root", "r@x.example", "pw"))
    group = Group.objects.create(name="Data protection officers")
    moderator.groups.add(group)
    permission = Permission.objects.get(codename="view_commenter_details")
    html = page(client, f"/admin/groups/edit/{group.pk}/")
    assert "Can see commenters&#x27; email addresses and networks" in html
    parser = FormFields()
    parser.feed(html)
    fields = parser.form_with("page_permissions-TOTAL_FORMS")
    fields.append(("permissions", str(permission.pk)))
    saved = client.post(
        f"/admin/groups/edit/{group.pk}/",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert list(group.permissions.all()) == [permission]
    client.force_login(moderator)
    assert_details_shown(client, comment)


# Hostile input ----------------------------------------------------------------------------------


def test_a_hostile_name_and_text_show_escaped_on_the_comment_page(client, article, moderator):
    """Stored as typed (as if cleaning had missed it): the admin pages escape on output."""
    hostile = Comment.objects.create(
        article=article,
        name='<script>alert("name")</script>',
        body='<img src=x onerror=alert("body")>\n"quoted" & <b>bold</b>',
    )
    client.force_login(moderator)
    for html in (
        page(client, f"/admin/comments/{hostile.pk}/"),
        page(client, "/admin/comments/"),
    ):
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
        assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(&quot;body&quot;)&gt;" in html
    done = client.post(f"/admin/comments/{hostile.pk}/", {"action": "reject"}, follow=True)
    html = done.content.decode()
    assert "Comment by &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; rejected." in html
    assert "<script>alert" not in html


def test_moderating_is_a_permission_not_a_group_name(client, comment, django_user_model):
    """Wagtail's "Moderators" group moderates pages, not comments; any group given
    `comments.moderate_comment` moderates, and an inactive account never does."""
    wagtail_moderator = django_user_model.objects.create_user("pages", "p@x.example", "pw")
    wagtail_moderator.groups.add(Group.objects.get(name="Moderators"))
    assert not moderators_module.is_moderator(wagtail_moderator)
    client.force_login(wagtail_moderator)
    assert client.get("/admin/comments/").status_code == 403

    night_shift = Group.objects.create(name="Night shift")
    night_shift.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="comments", codename="moderate_comment"),
    )
    user = django_user_model.objects.create_user("night", "n@x.example", "pw")
    user.groups.add(night_shift)
    gone = django_user_model.objects.create_user("gone", "g@x.example", "pw", is_active=False)
    gone.groups.add(night_shift)
    assert moderators_module.is_moderator(user)
    assert set(moderators_module.moderators()) == {user}
    client.force_login(user)
    assert client.get("/admin/comments/").status_code == 200


def test_the_migration_moves_moderators_members_into_comment_moderators(django_user_model):
    """As 0005 found a site: a moderator in "Moderators", which held the comment permissions."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    name = "0005_moderate_comment_permission"
    migration = import_module(f"healthpress.comments.migrations.{name}")
    old = Group.objects.get(name="Moderators")
    old.permissions.add(*Permission.objects.filter(codename__in=["change_comment", "view_comment"]))
    member = django_user_model.objects.create_user("before", "b@x.example", "pw")
    member.groups.add(old)
    assert not moderators_module.is_moderator(member)

    state = MigrationLoader(connection).project_state(("comments", name))
    migration.move_moderators(state.apps, None)

    member = django_user_model.objects.get(pk=member.pk)  # no cached permissions
    assert member.groups.filter(name="Comment moderators").exists()
    assert moderators_module.is_moderator(member)
    assert not old.permissions.filter(content_type__app_label="comments").exists()
