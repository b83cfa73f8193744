"""Releases: freeze the published versions with notes and a changelog."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from glossary.core import lists
from glossary.core.choices import (
    ReleaseChange,
    VersionState,
)
from glossary.core.models import (
    Concept,
    Release,
    ReleaseEntry,
)
from glossary.core.services.history import bump_publication, system_user
from glossary.core.workflow import WorkflowError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def release_cut(
    *,
    name: str,
    notes: str = "",
    notes_zh_hans: str = "",
    notes_zh_hant: str = "",
    user: User | None,
) -> Release:
    """Freeze the published versions as a release, with its changelog against the previous one.

    ``notes`` are the release notes in English, ``notes_zh_hans`` and ``notes_zh_hant`` in
    Chinese (a page in a language without them shows another language's, and says so).
    """
    if user is not None and not user.has_perm("glossary.cut_release"):
        raise WorkflowError("permission_denied", _("You may not cut releases."))
    release = Release(
        name=name.strip(),
        notes_en=notes.strip(),
        notes_zh_hans=notes_zh_hans.strip(),
        notes_zh_hant=notes_zh_hant.strip(),
        created_by=system_user(user),
    )
    release.full_clean(exclude=["previous", "created_by"])
    previous = Release.objects.select_for_update().latest_first().first()
    current = list(
        Concept.objects.published().values_list("pk", "public_version_id", "public_version__state")
    )
    if not current:
        raise WorkflowError(
            "empty_release", _("Nothing is published yet, so there is nothing to release.")
        )
    before = dict(previous.entries.values_list("concept_id", "version_id")) if previous else {}
    release.previous = previous
    release.save()
    entries = []
    for concept_id, version_id, state in current:
        if concept_id not in before:
            change = ReleaseChange.RETIRED if state == VersionState.RETIRED else ReleaseChange.ADDED
        elif before[concept_id] == version_id:
            change = ReleaseChange.UNCHANGED
        elif state == VersionState.RETIRED:
            change = ReleaseChange.RETIRED
        else:
            change = ReleaseChange.CHANGED
        entries.append(
            ReleaseEntry(
                release=release, concept_id=concept_id, version_id=version_id, change=change
            )
        )
    ReleaseEntry.objects.bulk_create(entries, batch_size=2000)
    lists.count_release(release.pk, Counter(entry.change for entry in entries))
    bump_publication(release.created_at)
    return release
