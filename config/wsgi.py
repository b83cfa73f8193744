"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = get_wsgi_application()

# The term index is built when the worker starts, never in a request; afterwards each worker
# reads only what is published. With gunicorn's --preload it is built once, before the
# workers are forked, and each starts with it (copy-on-write); the connection is closed so
# that each worker opens its own.
from glossary.http import memory  # noqa: E402
from glossary.termcheck.index import warm_up  # noqa: E402

warm_up()
connections.close_all()
# The term index lasts as long as the worker: out of the garbage collector's full passes.
if memory.enabled():
    memory.settle()
