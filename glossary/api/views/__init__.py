"""The API's views by resource; import them from here."""

from glossary.api.views.auth import TokenView
from glossary.api.views.base import (
    CONDITIONAL_HEADERS,
    EDITORIAL,
    IF_MATCH_OPTIONAL,
    IF_MATCH_REQUIRED,
    NOT_MODIFIED,
    PUBLIC,
    RELEASE_NAME,
    UID,
    ApiMetadata,
    ApiView,
    editorial_response,
    error_responses,
    ok,
)
from glossary.api.views.concepts import (
    SEARCH_LIMIT,
    ConceptDetailView,
    ConceptDiffView,
    ConceptListView,
    ConceptPagination,
    ConceptVersionDetailView,
    ConceptVersionListView,
)
from glossary.api.views.domains import DomainListView
from glossary.api.views.editorial import (
    ActionView,
    DraftView,
    NewDraftView,
    RetireView,
    ReviewView,
    SubmitView,
    WithdrawView,
)
from glossary.api.views.releases import ReleaseConceptView, ReleaseDetailView, ReleaseListView

__all__ = [
    "ActionView",
    "ApiMetadata",
    "ApiView",
    "CONDITIONAL_HEADERS",
    "ConceptDetailView",
    "ConceptDiffView",
    "ConceptListView",
    "ConceptPagination",
    "ConceptVersionDetailView",
    "ConceptVersionListView",
    "DomainListView",
    "DraftView",
    "EDITORIAL",
    "IF_MATCH_OPTIONAL",
    "IF_MATCH_REQUIRED",
    "NOT_MODIFIED",
    "NewDraftView",
    "PUBLIC",
    "RELEASE_NAME",
    "ReleaseConceptView",
    "ReleaseDetailView",
    "ReleaseListView",
    "RetireView",
    "ReviewView",
    "SEARCH_LIMIT",
    "SubmitView",
    "TokenView",
    "UID",
    "WithdrawView",
    "editorial_response",
    "error_responses",
    "ok",
]
