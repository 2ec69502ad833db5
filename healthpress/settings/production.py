"""Production: every secret and host comes from the environment; nothing is generated.

HTTPS settings default to a site served over TLS (directly or behind a TLS-terminating proxy that
sets X-Forwarded-Proto); SECURE_SSL_REDIRECT=false etc. turn them off for a plain-HTTP test box.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BEHIND_TLS_PROXY, DATABASES, EMAIL_HOST, MIDDLEWARE, STORAGES
from .env import env_bool, env_int, env_list

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production settings.")
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")

# Without an SMTP server Django would print every email, signed confirm and unsubscribe links
# included, to the log: only when someone chose that.
if not EMAIL_HOST and not os.environ.get("EMAIL_BACKEND"):
    raise ImproperlyConfigured(
        "Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, ...) to your SMTP server. To print "
        "emails to the console instead, set EMAIL_BACKEND="
        "django.core.mail.backends.console.EmailBackend explicitly."
    )

# Staff who can do something sensitive sign in with a second step (signin/two_factor.py).
ADMIN_TWO_FACTOR = env_bool("ADMIN_TWO_FACTOR", True)

# Persistent database connections, checked before reuse so a restarted database heals by itself.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Static files: WhiteNoise serves them hashed, compressed and with far-future cache headers.
# It answers /static/ itself, so every middleware that only adds security headers (HSTS,
# nosniff, Referrer-Policy, Permissions-Policy, CSP, X-Frame-Options) goes before it: a static
# file, an SVG image opened on its own included, carries the same headers as a page.
_HEADER_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "healthpress.core.security.PermissionsPolicyMiddleware",
    "healthpress.core.security.SitePolicyCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
MIDDLEWARE = [
    MIDDLEWARE[0],  # the page cache stays outermost
    *_HEADER_MIDDLEWARE,
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *(name for name in MIDDLEWARE[1:] if name not in _HEADER_MIDDLEWARE),
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TLS = env_bool("HTTPS", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", TLS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", TLS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", TLS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", TLS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", TLS)
# With TRUSTED_PROXY_COUNT set too, or the system checks refuse to start (core/checks.py).
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
