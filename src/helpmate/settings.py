"""Helpmate settings: one module, configured by environment variables.

Every variable is read through the small helpers below so that a bad value stops start-up with
a message that says what to fix. Secrets may come from ``<NAME>_FILE`` (a path whose content is
the value), as container secrets usually are.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str | None = None) -> str | None:
    """A string from ``NAME`` or from the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Under pytest the defaults change: a throw-away data directory, tasks run at once, mail kept
# in memory, a fast password hasher.
TESTING = env_bool("HELPMATE_TESTING", "pytest" in sys.modules)
DEBUG = env_bool("HELPMATE_DEBUG", False)

if TESTING and not os.environ.get("HELPMATE_DATA_DIR"):
    DATA_DIR = Path(tempfile.mkdtemp(prefix="helpmate-test-"))
else:
    DATA_DIR = Path(os.environ.get("HELPMATE_DATA_DIR", "helpmate-data")).resolve()


def _secret_key() -> str:
    configured = env_str("HELPMATE_SECRET_KEY")
    if configured:
        return configured
    # Without a configured key, keep one in the data directory so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(key, encoding="utf-8")
        key_file.chmod(0o600)
    except OSError:
        pass  # read-only location: the key lives for this process only
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("HELPMATE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("HELPMATE_CSRF_TRUSTED_ORIGINS", [])
BASE_URL = (env_str("HELPMATE_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "helpmate.web",
    "helpmate.people",
    "helpmate.desk",
    "helpmate.portal",
    "helpmate.api",
    "helpmate.mail",
    "helpmate.outbox",
    "helpmate.service",
    "helpmate.promises",
    "helpmate.effort",
    "helpmate.guard",
    "helpmate.handoffs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "helpmate.urls"
WSGI_APPLICATION = "helpmate.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpmate.web.context_processors.helpmate",
                "helpmate.desk.context_processors.workspace",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'helpmate.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or _default_db, conn_max_age=60, conn_health_checks=True
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL I understand: {exc}") from exc

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at the
        # start of a transaction so two writers queue instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("HELPMATE_TEST_SQLITE_NAME", "")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The desk's queries walk an index and stop after a page; parallel workers only overshoot.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c max_parallel_workers_per_gather=0 -c work_mem=32MB"
    )
else:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "desk:inbox"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
with contextlib.suppress(OSError):  # whitenoise serves from the apps; it wants the folder
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = Path(env_str("HELPMATE_MEDIA_DIR") or DATA_DIR / "attachments")
MEDIA_URL = "/attachments/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("HELPMATE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# --- Helpmate behaviour ----------------------------------------------------------------------
# When true, agents see only conversations of their teams (and those they own); admins see all.
HELPMATE_AGENTS_SEE_TEAM_ONLY = env_bool("HELPMATE_AGENTS_SEE_TEAM_ONLY", False)
HELPMATE_MAX_ATTACHMENT_BYTES = env_int(
    "HELPMATE_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024, minimum=1024
)
HELPMATE_MAX_ATTACHMENTS_PER_MESSAGE = env_int(
    "HELPMATE_MAX_ATTACHMENTS_PER_MESSAGE", 10, minimum=1
)
HELPMATE_BLOCKED_EXTENSIONS = env_list(
    "HELPMATE_BLOCKED_EXTENSIONS",
    ["exe", "bat", "cmd", "com", "msi", "scr", "js", "vbs", "jar", "ps1", "dll", "lnk", "hta"],
)
HELPMATE_PORTAL_LINK_MINUTES = env_int("HELPMATE_PORTAL_LINK_MINUTES", 30, minimum=1)
HELPMATE_PAGE_SIZE = env_int("HELPMATE_PAGE_SIZE", 50, minimum=5)
HELPMATE_PRODUCT_NAME = env_str("HELPMATE_PRODUCT_NAME", "Helpmate") or "Helpmate"
HELPMATE_COMPANY_NAME = env_str("HELPMATE_COMPANY_NAME", "Northwind Support") or "Helpmate"
# Modules that review a reply before it is sent (see helpmate.desk.composer).
HELPMATE_COMPOSER_CHECKS = ["helpmate.promises.composer", "helpmate.guard.composer"]
# Upload limit of a whole request body (attachments plus text), a little over the file limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Email -----------------------------------------------------------------------------------
EMAIL_BACKEND = (
    env_str("HELPMATE_EMAIL_BACKEND") or "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
EMAIL_HOST = env_str("HELPMATE_SMTP_HOST", "localhost") or "localhost"
EMAIL_PORT = env_int("HELPMATE_SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("HELPMATE_SMTP_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("HELPMATE_SMTP_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("HELPMATE_SMTP_STARTTLS", False)
DEFAULT_FROM_EMAIL = env_str("HELPMATE_FROM_EMAIL", "support@helpmate.localhost")

# --- Background work -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("HELPMATE_TASKS_IMMEDIATE", TESTING)
            else "django_tasks_db.backend.DatabaseBackend"
        ),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HELPMATE_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]

# --- handoffs and guard ----------------------------------------------------------------------
# A conversation handed over this many times alerts the team lead (a maze).
HELPMATE_HANDOFF_ALERT_COUNT = env_int("HELPMATE_HANDOFF_ALERT_COUNT", 3, minimum=2)
# An open conversation left without a named owner this long (business minutes) alerts the lead.
HELPMATE_UNOWNED_ALERT_MINUTES = env_int("HELPMATE_UNOWNED_ALERT_MINUTES", 240, minimum=1)
# Extra deflection-guard rules (TOML, same format as helpmate/guard/default_rules.toml).
HELPMATE_GUARD_RULES_FILE = env_str("HELPMATE_GUARD_RULES_FILE", "") or ""

# --- mail ---
# Inbound email (helpmate.mail). A reply to a conversation resolved longer ago than this opens a
# linked follow-up instead of reopening it.
HELPMATE_MAIL_REOPEN_DAYS = env_int("HELPMATE_MAIL_REOPEN_DAYS", 14, minimum=0)
# More messages than this from one sender in an hour are kept but quarantined (floods, loops).
HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = env_int(
    "HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR", 30, minimum=1
)
# Raw messages up to this size live in the database; bigger ones in DATA_DIR/mail/raw.
HELPMATE_MAIL_INLINE_RAW_BYTES = env_int("HELPMATE_MAIL_INLINE_RAW_BYTES", 256 * 1024)
# The listener refuses bigger messages (552) before storing them.
HELPMATE_MAIL_MAX_MESSAGE_BYTES = env_int(
    "HELPMATE_MAIL_MAX_MESSAGE_BYTES", 60 * 1024 * 1024, minimum=64 * 1024
)
# How many stored emails one transaction processes (each in its own savepoint).
HELPMATE_MAIL_BATCH = env_int("HELPMATE_MAIL_BATCH", 50, minimum=1)
HELPMATE_MAIL_POLL_SECONDS = env_int("HELPMATE_MAIL_POLL_SECONDS", 60, minimum=5)
HELPMATE_MAIL_RAW_DIR = Path(env_str("HELPMATE_MAIL_RAW_DIR") or DATA_DIR / "mail" / "raw")

# --- service ---------------------------------------------------------------------------------
# Time zone of the default business calendar (Mon-Fri 09:00-17:00) used by teams without one.
HELPMATE_DEFAULT_TIME_ZONE = env_str("HELPMATE_DEFAULT_TIME_ZONE", "Europe/London") or "UTC"
# The inbox's "Due soon" view lists conversations due within this many minutes (and overdue).
HELPMATE_DUE_SOON_MINUTES = env_int("HELPMATE_DUE_SOON_MINUTES", 120, minimum=1)

# --- effort ----------------------------------------------------------------------------------
# A new conversation counts as a repeat contact when its words overlap an earlier one's (same
# contact, last 7 days) by at least this share (Jaccard index, in percent).
HELPMATE_EFFORT_REPEAT_SIMILARITY = (
    env_int("HELPMATE_EFFORT_REPEAT_SIMILARITY_PERCENT", 30, minimum=1) / 100
)
# Customer Effort Score: ask this long after resolution, about resolutions at most this old;
# the emailed link works this many days; an answer may be changed within this many minutes.
HELPMATE_CES_DELAY_MINUTES = env_int("HELPMATE_CES_DELAY_MINUTES", 60)
HELPMATE_CES_MAX_AGE_DAYS = env_int("HELPMATE_CES_MAX_AGE_DAYS", 7, minimum=1)
HELPMATE_CES_LINK_DAYS = env_int("HELPMATE_CES_LINK_DAYS", 14, minimum=1)
HELPMATE_CES_CHANGE_MINUTES = env_int("HELPMATE_CES_CHANGE_MINUTES", 30)

# --- outbox ----------------------------------------------------------------------------------
# Email out (helpmate.outbox): how often the worker retries due emails and recovers crashed
# sends, the first wait after a temporary failure (doubling each time, capped), how many tries
# before giving up, and how long a send may stay claimed by a worker on another machine.
HELPMATE_OUTBOX_RETRY_EVERY = env_int("HELPMATE_OUTBOX_RETRY_EVERY", 30, minimum=1)
HELPMATE_OUTBOX_BACKOFF_SECONDS = env_int("HELPMATE_OUTBOX_BACKOFF_SECONDS", 60, minimum=1)
HELPMATE_OUTBOX_BACKOFF_MAX_SECONDS = env_int(
    "HELPMATE_OUTBOX_BACKOFF_MAX_SECONDS", 3600, minimum=1
)
HELPMATE_OUTBOX_MAX_ATTEMPTS = env_int("HELPMATE_OUTBOX_MAX_ATTEMPTS", 10, minimum=1)
HELPMATE_OUTBOX_LEASE_SECONDS = env_int("HELPMATE_OUTBOX_LEASE_SECONDS", 600, minimum=60)
EMAIL_TIMEOUT = env_int("HELPMATE_SMTP_TIMEOUT", 30, minimum=1)
# Acknowledge a new requester's first message (who will look at it, and when). Off by default
# under tests so other apps' tests see only the emails they cause; the outbox tests turn it on.
HELPMATE_ACKNOWLEDGE = env_bool("HELPMATE_ACKNOWLEDGE", not TESTING)

# --- promises --------------------------------------------------------------------------------
# The one who made a promise is warned this many minutes before it is due (workspace + email);
# team leads are alerted about promises broken within the last HELPMATE_PROMISE_ALERT_HOURS.
HELPMATE_PROMISE_WARN_MINUTES = env_int("HELPMATE_PROMISE_WARN_MINUTES", 120, minimum=1)
HELPMATE_PROMISE_ALERT_HOURS = env_int("HELPMATE_PROMISE_ALERT_HOURS", 48, minimum=1)
