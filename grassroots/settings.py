"""Settings for Grassroots, read from environment variables (12-factor).

The defaults are the embedded mode: SQLite in WAL mode, local files, in-memory cache, background
jobs run in-process right after commit. Production sets DATABASE_URL, REDIS_URL/CELERY_BROKER_URL,
S3_BUCKET and friends; the same settings module serves both so dev and prod never drift silently.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GRASSROOTS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Under pytest the suite runs with test-friendly defaults (no HTTPS redirects, fast password hashing).
TESTING = env_bool("GRASSROOTS_TESTING", False) or "pytest" in sys.modules

_INSECURE_KEY = "insecure-dev-key-only-for-local-demo-never-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = _INSECURE_KEY
    else:
        raise ImproperlyConfigured("SECRET_KEY phải được đặt khi DEBUG tắt (SECRET_KEY must be set).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "core",
    "units",
    "accounts",
    "certification",
    "feedback",
    "surveys",
    "participation",
    "supervision",
    "disclosure",
    "steering",
    "portal",
]

MIDDLEWARE = [
    # First, so the latency it records for /metrics includes every other middleware.
    "core.prometheus.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Before authentication and every view: U+0000 in any input is a 400, never a PostgreSQL 500.
    "core.nul_bytes.RejectNulBytesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"
ASGI_APPLICATION = "grassroots.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: one SQLite file in WAL mode with synchronous=FULL, so a committed citizen's
# submission survives a power cut; IMMEDIATE transactions avoid "database is locked" upgrades.
_sqlite_path = VAR_DIR / "db.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_path),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
if TEST_DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(TEST_DATABASE_URL)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every key carries CACHE_KEY_PREFIX, so two sites (or a site and its tests) can share one Redis. Under
# pytest each process gets its own prefix: the xdist workers read different test databases, and a
# figure one of them cached must never be served to the other (nor to a later run).
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "")
if TESTING:
    CACHE_KEY_PREFIX = f"{CACHE_KEY_PREFIX}test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.PrefixedRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": CACHE_KEY_PREFIX}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "grassroots"}}

# --- Background jobs ------------------------------------------------------------------------
# Without a broker, Celery runs tasks eagerly in-process; core.jobs.enqueue() defers them to after
# the commit either way, so the embedded mode behaves like production minus the separate worker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = TESTING
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_TASK_ACKS_LATE = True
# The beat schedule is not a setting: each capability declares its jobs in its manifest
# (<app>/capability.py) and grassroots/celery.py builds app.conf.beat_schedule from them.

# --- Files ----------------------------------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            # Never replace an object: two uploads with the same name get different keys, as in the
            # local folder (django-storages' default would overwrite the first citizen's photo).
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
UPLOAD_ALLOWED_TYPES = env_list("UPLOAD_ALLOWED_TYPES", "application/pdf,image/jpeg,image/png,image/webp")
# Where the PDFs find fonts with Vietnamese letters (a ":"-separated search path): Liberation Serif
# for state documents (Debian's fonts-liberation2), DejaVu for working sheets (fonts-dejavu-core).
PDF_FONT_DIR = os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/liberation2:/usr/share/fonts/truetype/dejavu")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

# --- Email / notifications ------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "grassroots@localhost")
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
# Where citizens and officials open the site (scheme, host and any path prefix): every notification
# carries the absolute link to the case, file or page it announces, built on it (core.links). A local
# trial defaults to runserver's address; production sets it (`manage.py check` warns otherwise).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if (DEBUG or TESTING) else "").rstrip("/")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["grassroots.formats"]

# --- Authentication and security ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor authentication is required for every staff role. Only a local demo (DEBUG on) may
# relax it; with DEBUG off the setting is ignored.
OTP_REQUIRED = True if not DEBUG else env_bool("OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "Grassroots"
# The first enrolment of an authenticator needs a one-time link an administrator issues (creating
# the account, resetting its second factor, or `manage.py enrolment_link USERNAME`); it expires after:
TWO_FACTOR_ENROLMENT_HOURS = int(os.environ.get("TWO_FACTOR_ENROLMENT_HOURS", "72"))
# A password reset link works for one hour (the e-mail says so); one client address or one e-mail
# address may ask for this many links per hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
PASSWORD_RESET_REQUESTS_PER_HOUR = int(os.environ.get("PASSWORD_RESET_REQUESTS_PER_HOUR", "5"))

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The lockout keys on the real client (core.client_address), never on a reverse proxy's address.
AXES_CLIENT_IP_CALLABLE = "core.client_address.axes_client_ip"

SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SESSION_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

SECURE = not DEBUG and not TESTING and env_bool("SECURE", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
# The probes answer over plain HTTP too: an orchestrator's liveness/readiness check calls the app port
# directly and must not be sent a redirect. They carry no secret (/metrics keeps the redirect).
SECURE_REDIRECT_EXEMPT = [r"^(livez|readyz|healthz)$"]
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# Reverse proxies whose X-Forwarded-For we believe (addresses or networks, comma-separated). Empty:
# the direct peer is the client. Rate limits and the login lockout use core.client_address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Public feedback limits per client (core.ratelimit token buckets in the database, shared by every
# worker): a burst, then a sustained rate per hour. A commune hall's Wi-Fi or a carrier's NAT puts
# many citizens behind one address, so the defaults are generous; only accepted reports count.
FEEDBACK_SUBMIT_BURST = int(os.environ.get("FEEDBACK_SUBMIT_BURST", "20"))
FEEDBACK_SUBMIT_PER_HOUR = float(os.environ.get("FEEDBACK_SUBMIT_PER_HOUR", "60"))
FEEDBACK_RATING_BURST = int(os.environ.get("FEEDBACK_RATING_BURST", "30"))
FEEDBACK_RATING_PER_HOUR = float(os.environ.get("FEEDBACK_RATING_PER_HOUR", "120"))
FEEDBACK_TRACK_BURST = int(os.environ.get("FEEDBACK_TRACK_BURST", "30"))
FEEDBACK_TRACK_PER_HOUR = float(os.environ.get("FEEDBACK_TRACK_PER_HOUR", "120"))
# The online household vote (participation): votes and code checks accepted per client address, a
# burst then a sustained rate; a village's households often share one address (the cultural house's
# Wi-Fi), so the burst is generous, while guessing a 10-character code stays hopeless.
PARTICIPATION_VOTE_BURST = int(os.environ.get("PARTICIPATION_VOTE_BURST", "60"))
PARTICIPATION_VOTE_PER_HOUR = float(os.environ.get("PARTICIPATION_VOTE_PER_HOUR", "300"))
# Steering: owners of a task are reminded this many days before it is due; the committee member
# following the locality is urged once a task is this many days overdue.
STEERING_REMINDER_DAYS = int(os.environ.get("STEERING_REMINDER_DAYS", "7"))
STEERING_ESCALATION_DAYS = int(os.environ.get("STEERING_ESCALATION_DAYS", "7"))
# The overview shows a rate (on-time disclosure, satisfaction, ...) in red below this share (%).
STEERING_OVERVIEW_RATE_ALERT = float(os.environ.get("STEERING_OVERVIEW_RATE_ALERT", "80"))
# The rest of the public feedback knobs (feedback.conf reads them when used): a form filled faster
# than this is a robot's; one rating per device per counter per window; the largest attachment.
FEEDBACK_MIN_FILL_SECONDS = int(os.environ.get("FEEDBACK_MIN_FILL_SECONDS", "3"))
FEEDBACK_RATING_WINDOW_SECONDS = int(os.environ.get("FEEDBACK_RATING_WINDOW_SECONDS", str(12 * 60 * 60)))
FEEDBACK_MAX_ATTACHMENT_BYTES = int(os.environ.get("FEEDBACK_MAX_ATTACHMENT_BYTES", str(5 * 1024 * 1024)))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The map's tile server is a setting; with none set (or none reachable) the commune page still
# shows the coordinates and a link, without broken pieces.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap")
_tile_origin = ""
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    # "https://{s}.tile.example.org/{z}/{x}/{y}.png" → "https://*.tile.example.org"
    _parts = urlsplit(MAP_TILE_URL)
    _tile_origin = f"{_parts.scheme}://{_parts.netloc.replace('{s}.', '*.')}"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Province configuration -----------------------------------------------------------------
# The province the public home page opens on, by its code in the structure in force today (the
# 2025 list: 24 is the new Bắc Ninh, which Bắc Giang joined). Every province loaded is served; this
# only picks the first one shown.
PROVINCE_CODE = os.environ.get("PROVINCE_CODE", "24")

# /metrics (core.prometheus) answers only to these addresses or networks, or to this bearer token;
# with neither it is a 404. Request histograms add up over gunicorn workers when
# PROMETHEUS_MULTIPROC_DIR (read by prometheus-client itself) names an empty directory.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES")
METRICS_BEARER_TOKEN = os.environ.get("METRICS_BEARER_TOKEN", "")
# The first day of the two-tier structure (Resolution 202/2025/QH15): units of the earlier list that
# have a successor are in force up to the day before.
STRUCTURE_TWO_TIER_FROM = os.environ.get("STRUCTURE_TWO_TIER_FROM", "2025-07-01")
SITE_NAME = os.environ.get("SITE_NAME") or _("Dân chủ cơ sở – Chính quyền thân thiện")

ADMIN_URL = os.environ.get("ADMIN_URL", "quan-tri-he-thong/")

# The province's choices that are not rows it edits on a page (each app's conf.py says why and
# reads them when used, so a test overrides them with the `settings` fixture).
# Feedback: reminders this many working days before a case is due; the reporter may reopen an
# answer within this many days; reports the routing sends above a unit count in its figures only in
# whole blocks of this many months with at least this many reports (privacy of the reporter).
FEEDBACK_REMINDER_WORKING_DAYS = int(os.environ.get("FEEDBACK_REMINDER_WORKING_DAYS", "2"))
FEEDBACK_REOPEN_DAYS = int(os.environ.get("FEEDBACK_REOPEN_DAYS", "30"))
FEEDBACK_ROUTED_AWAY_MIN_CASES = int(os.environ.get("FEEDBACK_ROUTED_AWAY_MIN_CASES", "5"))
FEEDBACK_ROUTED_AWAY_PERIOD_MONTHS = int(os.environ.get("FEEDBACK_ROUTED_AWAY_PERIOD_MONTHS", "3"))
# Certification: reminders go out this many days before each campaign deadline (and on the day);
# the appraisal-quality table flags a top-band commune whose citizens' figures (these metric keys)
# fall below FLAG_BELOW, or for "lower is better" figures rise above FLAG_ABOVE.
CERTIFICATION_REMINDER_DAYS_BEFORE = tuple(int(d) for d in env_list("CERTIFICATION_REMINDER_DAYS_BEFORE", "7,2"))
CERTIFICATION_FLAG_METRICS = tuple(
    env_list(
        "CERTIFICATION_FLAG_METRICS",
        "feedback.on_time_rate,feedback.counter_satisfaction,feedback.harassment_reports,surveys.satisfaction_index",
    )
)
CERTIFICATION_FLAG_BELOW = float(os.environ.get("CERTIFICATION_FLAG_BELOW", "60"))
CERTIFICATION_FLAG_ABOVE = float(os.environ.get("CERTIFICATION_FLAG_ABOVE", "0"))
# Certification, the province's check: when a district forwards, this share of its newly forwarded
# files (at least SAMPLE_MIN) is drawn, stratified by proposed star band, for the province's own
# appraisal; a sampled file whose district − province gap exceeds GAP_TOLERANCE points is flagged;
# a district registering more than (1 + MASS_REGISTRATION_EXCESS) × the communes whose own citizens'
# figures meet the bar is flagged for mass registration.
CERTIFICATION_SAMPLE_SHARE = float(os.environ.get("CERTIFICATION_SAMPLE_SHARE", "0.2"))
CERTIFICATION_SAMPLE_MIN = int(os.environ.get("CERTIFICATION_SAMPLE_MIN", "1"))
CERTIFICATION_GAP_TOLERANCE = float(os.environ.get("CERTIFICATION_GAP_TOLERANCE", "5"))
CERTIFICATION_MASS_REGISTRATION_EXCESS = float(os.environ.get("CERTIFICATION_MASS_REGISTRATION_EXCESS", "0.5"))
CERTIFICATION_REREGISTER_WHILE_VALID = os.environ.get("CERTIFICATION_REREGISTER_WHILE_VALID", "1") == "1"
CERTIFICATION_VALIDITY_YEARS = int(os.environ.get("CERTIFICATION_VALIDITY_YEARS", "1"))
# Surveys: a respondent answering at least this on the 5-point scale is satisfied; results resting
# on fewer responses are suppressed (a campaign may set its own); XLSForm import caps and time limit;
# the SMS gateway class for respondents' one-time codes.
SURVEYS_SATISFIED_FROM = int(os.environ.get("SURVEYS_SATISFIED_FROM", "4"))
SURVEYS_MIN_RESPONSES = int(os.environ.get("SURVEYS_MIN_RESPONSES", "10"))
SURVEYS_XLSFORM_MAX_UNPACKED = int(os.environ.get("SURVEYS_XLSFORM_MAX_UNPACKED", str(20 * 1024 * 1024)))
SURVEYS_XLSFORM_MAX_ROWS = int(os.environ.get("SURVEYS_XLSFORM_MAX_ROWS", "2000"))
SURVEYS_XLSFORM_MAX_COLUMNS = int(os.environ.get("SURVEYS_XLSFORM_MAX_COLUMNS", "60"))
SURVEYS_XLSFORM_IMPORT_SECONDS = int(os.environ.get("SURVEYS_XLSFORM_IMPORT_SECONDS", "60"))
SURVEYS_SMS_BACKEND = os.environ.get("SURVEYS_SMS_BACKEND", "surveys.sms.ConsoleBackend")
# Surveys' public API: answers accepted per client address (a burst, then a sustained rate; many
# respondents share a commune hall's or a carrier's address), and token look-ups per client.
SURVEYS_SUBMIT_BURST = int(os.environ.get("SURVEYS_SUBMIT_BURST", "30"))
SURVEYS_SUBMIT_PER_HOUR = float(os.environ.get("SURVEYS_SUBMIT_PER_HOUR", "120"))
SURVEYS_LOOKUP_BURST = int(os.environ.get("SURVEYS_LOOKUP_BURST", "30"))
SURVEYS_LOOKUP_PER_HOUR = float(os.environ.get("SURVEYS_LOOKUP_PER_HOUR", "120"))
# Supervision: the commune answers a People's Inspection Board's (or a Community Investment
# Supervision Board's) recommendation within this many calendar days (Law 10/2022/QH15, 15 days);
# the commune is reminded this many days before it is due.
SUPERVISION_ANSWER_DAYS = int(os.environ.get("SUPERVISION_ANSWER_DAYS", "15"))
SUPERVISION_REMINDER_DAYS_BEFORE = int(os.environ.get("SUPERVISION_REMINDER_DAYS_BEFORE", "3"))
SUPERVISION_REPORT_REMINDER_WORKING_DAYS = int(os.environ.get("SUPERVISION_REPORT_REMINDER_WORKING_DAYS", "3"))
# Disclosure: a notice-board photo counts as proof when taken within this distance of the commune's
# recorded location; photo size cap; reminders this many working days before a disclosure falls
# due, and this many days before a posting's required period ends.
DISCLOSURE_PHOTO_MAX_DISTANCE_METRES = int(os.environ.get("DISCLOSURE_PHOTO_MAX_DISTANCE_METRES", "15000"))
DISCLOSURE_PHOTO_MAX_BYTES = int(os.environ.get("DISCLOSURE_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
DISCLOSURE_REMINDER_WORKING_DAYS = int(os.environ.get("DISCLOSURE_REMINDER_WORKING_DAYS", "2"))
DISCLOSURE_POSTING_END_REMINDER_DAYS = int(os.environ.get("DISCLOSURE_POSTING_END_REMINDER_DAYS", "3"))

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
# Bearer tokens expire: the lifetime is chosen when the token is created, up to the maximum.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
if not 1 <= API_TOKEN_DEFAULT_DAYS <= API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured("API_TOKEN_DEFAULT_DAYS phải từ 1 đến API_TOKEN_MAX_DAYS.")

# --- Logging: one JSON object a line, with the request id -----------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
