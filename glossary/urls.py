"""Public pages, under the interface-language prefix (/en/, /zh-hans/, /zh-hant/)."""

from django.urls import path, re_path

from glossary import feeds, views

app_name = "glossary"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("browse/", views.browse, name="browse"),
    re_path(
        r"^browse/(?P<script>en|zh)/(?P<letter>[a-z]|other)/$",
        views.browse_letter_page,
        name="browse_letter",
    ),
    path("domains/<slug:key>/", views.domain_detail, name="domain"),
    path("concepts/<slug:uid>/", views.concept_detail, name="concept"),
    path("concepts/<slug:uid>/history/", views.concept_history, name="history"),
    path("concepts/<slug:uid>/compare/", views.concept_compare, name="compare"),
    path("concepts/<slug:uid>/versions/<int:number>/", views.concept_version, name="version"),
    path("releases/", views.release_list, name="releases"),
    re_path(r"^releases/(?P<name>\d{4}\.\d{1,3})/$", views.release_detail, name="release"),
    re_path(
        r"^releases/(?P<name>\d{4}\.\d{1,3})/concepts/(?P<uid>[-a-zA-Z0-9_]+)/$",
        views.release_concept,
        name="release_concept",
    ),
    path("feeds/changes/", feeds.ChangesFeed(), name="feed_changes"),
    path("feeds/releases/", feeds.ReleasesFeed(), name="feed_releases"),
    path("feeds/domains/<slug:key>/", feeds.DomainFeed(), name="feed_domain"),
]
