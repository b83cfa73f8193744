"""The concept-oriented data model, one module per family; import models from here.

Only a draft version, and the terms, citations, relations and domains hanging off it, can be
written. The guard lives in the models and their querysets (see ``glossary.core.querysets``), so
``save()``, ``delete()``, ``QuerySet.update()``, ``bulk_update()`` and inline formsets are all
refused for anything that is no longer a draft. State changes themselves are made by
``glossary.core.services`` inside ``allow_transition()``.
"""

from glossary.core.models.cleaning import check_identifier, refuse_control_characters
from glossary.core.models.concepts import (
    Citation,
    Concept,
    ConceptVersion,
    DraftChild,
    Relation,
    Term,
    VersionDomain,
    uid_validator,
)
from glossary.core.models.derived import (
    DefinitionKey,
    ListCount,
    ListEntry,
    Publication,
    SearchKey,
    TbxEntry,
    TermIndexEntry,
)
from glossary.core.models.jobs import FINISHED_STATES, Job, JobKind, JobState
from glossary.core.models.people import ApiToken, Profile
from glossary.core.models.records import (
    AppendOnly,
    Event,
    Release,
    ReleaseEntry,
    Review,
    release_name_validator,
)
from glossary.core.models.reference import Domain, ReferenceData, Source, partial_date_validator

__all__ = [
    "ApiToken",
    "AppendOnly",
    "Citation",
    "Concept",
    "ConceptVersion",
    "DefinitionKey",
    "Domain",
    "DraftChild",
    "Event",
    "FINISHED_STATES",
    "Job",
    "JobKind",
    "JobState",
    "ListCount",
    "ListEntry",
    "Profile",
    "Publication",
    "ReferenceData",
    "Relation",
    "Release",
    "ReleaseEntry",
    "Review",
    "SearchKey",
    "Source",
    "TbxEntry",
    "TermIndexEntry",
    "Term",
    "VersionDomain",
    "check_identifier",
    "partial_date_validator",
    "refuse_control_characters",
    "release_name_validator",
    "uid_validator",
]

# Proposals from readers (issue 17).
from glossary.core.models.proposals import (  # noqa: E402
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalTally,
)

__all__ += ["Proposal", "ProposalKind", "ProposalStatus", "ProposalTally"]

# Watching a concept or a domain by e-mail (issue 17).
from glossary.core.models.watching import Watch  # noqa: E402

__all__ += ["Watch"]

# Decision records: dialogue rounds and what each agreed (issue 17).
from glossary.core.models.rounds import DialogueRound, RoundAgreement  # noqa: E402

__all__ += ["DialogueRound", "RoundAgreement"]

# Public consultation (appended: kept apart from the list above to ease merging).
from glossary.core.models.consultation import (  # noqa: E402
    COMMENT_MAX_LENGTH,
    LIST_SECTION,
    NAME_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    CommenterSide,
    CommentStatus,
    Consultation,
    ConsultationComment,
)

__all__ += [
    "COMMENT_MAX_LENGTH",
    "LIST_SECTION",
    "CommentStatus",
    "CommenterSide",
    "Consultation",
    "ConsultationComment",
    "NAME_MAX_LENGTH",
    "QUESTION_MAX_LENGTH",
    "SUMMARY_MAX_LENGTH",
]

# Authorities and their renderings of a concept (issue 18).
from glossary.core.models.authorities import Authority, Rendering  # noqa: E402

__all__ += ["Authority", "Rendering"]

# The new-terms radar (issue 18).
from glossary.core.models.radar import (  # noqa: E402
    Candidate,
    CandidateLanguage,
    CorpusDocument,
    Decision,
    DecisionStatus,
)

__all__ += ["Candidate", "CandidateLanguage", "CorpusDocument", "Decision", "DecisionStatus"]
