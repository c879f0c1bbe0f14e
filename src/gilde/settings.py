"""Gilde's one settings module: every value comes from the environment (see README, Configuration).

The embedded default is an SQLite file in GILDE_DATA_DIR with a secret key generated once and kept
beside it, so a new user has a working system with no configuration at all.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but a clear yes or no is a configuration error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    """Read a whole number; a typo fails at start-up, not at the first request."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# A checkout keeps its data beside the code; an installed package in ./data where it is started.
_CHECKOUT = (PROJECT_DIR / "pyproject.toml").is_file()
DATA_DIR = Path(
    os.environ.get("GILDE_DATA_DIR") or (PROJECT_DIR if _CHECKOUT else Path.cwd()) / "data"
).resolve()
DEBUG = envbool("DEBUG", False)
PRODUCTION = envbool("GILDE_PRODUCTION", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when GILDE_PRODUCTION is on")
    # The embedded default: generated once, kept beside the database, readable only by its owner.
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so its createsuperuser (which also makes the administrator member) is the one run.
    "gilde.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' scripts locally, so the Content-Security-Policy holds there
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "gilde.relations",
    "gilde.contacts",
    "gilde.core",
    "gilde.demo",
    "gilde.maintenance",
    "gilde.goodwill",
    "gilde.imports",
    "gilde.audit",
    "gilde.privacy",
    "gilde.events",
    "gilde.network",
    "gilde.strategy",
    "gilde.autolog",
    "gilde.members",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gilde.core.middleware.SecurityHeadersMiddleware",
    "gilde.core.middleware.ApiErrorsAsJsonMiddleware",
    "gilde.core.middleware.RequestSizeMiddleware",
    "gilde.core.middleware.QueryNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gilde.core.middleware.VisibilityMemoMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gilde.core.middleware.SessionLifetimeMiddleware",
    "gilde.accounts.middleware.TwoFactorMiddleware",
    "gilde.audit.context.AuditContextMiddleware",
    "gilde.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lock-out during authentication into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gilde.urls"
WSGI_APPLICATION = "gilde.wsgi.application"

# Form fields are drawn with Django's own Jinja2 widget templates: the same HTML, in less than
# half the time of the template language (a person page draws three forms). The admin's own
# widgets, which exist only as Django templates, fall back to those (gilde/core/renderers.py).
FORM_RENDERER = "gilde.core.renderers.GildeFormRenderer"

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
                "gilde.core.context.gilde",
                "gilde.members.network.network_words",
            ],
            # The one date style (|day, |moment, |when, |ago) on every page without a load.
            "builtins": ["gilde.core.templatetags.dates"],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'gilde.sqlite3'}"
    config: dict[str, object] = dict(
        dj_database_url.parse(url, conn_max_age=envint("DB_CONN_MAX_AGE", 60))
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while one writer commits; IMMEDIATE avoids the
        # "database is locked" error when two requests upgrade a read to a write at once.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;",
            "transaction_mode": "IMMEDIATE",
        }
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Parameters bound by the server (the extended query protocol) rather than merged into
        # the SQL text by psycopg: a person read by primary key took 0.4 ms instead of 1.5 ms.
        options = config.setdefault("OPTIONS", {})
        assert isinstance(options, dict)  # noqa: S101 - dj_database_url's documented shape
        options["server_side_binding"] = envbool("DB_SERVER_SIDE_BINDING", True)
        # A query run this many times on one connection becomes a prepared statement: parsed
        # once, planned for each call's own values (force_custom_plan: a plan made for one
        # networker's hidden persons or one search word is never reused for another). Off
        # (empty) behind a connection pooler that cannot keep prepared statements.
        prepare = os.environ.get("DB_PREPARE_THRESHOLD", "5").strip() != ""
        options["prepare_threshold"] = envint("DB_PREPARE_THRESHOLD", 5) if prepare else None
        given = str(options.get("options", ""))
        options["options"] = f"{given} -c plan_cache_mode=force_custom_plan".strip()
    return config


DATABASES = {"default": _database()}
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = os.environ.get("GILDE_LANGUAGE", "nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Including static/vendor: htmx and Pico CSS, copied there from node_modules by `make frontend` and
# by the build (gilde/core/frontend.py), so an installed wheel needs no Node.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("GILDE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FILE_UPLOAD_MAX_MEMORY_SIZE

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gilde@localhost")

SESSION_COOKIE_AGE = envint("GILDE_SESSION_IDLE_SECONDS", 30 * 60)
# Renewed by SessionLifetimeMiddleware at most once a minute instead of on every request.
SESSION_SAVE_EVERY_REQUEST = False
GILDE_SESSION_RENEW_SECONDS = envint("GILDE_SESSION_RENEW_SECONDS", 60)
# However active, a session ends this long after login (gilde.core.middleware).
GILDE_SESSION_MAX_SECONDS = envint("GILDE_SESSION_MAX_SECONDS", 12 * 60 * 60)
# A request body larger than this is refused with 413 before anything reads it.
GILDE_REQUEST_MAX_BYTES = envint("GILDE_REQUEST_MAX_BYTES", 64 * 1024 * 1024)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gilde.accounts.throttle.NameThrottleBackend",
    "gilde.accounts.backends.MemberBackend",
]
# Lock-out (django-axes): 5 failed logins for a user name from one client address lock that name
# from that address for 15 minutes. By name alone, anyone could lock any colleague out by typing
# their name five times; by address alone, five typos would lock a whole office behind one NAT
# address. A name guessed from many addresses is slowed instead (gilde.accounts.throttle). The
# API's personal access tokens are not passwords (256 random bits, stored hashed), so axes does
# not apply to them.
AXES_FAILURE_LIMIT = envint("GILDE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("GILDE_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
GILDE_LOGIN_NAME_SLOW_LIMIT = envint("GILDE_LOGIN_NAME_SLOW_LIMIT", 20)
GILDE_LOGIN_NAME_SLOW_SECONDS = envint("GILDE_LOGIN_NAME_SLOW_SECONDS", 30)

# Events: below this share of the event's time for meeting (networking, meals, breaks) the
# programme page warns that guests will have too little time to meet the right people.
GILDE_EVENT_MEETING_SHARE_MIN = envint("GILDE_EVENT_MEETING_SHARE_MIN", 40)
# A guest list with more than this many guests from one organisation is flagged in its balance.
GILDE_EVENT_ORGANISATION_LIMIT = envint("GILDE_EVENT_ORGANISATION_LIMIT", 3)
# Invitation fatigue: a relation invited more than this many times in twelve months, or who
# declined this many invitations in a row, is flagged on the guest list.
GILDE_EVENT_FATIGUE_INVITATIONS = envint("GILDE_EVENT_FATIGUE_INVITATIONS", 3)
GILDE_EVENT_FATIGUE_DECLINES = envint("GILDE_EVENT_FATIGUE_DECLINES", 2)
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "gilde.accounts.auth_views.locked_out"
AXES_VERBOSE = False
# Two-factor authentication with an authenticator app (TOTP, django-otp).
GILDE_REQUIRE_2FA_FOR_MANAGERS = envbool("GILDE_REQUIRE_2FA_FOR_MANAGERS", False)
OTP_TOTP_ISSUER = os.environ.get("GILDE_2FA_ISSUER", "Gilde")
OTP_TOTP_THROTTLE_FACTOR = 1
# The Django admin never shows a member's authenticator key or its QR code: whoever reads it can
# make that member's codes. (Its key and QR pages then answer 403 for every device, a missing one
# included, where they raised DoesNotExist: 500.)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

FORMS_URLFIELD_ASSUME_HTTPS = True
GILDE_PAGE_SIZE = envint("GILDE_PAGE_SIZE", 25)
# The longest free text (a note, what was discussed) a form or the API stores (gilde.core.text).
GILDE_TEXT_MAX_CHARS = envint("GILDE_TEXT_MAX_CHARS", 20_000)
# New shared tags one member may add in any 24 hours (beyond that: refused, 429 in the API).
GILDE_NEW_TAGS_PER_DAY = envint("GILDE_NEW_TAGS_PER_DAY", 50)
# The address members reach Gilde at, for links in e-mails and calendar feeds.
GILDE_BASE_URL = os.environ.get("GILDE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Privacy (docs/privacy.md): audit trail kept this many days; relations proposed for erasure
# this many months after the last contact, erased without a decision only when automatic is on.
GILDE_AUDIT_RETENTION_DAYS = envint("GILDE_AUDIT_RETENTION_DAYS", 730)
GILDE_RETENTION_MONTHS = envint("GILDE_RETENTION_MONTHS", 24)
GILDE_RETENTION_AUTOMATIC = envbool("GILDE_RETENTION_AUTOMATIC", False)
# Member networks (docs/member-networks.md): a rejected application (and a welcomed visit) is
# erased this many days after the decision, by the nightly housekeeping.
GILDE_APPLICATION_RETENTION_DAYS = envint("GILDE_APPLICATION_RETENTION_DAYS", 180)
# The erasure register is also appended here (person numbers only), outside the database, so
# erasures survive restoring an older backup; empty turns the file off.
GILDE_ERASURE_JOURNAL = os.environ.get("GILDE_ERASURE_JOURNAL", str(DATA_DIR / "erasures.jsonl"))
# Sources (the part before ":") that mean "not from the person themselves" (AVG art. 14).
GILDE_PRIVACY_INDIRECT_SOURCES = envlist(
    "GILDE_PRIVACY_INDIRECT_SOURCES", ["csv", "linkedin", "google", "outlook", "xlsx", "vcard"]
)
# For the record of processing (art. 30).
GILDE_CONTROLLER_NAME = os.environ.get("GILDE_CONTROLLER_NAME", "")
GILDE_PRIVACY_CONTACT = os.environ.get("GILDE_PRIVACY_CONTACT", "")
GILDE_PRIVACY_PROCESSORS = envlist("GILDE_PRIVACY_PROCESSORS", [])
GILDE_PRIVACY_TRANSFERS = os.environ.get("GILDE_PRIVACY_TRANSFERS", "")

# Imports (docs/imports.md): limits a file must stay within, and when work moves to the background.
GILDE_IMPORT_MAX_BYTES = envint("GILDE_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
GILDE_IMPORT_MAX_ROWS = envint("GILDE_IMPORT_MAX_ROWS", 200_000)
GILDE_IMPORT_MAX_COLUMNS = envint("GILDE_IMPORT_MAX_COLUMNS", 500)
GILDE_IMPORT_MAX_ZIP_BYTES = envint("GILDE_IMPORT_MAX_ZIP_BYTES", 200 * 1024 * 1024)
GILDE_IMPORT_MAX_ZIP_RATIO = envint("GILDE_IMPORT_MAX_ZIP_RATIO", 100)
GILDE_IMPORT_INLINE_BYTES = envint("GILDE_IMPORT_INLINE_BYTES", 512 * 1024)
GILDE_IMPORT_STALE_SECONDS = envint("GILDE_IMPORT_STALE_SECONDS", 600)
GILDE_IMPORT_UNDO_INLINE_PERSONS = envint("GILDE_IMPORT_UNDO_INLINE_PERSONS", 5000)
# Uploads previewed but not committed within this many days lose their stored file.
GILDE_IMPORT_PENDING_DAYS = envint("GILDE_IMPORT_PENDING_DAYS", 7)

# Visibility (gilde/visibility.py): a networker's scope excludes the confidential persons hidden
# from them by id, read once per request, up to this many; beyond it tests the rule in SQL.
GILDE_HIDDEN_IDS_LIMIT = envint("GILDE_HIDDEN_IDS_LIMIT", 2000)

# Network intelligence (docs/network.md): the graph is read from the database in the background;
# a stored graph older than this many seconds is still used while a rebuild is queued.
GILDE_NETWORK_GRAPH_MAX_AGE = envint("GILDE_NETWORK_GRAPH_MAX_AGE", 900)
# After a change to ties, jobs, organisation links, persons or colleagues, a graph at least this
# many seconds old is rebuilt (through the task queue) by the next request.
GILDE_NETWORK_GRAPH_REFRESH = envint("GILDE_NETWORK_GRAPH_REFRESH", 60)

# ---- Background work and schedules (docs/operations.md) ---------------------------------------
# Long work (imports, undo, erasure, duplicate scans, digests, recompute, housekeeping) runs as
# jobs on one durable queue (Django's task framework through django-tasks), worked off by
# `gilde worker` (or the worker `gilde serve` starts). "database" keeps the queue in Gilde's own
# database; "redis://host:6379/0" puts it on Redis (RQ) for larger installs.
GILDE_TASKS_BACKEND = os.environ.get("GILDE_TASKS_BACKEND", "database").strip() or "database"
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]


def tasks_config(backend: str) -> dict[str, dict[str, object]]:
    """The task framework's TASKS setting for GILDE_TASKS_BACKEND."""
    if backend == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if backend == "immediate":  # runs each job inside the request that asks for it
        return {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    if backend.startswith(("redis://", "rediss://", "unix://")):
        return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    raise ImproperlyConfigured(
        f"GILDE_TASKS_BACKEND must be database, immediate or a redis:// URL, not {backend!r}"
    )


TASKS = tasks_config(GILDE_TASKS_BACKEND)
if GILDE_TASKS_BACKEND.startswith(("redis://", "rediss://", "unix://")):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": GILDE_TASKS_BACKEND, "DEFAULT_TIMEOUT": 24 * 60 * 60}}
# A running job whose worker (on another machine) has not reported for this long is taken as
# dead: it is run again, up to GILDE_TASKS_MAX_ATTEMPTS times, then marked failed.
GILDE_TASKS_LEASE_SECONDS = envint("GILDE_TASKS_LEASE_SECONDS", 120)
GILDE_TASKS_MAX_ATTEMPTS = envint("GILDE_TASKS_MAX_ATTEMPTS", 3)
# Finished jobs are listed this many days, then removed by the housekeeping job.
GILDE_TASKS_KEEP_DAYS = envint("GILDE_TASKS_KEEP_DAYS", 30)


# The worker's schedule, as HH:MM in TIME_ZONE; empty turns a scheduled job off.
def envclock(name: str, default: str) -> str:
    """A time of day as HH:MM, or empty for "never"; a typo fails at start-up."""
    value = os.environ.get(name, default).strip()
    hours, _sep, minutes = value.partition(":")
    if value and not (
        hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60
        and len(minutes) == 2
    ):  # fmt: skip
        raise ImproperlyConfigured(f"{name} must be a time like 07:00 (or empty), not {value!r}")
    return value


GILDE_SCHEDULE_DIGEST = envclock("GILDE_SCHEDULE_DIGEST", "07:00")
GILDE_SCHEDULE_RECOMPUTE = envclock("GILDE_SCHEDULE_RECOMPUTE", "02:30")
GILDE_SCHEDULE_HOUSEKEEPING = envclock("GILDE_SCHEDULE_HOUSEKEEPING", "03:30")
# Event invitations (docs/events.md): reminders to guests who have not answered and to those who
# accepted, the day before, sent daily at this time; the sender and reply address of guest mail
# (bounces and replies go there; nothing in Gilde reads that mailbox).
GILDE_SCHEDULE_EVENT_REMINDERS = envclock("GILDE_SCHEDULE_EVENT_REMINDERS", "09:00")
GILDE_EVENT_REMINDER_DAYS = envint("GILDE_EVENT_REMINDER_DAYS", 7)
GILDE_EVENTS_FROM_EMAIL = os.environ.get("GILDE_EVENTS_FROM_EMAIL", DEFAULT_FROM_EMAIL)
GILDE_EVENTS_REPLY_TO = os.environ.get("GILDE_EVENTS_REPLY_TO", "")

# Seating: what a pair of guests at one table is worth (docs/events.md, "Pair values"). A meeting
# goal counts its value times 1.5 (high), 1 (normal) or 0.5 (low priority).
GILDE_SEATING_GOAL_VALUE = envint("GILDE_SEATING_GOAL_VALUE", 20)
GILDE_SEATING_THEME_GROUP = envint("GILDE_SEATING_THEME_GROUP", 6)
GILDE_SEATING_HOST_GUEST = envint("GILDE_SEATING_HOST_GUEST", 8)
GILDE_SEATING_SHARED_THEME = envint("GILDE_SEATING_SHARED_THEME", 3)
GILDE_SEATING_SHARED_PASSION = envint("GILDE_SEATING_SHARED_PASSION", 2)
GILDE_SEATING_FIRST_MEETING = envint("GILDE_SEATING_FIRST_MEETING", 3)
GILDE_SEATING_STRONG_TIE = envint("GILDE_SEATING_STRONG_TIE", 4)
GILDE_SEATING_COMPETITORS = envint("GILDE_SEATING_COMPETITORS", 10)
GILDE_SEATING_SECTOR_SPREAD = envint("GILDE_SEATING_SECTOR_SPREAD", 1)
GILDE_SEATING_HOSTS_PER_TABLE = envint("GILDE_SEATING_HOSTS_PER_TABLE", 1)
# A re-plan (after a cancellation or a walk-in): what moving one guest away from their table in the
# plan kept (their place card) takes from the score, per guest and round.
GILDE_SEATING_MOVE_PENALTY = envint("GILDE_SEATING_MOVE_PENALTY", 10)
# CPUs one seating plan may use on the task worker (the engine's workers: with two, a second
# search with another strategy runs side by side and the best plan is kept).
GILDE_SEATING_WORKERS = envint("GILDE_SEATING_WORKERS", 2)
# The public RSVP page: requests per client address per minute before it answers 429.
GILDE_RSVP_RATE_LIMIT = envint("GILDE_RSVP_RATE_LIMIT", 60)
# A member network's public pages (/apply/ and the drop-in door): requests per client address
# per minute, and forms sent per client address per hour, before they answer 429.
GILDE_PUBLIC_PAGE_RATE_LIMIT = envint("GILDE_PUBLIC_PAGE_RATE_LIMIT", 30)
GILDE_PUBLIC_FORM_SEND_LIMIT = envint("GILDE_PUBLIC_FORM_SEND_LIMIT", 10)
# Contact moments that log themselves (docs/mail-and-calendar.md). GILDE_MAIL_IN: a mailbox
# Gilde polls for messages sent to its address (imap://user:password@host/INBOX, imaps:// for
# TLS); GILDE_MAIL_IN_ADDRESS is that address as members see it. Connections to members' own
# mailboxes and calendars are read every GILDE_AUTOLOG_EVERY_MINUTES (0: never); their
# credentials are encrypted under GILDE_AUTOLOG_KEY (Fernet keys, comma-separated, the first
# encrypts; empty: derived from SECRET_KEY). Messages of one thread within
# GILDE_AUTOLOG_THREAD_DAYS of each other are one contact moment.
GILDE_MAIL_IN = os.environ.get("GILDE_MAIL_IN", "")
GILDE_MAIL_IN_ADDRESS = os.environ.get("GILDE_MAIL_IN_ADDRESS", "")
GILDE_MAIL_IN_MAX_BYTES = envint("GILDE_MAIL_IN_MAX_BYTES", 10 * 1024 * 1024)
GILDE_AUTOLOG_EVERY_MINUTES = envint("GILDE_AUTOLOG_EVERY_MINUTES", 15)
GILDE_AUTOLOG_KEY = os.environ.get("GILDE_AUTOLOG_KEY", "")
GILDE_AUTOLOG_THREAD_DAYS = envint("GILDE_AUTOLOG_THREAD_DAYS", 14)
GILDE_AUTOLOG_TIMEOUT_SECONDS = envint("GILDE_AUTOLOG_TIMEOUT_SECONDS", 30)
# OAuth2 sign-in for members' mailboxes at Microsoft 365 and Google Workspace (authorization
# code with PKCE; docs/mail-and-calendar.md). A provider is offered once its client id is set;
# the addresses and scopes default to the provider's own and can each be replaced.
_MS_TENANT = os.environ.get("GILDE_OAUTH2_MICROSOFT_TENANT", "organizations")
_MS_BASE = f"https://login.microsoftonline.com/{_MS_TENANT}/oauth2/v2.0"
GILDE_OAUTH2_PROVIDERS: dict[str, dict[str, object]] = {
    "microsoft": {
        "label": "Microsoft 365",
        "client_id": os.environ.get("GILDE_OAUTH2_MICROSOFT_CLIENT_ID", ""),
        "client_secret": os.environ.get("GILDE_OAUTH2_MICROSOFT_CLIENT_SECRET", ""),
        "authorize_url": os.environ.get(
            "GILDE_OAUTH2_MICROSOFT_AUTHORIZE_URL", f"{_MS_BASE}/authorize"
        ),
        "token_url": os.environ.get("GILDE_OAUTH2_MICROSOFT_TOKEN_URL", f"{_MS_BASE}/token"),
        "scopes": os.environ.get(
            "GILDE_OAUTH2_MICROSOFT_SCOPES",
            "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
        ),
        "imap_server": os.environ.get(
            "GILDE_OAUTH2_MICROSOFT_IMAP", "imaps://outlook.office365.com"
        ),
        "extra": {},
    },
    "google": {
        "label": "Google Workspace",
        "client_id": os.environ.get("GILDE_OAUTH2_GOOGLE_CLIENT_ID", ""),
        "client_secret": os.environ.get("GILDE_OAUTH2_GOOGLE_CLIENT_SECRET", ""),
        "authorize_url": os.environ.get(
            "GILDE_OAUTH2_GOOGLE_AUTHORIZE_URL", "https://accounts.google.com/o/oauth2/v2/auth"
        ),
        "token_url": os.environ.get(
            "GILDE_OAUTH2_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"
        ),
        "scopes": os.environ.get("GILDE_OAUTH2_GOOGLE_SCOPES", "https://mail.google.com/"),
        "imap_server": os.environ.get("GILDE_OAUTH2_GOOGLE_IMAP", "imaps://imap.gmail.com"),
        # Google gives a refresh token only with offline access, and again only on consent.
        "extra": {"access_type": "offline", "prompt": "consent"},
    },
}
# The guests' survey after an event (docs/events.md, "Results"): answers can be given and
# changed for this many days after the event ends. Host briefings (the day before) and surveys
# (the day after) go out with the reminders, at GILDE_SCHEDULE_EVENT_REMINDERS.
GILDE_EVENT_SURVEY_DAYS = envint("GILDE_EVENT_SURVEY_DAYS", 14)
# ---- end of background work ---------------------------------------------------------------------
# The team (docs/operations.md, "The team"): invitations, password reset and optional single
# sign-on with OpenID Connect (off unless GILDE_OIDC_CLIENT_ID is set).
GILDE_INVITATION_DAYS = envint("GILDE_INVITATION_DAYS", 7)
PASSWORD_RESET_TIMEOUT = envint("GILDE_PASSWORD_RESET_HOURS", 24) * 60 * 60
GILDE_OIDC_CLIENT_ID = os.environ.get("GILDE_OIDC_CLIENT_ID", "")
GILDE_OIDC_CLIENT_SECRET = os.environ.get("GILDE_OIDC_CLIENT_SECRET", "")
GILDE_OIDC_ISSUER = os.environ.get("GILDE_OIDC_ISSUER", "")
GILDE_OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("GILDE_OIDC_AUTHORIZATION_ENDPOINT", "")
GILDE_OIDC_TOKEN_ENDPOINT = os.environ.get("GILDE_OIDC_TOKEN_ENDPOINT", "")
GILDE_OIDC_USERINFO_ENDPOINT = os.environ.get("GILDE_OIDC_USERINFO_ENDPOINT", "")
GILDE_OIDC_JWKS_ENDPOINT = os.environ.get("GILDE_OIDC_JWKS_ENDPOINT", "")
GILDE_OIDC_SCOPES = os.environ.get("GILDE_OIDC_SCOPES", "openid email profile")
GILDE_OIDC_SIGN_ALGO = os.environ.get("GILDE_OIDC_SIGN_ALGO", "RS256")
GILDE_OIDC_PROVIDER_NAME = os.environ.get("GILDE_OIDC_PROVIDER_NAME", "")
GILDE_OIDC_TIMEOUT_SECONDS = envint("GILDE_OIDC_TIMEOUT_SECONDS", 10)
if GILDE_OIDC_CLIENT_ID:
    _missing = [
        name
        for name in (
            "GILDE_OIDC_CLIENT_SECRET", "GILDE_OIDC_ISSUER", "GILDE_OIDC_AUTHORIZATION_ENDPOINT",
            "GILDE_OIDC_TOKEN_ENDPOINT", "GILDE_OIDC_USERINFO_ENDPOINT", "GILDE_OIDC_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]  # fmt: skip
    if _missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(_missing)} as well")
# Before the password backend, which stays last (the default for a login without one).
AUTHENTICATION_BACKENDS.insert(1, "gilde.accounts.oidc.MemberOIDCBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
