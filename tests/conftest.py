import contextlib
import os
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from glossary.core import roles
from tests import factories

PROJECT_ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _reset_language():
    """Every test starts in English and leaves no active language behind."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _editorial_groups(request):
    """A transactional test's flush removes the groups migration 0002 made: put them back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        roles.ensure_groups()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (``make browser`` installs it)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: install chromium and fonts-noto-cjk.")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, while the tests' ORM calls are
    # plain setup. Only while browser tests run: the variable would fail `check --deploy`.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


#: Runs in every document before its own scripts: reports each Content-Security-Policy violation
#: to the test through a binding (so reports from pages navigated away from are kept).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation({
    page: document.URL,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
}, true);
"""


class CspWatch:
    """Collects the Content-Security-Policy violations of browser contexts."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def attach(self, context) -> None:
        context.expose_binding("__reportCspViolation", self._report)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._console)

    def _report(self, _source, report) -> None:
        self.violations.append(
            "{page}: {directive} blocked {blocked} at {source} {sample!r}".format(**report)
        )

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def settle(self, context) -> None:
        """Let reports already sent by the pages arrive (one round trip to each page)."""
        from playwright.sync_api import Error

        for page in context.pages:
            # A page closed or navigating away sent its reports when they happened.
            with contextlib.suppress(Error):
                page.evaluate("() => new Promise((done) => setTimeout(done, 50))")

    def check(self) -> None:
        if self.violations:
            pytest.fail(
                "Content-Security-Policy violations:\n" + "\n".join(self.violations),
                pytrace=False,
            )


@pytest.fixture
def new_context(browser):
    """Make browser contexts for one test; any CSP violation in them fails the test."""
    watch = CspWatch()
    contexts = []

    def make(**options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        watch.attach(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        watch.settle(context)
        context.close()
    watch.check()


@pytest.fixture
def editor(db):
    return factories.make_user("editor", group="Editors")


@pytest.fixture
def second_editor(db):
    return factories.make_user("editor2", group="Editors")


@pytest.fixture
def reviewer_us(db):
    return factories.make_user("reviewer-us", group="Reviewers", side="us")


@pytest.fixture
def reviewer_cn(db):
    return factories.make_user("reviewer-cn", group="Reviewers", side="cn")


@pytest.fixture
def second_reviewer_us(db):
    return factories.make_user("expert-us", group="Reviewers", side="us", role="expert")


@pytest.fixture
def administrator(db):
    return factories.make_user("chief", group="Administrators")


@pytest.fixture
def draft(editor):
    return factories.make_draft(editor)


@pytest.fixture
def published(editor, reviewer_us, reviewer_cn):
    return factories.make_published(editor, [reviewer_us, reviewer_cn])


@pytest.fixture
def fresh_check_index():
    """The term check starts without a built checker and leaves jieba's dictionary as it was."""
    from glossary.language import segmentation
    from glossary.termcheck import index as terms_index

    saved = segmentation._jieba_state.loaded
    terms_index._built = None
    yield
    terms_index._built = None
    segmentation._jieba_state.loaded = saved


@pytest.fixture
def compiled_catalogs() -> None:
    """The interface translations compiled as the build compiles them (see tests/site/test_i18n.py)."""
    from django.utils import translation

    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    try:
        import compile_messages

        compile_messages.main()
    finally:
        sys.path.remove(str(PROJECT_ROOT / "scripts"))
    translation.trans_real._translations = {}
    translation.trans_real._active = translation.trans_real.Local()


@pytest.fixture
def wsgi_app(db):
    """The project's WSGI application, called in-process inside the test's transaction.

    Like Django's test client, it leaves the connection open around each request (the
    request_started and request_finished signals would otherwise close it, and with it the
    test's transaction).
    """
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
