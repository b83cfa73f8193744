"""The REST API under /api/v1/: public reads, the editorial workflow, the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from glossary.api import docs, views

app_name = "api"

urlpatterns = [
    # Public reads of published data
    path("concepts/", views.ConceptListView.as_view(), name="concepts"),
    path("concepts/<slug:uid>/", views.ConceptDetailView.as_view(), name="concept"),
    path(
        "concepts/<slug:uid>/versions/",
        views.ConceptVersionListView.as_view(),
        name="concept-versions",
    ),
    path(
        "concepts/<slug:uid>/versions/<int:number>/",
        views.ConceptVersionDetailView.as_view(),
        name="concept-version",
    ),
    path("concepts/<slug:uid>/diff/", views.ConceptDiffView.as_view(), name="concept-diff"),
    path("releases/", views.ReleaseListView.as_view(), name="releases"),
    path("releases/<str:name>/", views.ReleaseDetailView.as_view(), name="release"),
    path(
        "releases/<str:name>/concepts/<slug:uid>/",
        views.ReleaseConceptView.as_view(),
        name="release-concept",
    ),
    path("domains/", views.DomainListView.as_view(), name="domains"),
    # Editorial workflow (token or session authentication)
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("drafts/<slug:uid>/", views.DraftView.as_view(), name="draft"),
    path("concepts/<slug:uid>/submit/", views.SubmitView.as_view(), name="concept-submit"),
    path("concepts/<slug:uid>/review/", views.ReviewView.as_view(), name="concept-review"),
    path("concepts/<slug:uid>/withdraw/", views.WithdrawView.as_view(), name="concept-withdraw"),
    path("concepts/<slug:uid>/new-draft/", views.NewDraftView.as_view(), name="concept-new-draft"),
    path("concepts/<slug:uid>/retire/", views.RetireView.as_view(), name="concept-retire"),
    # The OpenAPI 3 schema and the documentation rendered from it
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.documentation, name="docs"),
    # Other parts of the API
    path("", include("glossary.api.export_urls")),
    path("", include("glossary.termcheck.api_urls")),
]
