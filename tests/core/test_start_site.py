"""manage.py start_site: a production first run on an empty (migrated) database makes
HealthPress's home page and its Site, and after createsuperuser the admin signs in."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision, Site

from healthpress.core.models import HomePage

pytestmark = pytest.mark.django_db
WELCOME = "Welcome to your new Wagtail site!"
NAME = "Northside Health"
DOMAIN = "health.example.org"
PASSWORD = "a long first-administrator passphrase"


def start_site(*args):
    out, err = StringIO(), StringIO()
    call_command("start_site", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def production_like(settings, monkeypatch):
    """The environment docs/deploy.md sets for health.example.org."""
    settings.ALLOWED_HOSTS = [DOMAIN]
    settings.WAGTAILADMIN_BASE_URL = f"https://{DOMAIN}"
    settings.WAGTAIL_SITE_NAME = NAME
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)


def test_first_run_serves_the_home_page_and_the_first_administrator_signs_in(
    client, production_like
):
    # What migrate leaves: Wagtail's welcome page as the default Site's root, no home page.
    assert Site.objects.get(is_default_site=True).root_page.title == WELCOME
    assert not HomePage.objects.exists()

    output, warnings = start_site("--name", NAME, "--domain", DOMAIN)
    call_command("createsuperuser", "--noinput", "--username", "boss", "--email", "b@x.org")

    assert f"Home page “{NAME}” created in place of Wagtail's welcome page." in output
    assert f"at https://{DOMAIN}/ (hostname {DOMAIN}, port 443)" in output
    assert warnings == ""  # the environment agrees with the site
    assert not Page.objects.filter(title=WELCOME).exists()
    site = Site.objects.get()
    assert (site.hostname, site.port, site.site_name, site.is_default_site) == (
        DOMAIN,
        443,
        NAME,
        True,
    )
    home = client.get("/", HTTP_HOST=DOMAIN, secure=True)
    assert home.status_code == 200
    assert home.templates[0].name == "core/home_page.html"
    assert f"<h1>{NAME}</h1>" in home.content.decode()
    signed_in = client.post(
        "/admin/login/", {"username": "boss", "password": PASSWORD}, HTTP_HOST=DOMAIN, secure=True
    )
    assert signed_in.status_code == 302
    assert client.get("/admin/", HTTP_HOST=DOMAIN, secure=True).status_code == 200


def test_a_second_run_changes_nothing_and_keeps_the_editors_home_page(production_like):
    start_site("--name", NAME, "--domain", DOMAIN)
    home = HomePage.objects.get()
    home.title = "Northside Health: answers"  # an editor's change
    home.save_revision().publish()
    pages, revisions = Page.objects.count(), Revision.objects.count()

    output, _ = start_site("--name", NAME, "--domain", DOMAIN)

    assert "Home page “Northside Health: answers” kept as it is." in output
    assert "Default site unchanged" in output
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)


def test_a_new_domain_moves_the_site_and_the_environment_is_checked(production_like):
    start_site("--name", NAME, "--domain", DOMAIN)

    output, warnings = start_site(
        "--name", "Other", "--domain", "other.example.org", "--port", "80"
    )

    assert "Default site set: “Other” at http://other.example.org/" in output
    assert "ALLOWED_HOSTS does not include other.example.org" in warnings
    assert "set BASE_URL=http://other.example.org " in warnings
    assert "set SITE_NAME='Other'" in warnings
    assert Site.objects.get().hostname == "other.example.org"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--name", NAME, "--domain", "https://health.example.org/"], "--domain takes a host"),
        (["--name", NAME, "--domain", "health example"], "--domain takes a host"),
        (["--name", "  ", "--domain", DOMAIN], "--name must be 1 to 255 characters"),
        (["--name", NAME, "--domain", DOMAIN, "--port", "0"], "--port must be between"),
        (["--domain", DOMAIN], "the following arguments are required: --name"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        start_site(*args)
    assert not HomePage.objects.exists()


def test_a_page_of_someone_elses_at_home_is_left_alone_with_a_clear_message():
    welcome = Page.objects.get(title=WELCOME)
    welcome.add_child(instance=Page(title="Their page", slug="theirs"))

    with pytest.raises(CommandError, match="not Wagtail's untouched welcome page"):
        start_site("--name", NAME, "--domain", DOMAIN)
    assert Page.objects.filter(title=WELCOME).exists()


def test_help_says_what_it_makes_and_what_comes_next():
    from healthpress.core.management.commands.start_site import Command

    parser = Command().create_parser("manage.py", "start_site")
    text = parser.format_help()
    assert "--domain" in text and "createsuperuser" in text
