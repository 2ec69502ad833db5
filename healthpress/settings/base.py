"""Settings shared by every environment; whatever differs comes from env vars (docs/settings.md)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .env import BASE_DIR, VAR_DIR, env_bool, env_float, env_int, env_list, env_rate_limits, env_str
from .security import *  # noqa: F403  (headers and admin sign-in: docs/security.md)
from .stores import caches_from_env, database_from_env, storages_from_env

PROJECT_DIR = BASE_DIR / "healthpress"

# dev and test fall back to a key kept in var/; production refuses to start without one.
SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many reverse proxies in front of the app append to X-Forwarded-For (0: trust REMOTE_ADDR),
# and whether a TLS-terminating proxy sets X-Forwarded-Proto (production.py). A proxy with a count
# of 0 makes every client the proxy's address: a system check refuses it (core/checks.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)

INSTALLED_APPS = [
    "healthpress.pagecache",
    "healthpress.core",
    "healthpress.signin",
    "healthpress.people",
    "healthpress.articles",
    "healthpress.comments",
    "healthpress.newsletter",
    "healthpress.search",
    "healthpress.questions",
    "healthpress.health",
    "healthpress.demo",
    "healthpress.wordpress",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "healthpress.pagecache.front.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "healthpress.core.security.PermissionsPolicyMiddleware",
    "healthpress.core.security.SitePolicyCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "healthpress.signin.two_factor.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a refused login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "healthpress.urls"
WSGI_APPLICATION = "healthpress.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_env()}
CACHES = caches_from_env()
# Whole-page cache for anonymous readers (healthpress.pagecache); 0 turns it off. Every entry
# and every key of it expires after this many seconds.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 0)
# Pages each server process also keeps in its own memory, checked against the purge clock on
# every hit (healthpress.pagecache.clock); 0 turns the local copies off.
PAGE_CACHE_LOCAL_ENTRIES = env_int("PAGE_CACHE_LOCAL_ENTRIES", 500)
# After a purge, readers of a page wait this long for the one render under way in their process
# before rendering it themselves.
PAGE_CACHE_RENDER_WAIT_SECONDS = env_float("PAGE_CACHE_RENDER_WAIT_SECONDS", 5.0)
# Query parameters whose canonical values are pages of their own (each app's views answer any
# other value with a redirect or a 404), and tracking parameters left out of the key (utm_* too).
PAGE_CACHE_QUERY_PARAMS = {"page"}
PAGE_CACHE_IGNORED_PARAMS = {"fbclid", "gclid", "msclkid", "mc_cid", "mc_eid"}
PAGE_CACHE_EXCLUDE = [
    "/admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/healthz",
    "/comments/",
    "/newsletter/",
    "/search/",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = env_str("STATIC_ROOT") or str(BASE_DIR / "static_collected")
STATIC_URL = "/static/"
MEDIA_ROOT = env_str("MEDIA_ROOT") or str(VAR_DIR / "media")
if Path(MEDIA_ROOT).resolve().is_relative_to(VAR_DIR.resolve()):
    # Inside the private var/, uploads are private too (docs/deploy.md: MEDIA_ROOT outside var/
    # for a web server that serves them itself).
    FILE_UPLOAD_PERMISSIONS = 0o600
    FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_URL = "/media/"

STORAGES = {
    **storages_from_env(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILIMAGES_RENDITION_STORAGE = "renditions"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work (search indexing, later emails) goes through django-tasks on the database:
# no extra server is needed; `python manage.py db_worker` runs the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Email: Django's own setting names. Without EMAIL_HOST, messages are printed to the console of
# `make run` (the worker's output), so a person trying it locally can read them.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "HealthPress <healthpress@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = env_str("SITE_NAME", "HealthPress")
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", f"http://127.0.0.1:{env_str('PORT') or '8000'}")
# Wagtail's database backend, ranking in one pass on SQLite (it re-ran the match once per result:
# 0.45-1.2 s for the admin search at 100,000 articles) and cutting very long queries.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "healthpress.search.admin_backend"}}
# mp4, webm and vtt: self-hosted videos and their captions (articles/blocks.py VideoBlock).
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "mp4",
    "webm",
    "vtt",
]
# Pictures (docs/images.md): every upload is cleaned by core/images.py (metadata stripped, turned
# upright, ICC kept). JPEG, PNG and WebP only: no SVG (it can carry script), no GIF or HEIC.
WAGTAILIMAGES_IMAGE_FORM_BASE = "healthpress.core.images.ImageUploadForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(env_float("IMAGE_MAX_UPLOAD_MB", 10.0) * 1024 * 1024)
# Also Pillow's decompression-bomb limit (core/apps.py): a file over it is refused, not decoded.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# An approved medical review publishes the article without the reviewer's own publish
# permission, which nobody but an administrator holds for articles (docs/review.md).
WAGTAIL_FINISH_WORKFLOW_ACTION = "healthpress.articles.review.publish_on_approval"

# Pages carry no per-visitor data, so the public forms must not depend on a CSRF cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True

OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME  # the name in the authenticator app

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Search ---
# "default": Wagtail's database backend (SQLite FTS5, or PostgreSQL full-text search when
# DATABASE_URL points at PostgreSQL), which the admin searches, drafts included. "public": the
# readers' search (/search/, /ask/, the partner API) with its own index of live, public
# articles (healthpress/search/backend.py, docs/search.md). "english" stems on PostgreSQL.
WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "english"
WAGTAILSEARCH_BACKENDS["public"] = {
    "BACKEND": "healthpress.search.backend",
    "SEARCH_CONFIG": "english",
}

# --- Review and trust ---
# Site settings (review interval, disclaimer, overdue notice, editorial policy page) live in the
# admin under Settings → "Medical review and trust".
INSTALLED_APPS += ["wagtail.contrib.settings"]
# Articles per page on topic and author listings.
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 20)
# Addresses per sitemap file (healthpress/sitemaps.py); the protocol allows 50,000.
SITEMAP_LIMIT = env_int("SITEMAP_LIMIT", 10000)
if not 1 <= SITEMAP_LIMIT <= 50_000:
    raise ImproperlyConfigured("SITEMAP_LIMIT must be a whole number from 1 to 50000")
# Where the admin's WordPress import finds exports (docs/migrating.md).
WORDPRESS_IMPORT_DIR = env_str("WORDPRESS_IMPORT_DIR") or str(VAR_DIR / "imports")
# Newest articles listed in each RSS / Atom feed.
FEED_ITEMS = 20


# --- Comments ---
# Rate limits per client network, "count/seconds" pairs; COMMENTS_RATE_LIMITS=off disables them
# (benchmarks and load tests only).
COMMENTS_RATE_LIMITS = env_rate_limits("COMMENTS_RATE_LIMITS", "5/60,30/86400")
# Searches per client network (docs/security.md): "count/seconds" pairs, "off" for none.
SEARCH_RATE_LIMITS = env_rate_limits("SEARCH_RATE_LIMITS", "30/60,300/3600")
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 60)  # a repeated query's ranking
SEARCH_LOG_DAYS = env_int("SEARCH_LOG_DAYS", 90)  # prune_search_log keeps this many
SEARCH_LOG_BATCH_SIZE = env_int("SEARCH_LOG_BATCH_SIZE", 20)
SEARCH_LOG_FLUSH_SECONDS = env_float("SEARCH_LOG_FLUSH_SECONDS", 10.0)
# Hybrid search (docs/search.md): word meaning (static embeddings) fused with the BM25 ranking.
# On an existing site, run `manage.py rebuild_embeddings` once after upgrading; "false" gives the
# word ranking alone, exactly as before.
SEARCH_SEMANTIC = env_bool("SEARCH_SEMANTIC", True)
SEARCH_VECTOR_DIR = VAR_DIR / "vectors"  # the vectors every process maps (search/vectorstore.py)
COMMENTS_MIN_FILL_SECONDS = env_int("COMMENTS_MIN_FILL_SECONDS", 3)
# A comment form stays good this long after the page cache's life (PAGE_CACHE_SECONDS) ends.
COMMENTS_FORM_MAX_AGE_SECONDS = env_int("COMMENTS_FORM_MAX_AGE_SECONDS", 86400)
COMMENTS_MAX_LINKS = 2
# The most a public form (comment, subscription) may send, read from the stream whatever the
# Content-Length says (core/security.public_form).
PUBLIC_FORM_MAX_BYTES = 64 * 1024
COMMENTS_DIGEST_MINUTES = env_int("COMMENTS_DIGEST_MINUTES", 5)
# Returning commenters publish at once after confirming by a link sent to their address.
COMMENTS_TRUSTED_COMMENTERS = env_bool("COMMENTS_TRUSTED_COMMENTERS", False)
# Comments held as spam are deleted (text, email, network, browser) this many days after they
# were marked so (`prune_comments`, docs/comments.md).
COMMENTS_SPAM_DAYS = env_int("COMMENTS_SPAM_DAYS", 30)

# --- Readers' questions (docs/questions.md) ---
QUESTIONS_RATE_LIMITS = env_rate_limits("QUESTIONS_RATE_LIMITS", "3/600,10/86400")
# Retention (docs/questions.md): what a reader gave with a question (its words, details, topic,
# address, red flags) is erased by `prune_questions` this many days after the question closed
# (answered, declined, duplicate), after it was asked if nobody decided on it, and after it was
# accepted if its article is still unpublished.
QUESTIONS_RETENTION_DAYS = env_int("QUESTIONS_RETENTION_DAYS", 180)
QUESTIONS_UNDECIDED_DAYS = env_int("QUESTIONS_UNDECIDED_DAYS", 180)
QUESTIONS_ACCEPTED_DAYS = env_int("QUESTIONS_ACCEPTED_DAYS", 365)
# Confirmation emails one address may be sent in any 24 hours, whatever it asks.
QUESTIONS_CONFIRMATIONS_PER_DAY = env_int("QUESTIONS_CONFIRMATIONS_PER_DAY", 3)
# The number shown on the urgent care card; by default the one for the site's language region.
_EMERGENCY_NUMBERS = {"en-gb": "999", "en-ie": "112", "en-us": "911", "en-ca": "911"}
EMERGENCY_NUMBER = env_str("EMERGENCY_NUMBER", _EMERGENCY_NUMBERS.get(LANGUAGE_CODE.lower(), "112"))

# --- Article health (docs/article-health.md) ---
READING_GRADE_TARGET = env_float("READING_GRADE_TARGET", 8.0)
FEEDBACK_DAYS = env_int("FEEDBACK_DAYS", 90)  # votes' free text and daily counts kept
REVIEW_REMINDER_DAYS = env_int("REVIEW_REMINDER_DAYS", 30)
REFERENCE_CHECK_TIMEOUT = env_float("REFERENCE_CHECK_TIMEOUT", 10.0)  # seconds per URL
REFERENCE_CHECK_TOTAL_SECONDS = env_float("REFERENCE_CHECK_TOTAL_SECONDS", 900.0)
REFERENCE_CHECK_ON_PUBLISH = env_bool("REFERENCE_CHECK_ON_PUBLISH", True)
# An editor-typed URL must not make the server probe its own network (SSRF); tests turn it on.
REFERENCE_CHECK_ALLOW_PRIVATE = False
# The feedback box's thank-you states (?feedback=thanks|missing|noted) are the same for every
# reader, so the page cache may keep them (health/feedback.py answers any other value with a 404).
PAGE_CACHE_QUERY_PARAMS = {*globals().get("PAGE_CACHE_QUERY_PARAMS", ()), "feedback"}

# --- Newsletter ---
# The postal/identity line at the foot of every newsletter email (put your postal address here).
NEWSLETTER_IDENTITY = env_str(
    "NEWSLETTER_IDENTITY",
    f"{WAGTAIL_SITE_NAME}, expert-written answers to everyday health questions. "
    f"{WAGTAILADMIN_BASE_URL}",
)
NEWSLETTER_UNSUBSCRIBE_MAILTO = env_str("NEWSLETTER_UNSUBSCRIBE_MAILTO")  # optional mailto target
NEWSLETTER_MAX_PER_SECOND = env_float("NEWSLETTER_MAX_PER_SECOND", 0.0)  # 0: no limit
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200)
# Parallel SMTP connections; also the most messages a killed sender can leave "in flight".
NEWSLETTER_CONNECTIONS = env_int("NEWSLETTER_CONNECTIONS", 4)
NEWSLETTER_MAX_RETRIES = env_int("NEWSLETTER_MAX_RETRIES", 5)
NEWSLETTER_RETRY_BACKOFF = env_float("NEWSLETTER_RETRY_BACKOFF", 2.0)  # seconds, doubling
NEWSLETTER_RETRY_BACKOFF_MAX = 60.0
NEWSLETTER_HARD_BOUNCE_LIMIT = env_int("NEWSLETTER_HARD_BOUNCE_LIMIT", 2)
NEWSLETTER_MAX_ARTICLES = 20
NEWSLETTER_CONFIRM_MAX_AGE = 7 * 24 * 3600
NEWSLETTER_MANAGE_MAX_AGE = 30 * 24 * 3600  # preference links; unsubscribe links never expire
# A sender whose heartbeat is older than this (seconds) is taken to be dead.
NEWSLETTER_STALE_AFTER = env_int("NEWSLETTER_STALE_AFTER", 300)
# The comment block's URL variants (page, order, reply target, the fixed "received" landing)
# are the same for every reader, so the page cache may keep them.
PAGE_CACHE_QUERY_PARAMS = {
    *globals().get("PAGE_CACHE_QUERY_PARAMS", ()),
    *("cpage", "corder", "comment", "reply"),
}

# A caching reverse proxy or CDN in front (optional): Wagtail's frontend cache purges it too.
# FRONTEND_CACHE_PURGE_URL is where the proxy accepts PURGE requests (docs/deploy.md).
if env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
        }
    }

# --- Partner content API and embeds (docs/api.md) ---
INSTALLED_APPS.insert(INSTALLED_APPS.index("healthpress.demo"), "healthpress.api")
# CORS for browser-based partners: the origins allowed to read /api/ from a browser ("off": none).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "healthpress.api.cors.ApiCorsMiddleware",
)
API_CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS")
# Requests per key: "count/seconds" pairs, "off" for none (benchmarks only).
API_RATE_LIMITS = env_rate_limits("API_RATE_LIMITS", "600/60,50000/86400")
# Reads without a key: off (401) unless turned on, then at this low rate per client network.
API_ANONYMOUS_READS = env_bool("API_ANONYMOUS_READS", False)
API_ANONYMOUS_RATE_LIMITS = env_rate_limits("API_ANONYMOUS_RATE_LIMITS", "30/3600")
# How long a partner's own HTTP cache may reuse a response before revalidating it (ETag).
API_BROWSER_SECONDS = env_int("API_BROWSER_SECONDS", 300)
# Requests per key are counted in the cache and written to the database at most this often.
API_USAGE_FLUSH_SECONDS = env_int("API_USAGE_FLUSH_SECONDS", 60)
# Origins (https://clinic.example) whose pages may frame /embed/<id>/; none by default.
API_EMBED_FRAME_ANCESTORS = env_list("API_EMBED_FRAME_ANCESTORS")
# The API's answers are cached and purged with the pages; the page cache itself never serves
# them (a key is checked on every request).
PAGE_CACHE_EXCLUDE = [*PAGE_CACHE_EXCLUDE, "/api/"]
