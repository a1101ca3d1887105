"""Sleutelnet settings, read from the environment (see docs/configuration.md).

Two modes: development (the default, what `make run` uses: SQLite, console mail, DEBUG on)
and production (`SLEUTELNET_MODE=production`), which refuses to start insecure.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sleutelnet.conf.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("SLEUTELNET_DATA_DIR", str(Path.cwd() / "var"))).resolve()

MODE = env_str("SLEUTELNET_MODE", "development")
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured("SLEUTELNET_MODE must be 'development' or 'production'.")
PRODUCTION = MODE == "production"

INSECURE_SECRET = "insecure-development-key-do-not-use-in-production"  # noqa: S105 - the known development key; production refuses it
SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("Production mode refuses to start with DEBUG on.")
    if SECRET_KEY == INSECURE_SECRET or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "Production mode refuses to start with an insecure SECRET_KEY: set a random value of "
            "at least 50 characters."
        )

# The key of the pseudonyms in the processing log (HMAC-SHA256). Keep it apart from SECRET_KEY so
# that rotating one does not change the other; losing it makes old lines unsearchable by person.
PROCESSING_LOG_KEY = env_str("PROCESSING_LOG_KEY", "")
if PRODUCTION and len(PROCESSING_LOG_KEY) < 32:
    raise ImproperlyConfigured(
        "Production mode refuses to start without PROCESSING_LOG_KEY: set a random value of at least "
        "32 characters (the key of the pseudonyms in the processing log)."
    )

INSTALLED_APPS = [
    "sleutelnet.core.admin_config.SleutelnetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_email",
    "django_otp.plugins.otp_static",
    "axes",
    "mozilla_django_oidc",
    "sleutelnet.core",
    "sleutelnet.accounts",
    "sleutelnet.people",
    "sleutelnet.deployments",
    "sleutelnet.reporting",
    "sleutelnet.notifications",
    "sleutelnet.privacy",
    "sleutelnet.allowances",
    "sleutelnet.care",
    "sleutelnet.voice",
    "sleutelnet.tasks",
    "sleutelnet.imports",
    "sleutelnet.api",
    "sleutelnet.web",
    "sleutelnet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /healthz for the load balancer, before sessions, host checks and the processing log (web.health).
    "sleutelnet.web.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # API-Version header and problem+json for every response under /api/ (inside the locale).
    "sleutelnet.api.middleware.ApiMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor: request.user.is_verified() (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # The signed-in user's stored interface language (accounts.languages), over the cookie.
    "sleutelnet.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits per role (accounts.middleware).
    "sleutelnet.accounts.middleware.SessionLimitsMiddleware",
    # Each request is one processing operation: its reads are logged before the answer leaves.
    "sleutelnet.core.middleware.ProcessingLogMiddleware",
    # The permission matrix (core.permissions) before every view; API views apply it in DRF.
    "sleutelnet.web.middleware.PermissionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sleutelnet.web.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # Login throttling and lock-out (django-axes): last, as it asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sleutelnet.conf.urls"
WSGI_APPLICATION = "sleutelnet.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sleutelnet.web.context_processors.navigation",
            ],
        },
    }
]

_default_db = f"sqlite:///{BASE_DIR / 'sleutelnet.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server write without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries, many at once (bench/load.py): PostgreSQL's JIT compiles plans over its
    # jit_above_cost to machine code (tens of milliseconds lost on a page query), and a parallel
    # plan starts two more processes per query; both pay off for one long report, not for pages.
    _pg = [] if env_bool("DATABASE_JIT", False) else ["-c jit=off"]
    _pg.append(f"-c max_parallel_workers_per_gather={env_int('DATABASE_PARALLEL_WORKERS', 0)}")
    # A card of the portal joins an assignment to its request and six small relations; searching
    # every join order of eight relations took PostgreSQL 2-9 ms per query, more than running it.
    # Django writes the filtering joins first and the select_related lookups (one row each, by
    # key) after them: the first six stay free to reorder, the rest are joined on top as written.
    _pg.append(f"-c join_collapse_limit={env_int('DATABASE_JOIN_COLLAPSE_LIMIT', 6)}")
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = " ".join([DATABASES["default"]["OPTIONS"].get("options", ""), *_pg]).strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
OTP_LOGIN_URL = "accounts:verify"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Passwords (OWASP ASVS 6.2, BIO 5.17.03): Argon2id, at least 12 characters, long ones welcome,
# no composition rules, common passwords refused.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads passwords hashed before Argon2
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failures first, and refuses while locked out
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# OIDC: sign in at the municipality's identity provider (mozilla-django-oidc), when configured.
# Accounts must exist (matched by e-mail address); the provider's MFA (amr/acr) counts as the
# second factor, otherwise Sleutelnet asks for its own.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", "mfa,otp,hwk,swk,sms,pop,face,fpt")
OIDC_MFA_ACR = env_list("OIDC_MFA_ACR", "")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_REDIRECT_REQUIRE_HTTPS = PRODUCTION
# The backend is always listed; it only answers the OIDC callback, and only when OIDC is on.
AUTHENTICATION_BACKENDS.append("sleutelnet.accounts.oidc.SleutelnetOIDCBackend")
if OIDC_ENABLED:
    if not all((OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT)):
        raise ImproperlyConfigured("OIDC_RP_CLIENT_ID is set: set OIDC_RP_CLIENT_SECRET and the four OIDC_OP_*_ENDPOINT variables too.")

# Lock-out (OWASP ASVS 6.3.1): 5 failures for one username from one address lock that pair out
# for 5 minutes. The answer is the same whether the account exists or not; others elsewhere
# cannot lock a user out. Usernames and addresses are not written to the application log.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 5))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # the audit log keeps sign-ins
# The path of a sign-in link holds its secret: axes must not log it.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "path_info"]
AXES_LOCKOUT_CALLABLE = "sleutelnet.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429

# The second factor (OWASP ASVS 6.3.3, BIO 5.17.01): TOTP for staff, a code by e-mail for key
# persons, backup codes for both; an identity provider's own MFA counts too (accounts.oidc).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Sleutelnet")
OTP_EMAIL_TOKEN_VALIDITY = 600  # 10 minutes, ASVS 6.5
OTP_EMAIL_COOLDOWN_DURATION = 60
OTP_EMAIL_BODY_TEMPLATE_PATH = "accounts/email_code.txt"
OTP_EMAIL_SUBJECT = "Sleutelnet: {token}"

# Session limits per role (OWASP ASVS 7.3; 4.0.3 3.3.2: 30 minutes idle or 12 hours at most).
# Roles with wider reach sign in again sooner. A user with several roles gets the strictest.
SESSION_LIMITS = {
    # role: (idle minutes, absolute hours)
    "privacy_officer": (15, 8),
    "administrator": (15, 8),
    "coordinator": (30, 12),
    "requester": (30, 12),
    "policy_officer": (30, 12),
    "key_person": (30, 12),
}

# A key person who signed in on their own phone with a link by e-mail and their PIN stays signed
# in (idle and absolute limit, days); before another person's contact details show, the PIN is
# asked again when it was last typed longer ago than PIN_RECHECK_MINUTES (docs/privacy.md).
PHONE_SESSION_DAYS = env_int("PHONE_SESSION_DAYS", 30)
PIN_RECHECK_MINUTES = env_int("PIN_RECHECK_MINUTES", 15)

LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("ti", _("Tigrinya")),
    ("tr", _("Turkish")),
]
# Staff work in Dutch or English; the key-person portal (and the sign-in pages) also in the
# languages of the largest groups of newcomers. Their catalogues are machine-made until a
# native speaker reviews them (see docs/translations.md and the page /translations/).
STAFF_LANGUAGES = ("nl", "en")
PORTAL_LANGUAGES = ("nl", "en", "ar", "fa", "ti", "tr")
# Django knows no Tigrinya; without this entry `{% get_language_info %}` fails for it.
LANG_INFO.setdefault("ti", {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"})
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "static"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if PRODUCTION:
    # `sleutelnet collectstatic` at deploy writes hashed, compressed copies under STATIC_ROOT;
    # whitenoise serves them (gzip/brotli, cached for a year) and nothing from the source tree.
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    WHITENOISE_USE_FINDERS = False
    # Every reference goes through {% static %}: the unhashed copies are never asked for (half
    # the files and the compression time); source maps are only read by a developer's tools.
    WHITENOISE_KEEP_ONLY_HASHED_FILES = True
    from whitenoise.compress import Compressor

    WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# Sessions: 30 minutes idle at most (per role: SESSION_LIMITS above), OWASP ASVS 4.0.3 (3.3.2).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
# The session (and its cookie's expiry) is written when it changes: SessionLimitsMiddleware renews
# its "last seen" moment at most every 30 seconds, so the expiry still slides with use, without a
# write on every page (accounts.middleware.SEEN_EVERY).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
# Messages live in the session: no extra cookie (that would lack the session cookie's flags).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Security headers (OWASP ASVS 3.4). HSTS is only sent over HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# No CDN, no inline script or style anywhere (django-csp): our own files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

#: What production mode sets for cookies: only over HTTPS, and with the __Host- prefix (bound to
#: this host and path /). Also used by the header tests, which speak HTTPS.
SECURE_COOKIES = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
}
if PRODUCTION:
    globals().update(SECURE_COOKIES)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers probe over plain HTTP: the health check answers there too (docs/deploy.md).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# E-mail: every message goes through the outbox (notifications app); the worker sends it
# with this backend. The demo writes mail to files under var/mail.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Sleutelnet <noreply@sleutelnet.localhost>")
SITE_URL = env_str("SITE_URL", f"http://localhost:{os.environ.get('PORT', '8000')}")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["sleutelnet.accounts.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["sleutelnet.api.permissions.MatrixPermission"],
    "DEFAULT_RENDERER_CLASSES": ["sleutelnet.api.renderers.CamelCaseJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["djangorestframework_camel_case.parser.CamelCaseJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "sleutelnet.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sleutelnet.api.errors.problem_exception_handler",
    "JSON_UNDERSCOREIZE": {"no_underscore_before_number": True},
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sleutelnet API",
    "DESCRIPTION": "Key persons in civic integration: requests, assignments and activity reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["sleutelnet.api.permissions.MatrixPermission"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "CAMELIZE_NAMES": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RequestStatusEnum": "sleutelnet.deployments.models.RequestStatus",
        "AssignmentStatusEnum": "sleutelnet.deployments.models.AssignmentStatus",
        "KeyPersonStatusEnum": "sleutelnet.people.models.KeyPersonStatus",
        "GenderEnum": "sleutelnet.people.models.Gender",
        "RequestKindEnum": "sleutelnet.deployments.models.RequestKind",
        "OrganisationKindEnum": "sleutelnet.core.models.OrganisationKind",
        "RequestUrgencyEnum": "sleutelnet.deployments.models.Urgency",
        "SignalUrgencyEnum": "sleutelnet.voice.models.SignalUrgency",
        "SignalStatusEnum": "sleutelnet.voice.models.SignalStatus",
        "ConsultationKindEnum": "sleutelnet.voice.models.ConsultationKind",
    },
}
API_VERSION = "1.0.0"

WORKER_POLL_SECONDS = env_int("WORKER_POLL_SECONDS", 2)
# Background tasks (large imports and exports, sleutelnet.tasks): on the embedded queue that
# `run_worker` drains (the default), or on Redis with `sleutelnet rq_worker` processes (RQ).
TASK_BACKEND = env_str("TASK_BACKEND", "embedded")
if TASK_BACKEND not in {"embedded", "rq"}:
    raise ImproperlyConfigured("TASK_BACKEND must be 'embedded' or 'rq'.")
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_QUEUE = env_str("TASK_QUEUE", "sleutelnet")
TASK_TIMEOUT_SECONDS = env_int("TASK_TIMEOUT_SECONDS", 3600)
# Finished tasks and the files they made (exports hold personal data) are deleted after this.
TASK_RETENTION_DAYS = env_int("TASK_RETENTION_DAYS", 7)
# An export or import of more rows than this runs as a background task; smaller ones at once.
BACKGROUND_ROWS = env_int("BACKGROUND_ROWS", 2000)
#: When the figures follow a change: "inline" (in the change's own transaction, under the region
#: lock: exact at once) or "deferred" (the change queues the municipality-month and the worker
#: recomputes it within seconds: writes stay fast at national scale). Production defaults to deferred.
REPORTING_REFRESH = env_str("REPORTING_REFRESH", "deferred" if PRODUCTION else "inline")
if REPORTING_REFRESH not in {"inline", "deferred"}:
    raise ImproperlyConfigured("REPORTING_REFRESH must be 'inline' or 'deferred'.")
#: Deferred: how long a queued month waits, so that the changes of those seconds cost one recomputation.
REPORTING_REFRESH_DELAY_SECONDS = env_int("REPORTING_REFRESH_DELAY_SECONDS", 10)
# An import can be undone this long; then the old values it replaced are deleted (retention).
IMPORT_UNDO_DAYS = env_int("IMPORT_UNDO_DAYS", 30)
# Retention (see docs/privacy.md): the worker runs it once a day from this hour (local time);
# the periods of records are set per region by the privacy officer, these are platform-wide.
RETENTION_HOUR = env_int("RETENTION_HOUR", 2)
# Records of one kind one step of the daily retention handles (a worker round; privacy.services).
RETENTION_BATCH = env_int("RETENTION_BATCH", 1000)
AUDIT_LOG_RETENTION_MONTHS = env_int("AUDIT_LOG_RETENTION_MONTHS", 36)
OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", 90)
if AUDIT_LOG_RETENTION_MONTHS < 12:
    raise ImproperlyConfigured("AUDIT_LOG_RETENTION_MONTHS must be at least 12 (the database keeps a year at least).")
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)

# One JSON object per line (core.log_format) in production, for the log collector; text otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'text' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"secret_paths": {"()": "sleutelnet.core.log_filters.SecretPathFilter"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
        "json": {"()": "sleutelnet.core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["secret_paths"]},
        # the development server's request lines, with the same filter (Django's own handler has none)
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["secret_paths"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Django's own default handlers carry no filter: its records go up to ours instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
if LOG_FORMAT == "json":
    for _handler in ("console", "django.server"):
        LOGGING["handlers"][_handler]["formatter"] = "json"
