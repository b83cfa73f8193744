"""The public site's template tag library (registered in settings.TEMPLATES)."""
