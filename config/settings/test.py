"""Settings for the test suite: fast hashing, no real mail, predictable review policy."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Machine conversions may be published here, so that the tests of how they are shown can make
# them; the tests of the review policy turn the requirement on (it is on by default elsewhere).
# The test process is no worker: nothing of it is frozen out of the garbage collector.
GLOSSARY_SETTLE_MEMORY = False
GLOSSARY_REVIEW_POLICY = {
    "APPROVALS_REQUIRED": 2,
    "SIDES_REQUIRED": ["us", "cn"],
    "TRADITIONAL_REVIEWED": False,
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps' folders; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
