"""Public consultation: opening a version in review for comment, the public pages, comments and
their moderation, the refusals of bad input, the feed and the sitemap, and what each page costs."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from glossary.core import services
from glossary.core.choices import VersionState
from glossary.core.models import CommentStatus, ConceptVersion, Consultation, ConsultationComment
from glossary.core.workflow import WorkflowError
from tests import factories
from tests.queries import measure

pytestmark = pytest.mark.django_db

PUBLISHED = "AI that produces new content: generative AI."
PROPOSED = "AI systems that generate text, images or code on request."
QUESTION = "Does the new definition cover multimodal models?"


@pytest.fixture(autouse=True)
def _fresh(fresh_check_index):
    cache.clear()


@pytest.fixture
def reviewers(reviewer_us, reviewer_cn):
    return [reviewer_us, reviewer_cn]


def in_review(editor, reviewers, uid="generative-ai"):
    """A published concept and its next version, in review, with a new English definition."""
    factories.make_published(editor, reviewers, uid=uid)
    published = ConceptVersion.objects.get(concept__uid=uid, state=VersionState.PUBLISHED)
    draft = services.draft_start(concept=published.concept, user=editor)
    draft = factories.edit_draft(draft, editor, definition_en=PROPOSED)
    return services.version_submit(version=draft, user=editor, comment="Broader.")


def open_one(editor, version, *, days=14, languages=("en", "zh-Hans", "zh-Hant")):
    questions = {
        "en": QUESTION,
        "zh-Hans": "新定义是否涵盖多模态模型？",
        "zh-Hant": "新定義是否涵蓋多模態模型？",
    }
    return services.consultation_open(
        version=version,
        user=editor,
        questions={code: questions[code] for code in languages},
        languages=list(languages),
        closes_on=timezone.localdate() + dt.timedelta(days=days),
    )


def comment(consultation, text="Yes, but say so.", **kw):
    return services.comment_submit(consultation=consultation, text=text, **kw)


def form(text="A comment from a reader.", **kw):
    return {"name": "", "email": "", "side": "", "text": text, "website": "", **kw}


# --- Opening and closing ----------------------------------------------------------------------


def test_opening_changes_nothing_about_the_version(editor, reviewers):
    version = in_review(editor, reviewers)
    before = (version.state, version.revision, version.review_round, version.definition_en)
    consultation = open_one(editor, version)
    version.refresh_from_db()
    assert (version.state, version.revision, version.review_round, version.definition_en) == before
    assert consultation.revision == version.revision
    assert consultation.languages == ["en", "zh-Hans", "zh-Hant"]


def test_only_a_version_in_review_by_an_editor_is_opened(editor, reviewers, reviewer_us):
    factories.make_published(editor, reviewers)
    published = ConceptVersion.objects.get(state=VersionState.PUBLISHED)
    with pytest.raises(WorkflowError) as refused:
        open_one(editor, published)
    assert refused.value.code == "wrong_state"
    draft = services.draft_start(concept=published.concept, user=editor)
    draft = factories.edit_draft(draft, editor, definition_en=PROPOSED)
    version = services.version_submit(version=draft, user=editor)
    with pytest.raises(WorkflowError) as refused:
        open_one(reviewer_us, version)
    assert refused.value.code == "permission_denied"
    open_one(editor, version)
    with pytest.raises(WorkflowError) as refused:
        open_one(editor, version)
    assert refused.value.code == "already_open"


def test_opening_refuses_bad_input_by_field(editor, reviewers):
    version = in_review(editor, reviewers)
    with pytest.raises(ValidationError) as refused:
        services.consultation_open(
            version=version,
            user=editor,
            questions={"en": "x" * 501, "zh-Hans": "问题\x07"},
            languages=["en", "zh-Hans", "zh-Hant"],
            closes_on=timezone.localdate(),
        )
    errors = refused.value.message_dict
    assert "at most 500" in errors["question_en"][0]
    assert "control character" in errors["question_zh_hans"][0]
    assert errors["question_zh_hant"] == ["This field is required."]
    assert "after today" in errors["closes_on"][0]
    assert not Consultation.objects.exists()


def test_closing_needs_a_summary_and_happens_once(editor, reviewers):
    consultation = open_one(editor, in_review(editor, reviewers), languages=("zh-Hans", "en"))
    with pytest.raises(ValidationError) as refused:
        services.consultation_close(consultation=consultation, user=editor, summaries={})
    assert "summary_en" in refused.value.message_dict
    services.consultation_close(
        consultation=consultation, user=editor, summaries={"en": "We kept it, and said why."}
    )
    consultation.refresh_from_db()
    assert consultation.closed_at is not None and consultation.closed_by == editor
    with pytest.raises(WorkflowError):
        services.consultation_close(consultation=consultation, user=editor, summaries={"en": "x"})


# --- Public pages: nothing unpublished leaks -----------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_concept_page_keeps_the_published_version_with_a_notice(
    client, editor, reviewers, language
):
    version = in_review(editor, reviewers)
    html = client.get(f"/{language}/concepts/generative-ai/").content.decode()
    assert PUBLISHED in html and PROPOSED not in html
    assert "consultation-notice" not in html
    consultation = open_one(editor, version)
    html = client.get(f"/{language}/concepts/generative-ai/").content.decode()
    assert PUBLISHED in html and PROPOSED not in html
    assert f'href="/{language}/consultations/{consultation.pk}/"' in html
    assert "consultation-notice" in html


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_consultation_page_shows_the_revision_and_its_diff(client, editor, reviewers, language):
    consultation = open_one(editor, in_review(editor, reviewers))
    response = client.get(f"/{language}/consultations/{consultation.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert PROPOSED in html
    assert "<del>" in html and "<ins>" in html
    assert 'name="website"' in html
    listing = client.get(f"/{language}/consultations/").content.decode()
    assert f"/{language}/consultations/{consultation.pk}/" in listing


def test_the_revision_is_shown_nowhere_else(client, editor, reviewers):
    consultation = open_one(editor, in_review(editor, reviewers))
    for address in (
        "/en/",
        "/en/consultations/",
        "/en/concepts/generative-ai/history/",
        "/en/concepts/generative-ai/versions/2/",
        "/en/search/?q=multimodal",
        "/en/feeds/consultations/",
        "/en/feeds/changes/",
    ):
        response = client.get(address)
        assert PROPOSED not in response.content.decode(), address
    assert client.get("/en/concepts/generative-ai/versions/2/").status_code == 404
    assert client.get(f"/en/consultations/{consultation.pk + 1}/").status_code == 404


def test_a_revision_sent_back_and_edited_is_no_longer_shown(client, editor, reviewers, reviewer_us):
    version = in_review(editor, reviewers)
    consultation = open_one(editor, version)
    services.version_request_changes(version=version, user=reviewer_us, comment="Narrower.")
    version.refresh_from_db()
    factories.edit_draft(version, editor, definition_en="A secret new wording.")
    html = client.get(f"/en/consultations/{consultation.pk}/").content.decode()
    assert "A secret new wording." not in html and PROPOSED not in html
    assert "went back to the editors" in html


# --- Comments ---------------------------------------------------------------------------------


def test_a_comment_waits_for_moderation_and_its_email_is_never_shown(client, editor, reviewers):
    consultation = open_one(editor, in_review(editor, reviewers))
    address = f"/en/consultations/{consultation.pk}/"
    response = client.post(
        address,
        form("Please mention audio.", name="Ada, Example Lab", email="ada@example.org", side="us"),
    )
    assert response.status_code == 302
    assert "sent=1" in response["Location"]
    saved = ConsultationComment.objects.get()
    assert (saved.status, saved.name, saved.side) == (
        CommentStatus.PENDING,
        "Ada, Example Lab",
        "us",
    )
    assert "Please mention audio." not in client.get(address).content.decode()
    services.comments_moderate(comments=[saved], user=editor, status=CommentStatus.APPROVED)
    html = client.get(address).content.decode()
    assert "Please mention audio." in html and "Ada, Example Lab" in html
    assert "ada@example.org" not in html


def test_moderation_needs_the_right(editor, reviewers, reviewer_us):
    consultation = open_one(editor, in_review(editor, reviewers))
    saved = comment(consultation)
    with pytest.raises(WorkflowError):
        services.comments_moderate(
            comments=[saved], user=reviewer_us, status=CommentStatus.APPROVED
        )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": "x" * 4001}, "text", "at most 4000 characters"),
        ({"text": "Bad \x00 byte"}, "text", "control character"),
        ({"text": "Bell \x07"}, "text", "control character"),
        ({"name": "Eve\x1b"}, "name", "control character"),
        ({"name": "n" * 201}, "name", "at most 200 characters"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"text": "   "}, "text", "required"),
        ({"website": "http://spam.example"}, "website", "must stay empty"),
    ],
    ids=["too-long", "nul", "bell", "name-control", "name-too-long", "email", "empty", "honeypot"],
)
def test_bad_comments_are_refused_beside_the_field_and_kept(
    client, editor, reviewers, fields, field, message
):
    consultation = open_one(editor, in_review(editor, reviewers))
    data = {**form("My long and careful comment."), **fields}
    response = client.post(f"/en/consultations/{consultation.pk}/", data)
    assert response.status_code == 400
    form_shown = response.context["form"]
    assert message in " ".join(form_shown.errors[field])
    html = response.content.decode()
    kept = data["text"] if field != "text" or fields["text"].strip() else ""
    if kept and "\x00" not in kept and "\x07" not in kept:
        assert kept[:100] in html
    assert not ConsultationComment.objects.exists()


def test_too_many_comments_from_one_address(client, editor, reviewers, settings):
    settings.GLOSSARY_FORM_RATES = {**settings.GLOSSARY_FORM_RATES, "comment": "2/hour"}
    consultation = open_one(editor, in_review(editor, reviewers))
    address = f"/en/consultations/{consultation.pk}/"
    for n in range(2):
        assert client.post(address, form(f"Comment {n}")).status_code == 302
    # An invalid form does not use the allowance up; the third valid one is refused, kept.
    assert client.post(address, form("")).status_code == 400
    response = client.post(address, form("The third, carefully written."))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many comments from your address" in html
    assert "The third, carefully written." in html
    assert ConsultationComment.objects.count() == 2
    other = client.post(address, form("From elsewhere."), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_a_closed_consultation_takes_no_comment(client, editor, reviewers):
    consultation = open_one(editor, in_review(editor, reviewers))
    services.consultation_close(
        consultation=consultation, user=editor, summaries={"en": "We narrowed it."}
    )
    response = client.post(f"/en/consultations/{consultation.pk}/", form("Too late?"))
    assert response.status_code == 409
    assert "Too late?" in response.content.decode()
    assert "no longer takes comments" in response.content.decode()
    with pytest.raises(WorkflowError):
        comment(consultation)
    html = client.get(f"/en/consultations/{consultation.pk}/").content.decode()
    assert "We narrowed it." in html


def test_the_closing_date_ends_the_comments(editor, reviewers):
    consultation = open_one(editor, in_review(editor, reviewers), days=1)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_on=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(WorkflowError):
        comment(consultation)


# --- The record -------------------------------------------------------------------------------


def test_the_history_keeps_the_consultation_and_the_response(client, editor, reviewers):
    version = in_review(editor, reviewers)
    consultation = open_one(editor, version)
    shown = comment(consultation, "Keep the examples.")
    services.comments_moderate(comments=[shown], user=editor, status=CommentStatus.APPROVED)
    services.consultation_close(
        consultation=consultation, user=editor, summaries={"en": "We kept the examples."}
    )
    for reviewer in reviewers:
        services.version_approve(version=version, user=reviewer)
    version.refresh_from_db()
    assert version.state == VersionState.PUBLISHED
    history = client.get("/en/concepts/generative-ai/history/").content.decode()
    assert f"/en/consultations/{consultation.pk}/" in history
    assert "We kept the examples." in history
    html = client.get(f"/en/consultations/{consultation.pk}/").content.decode()
    assert "We kept the examples." in html and "Keep the examples." in html
    assert "has since been published" in html


def test_the_feed_lists_open_consultations_and_the_sitemap_all(client, editor, reviewers):
    first = open_one(editor, in_review(editor, reviewers))
    second = open_one(editor, in_review(editor, reviewers, uid="other"))
    services.consultation_close(consultation=second, user=editor, summaries={"en": "Done."})
    feed = client.get("/en/feeds/consultations/", HTTP_ACCEPT="application/atom+xml")
    text = feed.content.decode()
    assert feed.status_code == 200
    assert f"/en/consultations/{first.pk}/" in text
    assert f"/en/consultations/{second.pk}/" not in text
    assert QUESTION in text
    sitemap = client.get("/sitemap-consultations.xml").content.decode()
    for consultation in (first, second):
        for language in ("en", "zh-hans", "zh-hant"):
            assert f"/{language}/consultations/{consultation.pk}/" in sitemap
    assert "sitemap-consultations.xml" in client.get("/sitemap.xml").content.decode()


def test_opening_refreshes_the_cached_pages(client, editor, reviewers):
    version = in_review(editor, reviewers)
    client.get("/en/concepts/generative-ai/")
    client.get("/sitemap-consultations.xml")
    consultation = open_one(editor, version)
    assert "consultation-notice" in client.get("/en/concepts/generative-ai/").content.decode()
    assert (
        f"/consultations/{consultation.pk}/"
        in client.get("/sitemap-consultations.xml").content.decode()
    )


# --- What the pages cost ----------------------------------------------------------------------


def test_the_pages_cost_the_same_at_any_size(client, editor, reviewers, monkeypatch):
    monkeypatch.setattr("glossary.site.consultation.COMMENTS_PAGE_SIZE", 3)
    monkeypatch.setattr("glossary.site.consultation.LIST_PAGE_SIZE", 3)
    consultation = open_one(editor, in_review(editor, reviewers))
    approved = [comment(consultation, f"Comment {n}") for n in range(2)]
    services.comments_moderate(comments=approved, user=editor, status=CommentStatus.APPROVED)
    pages = [f"/en/consultations/{consultation.pk}/", "/en/consultations/"]
    before = {page: [rows for _sql, rows in measure(client, page)] for page in pages}
    more = [comment(consultation, f"More {n}") for n in range(6)]
    services.comments_moderate(comments=more, user=editor, status=CommentStatus.APPROVED)
    for n in range(4):
        open_one(editor, in_review(editor, reviewers, uid=f"concept-{n}"))
    for page in pages:
        measured = measure(client, page)
        assert not [sql for sql, _rows in measured if "COUNT(" in sql.upper()], page
        after = [rows for _sql, rows in measured]
        assert len(after) == len(before[page]), page
        assert max(after) <= 20, page
    assert client.get(f"/en/consultations/{consultation.pk}/?page=3").status_code == 200
    assert client.get(f"/en/consultations/{consultation.pk}/?page=4").status_code == 404


# --- The review screen ------------------------------------------------------------------------


def test_reviewers_see_the_comments_beside_the_diff(client, editor, reviewers, reviewer_us):
    version = in_review(editor, reviewers)
    client.force_login(reviewer_us)
    address = f"/admin/glossary/conceptversion/{version.pk}/change/"
    assert "open-consultation" not in client.get(address).content.decode()
    consultation = open_one(editor, version)
    shown, waiting = comment(consultation, "Shown to reviewers."), comment(consultation, "Waiting.")
    services.comments_moderate(comments=[shown], user=editor, status=CommentStatus.APPROVED)
    html = client.get(address).content.decode()
    beside = html.split('class="glossary-beside"')[1]
    assert "Shown to reviewers." in beside and "Waiting." not in beside
    assert beside.index("Changes against version 1") < beside.index("Shown to reviewers.")
    assert waiting.status == CommentStatus.PENDING


def test_editors_open_and_close_from_the_admin_with_errors_kept(client, editor, reviewers):
    version = in_review(editor, reviewers)
    client.force_login(editor)
    review = f"/admin/glossary/conceptversion/{version.pk}/change/"
    assert "open-consultation" in client.get(review).content.decode()
    address = f"/admin/glossary/consultation/open/{version.pk}/"
    data = {
        "languages": ["en", "zh-Hans"],
        "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "question_en": QUESTION,
        "question_zh_hans": "",
    }
    refused = client.post(address, data)
    assert refused.status_code == 400
    assert QUESTION in refused.content.decode()
    assert not Consultation.objects.exists()
    data["question_zh_hans"] = "新定义\x07是否涵盖？"
    refused = client.post(address, data)
    assert refused.status_code == 400
    assert "control character" in refused.content.decode()
    assert QUESTION in refused.content.decode()
    data["question_zh_hans"] = "新定义是否涵盖多模态模型？"
    assert client.post(address, data).status_code == 302
    consultation = Consultation.objects.get()
    close = f"/admin/glossary/consultation/{consultation.pk}/close/"
    assert client.post(close, {"summary_en": ""}).status_code == 400
    refused = client.post(close, {"summary_en": "We changed\x1b it."})
    assert refused.status_code == 400 and "control character" in refused.content.decode()
    assert "We changed" in refused.content.decode()
    assert client.post(close, {"summary_en": "We changed it."}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.summary_en == "We changed it."


def test_the_moderation_queue(client, editor, reviewers):
    consultation = open_one(editor, in_review(editor, reviewers))
    waiting = comment(consultation, "Waiting in the queue.")
    client.force_login(editor)
    queue = client.get("/admin/glossary/consultationcomment/").content.decode()
    assert "Waiting in the queue." in queue
    response = client.post(
        "/admin/glossary/consultationcomment/",
        {"action": "approve_selected", "_selected_action": [waiting.pk]},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == CommentStatus.APPROVED and waiting.moderated_by == editor
    assert (
        "Waiting in the queue."
        not in client.get("/admin/glossary/consultationcomment/").content.decode()
    )


def test_a_new_concept_is_named_only_on_its_consultation_page(client, editor):
    version = services.version_submit(
        version=factories.make_draft(editor, uid="secret-new-concept"), user=editor
    )
    consultation = open_one(editor, version)
    for address in ("/en/consultations/", "/en/feeds/consultations/", "/sitemap-consultations.xml"):
        assert "secret-new-concept" not in client.get(address).content.decode(), address
    html = client.get(f"/en/consultations/{consultation.pk}/").content.decode()
    assert "secret-new-concept" in html and "A new concept: everything is proposed" in html


def test_a_revision_sent_back_and_resubmitted_changed_takes_no_comment(
    editor, reviewers, reviewer_us
):
    version = in_review(editor, reviewers)
    consultation = open_one(editor, version)
    services.version_request_changes(version=version, user=reviewer_us, comment="Narrower.")
    version.refresh_from_db()
    version = factories.edit_draft(version, editor, definition_en="Narrower wording.")
    services.version_submit(version=version, user=editor)
    consultation.refresh_from_db()
    with pytest.raises(WorkflowError):
        comment(consultation)
    assert not Consultation.objects.open_on(timezone.localdate()).exists()


def test_the_path_and_query_are_still_checked_for_control_characters(client, editor, reviewers):
    consultation = open_one(editor, in_review(editor, reviewers))
    address = f"/en/consultations/{consultation.pk}/"
    assert client.get(address + "?page=%00").status_code == 400
    assert client.post(address + "?x=%07", form("Fine text.")).status_code == 400
    assert not ConsultationComment.objects.exists()
    # Other forms keep the site-wide refusal page.
    refused = client.post("/en/check/", {"source": "a\x00b", "target": ""})
    assert refused.status_code == 400 and "control character" in refused.content.decode()


def test_the_moderation_queue_never_counts(client, editor, reviewers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consultation = open_one(editor, in_review(editor, reviewers))
    for n in range(3):
        comment(consultation, f"Queued {n}")
    client.force_login(editor)
    for address in ("/admin/glossary/consultationcomment/", "/admin/glossary/consultation/"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        counted = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
        assert not [sql for sql in counted if "consultation" in sql], address


def test_the_feed_changes_when_a_closing_date_passes(client, editor, reviewers, monkeypatch):
    consultation = open_one(editor, in_review(editor, reviewers), days=1)
    feed = client.get("/en/feeds/consultations/", HTTP_ACCEPT="application/atom+xml")
    assert f"/consultations/{consultation.pk}/" in feed.content.decode()
    etag = feed["ETag"]
    assert (
        client.get(
            "/en/feeds/consultations/", HTTP_ACCEPT="application/atom+xml", HTTP_IF_NONE_MATCH=etag
        ).status_code
        == 304
    )
    later = timezone.localdate() + dt.timedelta(days=2)
    monkeypatch.setattr("glossary.site.consultation.today", lambda: later)
    monkeypatch.setattr("glossary.core.services.consultation.today", lambda: later)
    feed = client.get(
        "/en/feeds/consultations/", HTTP_ACCEPT="application/atom+xml", HTTP_IF_NONE_MATCH=etag
    )
    assert feed.status_code == 200
    assert f"/consultations/{consultation.pk}/" not in feed.content.decode()
