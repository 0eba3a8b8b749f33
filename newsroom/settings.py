"""
Newsroom settings: one module, read from the environment.

SQLite and local-memory cache by default, so a fresh checkout runs with no services;
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis. Every variable is documented in
.env.example.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Anything but these two is a typo that would otherwise fall back to development behaviour.
DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower() or "development"
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured("DJANGO_ENV must be development or production.")
PRODUCTION = DJANGO_ENV == "production"

# The development key is public: anyone holding it forges sessions and preview links. Only a server in
# debug mode, which is never public, may run on it; anything else refuses to start.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-do-not-deploy"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
WEAK_SECRET_KEY = SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
if WEAK_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value (50 characters or more) unless DJANGO_DEBUG=1, "
        'e.g. python -c "import secrets; print(secrets.token_urlsafe(64))".'
    )
if PRODUCTION and DEBUG:
    # Debug pages leak settings and SQL.
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Absolute base for canonical URLs, feeds and API links.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")

INSTALLED_APPS = [
    # Django's admin on the desk's site (articles/desk/site.py), which asks staff for their second factor.
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "contributors",
    "articles",
]

MIDDLEWARE = [
    # Answers with the request's id, which its log lines carry (newsroom/logs.py).
    "newsroom.logs.RequestIdMiddleware",
    # Then: answers warm public requests with the finished responses the stack below built.
    "articles.edge.EdgeCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Outside CommonMiddleware, so a missing slash is still redirected first.
    "newsroom.middleware.ApiNotFoundMiddleware",
    "newsroom.middleware.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells whether the session's sign-in gave a second factor (user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
    "newsroom.db_router.PublicReadsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An optional read replica takes anonymous reads of public content (newsroom/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Tests run against one database; the replica alias reads it too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["newsroom.db_router.PublicReadsRouter"]

REDIS_URL = os.environ.get("REDIS_URL")
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "30000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that is down or stuck must fail a request in seconds, not hang a worker until
    # gunicorn kills it: the request then answers 503 and the next one reconnects.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
        }
    )

# SQLite (the default) lets one writer in at a time. Write-ahead logging keeps readers and the writer out of
# each other's way; IMMEDIATE transactions take the write lock when they begin, so a transaction that
# read first never fails upgrading its lock; and writers wait their turn (the busy timeout) instead of
# answering "database is locked".
SQLITE_BUSY_TIMEOUT = int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT * 1000}"
            ),
        }
    )

# Search (articles/search/): the engine, how many of the newest matches are ranked, and the ceilings
# that keep any one query cheap. See README, "Search".
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "auto")
SEARCH_CANDIDATES = int(os.environ.get("SEARCH_CANDIDATES", "200"))
SEARCH_TIMEOUT_MS = int(os.environ.get("SEARCH_TIMEOUT_MS", "2000"))
SEARCH_MAX_TERMS = int(os.environ.get("SEARCH_MAX_TERMS", "8"))
SEARCH_MAX_LENGTH = int(os.environ.get("SEARCH_MAX_LENGTH", "200"))

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A dead Redis must not hang requests either.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    # Refuses locked-out logins before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes still verify and are upgraded to Argon2 at the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Public responses (see articles/caching.py). Browsers keep them CACHE_MAX_AGE seconds, the CDN up to
# CDN_MAX_AGE (purges by surrogate key keep it right). The server-side response cache is on by default only
# with Redis: a per-process memory cache cannot hear about changes made in other processes.
NEWSROOM_RESPONSE_CACHE = env_bool("RESPONSE_CACHE", default=bool(REDIS_URL))
NEWSROOM_RESPONSE_CACHE_ALIAS = "default"
NEWSROOM_RESPONSE_CACHE_TIMEOUT = int(os.environ.get("RESPONSE_CACHE_TIMEOUT", "86400"))
NEWSROOM_CACHE_MAX_AGE = int(os.environ.get("CACHE_MAX_AGE", "60"))
NEWSROOM_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("CACHE_STALE_WHILE_REVALIDATE", "300"))
NEWSROOM_CDN_MAX_AGE = int(os.environ.get("CDN_MAX_AGE", "86400"))
# How long a cache may still answer with a stale copy while the app is failing.
NEWSROOM_CACHE_STALE_IF_ERROR = int(os.environ.get("CACHE_STALE_IF_ERROR", "86400"))
# A story address with nothing public behind it yet: how long the CDN keeps the "not found" (purged when a
# story goes live there; browsers always ask again).
NEWSROOM_MISSING_CDN_MAX_AGE = int(os.environ.get("MISSING_CDN_MAX_AGE", "60"))
# Part of every stored response's key: set it to the deployed commit so new code never serves old bytes.
NEWSROOM_RELEASE = os.environ.get("RELEASE", "dev")

# CDN purging (articles/purge.py): none, varnish (HTTP PURGE of URLs), fastly or cloudflare (by key).
NEWSROOM_PURGER = {
    "BACKEND": os.environ.get("NEWSROOM_PURGER", "none"),
    "OPTIONS": {
        key: value
        for key, value in {
            "URL": os.environ.get("PURGE_URL"),
            "HOST": os.environ.get("PURGE_HOST"),
            "SERVICE_ID": os.environ.get("FASTLY_SERVICE_ID"),
            "ZONE_ID": os.environ.get("CLOUDFLARE_ZONE_ID"),
            "API_TOKEN": os.environ.get("FASTLY_API_TOKEN") or os.environ.get("CLOUDFLARE_API_TOKEN"),
            "API_URL": os.environ.get("PURGE_API_URL"),
        }.items()
        if value
    },
}
# With a read replica the purge waits a moment, so the CDN's next request finds the change replicated.
NEWSROOM_PURGE_DELAY = int(
    os.environ.get("PURGE_DELAY", "2" if os.environ.get("DATABASE_REPLICA_URL") else "0")
)

# Background work (manage.py run_worker): rows in the database, so nothing is lost on a restart.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media on local disk by default; STORAGE_BACKEND=s3 puts it in any S3-compatible object store (AWS_*).
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND not in ("filesystem", "s3"):
    raise ImproperlyConfigured("STORAGE_BACKEND must be filesystem or s3.")
MEDIA_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Public media behind a CDN: plain URLs that can be cached, not expiring signed ones.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
    if STORAGE_BACKEND == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Serve uploaded pictures from MEDIA_ROOT through Django (always with DEBUG). In production prefer a
# CDN, the web server or object storage; this is for a single machine without one.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Photo uploads: larger files or pictures are refused with a message (decompression bombs included).
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 60_000_000))
# Responsive renditions made once per image: widths in pixels (never upscaled) and formats, modern first.
IMAGE_RENDITION_WIDTHS = sorted(int(w) for w in env_list("IMAGE_RENDITION_WIDTHS", "320,640,960,1280,1920"))
IMAGE_RENDITION_FORMATS = env_list("IMAGE_RENDITION_FORMATS", "avif,webp,jpeg")
if "jpeg" not in IMAGE_RENDITION_FORMATS or not set(IMAGE_RENDITION_FORMATS) <= {"avif", "webp", "jpeg"}:
    raise ImproperlyConfigured("IMAGE_RENDITION_FORMATS takes avif, webp and jpeg, and must include jpeg.")
# Renditions are made by the worker (manage.py run_worker). Without one, an upload may also spend up to
# this many seconds making them itself before answering.
IMAGE_RENDITIONS_INLINE_SECONDS = float(os.environ.get("IMAGE_RENDITIONS_INLINE_SECONDS", "0"))

# Proxies (load balancer, CDN) the site trusts in front of it: API throttles and sign-in lock-outs then
# read the client's address from X-Forwarded-For that many entries from the right (newsroom/clients.py).
# 0 or empty: the connecting address, and X-Forwarded-For is ignored. API_NUM_PROXIES is the older name.
TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES") or os.environ.get("API_NUM_PROXIES") or "0"
if not TRUSTED_PROXIES.isdigit():
    raise ImproperlyConfigured("TRUSTED_PROXIES must be a whole number of proxies (0 for none).")
TRUSTED_PROXIES = int(TRUSTED_PROXIES)

API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "300/min"),
    "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "articles.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON with bounded nesting and string length; forms and uploads as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "articles.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["articles.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.CursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "articles.api.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "articles.api.errors.exception_handler",
    # "off" drops a limit, e.g. behind a CDN that limits at the edge and sends the origin few requests.
    "DEFAULT_THROTTLE_CLASSES": [
        path
        for path, rate in [
            ("articles.api.throttling.AnonRateThrottle", API_THROTTLE_RATES["anon"]),
            ("articles.api.throttling.UserRateThrottle", API_THROTTLE_RATES["user"]),
        ]
        if rate != "off"
    ],
    # Requests per client (IP address for anonymous callers, account for token holders), counted in fixed
    # windows with one cache round trip per request (articles/api/throttling.py, newsroom/throttling.py).
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
    # The throttles above read the address through newsroom.clients; DRF's own reading agrees with it.
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

REST_KNOX = {
    # Tokens for scripts and CI live until revoked in the admin.
    "TOKEN_TTL": None,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": (
        "Published stories, their quotes, speakers and contributors as structured JSON. "
        "Anonymous callers see public content only; writes need a staff token "
        "(`Authorization: Token <key>`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from our own static files: the CSP allows no third-party scripts.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # OpenAPI 3.1 is JSON Schema: nullable is `type: [..., "null"]`, and IPTC's ninjs schema fits as it is.
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.contract.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "QuoteKindEnum": "articles.models.Quote.Kind",
        "CorrectionKindEnum": "articles.models.Correction.Kind",
        "BylineRoleEnum": "articles.models.Byline.Role",
    },
}

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
# Conditional requests and optimistic writes need these headers on both sides of the browser.
CORS_ALLOW_HEADERS = [*default_cors_headers, "if-match", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Location"]

# Logs on standard error: JSON lines (DJANGO_LOG_FORMAT=json, the default in production) or plain text, each
# with the id of the request it came from (newsroom/logs.py).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT") or ("json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "newsroom.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Security. HTTPS-only behaviour (redirect, secure cookies, HSTS) is on in production unless
# DJANGO_HTTPS=0, e.g. for docker-compose on a laptop; `manage.py check --deploy` then says so.
HTTPS = env_bool("DJANGO_HTTPS", PRODUCTION)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end after a working day, and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_SECONDS", str(12 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Everything the site needs is served from its own origin: no third-party scripts, fonts or frames.
# Inline <style> is allowed (the page templates and the admin use it); inline script is not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Request limits: a body or form beyond these answers 413 / 400 before any view parses it.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_MAX_BODY_BYTES", str(5 * 1024 * 1024)))
# The story form carries every block, quote and byline inline; 1,000 fields is too few for long reads.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Multipart uploads may be larger than JSON bodies (photos), but not unbounded.
MAX_UPLOAD_BYTES = int(os.environ.get("DJANGO_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o644

# Login throttling: five failures for one username from one address lock that pair out for
# AXES_COOLOFF_MINUTES, and AXES_ADDRESS_FAILURE_LIMIT failures from one address, whatever the names, lock
# the address out (newsroom/logins.py). Addresses are read as the API throttles read them. Unknown
# usernames lock out exactly like real ones, so the lock-out page says nothing about which accounts exist.
# Two-factor sign-in (newsroom/second_factor.py): editors and admins must give a code from an authenticator
# app at sign-in. On by default in production; enrolment is printed by `manage.py create_editor`.
OTP_REQUIRED = env_bool("OTP_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = SITE_NAME

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "newsroom.logins.LoginAttemptHandler"
# A refused attempt during a lock-out answers the lock-out page and is not counted again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
AXES_VERBOSE = False
