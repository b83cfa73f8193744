"""The editorial admin's template tag library (registered in settings.TEMPLATES)."""
