"""One settings module for Bro, configured from the environment.

SQLite is the embedded default; set ``DATABASE_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/test``)
for PostgreSQL in CI and production.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("BRO_DEBUG", False)
SECRET_KEY = os.environ.get("BRO_SECRET_KEY") or (
    # A fixed key is only acceptable on a developer's machine; production must set BRO_SECRET_KEY.
    "insecure-development-key-change-me" if DEBUG or env_bool("BRO_DEVELOPMENT", True) else ""
)
if not SECRET_KEY:
    raise RuntimeError("BRO_SECRET_KEY must be set when BRO_DEVELOPMENT is off")

ALLOWED_HOSTS = [
    h for h in os.environ.get("BRO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BRO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "bro.core",
    "django_countries",
    "bro.people",
    "bro.reception",
    "bro.settlement",
    "bro.settlement.housing",
    "bro.settlement.outcomes",
    "bro.settlement.matchingruns",
    "bro.qualification",
    "bro.volunteering",
    "bro.volunteering.matches",
    "bro.volunteering.grants",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bro.core.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bro.urls"
WSGI_APPLICATION = "bro.wsgi.application"

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
                "bro.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'bro.sqlite3'}",
        conn_max_age=int(os.environ.get("BRO_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the demo server read while a long write (demo import) runs.
    DATABASES["default"]["OPTIONS"].update({"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout after repeated failed logins (django-axes): per username, so that one office behind
# one NAT address does not lock everyone out.
AXES_FAILURE_LIMIT = int(os.environ.get("BRO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("BRO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# Staff roles whose users must have a confirmed TOTP device (see bro.core.policy.requires_two_factor).
BRO_TWO_FACTOR_REQUIRED = env_bool("BRO_TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "Bro"

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SECURE = env_bool("BRO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "bro" / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Designsystemet, htmx and bro.css live in bro/static/ (bro itself is not an app, so say where).
STATICFILES_DIRS = [Path(__file__).resolve().parent / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files (grant-application attachments); served only through views that check access, never
# directly, so there is no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("BRO_MEDIA_ROOT") or BASE_DIR / "var" / "media")

BRO_PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BRO_LOG_LEVEL", "WARNING")},
}

# Stateless persons are common among refugees; ISO 3166 has no code for them.
COUNTRIES_OVERRIDE = {"XS": _("Stateless")}

# Lockout is per username (see docs/decisions/0003-login-lockout-per-username.md): locking by IP
# address would lock out a whole municipal office behind one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Apps add their own main-menu entries (``items(request) -> [(url, label)]``, only what the user may use)
# and their own demo data (``build(seed, today, log)`` and ``reset(log)``), in this order.
BRO_MENU_MODULES = [
    "bro.reception.menu",
    "bro.settlement.menu",
    "bro.settlement.matchingruns.menu",
    "bro.settlement.housing.menu",
    "bro.settlement.outcomes.menu",
    "bro.qualification.menu",
    "bro.volunteering.menu",
]
BRO_DEMO_EXTENSIONS = [
    "bro.reception.demo",
    "bro.settlement.demo",
    "bro.settlement.housing.demo",
    "bro.settlement.outcomes.demo",
    "bro.qualification.demo",
    "bro.volunteering.demo",
]
# Apps that add links on a person's page (``person_links(request, person, access) -> [(url, label)]``).
BRO_PERSON_LINK_MODULES = [
    "bro.reception.links",
    "bro.settlement.links",
    "bro.settlement.outcomes.links",
    "bro.qualification.links",
    "bro.volunteering.matches.links",
]
# How background jobs run (bro/core/jobs.py): "thread" (default, no extra server), "worker" or "eager".
BRO_JOBS_RUNNER = os.environ.get("BRO_JOBS_RUNNER", "thread")
