"""The editorial admin, one module per model family; importing this package registers them."""

from glossary.admin.concepts import (
    AgreementFilter,
    ConceptAdmin,
    ConceptCreateForm,
    DomainFilter,
    PublicStateFilter,
)
from glossary.admin.forms import (
    SUGGESTION_MAX_LENGTH,
    ChildForm,
    NothingToReview,
    ReviewedCheckbox,
    TermForm,
    TermFormSet,
    VersionForm,
)
from glossary.admin.jobs import JobAdmin
from glossary.admin.people import (
    PROFILE_RIGHTS_FIELDS,
    RIGHTS_FIELDS,
    AccountCreationForm,
    GlossaryUserAdmin,
    ProfileAdmin,
    ProfileInline,
)
from glossary.admin.records import EventAdmin, ReadOnlyAdmin, ReleaseAdmin, ReviewAdmin
from glossary.admin.reference import DomainAdmin, KeyedForm, ReferenceAdmin, SourceAdmin
from glossary.admin.site import User, admin
from glossary.admin.suggestions import (
    SUGGESTION_REGIONS,
    draft_terms,
    regional_term,
    simplified_field,
    suggest_traditional,
    suggestion_region,
    term_suggestions,
    traditional_suggestions,
)
from glossary.admin.versions import (
    CitationInline,
    ConceptVersionAdmin,
    DraftChildInline,
    RelationInline,
    TermInline,
    WaitingForMeFilter,
)

__all__ = [
    "JobAdmin",
    "AccountCreationForm",
    "AgreementFilter",
    "ChildForm",
    "CitationInline",
    "ConceptAdmin",
    "ConceptCreateForm",
    "ConceptVersionAdmin",
    "DomainAdmin",
    "DomainFilter",
    "DraftChildInline",
    "EventAdmin",
    "GlossaryUserAdmin",
    "KeyedForm",
    "NothingToReview",
    "PROFILE_RIGHTS_FIELDS",
    "ProfileAdmin",
    "ProfileInline",
    "PublicStateFilter",
    "RIGHTS_FIELDS",
    "ReadOnlyAdmin",
    "ReferenceAdmin",
    "RelationInline",
    "ReleaseAdmin",
    "ReviewAdmin",
    "ReviewedCheckbox",
    "SUGGESTION_MAX_LENGTH",
    "SUGGESTION_REGIONS",
    "SourceAdmin",
    "TermForm",
    "TermFormSet",
    "TermInline",
    "User",
    "VersionForm",
    "WaitingForMeFilter",
    "admin",
    "draft_terms",
    "regional_term",
    "simplified_field",
    "suggest_traditional",
    "suggestion_region",
    "term_suggestions",
    "traditional_suggestions",
]

# Proposals from readers (issue 17).
from glossary.admin.proposals import ProposalAdmin  # noqa: E402

__all__ += ["ProposalAdmin"]

# Decision records (issue 17).
from glossary.admin.rounds import DialogueRoundAdmin  # noqa: E402

__all__ += ["DialogueRoundAdmin"]

# Public consultation (appended: kept apart from the list above to ease merging).
from glossary.admin.consultation import ConsultationAdmin, ConsultationCommentAdmin  # noqa: E402

__all__ += ["ConsultationAdmin", "ConsultationCommentAdmin"]

# The new-terms radar (issue 18).
from glossary.admin.radar import CandidateAdmin, CorpusDocumentAdmin  # noqa: E402

__all__ += ["CandidateAdmin", "CorpusDocumentAdmin"]
