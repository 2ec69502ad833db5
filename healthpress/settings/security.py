"""Security settings (docs/security.md): the headers (content security policies of the public
pages and of the admin, the permissions policy, what the admin may ask of other hosts) and the
admin's sign-in (sessions, lockouts, the second step)."""

from .env import env_bool, env_float, env_int, env_str
from .stores import media_origin

# Renditions (and video files) on object storage come from the bucket's or the CDN's origin.
MEDIA_ORIGIN = media_origin()

# Public pages run no script: nothing but their own stylesheet, images and forms.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [MEDIA_ORIGIN])],
        "media-src": ["'self'", *filter(None, [MEDIA_ORIGIN])],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# The Wagtail admin's editor needs inline styles and scripts, data and blob images, and frames
# its own previews.
ADMIN_PATH_PREFIXES = ("/admin/", "/documents/")
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *filter(None, [MEDIA_ORIGIN])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    }
}
# No avatars from gravatar.com in the admin: it would learn who edits, and the policy allows
# images from this site only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a call from the dashboard to releases.wagtail.org: upgrades come through the lock file.
# WAGTAIL_ENABLE_UPDATE_CHECK=true (or "lts", Wagtail's long-term releases only) lets a
# superuser's browser ask it.
WAGTAIL_ENABLE_UPDATE_CHECK = (
    "lts"
    if env_str("WAGTAIL_ENABLE_UPDATE_CHECK").strip().lower() == "lts"
    else env_bool("WAGTAIL_ENABLE_UPDATE_CHECK", False)
)
if WAGTAIL_ENABLE_UPDATE_CHECK:
    # Otherwise the admin's policy would block the very request the setting asks for.
    ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(
        "https://releases.wagtail.org"
    )
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# --- Admin logins (docs/security.md) ---
# Sessions (only editors, reviewers and moderators have them) end after this many idle hours.
SESSION_COOKIE_AGE = int(env_float("ADMIN_SESSION_HOURS", 12.0) * 3600)
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
# django-axes (signin/lockout.py, docs/security.md): ADMIN_LOGIN_FAILURES wrong passwords for one
# username from one address pause that username there, ADMIN_ADDRESS_FAILURES from one address
# across usernames pause the address, each for ADMIN_LOCKOUT_MINUTES counted from the pause.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ADMIN_LOGIN_FAILURES = env_int("ADMIN_LOGIN_FAILURES", 10)
ADMIN_ADDRESS_FAILURES = env_int("ADMIN_ADDRESS_FAILURES", 50)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the pair; the address: the callable
AXES_FAILURE_LIMIT = "healthpress.signin.lockout.failure_limit"
AXES_COOLOFF_TIME = env_float("ADMIN_LOCKOUT_MINUTES", 15.0) / 60  # hours
AXES_CLIENT_IP_CALLABLE = "healthpress.signin.lockout.client_address"
AXES_RESET_ON_SUCCESS = True  # a good sign-in clears its own pair, nobody else's failures
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a guess during a pause does not extend it
AXES_LOCKOUT_TEMPLATE = "signin/locked_out.html"
# Two-step sign-in (signin/two_factor.py): with ADMIN_TWO_FACTOR on, whoever can publish, approve
# in a workflow, see commenters' details, moderate comments, triage questions, manage subscribers
# or users, and every superuser, set up an authenticator app at their first sign-in. Anyone who
# has set one up always uses it. Off by default for `make run`'s one-step demo login; production
# turns it on.
ADMIN_TWO_FACTOR = env_bool("ADMIN_TWO_FACTOR", False)
# One sign-in: login-restricted pages and documents send readers to the admin's sign-in (and its
# second step), not to Wagtail's front-end login; no shared-password privacy (signin/views.py).
LOGIN_URL = WAGTAIL_FRONTEND_LOGIN_URL = "wagtailadmin_login"
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
