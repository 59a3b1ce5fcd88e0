"""Settings for HợpTác. Everything that differs between machines comes from the environment
(see `.env.example`); without `DATABASE_URL` the app runs on a local SQLite file."""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Production mode (docs/decisions/0021-production-mode.md, docs/deployment.md) -----------------------------
# DEBUG is off unless asked for: a server started with nothing set runs in production mode, and refuses to start
# without its own secret key. The developer commands (`make demo`, `make test`, pytest through
# hoptac/core/testenv.py) set DJANGO_DEBUG=true themselves.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set: with DJANGO_DEBUG off the server does not start on a built-in key. "
            "Set DJANGO_SECRET_KEY to a long random value (docs/deployment.md), or DJANGO_DEBUG=true on a "
            "developer's machine."
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-with-debug-off"  # noqa: S105 (debug mode only)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "hoptac.core",
    "hoptac.accounts",
    "hoptac.notifications",
    "hoptac.areas",
    "hoptac.registry",
    "hoptac.scoring",
    "hoptac.plans",
    "hoptac.tasks",
    "hoptac.imports",
    "hoptac.reports",
    "hoptac.privacy",
    "hoptac.desk",
    "hoptac.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the WSGI process, compressed and cached forever by their hashed names.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hoptac.core.middleware.VietnameseFirstLocaleMiddleware",
    # Refuses an over-large body from its Content-Length, before CSRF or a form reads it (production mode).
    "hoptac.core.uploads.UploadSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Mandatory two-step sign-in (HOPTAC_REQUIRE_2FA_ROLES): a session without a device reaches only its set-up.
    "hoptac.accounts.two_factor.EnrolmentRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "hoptac.accounts.audit.AuditMiddleware",
]

ROOT_URLCONF = "hoptac.urls"
WSGI_APPLICATION = "hoptac.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hoptac" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hoptac.accounts.context_processors.user_role",
                "hoptac.desk.context_processors.review_queues",
            ],
        },
    },
]

# Database: DATABASE_URL picks it; the default is a SQLite file in WAL mode whose write
# transactions start IMMEDIATE, so two writers queue instead of failing with "database is locked".
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    # Persistent connections (PostgreSQL): a worker keeps its connection for DJANGO_CONN_MAX_AGE seconds
    # (default 600 in production, 0 — one per request — in debug) instead of opening one per request, and
    # checks it is alive before reusing it. A gunicorn sync worker serves one request at a time, so a
    # server needs WEB_CONCURRENCY (+ the task worker) connections, well under PostgreSQL's 100.
    # Persistent rather than pooled (psycopg's pool, DATABASES OPTIONS "pool"): a sync worker needs one
    # connection at a time, which it keeps; a pool would only help threads (docs/decisions/0039).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # No JIT compilation: the plan engine's wide conditional aggregates (one COUNT … FILTER per figure)
        # cross PostgreSQL's jit_above_cost on a national registry, and compiling their ~200 expressions
        # took seconds (EXPLAIN: 10.8 s of JIT for a query that runs in 0.5 s; docs/decisions/0036-cold-pages.md).
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# A read replica (a PostgreSQL hot standby of the primary), optional: the figures computed through
# hoptac.core.dataversion.cached (plan, national and summary pages) are read from it once it has replayed
# everything the primary had committed when the figure was asked for; otherwise, and for every other read
# and every write, the primary (hoptac/core/replica.py, docs/decisions/0039-several-processes-and-machines.md).
# In tests the alias is a mirror of the test database (Django's TEST MIRROR).
if env("DATABASE_REPLICA_URL", default=""):
    _replica = env.db("DATABASE_REPLICA_URL")
    _replica["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    _replica["CONN_HEALTH_CHECKS"] = True
    _replica["TEST"] = {"MIRROR": "default"}
    if _replica["ENGINE"] != "django.db.backends.sqlite3":
        from psycopg import IsolationLevel

        # One snapshot for the version check and the whole computation; a replica that does not answer
        # within 3 s is left alone for a while (the primary answers).
        _replica.setdefault("OPTIONS", {}).update(
            {"isolation_level": IsolationLevel.REPEATABLE_READ, "connect_timeout": 3, "options": "-c jit=off"}
        )
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["hoptac.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: DJANGO_CACHE_URL picks it (django-environ's cache URLs). Unset: each process keeps its own
# (local memory), which is correct — cached figures are keyed by the data version that every process reads
# from the database (hoptac/core/dataversion.py) — but each of many processes computes every figure once.
# Shared by every process of every machine: `dbcache://hoptac_cache` (a table in PostgreSQL: `manage.py
# createcachetable`, which `scripts/serve prepare` runs) or `redis://host:6379/1` (Django's RedisCache; needs
# the `redis` package: `pip install -e '.[redis]'`). The API throttling counts live in the same cache
# (docs/decisions/0039-several-processes-and-machines.md).
CACHES = {"default": env.cache_url_config(env("DJANGO_CACHE_URL", default="") or "locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# ---- Authentication, sessions, API tokens and throttling (engineer F2; docs/decisions/0022-authentication-audit.md)
# django-axes: an account is locked from one address after AXES_FAILURE_LIMIT failed sign-ins in a row, and an
# address is locked for every account after AXES_IP_FAILURE_LIMIT failures across any usernames (password
# spraying); both for AXES_COOLOFF_TIME hours. The two limits are applied by hoptac.accounts.lockout.
AXES_HANDLER = "hoptac.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Sessions of a working day: 9 hours from sign-in, and gone when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=9 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
# API tokens (django-rest-knox): stored as a SHA-512 digest, shown once, valid API_TOKEN_DAYS days, revoked on
# sign-out and on a password change (hoptac.accounts.signals).
# A token's expiry is fixed when it is made: a request never writes to the database to extend it
# (AUTO_REFRESH off; were it turned on, MIN_REFRESH_INTERVAL keeps it to one write an hour per token).
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": None,
    "AUTO_REFRESH": False,
    "MIN_REFRESH_INTERVAL": 60 * 60,
}
# API throttling: per address for anonymous calls, per user when signed in, stricter for the token endpoint.
API_THROTTLE_RATES = {
    "anon": env("API_THROTTLE_ANON", default="60/minute"),
    "user": env("API_THROTTLE_USER", default="1200/minute"),
    "login": env("API_THROTTLE_LOGIN", default="10/minute"),
}
# The API schema and docs need a signed-in user unless this is set (e.g. for a public integration guide).
API_SCHEMA_PUBLIC = env.bool("API_SCHEMA_PUBLIC", default=False)
# Two-step sign-in (django-otp TOTP, hoptac.accounts.two_factor; docs/decisions/0027-two-step-sign-in-and-personal-data.md):
# administrators and provincial officers may turn it on from their profile page; the roles listed here must
# (they enrol at their next sign-in). Wrong codes count as failed sign-ins in django-axes (the one lockout), so
# django-otp's own delay between attempts is off.
HOPTAC_TWO_FACTOR_ROLES = ["admin", "province"]
HOPTAC_REQUIRE_2FA_ROLES = env.list("HOPTAC_REQUIRE_2FA_ROLES", default=[])
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="HợpTác")
OTP_TOTP_THROTTLE_FACTOR = 0
# ---- end of authentication settings

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "hoptac" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["hoptac.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "hoptac" / "static"]
# Production mode serves what `collectstatic` gathered, by hashed names (whitenoise, compressed); debug mode (and
# the tests) serve the sources as they are, without a collectstatic step.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In debug mode (and the tests) whitenoise serves the sources through the finders, looked up on each request.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# --- Production mode: transport and browser security (docs/deployment.md) ------------------------------------
# Each is on when DEBUG is off and can be turned off one by one (e.g. DJANGO_SECURE_SSL_REDIRECT=false when the
# reverse proxy already redirects). Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=true: the
# proxy's X-Forwarded-Proto header tells Django the request came over HTTPS (the proxy must overwrite it).
_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=_SECURE)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000 if _SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_SECURE)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=_SECURE)
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Paths the SSL redirect leaves alone: the health check a load balancer calls over plain HTTP, if any.
SECURE_REDIRECT_EXEMPT = env.list("DJANGO_SECURE_REDIRECT_EXEMPT", default=[])
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=_SECURE)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=_SECURE)
SESSION_COOKIE_HTTPONLY = True
# The CSRF token is read from the form, never by a script: the cookie can be HttpOnly too.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from our own static files — no inline <script>, no inline
# event handlers (hoptac/static/js/app.js binds data-confirm and the like). Inline style attributes stay
# allowed (bar widths; Swagger UI and ReDoc set styles from script); images may be data: URIs (Swagger UI icons);
# ReDoc runs its search in a blob: worker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Request-size caps: a form or JSON body above DATA_UPLOAD_MAX_MEMORY_SIZE is refused (400) before it is parsed;
# an uploaded file above FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file instead of memory; a whole upload
# above HOPTAC_MAX_UPLOAD_BYTES is refused from its Content-Length before it is read (hoptac.core.uploads).
# Each use of an upload has its own, smaller limit on top (hoptac.core.uploads.check_upload).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_FILE_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
HOPTAC_MAX_UPLOAD_BYTES = env.int("HOPTAC_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)

REST_FRAMEWORK = {
    # The first class names the challenge of a 401 (WWW-Authenticate: Token): a missing, wrong or expired
    # token answers 401, never 403. A request without an Authorization header falls through to the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # knox's tokens, refused when two-step sign-in is mandatory and not set up (HOPTAC_REQUIRE_2FA_ROLES).
        "hoptac.accounts.two_factor.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "hoptac.core.api.ApiSchema",
    # Django's ValidationError from a service → 400 by field (PermissionDenied → 403, Http404 → 404).
    "EXCEPTION_HANDLER": "hoptac.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HợpTác API",
    "DESCRIPTION": "REST API của HợpTác: sổ đăng ký tổ chức kinh tế tập thể, đơn vị hành chính, số liệu hằng năm.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc are served from our own static files (drf-spectacular-sidecar), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LegalStatusEnum": "hoptac.registry.choices.LegalStatus",
        "OrganisationKindEnum": "hoptac.registry.choices.OrganisationKind",
        "SectorEnum": "hoptac.registry.choices.Sector",
        "TargetStatusEnum": "hoptac.plans.choices.TargetStatus",
        "IndicatorKindEnum": "hoptac.plans.choices.IndicatorKind",
        "ComparatorEnum": "hoptac.plans.choices.Comparator",
        "ImportJobStateEnum": "hoptac.imports.models.ImportJob.State",
        "AssessmentStateEnum": "hoptac.scoring.choices.AssessmentState",
        "ProgressReportStateEnum": "hoptac.tasks.choices.ReportState",
        "YearlyReportStateEnum": "hoptac.registry.models.YearlyReportState",
        "DataRequestKindEnum": "hoptac.privacy.models.RequestKind",
        "DataRequestStateEnum": "hoptac.privacy.models.RequestState",
        "AreaLevelEnum": "hoptac.plans.indicators.AREA_LEVELS",
        "LevelEnum": "hoptac.areas.models.Level",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# The province this installation serves, by its code on the current (post-1/7/2025) map.
# `load_admin_units` loads it and every pre-2025 province merged into it.
HOPTAC_PROVINCE_CODES = env.list("HOPTAC_PROVINCE_CODES", default=["37"])

# Shipped data files (plans, scoring schemes, size classes, agencies), one folder per kind: <dir>/<kind>/*.yaml
# (docs/decisions/0008-data-files.md). A checkout has them in data/; an installed wheel in <prefix>/share/hoptac/data.
_SOURCE_DATA = BASE_DIR / "data"
HOPTAC_DATA_DIR = Path(
    env(
        "HOPTAC_DATA_DIR",
        default=str(
            _SOURCE_DATA if _SOURCE_DATA.is_dir() else Path(sys.prefix) / "share" / "hoptac" / "data"
        ),
    )
)

# Background work (reminders, large imports) through Django's tasks API (django-tasks) with its database
# backend: no extra service; `manage.py db_worker` runs the worker.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Imported files up to this size are checked and imported within the request; larger ones by the task
# worker (0: every file goes to the worker, e.g. to keep web processes free on a busy national server).
HOPTAC_IMPORT_INLINE_BYTES = env.int("HOPTAC_IMPORT_INLINE_BYTES", default=64 * 1024)

# The address of the site as people reach it, for the absolute links in e-mails (notifications, reminders).
HOPTAC_SITE_URL = env("HOPTAC_SITE_URL", default="http://localhost:8000")

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="HợpTác <khong-tra-loi@hoptac.local>")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Exports (docs/decisions/0038-exports.md): up to EXPORT_INLINE_ROWS rows a page or API export answers the file
# at once; a larger one is prepared by the task worker into MEDIA_ROOT/exports/ (never served as media: only
# its owner downloads it, through the application), and removed EXPORT_KEEP_DAYS days later. 4,000: about one
# second of a web worker's CPU for the widest list (yearly data, 40 columns, ~3,900 rows/s), half that for the
# organisation list (~7,900 rows/s) — measured by benchmarks/export_rates.py (docs/decisions/0048).
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=4_000)
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
