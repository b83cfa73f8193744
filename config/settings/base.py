"""Settings shared by every environment; each environment module imports these and adjusts."""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, *, minimum: int) -> int:
    """Read a whole-number environment variable; refuse a value that is not one or is too small."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that its admin classes are used.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "csp",
    "django_tasks",
    "django_rq",
    "django_tasks_rq",
    "glossary",
]

MIDDLEWARE = [
    # First, so that every response carries the policy: redirects, static files, preflights.
    "glossary.http.content_security.PathPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the request: a control character in a path, query or form is a 400.
    "glossary.http.input_guard.ControlCharacterMiddleware",
    # After a worker's first response, its long-lived objects leave the garbage collector.
    "glossary.http.memory.SettleMemoryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "glossary.api.cors.ApiCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the response of a login refused because of a lockout.
    "axes.middleware.AxesMiddleware",
]

# The lockout's backend comes first: it refuses a locked-out login before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
            # The app's tag libraries live beside what they present, not in glossary/templatetags.
            "libraries": {
                "glossary_site": "glossary.site.templatetags.glossary_site",
                "glossary_admin": "glossary.admin.templatetags.glossary_admin",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Interface languages. Django's codes are lower case; the glossary's own term languages use
# the BCP 47 forms en, zh-Hans and zh-Hant (see glossary.core.models.Language).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# django-modeltranslation: translated fields are stored per language. When a translation is
# empty, Traditional falls back to Simplified before English (and Simplified to Traditional),
# because a Chinese reader is better served by the other script than by English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hans", "zh-hant")
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en",),
    "zh-hans": ("zh-hant", "en"),
    "zh-hant": ("zh-hans", "en"),
}
MODELTRANSLATION_AUTO_POPULATE = False
# The tabbed admin needs jQuery UI; serve our copy instead of the default CDN address.
JQUERY_UI_URL = "glossary/vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles"
#: Files the site writes (the whole glossary's export files): shared by every web process.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or BASE_DIR / "media"
STATICFILES_DIRS = [BASE_DIR / "static"]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "glossary",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        # Instances that share one Redis keep apart by prefix (pages are keyed by what each
        # instance's database last published, which two databases may have in common).
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX") or "glossary",
    }

# Long work (imports, …) runs as jobs through Django's tasks framework (the django-tasks
# backport). By default a job runs in the process that queues it, so nothing else needs to be
# running; production (config.settings.prod with REDIS_URL) queues jobs in Redis for a separate
# worker: `python manage.py rqworker --job-class django_tasks_rq.Job default`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
RQ_QUEUES = {
    "default": {
        "URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        # A 100,000-entry import runs for minutes, not seconds.
        "DEFAULT_TIMEOUT": env_int("JOB_TIMEOUT", 3 * 3600, minimum=60),
    }
}
# A running job's worker says it is alive every JOB_HEARTBEAT_SECONDS; a job not heard from for
# JOB_DEAD_AFTER_BEATS of them is shown and stored as failed ("the worker stopped").
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 30, minimum=1)
JOB_DEAD_AFTER_BEATS = env_int("JOB_DEAD_AFTER_BEATS", 4, minimum=2)
# Whether the whole published glossary's downloads are built into files by a job after each
# publication (and served from them), instead of being written while they are sent. Production
# turns it on: at 100,000 concepts a file takes seconds to write.
GLOSSARY_EXPORT_FILES = env_bool("GLOSSARY_EXPORT_FILES", False)
# Whether a worker, after its first request, freezes its long-lived objects out of the garbage
# collector's full passes (glossary/http/memory.py). Off in the tests, whose process is no worker.
GLOSSARY_SETTLE_MEMORY = env_bool("GLOSSARY_SETTLE_MEMORY", True)
# The admin shows our own job pages; RQ's dashboard would break the admin's
# Content-Security-Policy with its inline styles.
RQ_SHOW_ADMIN_LINK = False

LOGIN_URL = "admin:login"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "glossary.api.schema.ApiSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "glossary.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # A body whose strings hold a control character is refused as it is parsed (400).
    "DEFAULT_PARSER_CLASSES": [
        "glossary.api.parsers.JSONParser",
        "glossary.api.parsers.FormParser",
        "glossary.api.parsers.MultiPartParser",
    ],
    # Anonymous clients are throttled per address (history in the shared cache); signed-in
    # editors are not. A rate is "N/second|minute|hour|day"; an empty value turns it off.
    "DEFAULT_THROTTLE_CLASSES": ["glossary.api.throttling.AnonymousThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("GLOSSARY_API_ANON_RATE", "120/minute") or None,
        "token": os.environ.get("GLOSSARY_API_TOKEN_RATE", "10/minute") or None,
    },
    # The throttles find the client's address with glossary.http.clients.client_address (see
    # GLOSSARY_TRUSTED_PROXIES), so DRF's own NUM_PROXIES is not used.
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Glossary API",
    "DESCRIPTION": "Published English-Chinese AI terminology and its editorial workflow.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "glossary.core.choices.Language",
        "TermStatusEnum": "glossary.core.choices.TermStatus",
        "VersionStateEnum": "glossary.core.choices.VersionState",
        "RegionEnum": "glossary.core.choices.Region",
        # Language codes offered without labels (the term check's input and output).
        "LanguageCodeEnum": [("en", "en"), ("zh-Hans", "zh-Hans"), ("zh-Hant", "zh-Hant")],
        "TextFieldEnum": "glossary.api.serializers.TEXT_FIELD_CHOICES",
        "AttributeFieldEnum": "glossary.api.serializers.ATTRIBUTE_FIELDS",
        "RenderingStatusEnum": "glossary.core.choices.RenderingStatus",
        "AuthorityKindEnum": "glossary.core.choices.AuthorityKind",
    },
    "TAGS": [
        {"name": "Public (read)", "description": "Published data, for anyone; no sign-in."},
        {
            "name": "Editorial",
            "description": "The editorial workflow, for editors and reviewers (token or session).",
        },
    ],
}

# Content-Security-Policy (django-csp), enforced on every response. The public site runs no
# inline script or style: its CSS is glossary/static/glossary/site.css and nothing else loads.
CSP_PUBLIC = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_PUBLIC}
# By path, first prefix that matches. The admin has its own entry, as strict as the site: its own
# templates, Django's admin, modeltranslation's tabs (our copy of jQuery UI) and the
# Traditional-suggestion script use static files only.
# The API answers JSON and files, which may load nothing; its documentation page is a page of
# the site (a stylesheet, no script) and keeps the site's policy.
GLOSSARY_CSP_PATH_POLICIES = (
    ("/admin/", {"DIRECTIVES": CSP_PUBLIC}),
    ("/api/v1/docs/", CONTENT_SECURITY_POLICY),
    ("/api/", {"DIRECTIVES": {"default-src": [NONE], "frame-ancestors": [NONE]}}),
)

# The review policy: how many approvals publish a version and which sides must be among them.
# A reviewer's side is on their profile. Authors and editors of a version never count.
GLOSSARY_REVIEW_POLICY = {
    "APPROVALS_REQUIRED": int(os.environ.get("GLOSSARY_APPROVALS_REQUIRED", "2")),
    "SIDES_REQUIRED": env_list("GLOSSARY_SIDES_REQUIRED", "us,cn"),
    # Every Traditional Chinese term and text a machine converted must be reviewed by a linguist
    # before the version is submitted (and so before it is published). Off: "0".
    "TRADITIONAL_REVIEWED": env_bool("GLOSSARY_REQUIRE_TRADITIONAL_REVIEWED", True),
}

# Client addresses: how many proxies of our own stand in front of the app and append to
# X-Forwarded-For. 0 means the address is REMOTE_ADDR and the header is ignored; N means the N-th
# entry from the right (see glossary.http.clients). GLOSSARY_API_NUM_PROXIES is its former name.
GLOSSARY_TRUSTED_PROXIES = env_int(
    "GLOSSARY_TRUSTED_PROXIES", env_int("GLOSSARY_API_NUM_PROXIES", 0, minimum=0), minimum=0
)

# Login lockout (django-axes), for the admin's sign-in and the API's token exchange. Failures are
# counted in the database, so every worker sees them. After GLOSSARY_LOGIN_FAILURE_LIMIT failures
# within the cool-off, the address and the username are each refused (even with the right
# password) until GLOSSARY_LOGIN_COOLOFF_MINUTES have passed without another attempt.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("GLOSSARY_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("GLOSSARY_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "glossary.http.clients.client_address"
AXES_LOCKOUT_CALLABLE = "glossary.site.views.login_locked_out"
# A successful login does not wipe the failures: they would include those of other usernames
# tried from the same address, which an attacker with an account of their own could then reset.
AXES_RESET_ON_SUCCESS = False
# Only failures are recorded; successful logins are not logged in another table.
AXES_DISABLE_ACCESS_LOG = True
AXES_HTTP_RESPONSE_CODE = 429

# API tokens expire this many hours after they are issued; a password change or deactivation of
# the account revokes them at once (glossary.api.authentication).
GLOSSARY_TOKEN_LIFETIME_HOURS = env_int("GLOSSARY_TOKEN_LIFETIME_HOURS", 24, minimum=1)

# The term check of translators' bilingual files (page, API, check_terms --file): a larger file,
# or one with more segments, is refused whole before anything is checked.
GLOSSARY_CHECK_FILE_MAX_BYTES = env_int(
    "GLOSSARY_CHECK_FILE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024
)
GLOSSARY_CHECK_FILE_MAX_SEGMENTS = env_int("GLOSSARY_CHECK_FILE_MAX_SEGMENTS", 20_000, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"glossary": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# E-mail notifications (glossary.core.notify): printed to the console unless production
# settings name an SMTP server (EMAIL_HOST, …). Links in them start with GLOSSARY_ADMIN_URL.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "glossary@localhost")
GLOSSARY_ADMIN_URL = os.environ.get("GLOSSARY_ADMIN_URL", "http://127.0.0.1:8000")

# Public forms (consultation comments, proposals from readers, watching a concept): how many one
# address may send (glossary.http.form_throttle),
# counted in the shared cache like the API's throttles. "N/second|minute|hour|day"; empty: off.
GLOSSARY_FORM_RATES = {
    "comment": os.environ.get("GLOSSARY_COMMENT_RATE", "5/hour") or None,
    "proposal": os.environ.get("GLOSSARY_PROPOSAL_RATE", "10/hour") or None,
    "watch": os.environ.get("GLOSSARY_WATCH_RATE", "10/hour") or None,
}
# The public site's address, for the links in e-mails to readers (watching, proposals).
GLOSSARY_SITE_URL = os.environ.get("GLOSSARY_SITE_URL", GLOSSARY_ADMIN_URL)
