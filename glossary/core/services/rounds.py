"""Decision records: dialogue rounds saved by editors, and the approvals that cite them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from glossary.core import workflow
from glossary.core.models import ConceptVersion, DialogueRound, Review, RoundAgreement
from glossary.core.services.history import publication_touch

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Who may record dialogue rounds: the editors.
ROUND_PERMISSION = "glossary.edit_draft"


@transaction.atomic
def dialogue_round_save(*, dialogue_round: DialogueRound, user: User) -> DialogueRound:
    """Create or correct a dialogue round; its public page and the histories citing it follow."""
    workflow._require_perm(user, ROUND_PERMISSION, _("record dialogue rounds"))
    dialogue_round.full_clean()
    dialogue_round.save()
    # Its name shows on cached public pages (the round's, and the histories that link to it).
    publication_touch()
    return dialogue_round


def rounds_cite(
    *, dialogue_round: DialogueRound, versions: list[ConceptVersion], reviews: list[Review]
) -> None:
    """Record that these approvals cite the round (once per version, whichever side cites it
    first). Called by the review service inside its transaction."""
    by_version = {review.version_id: review for review in reviews}
    RoundAgreement.objects.bulk_create(
        [
            RoundAgreement(
                dialogue_round=dialogue_round, version=version, review=by_version[version.pk]
            )
            for version in versions
        ],
        ignore_conflicts=True,
    )
