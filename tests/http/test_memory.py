"""A worker settles its long-lived objects out of the garbage collector after its first request."""

from __future__ import annotations

import gc

import pytest
from django.core.signals import request_finished

from glossary.http import memory


@pytest.fixture
def fresh_worker(monkeypatch):
    """A process that has not settled yet; the collector as it was, afterwards."""
    thresholds = gc.get_threshold()
    monkeypatch.setattr(memory, "_settled", False)
    monkeypatch.setattr(memory, "_grown", False)
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    if memory._after_collection in gc.callbacks:
        gc.callbacks.remove(memory._after_collection)
    request_finished.disconnect(dispatch_uid="glossary-collect-leftovers")


@pytest.mark.django_db
def test_the_first_request_freezes_what_lasts_and_the_next_do_not(client, settings, fresh_worker):
    settings.GLOSSARY_SETTLE_MEMORY = True
    collections = []
    gc.callbacks.append(lambda phase, info: collections.append(phase) if phase == "stop" else None)
    try:
        assert gc.get_freeze_count() == 0
        assert client.get("/en/releases/").status_code == 200
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # Django, the project, its URL patterns and templates
        assert gc.get_threshold() == memory.THRESHOLDS
        gc.disable()  # only what the worker itself collects
        collections.clear()
        assert client.get("/en/releases/").status_code == 200
        assert collections == []
        assert gc.get_freeze_count() <= frozen  # frozen once: only freed ones leave
        # A request that moved objects to the oldest generation: collected once it is sent.
        gc.collect(1)
        assert gc.get_count()[2] == 1
        collections.clear()
        assert client.get("/en/releases/").status_code == 200
        assert collections == ["stop"]
        assert gc.get_count()[2] == 0
    finally:
        gc.enable()
        gc.callbacks.pop()


@pytest.mark.django_db
def test_a_worker_settles_again_when_a_full_collection_leaves_much_behind(
    client, settings, fresh_worker, monkeypatch
):
    settings.GLOSSARY_SETTLE_MEMORY = True
    assert client.get("/en/releases/").status_code == 200
    assert memory._after_collection in gc.callbacks
    monkeypatch.setattr(memory, "GROWN", 100)
    kept = [[n] for n in range(1000)]  # what a new kind of page would load, and keep
    gc.collect()
    assert memory._grown
    frozen = gc.get_freeze_count()
    assert client.get("/en/releases/").status_code == 200
    assert gc.get_freeze_count() >= frozen + len(kept)
    assert not memory._grown
    monkeypatch.setattr(memory, "GROWN", 10**9)
    gc.collect()
    assert not memory._grown


@pytest.mark.django_db
def test_nothing_is_frozen_when_it_is_off(client, settings, fresh_worker):
    settings.GLOSSARY_SETTLE_MEMORY = False
    assert client.get("/en/releases/").status_code == 200
    assert gc.get_freeze_count() == 0
    assert memory._settled is False


def test_the_middleware_is_installed(settings):
    assert "glossary.http.memory.SettleMemoryMiddleware" in settings.MIDDLEWARE
