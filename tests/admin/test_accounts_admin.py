"""Accounts in the admin: only a superuser grants superuser, staff, groups, permissions or a
reviewer's side; an Administrator manages accounts within their own rights, and a forged POST
changes nothing more than the form shows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from glossary.core import roles
from glossary.core.models import Profile
from tests import factories
from tests.factories import admin_form_data

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-root")


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def form_data(response) -> dict:
    """The unchanged user form as a browser sends it (dates and times in two inputs)."""
    data = admin_form_data(response)
    for name in ["last_login", "date_joined"]:
        value = data.pop(name, None)
        if value is not None:
            data[f"{name}_0"] = value.date().isoformat()
            data[f"{name}_1"] = value.time().strftime("%H:%M:%S")
    return data


def forged_rights() -> dict:
    """Everything that would widen an account's rights, as a hand-made POST would send it."""
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [g.pk for g in Group.objects.all()],
        "user_permissions": [p.pk for p in Permission.objects.all()],
    }


def rights_of(user) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        user.user_permissions.count(),
    )


def test_an_administrator_cannot_make_itself_superuser(client, administrator):
    client.force_login(administrator)
    page = client.get(change_url(administrator))
    assert page.status_code == 200
    content = page.content.decode()
    for name in ["is_superuser", "is_staff", "groups", "user_permissions"]:
        assert f'name="{name}"' not in content
    before = rights_of(administrator)
    data = {**form_data(page), **forged_rights(), "first_name": "Chief"}
    response = client.post(change_url(administrator), data)
    assert response.status_code == 302
    assert User.objects.get(pk=administrator.pk).first_name == "Chief", "the rest is saved"
    assert rights_of(administrator) == before == (False, True, ["Administrators"], 0)
    assert not User.objects.get(pk=administrator.pk).has_perm("auth.change_group")


def test_an_administrator_cannot_raise_an_editor(client, administrator, editor):
    client.force_login(administrator)
    page = client.get(change_url(editor))
    assert page.status_code == 200
    response = client.post(change_url(editor), {**form_data(page), **forged_rights()})
    assert response.status_code == 302
    assert rights_of(editor) == (False, True, ["Editors"], 0)


def test_an_administrator_cannot_touch_a_superuser(client, administrator, superuser):
    client.force_login(administrator)
    page = client.get(change_url(superuser))
    assert page.status_code == 200, "seen, read-only"
    assert 'name="_save"' not in page.content.decode()
    response = client.post(change_url(superuser), {"username": "root", "is_active": ""})
    assert response.status_code == 403
    password = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert client.get(password).status_code == 403
    forged = {"password1": "taken-over-9", "password2": "taken-over-9", "usable_password": "true"}
    assert client.post(password, forged).status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.check_password("pw-root")


def test_an_administrator_cannot_take_over_a_reviewer(client, administrator, reviewer_cn):
    """A reviewer holds a right Administrators lack: signing in as one would bypass review."""
    client.force_login(administrator)
    password = reverse("admin:auth_user_password_change", args=[reviewer_cn.pk])
    forged = {"password1": "taken-over-9", "password2": "taken-over-9"}
    assert client.post(password, forged).status_code == 403
    assert client.post(change_url(reviewer_cn), {"username": "mine"}).status_code == 403
    reviewer_cn.refresh_from_db()
    assert reviewer_cn.username == "reviewer-cn"
    assert reviewer_cn.check_password("pw-reviewer-cn")


def test_an_administrator_cannot_make_itself_a_reviewer(client, administrator, reviewer_us):
    client.force_login(administrator)
    # Its own profile, through the user page and through the profile admin.
    page = client.get(change_url(administrator))
    data = form_data(page)
    data.update(
        {
            "glossary_profile-TOTAL_FORMS": "1",
            "glossary_profile-INITIAL_FORMS": "0",
            "glossary_profile-0-side": "us",
            "glossary_profile-0-role": "linguist",
            "glossary_profile-0-affiliation": "Glossary office",
        }
    )
    assert client.post(change_url(administrator), data).status_code == 302
    profile = Profile.objects.get(user=administrator)
    assert (profile.side, profile.role, profile.affiliation) == ("", "", "Glossary office")
    url = reverse("admin:glossary_profile_change", args=[profile.pk])
    form = {"user": administrator.pk, "side": "cn", "role": "expert", "affiliation": "x"}
    assert client.post(url, form).status_code == 302
    profile.refresh_from_db()
    assert (profile.side, profile.role) == ("", "")
    # Nor move a reviewer to the other side, so that one side approves twice.
    theirs = reverse("admin:glossary_profile_change", args=[reviewer_us.glossary_profile.pk])
    form = {"user": reviewer_us.pk, "side": "cn", "role": "linguist", "affiliation": ""}
    assert client.post(theirs, form).status_code == 403
    assert Profile.objects.get(user=reviewer_us).side == "us"
    assert not administrator.has_perm("glossary.review_version")


def test_an_administrator_cannot_edit_group_permissions(client, administrator):
    group = Group.objects.get(name="Administrators")
    before = set(group.permissions.values_list("pk", flat=True))
    client.force_login(administrator)
    url = reverse("admin:auth_group_change", args=[group.pk])
    assert client.get(url).status_code == 200, "seen, read-only"
    everything = [p.pk for p in Permission.objects.all()]
    forged = {"name": "Administrators", "permissions": everything}
    assert client.post(url, forged).status_code == 403
    assert (
        client.post(reverse("admin:auth_group_add"), {**forged, "name": "Root"}).status_code == 403
    )
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Root").exists()


def add_account(client, username: str, **extra):
    data = {
        "username": username,
        "usable_password": "true",
        "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42",
        "glossary_profile-TOTAL_FORMS": "0",
        "glossary_profile-INITIAL_FORMS": "0",
        **extra,
    }
    return client.post(reverse("admin:auth_user_add"), data)


def test_an_administrator_creates_an_editor_account(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:auth_user_add")).content.decode()
    editors, reviewers = Group.objects.get(name="Editors"), Group.objects.get(name="Reviewers")
    assert f'value="{editors.pk}"' in page
    assert f'value="{reviewers.pk}"' not in page, "a group with rights they lack is not offered"
    response = add_account(client, "new-editor", role=editors.pk, **forged_rights())
    assert response.status_code == 302
    account = User.objects.get(username="new-editor")
    assert rights_of(account) == (False, True, ["Editors"], 0)
    client.force_login(account)
    assert client.get(reverse("admin:glossary_concept_add")).status_code == 200


def test_an_administrator_cannot_create_a_reviewer_account(client, administrator):
    client.force_login(administrator)
    reviewers = Group.objects.get(name="Reviewers")
    response = add_account(client, "sock-puppet", role=reviewers.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="sock-puppet").exists()


def test_a_superuser_still_grants_everything(client, superuser, administrator, reviewer_us):
    client.force_login(superuser)
    page = client.get(change_url(administrator))
    reviewers = Group.objects.get(name="Reviewers")
    data = {**form_data(page), "is_superuser": "on", "groups": [reviewers.pk]}
    data.update(
        {
            "glossary_profile-TOTAL_FORMS": "1",
            "glossary_profile-INITIAL_FORMS": "0",
            "glossary_profile-0-side": "cn",
            "glossary_profile-0-role": "expert",
        }
    )
    assert client.post(change_url(administrator), data).status_code == 302
    assert rights_of(administrator) == (True, True, ["Reviewers"], 0)
    assert Profile.objects.get(user=administrator).side == "cn"
    profile = reverse("admin:glossary_profile_change", args=[reviewer_us.glossary_profile.pk])
    form = {"user": reviewer_us.pk, "side": "cn", "role": "expert", "affiliation": ""}
    assert client.post(profile, form).status_code == 302
    assert Profile.objects.get(user=reviewer_us).side == "cn"
    password = reverse("admin:auth_user_password_change", args=[reviewer_us.pk])
    reset = {"password1": "a-new-passphrase-42", "password2": "a-new-passphrase-42"}
    assert client.post(password, reset).status_code == 302
    group = Group.objects.get(name="Editors")
    url = reverse("admin:auth_group_change", args=[group.pk])
    review = Permission.objects.get(codename="review_version")
    everything = [*group.permissions.values_list("pk", flat=True), review.pk]
    assert client.post(url, {"name": "Editors", "permissions": everything}).status_code == 302
    assert group.permissions.filter(pk=review.pk).exists()
    response = add_account(client, "new-reviewer", role=Group.objects.get(name="Reviewers").pk)
    assert response.status_code == 302
    assert rights_of(User.objects.get(username="new-reviewer")) == (False, True, ["Reviewers"], 0)


def test_may_manage_reads_rights_of_inactive_accounts_too(administrator, reviewer_us):
    """An inactive reviewer has no permissions in has_perm, but reactivating it would."""
    reviewer_us.is_active = False
    reviewer_us.save()
    assert not roles.may_manage(administrator, reviewer_us)
    assert roles.may_manage(administrator, factories.make_user("someone", group="Editors"))
