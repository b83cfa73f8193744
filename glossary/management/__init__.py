"""The operator's commands (manage.py ...)."""
