"""The one settings module of metalloop.

Every setting a deployment may change is read from a ``METALLOOP_*`` environment
variable; the defaults are safe for a single machine (SQLite under ``var/``, debug off
only when asked for, mail to a local SMTP server).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("METALLOOP_VAR_DIR", BASE_DIR / "var"))

DEVELOPMENT_SECRET_KEY = "metalloop-development-key-not-for-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable into a list of stripped items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("METALLOOP_DEBUG", False)
SECRET_KEY = os.environ.get("METALLOOP_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "metalloop refuses to start with debug off and the development secret key: "
        "set METALLOOP_SECRET_KEY to a long random value (the `metalloop` command keeps "
        "one for this machine in var/secret_key), or set METALLOOP_DEBUG=1 for development."
    )
ALLOWED_HOSTS = env_list("METALLOOP_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
PUBLIC_BASE_URL = os.environ.get("METALLOOP_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "metalloop.common",
    "metalloop.accounts",
    "metalloop.network",
    "metalloop.materials",
    "metalloop.exchange",
    "metalloop.matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "metalloop.common.middleware.LanguageMiddleware",
    "metalloop.common.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "metalloop.urls"
WSGI_APPLICATION = "metalloop.wsgi.application"
ASGI_APPLICATION = "metalloop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "metalloop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "metalloop.common.context_processors.platform",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DEFAULT_SQLITE_PATH = VAR_DIR / "metalloop.sqlite3"
DATABASE_URL = os.environ.get("METALLOOP_DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE avoids
        # "database is locked" upgrades in the middle of a write transaction.
        # A 32 MB page cache (the default is 2 MB) keeps the indexes of the large tables in
        # memory while an import writes thousands of rows under the write lock.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-32768;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked login before the password check
    "metalloop.accounts.backends.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # [s] three days, as the e-mail says
# Password-reset mails per e-mail address and per client address within the window; further
# requests get the same answer and no mail (see accounts/services.password_reset_admit).
PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("METALLOOP_PASSWORD_RESET_EMAIL_LIMIT", "3"))
PASSWORD_RESET_CLIENT_LIMIT = int(os.environ.get("METALLOOP_PASSWORD_RESET_CLIENT_LIMIT", "10"))
PASSWORD_RESET_WINDOW_SECONDS = int(os.environ.get("METALLOOP_PASSWORD_RESET_WINDOW", "3600"))

# --- failed logins (django-axes; the rules are explained in accounts/throttling.py) ---------
# Failures of one account from one client address before that pair pauses, and failures from
# one address over any accounts before it pauses for accounts never used from it; each pause
# lasts the window after the last failure.
LOGIN_FAILURE_LIMIT = int(os.environ.get("METALLOOP_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("METALLOOP_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("METALLOOP_LOGIN_FAILURE_WINDOW", "900"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_FAILURE_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the page can name the time to wait
AXES_HANDLER = "metalloop.accounts.throttling.LoginThrottle"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "metalloop.accounts.throttling.login_username"
AXES_CLIENT_IP_CALLABLE = "metalloop.accounts.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "metalloop.accounts.throttling.lockout_response"
AXES_VERBOSE = False

# --- security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = PUBLIC_BASE_URL.startswith("https://")
# Outside debug, cookies travel over HTTPS only. Browsers treat 127.0.0.1 and localhost as
# secure, so a local `make run` still logs in; a plain-HTTP deployment on another address
# must opt out explicitly (METALLOOP_SECURE_COOKIES=0).
SECURE_COOKIES = env_bool("METALLOOP_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL]
if HTTPS:
    # Behind a proxy that ends TLS and says so in X-Forwarded-Proto: plain HTTP is redirected
    # to HTTPS, except the health check, which load balancers ask over plain HTTP (it answers
    # "ok" and nothing else).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Not preloaded: the preload list binds the whole registered domain and every future
    # subdomain to HTTPS in browsers for months, and a deployment at platform.example.org
    # cannot decide that for example.org. Its owner may submit the domain.
    SECURE_HSTS_PRELOAD = False


# --- languages ------------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("METALLOOP_LANGUAGE", "de")
LANGUAGES = [("de", _("German")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"METALLOOP_LANGUAGE={LANGUAGE_CODE!r} is not offered; use one of: de, en."
    )
LANGUAGE_COOKIE_NAME = "metalloop_language"
LOCALE_PATHS = [BASE_DIR / "metalloop" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "metalloop" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "metalloop.common.staticfinders.NodeModulesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# An optional tile server for deployments with internet access; empty means the offline
# outline basemap only.
MAP_TILE_URL = os.environ.get("METALLOOP_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("METALLOOP_MAP_TILE_ATTRIBUTION", "")


def csp_source(url: str) -> str:
    """The source a tile URL template loads from, as the policy names it.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` -> ``https://*.tile.example.org``; a
    placeholder further inside the host name allows the scheme (``https:``).
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return ""
    labels = rest.split("/", 1)[0].split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels):
        return f"{scheme}:"
    return f"{scheme}://{'.'.join(labels)}"


# --- Content-Security-Policy (Django's own) ---------------------------------------------------
# Scripts, styles, fonts and connections from our own origin only: no inline scripts, styles
# or on*= handlers, no plugins, no framing, forms post to us. Images may also be data: URIs
# (Pico CSS draws its icons so) and the tiles of a configured tile server.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([csp_source(MAP_TILE_URL)] if MAP_TILE_URL else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- uploaded files -----------------------------------------------------------------------
# Attachments of listings are never served as static files: a view checks who may read them.
MEDIA_ROOT = Path(os.environ.get("METALLOOP_MEDIA_DIR", VAR_DIR / "media"))
EXCHANGE_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("METALLOOP_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)

# --- imports ----------------------------------------------------------------------------------
# An import checks every row before it writes, then writes all rows in one transaction; the
# write lock it holds grows with the rows (about 0.1 s per 1,000 listings on a small server),
# and the check keeps the whole file in memory. The defaults take a network's listings of
# 20,000 lots at once (about 10 MB as CSV) and keep the lock under 2 s.
IMPORT_MAX_BYTES = int(os.environ.get("METALLOOP_IMPORT_MAX_BYTES", str(16 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("METALLOOP_IMPORT_MAX_ROWS", "20000"))

# --- e-mail ---------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("METALLOOP_SMTP_HOST", "127.0.0.1"),
            "port": int(os.environ.get("METALLOOP_SMTP_PORT", "25")),
            "username": os.environ.get("METALLOOP_SMTP_USER", ""),
            "password": os.environ.get("METALLOOP_SMTP_PASSWORD", ""),
            "use_tls": env_bool("METALLOOP_SMTP_STARTTLS", False),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("METALLOOP_MAIL_FROM", "metalloop <noreply@metalloop.local>")

# --- cache -----------------------------------------------------------------------------------
# Nothing relies on a shared cache (the throttles keep their counts in the database); each
# process keeps its own small one.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("METALLOOP_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
