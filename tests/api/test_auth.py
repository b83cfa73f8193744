"""Signing in safely: the client address throttles and lockouts count by, the login lockout on the
admin and the API's token exchange, and API tokens that expire and are revoked."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from config.settings.base import env_int
from glossary.core.models import ApiToken
from glossary.http.clients import client_address

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
LOGIN = "/admin/login/"
DRAFT = "/api/v1/drafts/generative-ai/"


def token_rate(rate: str):
    """The token exchange's throttle at ``rate``; the other throttle settings as configured."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": rate}
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    )


def obtain(client, username="editor", password="pw-editor", **extra):
    return client.post(TOKEN, {"username": username, "password": password}, format="json", **extra)


def admin_login(client, username="editor", password="pw-editor", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def pass_cool_off() -> None:
    """Move every recorded failure back beyond the cool-off, as if the time had passed."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )


# Client addresses ----------------------------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_address_is_the_connections():
    assert settings.GLOSSARY_TRUSTED_PROXIES == 0
    assert client_address(request_from("192.0.2.1", "198.51.100.7")) == "192.0.2.1"
    assert client_address(request_from("192.0.2.1")) == "192.0.2.1"


@override_settings(GLOSSARY_TRUSTED_PROXIES=2)
def test_with_trusted_proxies_the_address_is_the_one_the_outermost_proxy_saw():
    # A client's own entries stand left of what the two proxies appended.
    chain = "6.6.6.6, 203.0.113.9, 10.0.0.2"
    assert client_address(request_from("10.0.0.3", chain)) == "203.0.113.9"
    assert client_address(request_from("10.0.0.3", "203.0.113.9,10.0.0.2")) == "203.0.113.9"
    # Not through both proxies, or not an address where the proxy writes one: the connection's.
    assert client_address(request_from("10.0.0.3", "10.0.0.2")) == "10.0.0.3"
    assert client_address(request_from("10.0.0.3")) == "10.0.0.3"
    assert client_address(request_from("10.0.0.3", "x, not-an-ip, 10.0.0.2")) == "10.0.0.3"


def test_a_new_forwarded_for_with_each_request_does_not_escape_the_throttle(editor):
    api = APIClient()
    with token_rate("3/minute"):
        for attempt in range(3):
            response = obtain(api, password="wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
            assert response.status_code == 400
        refused = obtain(api, password="wrong", HTTP_X_FORWARDED_FOR="198.51.100.99")
        assert refused.status_code == 429
        assert refused.json()["code"] == "throttled"
        # Another connection has its own allowance.
        assert obtain(api, REMOTE_ADDR="192.0.2.50").status_code == 200


@override_settings(GLOSSARY_TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_throttle_counts_the_address_it_saw(editor):
    api = APIClient()
    with token_rate("3/minute"):
        for attempt in range(3):
            spoofed = f"198.51.100.{attempt}, 203.0.113.7"
            response = obtain(api, password="wrong", HTTP_X_FORWARDED_FOR=spoofed)
            assert response.status_code == 400
        refused = obtain(api, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
        assert refused.status_code == 429
        assert refused.json()["code"] == "throttled"
        # All requests share the proxy's REMOTE_ADDR, but another client has its own allowance.
        assert obtain(api, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_the_lockout_counts_by_the_same_address(editor, administrator):
    client = Client()
    for attempt in range(5):
        admin_login(
            client, username=f"guess-{attempt}", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}"
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    # The address is locked, whatever it claims to forward for and whichever account it tries.
    response = admin_login(
        client, username="chief", password="pw-chief", HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert response.status_code == 429
    assert not signed_in(client)


# Login lockout: the admin --------------------------------------------------------------------


def test_the_admin_sign_in_locks_after_repeated_failures(editor):
    client = Client()
    for _ in range(4):
        response = admin_login(client, password="wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = admin_login(client, password="wrong")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Try again in 15 minutes." in locked.content.decode()
    # Even the right password is refused now.
    refused = admin_login(client)
    assert refused.status_code == 429
    assert not signed_in(client)

    pass_cool_off()
    welcome = admin_login(client)
    assert welcome.status_code == 302
    assert welcome["Location"] == "/admin/"
    assert signed_in(client)


def test_the_lockout_page_is_in_the_site_style_and_the_browsers_language(editor):
    client = Client()
    for _ in range(5):
        admin_login(client, password="wrong", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = admin_login(client, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "site-header" in page
    assert "登录暂时锁定" in page
    assert "15 分钟后再试" in page


def test_an_account_is_locked_for_every_client_and_an_address_for_every_account(
    editor, administrator
):
    attacker = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(5):
        admin_login(attacker, password="wrong")
    # The account, from another machine (the failures are in the shared database).
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert admin_login(owner).status_code == 429
    assert not signed_in(owner)
    # The address, for another account.
    assert admin_login(attacker, username="chief", password="pw-chief").status_code == 429
    # Other people at other addresses sign in as usual.
    colleague = Client(REMOTE_ADDR="192.0.2.11")
    assert admin_login(colleague, username="chief", password="pw-chief").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=dt.timedelta(minutes=1))
def test_the_limits_are_settings(editor):
    client = Client()
    assert admin_login(client, password="wrong").status_code == 200
    locked = admin_login(client, password="wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "60"


@pytest.mark.parametrize(
    ("value", "problem"),
    [("five", "must be a whole number"), ("0", "must be at least 1")],
)
def test_a_limit_that_is_not_a_positive_number_is_refused(monkeypatch, value, problem):
    monkeypatch.setenv("GLOSSARY_LOGIN_FAILURE_LIMIT", value)
    with pytest.raises(ImproperlyConfigured, match=problem):
        env_int("GLOSSARY_LOGIN_FAILURE_LIMIT", 5, minimum=1)
    monkeypatch.setenv("GLOSSARY_LOGIN_FAILURE_LIMIT", "8")
    assert env_int("GLOSSARY_LOGIN_FAILURE_LIMIT", 5, minimum=1) == 8


# Login lockout: the token exchange -----------------------------------------------------------


def test_the_token_exchange_locks_after_repeated_failures(editor):
    api = APIClient()
    for _ in range(4):
        assert obtain(api, password="wrong").status_code == 400
    locked = obtain(api, password="wrong")
    assert locked.status_code == 429
    assert locked.json() == {
        "code": "locked_out",
        "detail": "Too many failed sign-ins for this account or from this address. "
        "Try again in 15 minutes.",
    }
    assert locked["Retry-After"] == str(15 * 60)
    refused = obtain(api)
    assert refused.status_code == 429
    assert "token" not in refused.json()
    assert not ApiToken.objects.exists()

    pass_cool_off()
    assert obtain(api).status_code == 200


def test_a_token_lockout_holds_for_another_client_and_for_the_admin(editor):
    for _ in range(5):
        obtain(APIClient(REMOTE_ADDR="198.51.100.1"), password="wrong")
    other = APIClient(REMOTE_ADDR="192.0.2.10")
    assert obtain(other).json()["code"] == "locked_out"
    browser = Client(REMOTE_ADDR="192.0.2.20")
    assert admin_login(browser).status_code == 429


def test_the_lockout_message_is_translated(editor):
    api = APIClient()
    for _ in range(5):
        obtain(api, password="wrong")
    refused = obtain(api, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert refused.json()["code"] == "locked_out"
    assert "15 分鐘後再試" in refused.json()["detail"]


# Tokens --------------------------------------------------------------------------------------


def use(key: str):
    """An editorial read with the token, as a program would make it."""
    program = APIClient()
    program.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return program.get(DRAFT)


def test_a_token_says_when_it_expires(editor, draft):
    before = timezone.now()
    response = obtain(APIClient())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires"}
    expires = dt.datetime.fromisoformat(body["expires"])
    lifetime = dt.timedelta(hours=settings.GLOSSARY_TOKEN_LIFETIME_HOURS)
    assert before + lifetime <= expires <= timezone.now() + lifetime
    assert settings.GLOSSARY_TOKEN_LIFETIME_HOURS == 24
    assert use(body["token"]).status_code == 200


def test_only_a_digest_of_the_token_is_stored(editor):
    key = obtain(APIClient()).json()["token"]
    stored = ApiToken.objects.values().get()
    assert key not in {str(value) for value in stored.values()}
    assert stored["key_digest"] != key


@override_settings(GLOSSARY_TOKEN_LIFETIME_HOURS=2)
def test_an_expired_token_is_refused_and_removed(editor, draft):
    body = obtain(APIClient()).json()
    expires = dt.datetime.fromisoformat(body["expires"])
    assert abs(expires - timezone.now() - dt.timedelta(hours=2)) < dt.timedelta(minutes=1)
    assert use(body["token"]).status_code == 200

    ApiToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    refused = use(body["token"])
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_expired"
    assert "expired" in refused.json()["detail"]
    assert refused["WWW-Authenticate"] == "Token"
    assert not ApiToken.objects.exists()
    # Gone for good: the same key is now simply unknown.
    assert use(body["token"]).json()["code"] == "authentication_failed"


def test_a_password_change_revokes_the_accounts_tokens(editor, draft):
    key = obtain(APIClient()).json()["token"]
    assert use(key).status_code == 200
    editor.set_password("a-new-password")
    editor.save()
    refused = use(key)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"
    assert "password changed" in refused.json()["detail"]
    assert not ApiToken.objects.filter(user=editor).exists()
    # A token obtained with the new password works.
    fresh = obtain(APIClient(), password="a-new-password").json()["token"]
    assert use(fresh).status_code == 200


def test_deactivating_an_account_revokes_its_tokens(editor, draft):
    key = obtain(APIClient()).json()["token"]
    editor.is_active = False
    editor.save()
    refused = use(key)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"
    assert not ApiToken.objects.filter(user=editor).exists()
    assert obtain(APIClient()).status_code == 400


def test_each_exchange_issues_its_own_token_and_drops_expired_ones(editor, draft):
    first = obtain(APIClient()).json()["token"]
    second = obtain(APIClient()).json()["token"]
    assert first != second
    assert use(first).status_code == use(second).status_code == 200
    ApiToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    third = obtain(APIClient()).json()["token"]
    assert ApiToken.objects.filter(user=editor).count() == 1
    assert use(third).status_code == 200


def test_another_accounts_password_change_leaves_a_token_alone(editor, second_editor, draft):
    key = obtain(APIClient()).json()["token"]
    second_editor.set_password("another-password")
    second_editor.save()
    assert use(key).status_code == 200
