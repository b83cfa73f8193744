"""Settings shared by every environment; each environment module imports these and adjusts."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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
    "rest_framework.authtoken",
    "drf_spectacular",
    "glossary",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the request: a control character in a path, query or form is a 400.
    "glossary.input_guard.ControlCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "glossary.api.cors.ApiCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
# the BCP 47 forms en, zh-Hans and zh-Hant (see glossary.models.Language).
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

LOGIN_URL = "admin:login"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
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
    # How many proxies stand in front of the app (for the client address in X-Forwarded-For).
    "NUM_PROXIES": (
        int(os.environ["GLOSSARY_API_NUM_PROXIES"])
        if os.environ.get("GLOSSARY_API_NUM_PROXIES")
        else None
    ),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Glossary API",
    "DESCRIPTION": "Published English-Chinese AI terminology and its editorial workflow.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "glossary.choices.Language",
        "TermStatusEnum": "glossary.choices.TermStatus",
        "VersionStateEnum": "glossary.choices.VersionState",
        "RegionEnum": "glossary.choices.Region",
        # Language codes offered without labels (the term check's input and output).
        "LanguageCodeEnum": [("en", "en"), ("zh-Hans", "zh-Hans"), ("zh-Hant", "zh-Hant")],
        "TextFieldEnum": "glossary.api.serializers.TEXT_FIELDS",
        "AttributeFieldEnum": "glossary.api.serializers.ATTRIBUTE_FIELDS",
    },
    "TAGS": [
        {"name": "Public (read)", "description": "Published data, for anyone; no sign-in."},
        {
            "name": "Editorial",
            "description": "The editorial workflow, for editors and reviewers (token or session).",
        },
    ],
}

# The review policy: how many approvals publish a version and which sides must be among them.
# A reviewer's side is on their profile. Authors and editors of a version never count.
GLOSSARY_REVIEW_POLICY = {
    "APPROVALS_REQUIRED": int(os.environ.get("GLOSSARY_APPROVALS_REQUIRED", "2")),
    "SIDES_REQUIRED": env_list("GLOSSARY_SIDES_REQUIRED", "us,cn"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"glossary": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
