"""manage.py start_site: a new HealthPress site's home page and Site record (docs/deploy.md)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import DomainNameValidator
from django.http.request import validate_host

from healthpress.core.site import set_up_site

NAME_MAX = 255  # Page.title and Site.site_name


def host_name(value):
    value = value.strip().lower().rstrip(".")
    if value == "localhost":
        return value
    try:
        DomainNameValidator(accept_idna=False)(value)
    except ValidationError:
        raise CommandError(
            f"--domain takes a host name such as health.example.org (no https://, port or "
            f"path), not {value!r}."
        ) from None
    return value


class Command(BaseCommand):
    help = (
        "Start a new site on a migrated database: HealthPress's home page, titled NAME, in "
        "place of Wagtail's 'Welcome to your new Wagtail site!' page, and the default Site "
        "record (named NAME, answering on DOMAIN and PORT, the home page as its root). Safe to "
        "run again: an existing home page is kept as the editors left it; the Site is set to "
        "the values given. Then make the first administrator with createsuperuser. Topics, the "
        "editorial policy page and people are the editors' to write in the admin; "
        "manage.py load_demo fills a trial site with demo content instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--name", required=True, help='the site\'s name, e.g. "Northside Health"'
        )
        parser.add_argument(
            "--domain",
            required=True,
            help="the host name readers use, e.g. health.example.org",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=443,
            help="the port readers use (default 443, HTTPS; 80 for plain HTTP)",
        )

    def handle(self, *args, name, domain, port, **options):
        name = " ".join(name.split())
        if not name or len(name) > NAME_MAX:
            raise CommandError(f"--name must be 1 to {NAME_MAX} characters.")
        hostname = host_name(domain)
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        try:
            done = set_up_site(name, hostname, port)
        except ValidationError as error:
            raise CommandError(self.explain(error, hostname, port)) from None

        if done.home_created:
            replaced = " in place of Wagtail's welcome page" if done.welcome_replaced else ""
            self.stdout.write(f"Home page “{done.home.title}” created{replaced}.")
        else:
            self.stdout.write(f"Home page “{done.home.title}” kept as it is.")
        site = done.site
        state = "set" if done.site_changed else "unchanged"
        self.stdout.write(
            f"Default site {state}: “{site.site_name}” at {site.root_url}/ (hostname "
            f"{site.hostname}, port {site.port})."
        )
        for warning in self.mismatches(name, hostname, port):
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            "Next: manage.py createsuperuser (the first administrator); then in the admin, "
            "topics under the home page, the editorial policy page (Settings → Medical review "
            "and trust links it) and the people who write and review."
        )

    def explain(self, error, hostname, port):
        messages = getattr(error, "message_dict", {})
        if "slug" in messages:
            return (
                "The root already has a page at /home/ that is not Wagtail's untouched welcome "
                "page. Rename its slug or move it in the admin (Pages), then run start_site again."
            )
        if "hostname" in messages or "__all__" in messages:
            return (
                f"Another Site already answers on {hostname}:{port} (Settings → Sites): remove "
                "it or choose another --domain or --port. " + " ".join(error.messages)
            )
        return " ".join(error.messages)

    def mismatches(self, name, hostname, port):
        """What in the environment disagrees with the site just set up."""
        if not validate_host(hostname, settings.ALLOWED_HOSTS):
            yield (
                f"ALLOWED_HOSTS does not include {hostname}: requests for it are refused with "
                "400 Bad Request until it does."
            )
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        base_port = base.port or (443 if base.scheme == "https" else 80)
        if (base.hostname, base_port) != (hostname, port):
            scheme = "https" if port == 443 else "http"
            suffix = "" if port in (80, 443) else f":{port}"
            yield (
                f"BASE_URL is {settings.WAGTAILADMIN_BASE_URL}: set BASE_URL={scheme}://"
                f"{hostname}{suffix} (the links in emails and the admin use it)."
            )
        if name != settings.WAGTAIL_SITE_NAME:
            yield (
                f"SITE_NAME is “{settings.WAGTAIL_SITE_NAME}”: set SITE_NAME={name!r} too in "
                "the environment (the page header, feeds and emails show it)."
            )
