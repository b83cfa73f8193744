"""manage.py commands: seed, import, export, check, rebuild derived data, cut a release, demo users."""
