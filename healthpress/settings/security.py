"""Security headers (docs/security.md): the content security policies of the public pages and of
the admin, the permissions policy, and what the admin may ask of other hosts."""

from .env import env_bool, env_str

# Public pages run no script: nothing but their own stylesheet, images and forms.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
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
        "img-src": ["'self'", "data:", "blob:"],
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
