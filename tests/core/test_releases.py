"""Releases freeze the published versions and know what changed since the previous one."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from glossary.core import services
from glossary.core.choices import ReleaseChange
from glossary.core.models import Concept, Release
from glossary.core.workflow import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db


def publish_new_version(concept, editor, reviewers, **texts):
    draft = services.draft_start(concept=concept, user=editor)
    services.draft_update(
        version=draft,
        user=editor,
        data=factories.complete_data(**texts),
        expected_revision=draft.revision,
    )
    services.version_submit(version=draft, user=editor)
    for reviewer in reviewers:
        services.version_approve(version=draft, user=reviewer)
    return draft


def test_changelog_against_the_previous_release(editor, reviewer_us, reviewer_cn, administrator):
    reviewers = [reviewer_us, reviewer_cn]
    a = factories.make_published(editor, reviewers, uid="a")
    factories.make_published(editor, reviewers, uid="b")
    first = services.release_cut(name="2024.1", notes="First.", user=administrator)
    assert dict(first.entries.values_list("concept__uid", "change")) == {
        "a": ReleaseChange.ADDED,
        "b": ReleaseChange.ADDED,
    }
    assert first.previous is None

    publish_new_version(a.concept, editor, reviewers, definition_en="Revised.")
    factories.make_published(editor, reviewers, uid="c")
    retirement = services.concept_retire(
        concept=Concept.objects.get(uid="b"), user=administrator, reason="Obsolete."
    )
    for reviewer in reviewers:
        services.version_approve(version=retirement, user=reviewer)
    factories.make_draft(editor, uid="d")  # never published: not in any release

    second = services.release_cut(name="2024.2", notes="Second.", user=administrator)
    assert second.previous == first
    assert dict(second.entries.values_list("concept__uid", "change")) == {
        "a": ReleaseChange.CHANGED,
        "b": ReleaseChange.RETIRED,
        "c": ReleaseChange.ADDED,
    }
    # The first release still holds the versions as they were.
    assert first.entries.get(concept__uid="a").version.number == 1
    assert second.entries.get(concept__uid="a").version.number == 2

    third = services.release_cut(name="2025.1", notes="", user=administrator)
    assert set(third.entries.values_list("change", flat=True)) == {ReleaseChange.UNCHANGED}


def test_release_names_are_checked(published, administrator):
    services.release_cut(name="2025.1", user=administrator)
    with pytest.raises(ValidationError):
        services.release_cut(name="2025.1", user=administrator)
    with pytest.raises(ValidationError):
        services.release_cut(name="spring", user=administrator)
    assert Release.objects.count() == 1


def test_nothing_published_means_no_release(draft, administrator):
    with pytest.raises(WorkflowError) as exc:
        services.release_cut(name="2025.1", user=administrator)
    assert exc.value.code == "empty_release"


def test_only_administrators_cut_releases(published, editor):
    with pytest.raises(WorkflowError):
        services.release_cut(name="2025.1", user=editor)


def test_cut_release_command(published, capsys):
    call_command("cut_release", "2025.1", "--notes", "Spring edition.")
    release = Release.objects.get(name="2025.1")
    assert release.notes == "Spring edition."
    assert "2025.1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already"):
        call_command("cut_release", "2025.1")
