"""Tools that run beside the application but are not part of it."""
