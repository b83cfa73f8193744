"""Public pages, under the interface-language prefix (/en/, /zh-hans/, /zh-hant/)."""

from django.urls import path, re_path

from glossary.site import consultation, feeds, views
from glossary.site.page_cache import cached_page

app_name = "glossary"

urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("search/", cached_page(views.search), name="search"),
    path("browse/", cached_page(views.browse), name="browse"),
    re_path(
        r"^browse/(?P<script>en|zh)/(?P<letter>[a-z]|other)/$",
        cached_page(views.browse_letter_page),
        name="browse_letter",
    ),
    path("domains/<slug:key>/", cached_page(views.domain_detail), name="domain"),
    path("differences/", cached_page(views.differences), name="differences"),
    path("differences/<slug:key>/", cached_page(views.differences), name="differences_domain"),
    path("concepts/<slug:uid>/", cached_page(views.concept_detail), name="concept"),
    path("concepts/<slug:uid>/history/", cached_page(views.concept_history), name="history"),
    path("concepts/<slug:uid>/compare/", cached_page(views.concept_compare), name="compare"),
    path(
        "concepts/<slug:uid>/versions/<int:number>/",
        cached_page(views.concept_version),
        name="version",
    ),
    path("releases/", cached_page(views.release_list), name="releases"),
    path("downloads/", cached_page(views.downloads), name="downloads"),
    re_path(
        r"^releases/(?P<name>\d{4}\.\d{1,3})/$", cached_page(views.release_detail), name="release"
    ),
    re_path(
        r"^releases/(?P<name>\d{4}\.\d{1,3})/concepts/(?P<uid>[-a-zA-Z0-9_]+)/$",
        cached_page(views.release_concept),
        name="release_concept",
    ),
    path("feeds/style.xsl", feeds.feed_style, name="feed_style"),
    path("feeds/changes/", feeds.ChangesFeed(), name="feed_changes"),
    path("feeds/releases/", feeds.ReleasesFeed(), name="feed_releases"),
    path("feeds/domains/<slug:key>/", feeds.DomainFeed(), name="feed_domain"),
    # Public consultation: not cached (the comment form; each moderation changes the page).
    path("consultations/", consultation.consultation_list, name="consultations"),
    path("consultations/<int:pk>/", consultation.consultation_detail, name="consultation"),
    path(
        "feeds/consultations/",
        consultation.OpenConsultationsFeed(),
        name="feed_consultations",
    ),
]

# Proposals from readers (issue 17).
from glossary.site import proposals  # noqa: E402

urlpatterns += [
    path("propose/", proposals.propose_term, name="propose"),
    path("propose/thanks/", proposals.proposal_thanks, name="proposal_thanks"),
    path("proposals/", cached_page(proposals.proposal_statistics), name="proposal_statistics"),
    path("concepts/<slug:uid>/suggest/", proposals.suggest_correction, name="suggest"),
]

# Watching a concept or a domain by e-mail, and a concept's own feed (issue 17).
from glossary.site import watching  # noqa: E402

urlpatterns += [
    path("watch/", watching.watch, name="watch"),
    path("watch/sent/", watching.watch_sent, name="watch_sent"),
    path("watch/confirm/<str:token>/", watching.watch_confirm, name="watch_confirm"),
    path("watch/stop/<str:token>/", watching.watch_stop, name="watch_stop"),
    path("feeds/concepts/<slug:uid>/", watching.ConceptFeed(), name="feed_concept"),
]

# Decision records: dialogue rounds (issue 17).
from glossary.site import rounds  # noqa: E402

urlpatterns += [
    path("rounds/", cached_page(rounds.round_list), name="rounds"),
    path("rounds/<slug:key>/", cached_page(rounds.round_detail), name="round"),
]

# Authorities' renderings (issue 18).
from glossary.site import authorities  # noqa: E402

urlpatterns += [
    path("authorities/", cached_page(authorities.authority_list), name="authorities"),
    path("authorities/<slug:key>/", cached_page(authorities.authority_detail), name="authority"),
]
