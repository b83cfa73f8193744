"""The editorial API: tokens, creating and editing drafts with If-Match, the review workflow with
the admin's permissions and bilateral policy, and clear refusals that change nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from glossary.core import services
from glossary.core.choices import VersionState
from glossary.core.models import ApiToken, Concept, ConceptVersion, Event, Profile, Review
from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def client_for(user) -> APIClient:
    """A client that authenticates with the user's API token, as a program would."""
    client = APIClient()
    token = services.api_token_issue(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def content(**overrides) -> dict:
    """A complete draft as JSON: every field, every language."""
    factories.domain()
    factories.source()
    return {
        "terms": [
            {"language": "en", "text": "frontier AI", "status": "preferred"},
            {"language": "en", "text": "frontier model", "status": "admitted"},
            {"language": "zh-Hans", "text": "前沿人工智能", "status": "preferred"},
            {"language": "zh-Hant", "text": "前沿人工智慧", "status": "preferred"},
        ],
        "definition": {
            "en": "Highly capable general-purpose AI at the frontier.",
            "zh-Hans": "处于前沿的高能力通用人工智能。",
            "zh-Hant": "處於前沿的高能力通用人工智慧。",
        },
        "us_usage": {"en": "Used in U.S. policy.", "zh-Hans": "", "zh-Hant": ""},
        "cn_usage": {"en": "", "zh-Hans": "较少使用。", "zh-Hant": ""},
        "agreement": "partly_agreed",
        "agreement_note": {"en": "", "zh-Hans": "", "zh-Hant": ""},
        "note": {"en": "", "zh-Hans": "", "zh-Hant": ""},
        "machine_converted": [],
        "maturity": "provisional",
        "first_attested": "2023",
        "domains": ["generative-ai"],
        "sources": [
            {
                "source": "cn-genai-measures",
                "locator": "Art. 2",
                "quote": "",
                "quote_language": "",
            }
        ],
        "relations": [],
        "renderings": [],
        **overrides,
    }


def create(client, uid="frontier-ai", **overrides):
    return client.post(f"{API}concepts/", {"uid": uid, **content(**overrides)}, format="json")


def state(uid="frontier-ai") -> dict:
    """What the database holds for a concept's open version, to prove nothing changed."""
    version = Concept.objects.get(uid=uid).versions.order_by("-number").first()
    return {
        "state": version.state,
        "revision": version.revision,
        "definition_en": version.definition_en,
        "terms": sorted(version.terms.values_list("language", "text", "status")),
        "events": Event.objects.filter(version=version).count(),
    }


# Tokens --------------------------------------------------------------------------------------


def test_a_program_obtains_a_token_and_uses_it(editor):
    anonymous = APIClient()
    refused = anonymous.post(
        f"{API}auth/token/", {"username": "editor", "password": "wrong"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid"
    response = anonymous.post(
        f"{API}auth/token/", {"username": "editor", "password": "pw-editor"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.for_key(token).get().user == editor
    program = APIClient()
    program.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert create(program).status_code == 201


def test_wrong_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = create(client)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


# Creating ------------------------------------------------------------------------------------


def test_create_a_concept_as_a_draft(editor):
    response = create(client_for(editor))
    assert response.status_code == 201, response.content
    version = ConceptVersion.objects.get(concept__uid="frontier-ai")
    assert response["ETag"] == '"v1-r1"'
    assert response["Location"] == "http://testserver/api/v1/drafts/frontier-ai/"
    assert response.json() == {
        "uid": "frontier-ai",
        "url": "http://testserver/api/v1/drafts/frontier-ai/",
        "version": 1,
        "state": "draft",
        "etag": '"v1-r1"',
        "revision": 1,
        "review_round": 0,
        "retired": False,
        "retirement_reason": "",
        "terms": [
            {
                "language": "en",
                "text": "frontier AI",
                "status": "preferred",
                "term_type": "fullForm",
                "part_of_speech": "noun",
                "geographic_usage": "",
                "context": "",
                "note": "",
                "source": None,
                "machine_converted": False,
                "in_sense_only": False,
            },
            {
                "language": "en",
                "text": "frontier model",
                "status": "admitted",
                "term_type": "fullForm",
                "part_of_speech": "noun",
                "geographic_usage": "",
                "context": "",
                "note": "",
                "source": None,
                "machine_converted": False,
                "in_sense_only": False,
            },
            {
                "language": "zh-Hans",
                "text": "前沿人工智能",
                "status": "preferred",
                "term_type": "fullForm",
                "part_of_speech": "noun",
                "geographic_usage": "",
                "context": "",
                "note": "",
                "source": None,
                "machine_converted": False,
                "in_sense_only": False,
            },
            {
                "language": "zh-Hant",
                "text": "前沿人工智慧",
                "status": "preferred",
                "term_type": "fullForm",
                "part_of_speech": "noun",
                "geographic_usage": "",
                "context": "",
                "note": "",
                "source": None,
                "machine_converted": False,
                "in_sense_only": False,
            },
        ],
        "definition": {
            "en": "Highly capable general-purpose AI at the frontier.",
            "zh-Hans": "处于前沿的高能力通用人工智能。",
            "zh-Hant": "處於前沿的高能力通用人工智慧。",
        },
        "us_usage": {"en": "Used in U.S. policy.", "zh-Hans": "", "zh-Hant": ""},
        "cn_usage": {"en": "", "zh-Hans": "较少使用。", "zh-Hant": ""},
        "agreement": "partly_agreed",
        "agreement_note": {"en": "", "zh-Hans": "", "zh-Hant": ""},
        "note": {"en": "", "zh-Hans": "", "zh-Hant": ""},
        "machine_converted": [],
        "maturity": "provisional",
        "first_attested": "2023",
        "domains": [
            {
                "key": "generative-ai",
                "name": {
                    "en": "generative-ai",
                    "zh-Hans": "generative-ai",
                    "zh-Hant": "generative-ai",
                },
            }
        ],
        "sources": [
            {
                "source": "cn-genai-measures",
                "title": "Source cn-genai-measures",
                "publisher": "",
                "jurisdiction": "CN",
                "date": None,
                "url": "",
                "locator": "Art. 2",
                "quote": "",
                "quote_language": "",
            }
        ],
        "relations": [],
        "renderings": [],
        "based_on": None,
        "author": "editor",
        "created_at": version.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": version.updated_at.isoformat().replace("+00:00", "Z"),
        "submitted_at": None,
        "published_at": None,
        "reviews": [],
    }
    # Still a draft: the public API does not know it.
    assert APIClient().get(f"{API}concepts/frontier-ai/").status_code == 404


def test_create_with_minimal_content(editor):
    response = client_for(editor).post(
        f"{API}concepts/",
        {"uid": "agent", "terms": [{"language": "en", "text": "agent", "status": "preferred"}]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["definition"] == {"en": "", "zh-Hans": "", "zh-Hant": ""}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"uid": "Frontier AI"}, "uid"),
        ({"uid": "generative-ai"}, "uid"),  # taken
        ({"definition": {"en": "x", "zh-hans": "lower-case tag"}}, "definition"),
        ({"defintion": {"en": "typo"}}, "defintion"),
        ({"agreement": "mostly"}, "agreement"),
        ({"first_attested": "2023-13"}, "first_attested"),
        ({"domains": ["no-such-domain"]}, "domains"),
        ({"sources": [{"source": "no-such-source"}]}, "sources"),
        ({"relations": [{"kind": "broader", "target": "no-such-concept"}]}, "relations"),
        (
            {
                "terms": [
                    {"language": "en", "text": "a", "status": "preferred"},
                    {"language": "en", "text": "b", "status": "preferred"},
                ]
            },
            "terms",
        ),
        ({"terms": [{"language": "fr", "text": "IA"}]}, "terms"),
        ({"terms": [{"language": "en", "text": "   "}]}, "terms"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_creates_nothing(editor, published, payload, field):
    before = (Concept.objects.count(), ConceptVersion.objects.count(), Event.objects.count())
    body = {"uid": "frontier-ai", **content(), **payload}
    response = client_for(editor).post(f"{API}concepts/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == [field]
    after = (Concept.objects.count(), ConceptVersion.objects.count(), Event.objects.count())
    assert after == before


def test_who_may_create(reviewer_us, db):
    assert APIClient().post(f"{API}concepts/", {}, format="json").status_code == 401
    refused = create(client_for(reviewer_us))
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    # Editing rights without a staff account are not enough, as in the admin.
    outsider = factories.make_user("outsider", group="Editors", staff=False)
    assert create(client_for(outsider)).status_code == 403
    assert not Concept.objects.exists()


def test_session_writes_need_the_csrf_token(editor):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(editor)
    refused = create(browser)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Concept.objects.exists()


# Editing with If-Match -----------------------------------------------------------------------


@pytest.fixture
def draft_url(editor):
    assert create(client_for(editor)).status_code == 201
    return f"{API}drafts/frontier-ai/"


def test_get_modify_put_round_trip(editor, draft_url):
    client = client_for(editor)
    loaded = client.get(draft_url)
    assert loaded.status_code == 200
    assert loaded["ETag"] == '"v1-r1"'
    assert loaded["Cache-Control"] == "private, no-cache"
    body = loaded.json()
    body["definition"]["en"] = "Revised definition."
    body["terms"].append(
        {"language": "zh-Hans", "text": "前沿模型", "status": "admitted", "source": None}
    )
    saved = client.put(draft_url, body, format="json", HTTP_IF_MATCH=loaded["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == '"v1-r2"'
    result = saved.json()
    assert result["revision"] == 2
    assert result["definition"]["en"] == "Revised definition."
    assert [t["text"] for t in result["terms"]] == [
        "frontier AI",
        "frontier model",
        "前沿人工智能",
        "前沿模型",
        "前沿人工智慧",
    ]
    # Saving the answer back unchanged is a no-op save, which still needs the new ETag.
    again = client.put(draft_url, result, format="json", HTTP_IF_MATCH=saved["ETag"])
    assert again.status_code == 200
    assert again.json()["definition"] == result["definition"]


def test_a_save_without_if_match_is_refused(editor, draft_url):
    client = client_for(editor)
    before = state()
    for headers in ({}, {"HTTP_IF_MATCH": "*"}):
        response = client.put(draft_url, content(), format="json", **headers)
        assert response.status_code == 428
        assert response.json()["code"] == "precondition_required"
        assert "If-Match" in response.json()["detail"]
    assert state() == before


def test_a_stale_save_is_refused_and_overwrites_nothing(editor, second_editor, draft_url):
    mine, theirs = client_for(editor), client_for(second_editor)
    loaded_etag = mine.get(draft_url)["ETag"]
    their_copy = theirs.get(draft_url)
    assert their_copy["ETag"] == loaded_etag

    first = theirs.put(
        draft_url,
        content(definition={"en": "Their wording.", "zh-Hans": "", "zh-Hant": ""}),
        format="json",
        HTTP_IF_MATCH=their_copy["ETag"],
    )
    assert first.status_code == 200
    after_theirs = state()

    stale = mine.put(
        draft_url,
        content(definition={"en": "My wording.", "zh-Hans": "", "zh-Hant": ""}),
        format="json",
        HTTP_IF_MATCH=loaded_etag,
    )
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "stale_edit"
    assert "Nothing was saved" in body["detail"]
    assert state() == after_theirs
    assert state()["definition_en"] == "Their wording."


@pytest.mark.parametrize("etag", ['"v1-r0"', '"v2-r1"', 'W/"v1-r1"', "v1-r1", '"garbage"'])
def test_an_if_match_that_does_not_name_the_current_draft_is_refused(editor, draft_url, etag):
    before = state()
    response = client_for(editor).put(draft_url, content(), format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["code"] == "stale_edit"
    assert state() == before


def test_a_list_of_etags_matches_if_one_is_current(editor, draft_url):
    response = client_for(editor).put(
        draft_url, content(), format="json", HTTP_IF_MATCH='"v1-r0", "v1-r1"'
    )
    assert response.status_code == 200


def test_a_save_must_carry_every_field(editor, draft_url):
    before = state()
    client = client_for(editor)
    partial = content()
    del partial["sources"]
    partial["definition"] = {"en": "Only English given."}
    response = client.put(draft_url, partial, format="json", HTTP_IF_MATCH='"v1-r1"')
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"sources", "definition"}
    assert set(errors["definition"]) == {"zh-Hans", "zh-Hant"}
    assert state() == before


def test_who_may_read_and_save_drafts(editor, reviewer_us, draft_url, db):
    assert APIClient().get(draft_url).status_code == 401
    assert client_for(reviewer_us).get(draft_url).status_code == 200  # reviewers read drafts
    nobody = factories.make_user("staff-without-groups")
    assert client_for(nobody).get(draft_url).status_code == 403
    before = state()
    refused = client_for(reviewer_us).put(
        draft_url, content(), format="json", HTTP_IF_MATCH='"v1-r1"'
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert state() == before
    assert client_for(editor).get(f"{API}drafts/no-such-concept/").status_code == 404


# The workflow --------------------------------------------------------------------------------


def post(client, uid: str, action: str, body: dict | None = None, **headers):
    return client.post(f"{API}concepts/{uid}/{action}/", body or {}, format="json", **headers)


def test_the_whole_workflow_through_the_api(editor, reviewer_us, reviewer_cn, draft_url):
    author, us, cn = client_for(editor), client_for(reviewer_us), client_for(reviewer_cn)

    submitted = post(author, "frontier-ai", "submit", {"comment": "Ready."})
    assert submitted.status_code == 200
    assert (submitted.json()["state"], submitted.json()["review_round"]) == ("in_review", 1)

    sent_back = post(
        us, "frontier-ai", "review", {"decision": "request_changes", "comment": "Cite NIST."}
    )
    assert sent_back.status_code == 200
    assert sent_back.json()["state"] == "draft"
    assert sent_back.json()["reviews"][0] == {
        "reviewer": "reviewer-us",
        "side": "us",
        "review_round": 1,
        "revision": 1,
        "decision": "request_changes",
        "comment": "Cite NIST.",
        "created_at": sent_back.json()["reviews"][0]["created_at"],
    }

    etag = author.get(draft_url)["ETag"]
    body = content(note={"en": "Cites NIST now.", "zh-Hans": "", "zh-Hant": ""})
    assert author.put(draft_url, body, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert post(author, "frontier-ai", "submit").status_code == 200

    first = post(us, "frontier-ai", "review", {"decision": "approve"})
    assert first.json()["state"] == "in_review", "one side is not enough"
    published = post(cn, "frontier-ai", "review", {"decision": "approve", "comment": "同意"})
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    assert not published.has_header("ETag"), "a published version is no longer editable"

    public = APIClient().get(f"{API}concepts/frontier-ai/").json()
    assert (public["version"], public["note"]["en"]) == (1, "Cites NIST now.")
    gone = client_for(editor).get(draft_url)
    assert (gone.status_code, gone.json()["code"]) == (404, "no_open_version")


def test_four_eyes_and_sides(editor, reviewer_us, draft_url, db):
    author = client_for(editor)
    assert post(author, "frontier-ai", "submit").status_code == 200
    # An editor who is also a reviewer still may not review their own version.
    editor.groups.add(*reviewer_us.groups.all())
    Profile.objects.create(user=editor, side="cn")
    own = post(client_for(editor), "frontier-ai", "review", {"decision": "approve"})
    assert (own.status_code, own.json()["code"]) == (403, "own_version")
    sideless = factories.make_user("sideless", group="Reviewers")
    wrong = post(client_for(sideless), "frontier-ai", "review", {"decision": "approve"})
    assert (wrong.status_code, wrong.json()["code"]) == (403, "wrong_side")
    assert not Review.objects.exists()


def test_refusals_carry_the_workflow_codes(editor, reviewer_us, draft_url):
    author, us = client_for(editor), client_for(reviewer_us)
    # Nothing to review yet.
    early = post(us, "frontier-ai", "review", {"decision": "approve"})
    assert (early.status_code, early.json()["code"]) == (409, "wrong_state")
    # Reviewers may not submit.
    submit = post(us, "frontier-ai", "submit")
    assert (submit.status_code, submit.json()["code"]) == (403, "permission_denied")
    assert post(author, "frontier-ai", "submit").status_code == 200
    again = post(author, "frontier-ai", "submit")
    assert (again.status_code, again.json()["code"]) == (409, "wrong_state")
    no_comment = post(us, "frontier-ai", "review", {"decision": "request_changes"})
    assert (no_comment.status_code, no_comment.json()["code"]) == (400, "comment_required")
    bad = post(us, "frontier-ai", "review", {"decision": "maybe"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")
    # Editing a version in review.
    edit = author.put(
        f"{API}drafts/frontier-ai/", content(), format="json", HTTP_IF_MATCH='"v1-r1"'
    )
    assert (edit.status_code, edit.json()["code"]) == (409, "wrong_state")
    assert ConceptVersion.objects.get().state == VersionState.IN_REVIEW
    assert not Review.objects.exists()


def test_an_incomplete_draft_cannot_be_submitted(editor):
    client = client_for(editor)
    client.post(
        f"{API}concepts/",
        {"uid": "agent", "terms": [{"language": "en", "text": "agent", "status": "preferred"}]},
        format="json",
    )
    refused = post(client, "agent", "submit")
    assert refused.status_code == 400
    assert refused.json()["code"] == "incomplete"
    assert "Simplified Chinese" in refused.json()["detail"]
    assert ConceptVersion.objects.get().state == VersionState.DRAFT


def test_review_with_if_match_approves_only_what_was_read(editor, reviewer_us, draft_url):
    author, us = client_for(editor), client_for(reviewer_us)
    post(author, "frontier-ai", "submit")
    stale = post(us, "frontier-ai", "review", {"decision": "approve"}, HTTP_IF_MATCH='"v1-r0"')
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_edit")
    assert not Review.objects.exists()
    ok = post(us, "frontier-ai", "review", {"decision": "approve"}, HTTP_IF_MATCH='"v1-r1"')
    assert ok.status_code == 200
    assert Review.objects.get().revision == 1


def test_withdraw(editor, reviewer_us, draft_url):
    refused = post(client_for(reviewer_us), "frontier-ai", "withdraw")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    withdrawn = post(client_for(editor), "frontier-ai", "withdraw", {"comment": "Duplicate."})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["state"] == "withdrawn"
    assert Event.objects.filter(action="withdraw", comment="Duplicate.").exists()
    nothing = post(client_for(editor), "frontier-ai", "withdraw")
    assert (nothing.status_code, nothing.json()["code"]) == (409, "no_open_version")


def test_new_draft_of_a_published_concept(editor, published):
    client = client_for(editor)
    response = post(client, "generative-ai", "new-draft")
    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["state"], body["based_on"]) == (2, "draft", 1)
    assert response["ETag"] == '"v2-r1"'
    assert body["terms"] == APIClient().get(f"{API}concepts/generative-ai/").json()["terms"]
    twice = post(client, "generative-ai", "new-draft")
    assert (twice.status_code, twice.json()["code"]) == (409, "open_version_exists")
    missing = post(client, "no-such-concept", "new-draft")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_retire_through_review(administrator, editor, reviewer_us, reviewer_cn, published):
    assert post(client_for(editor), "generative-ai", "retire", {"reason": "x"}).status_code == 403
    no_reason = post(client_for(administrator), "generative-ai", "retire", {"reason": ""})
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "invalid")
    proposed = post(client_for(administrator), "generative-ai", "retire", {"reason": "Merged."})
    assert proposed.status_code == 201
    assert (proposed.json()["state"], proposed.json()["retirement_reason"]) == (
        "in_review",
        "Merged.",
    )
    for reviewer in (reviewer_us, reviewer_cn):
        post(client_for(reviewer), "generative-ai", "review", {"decision": "approve"})
    public = APIClient().get(f"{API}concepts/generative-ai/").json()
    assert (public["retired"], public["retirement_reason"]) == (True, "Merged.")


def test_error_codes_stay_untranslated(editor, reviewer_us, draft_url):
    response = post(
        client_for(reviewer_us), "frontier-ai", "submit", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response["Content-Language"] == "zh-hans"


def test_draft_query_count_does_not_grow(editor, reviewer_us, reviewer_cn, draft_url):
    client = client_for(editor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(draft_url).status_code == 200
        return len(captured)

    few = queries()
    for i in range(3):
        post(client, "frontier-ai", "submit")
        post(
            client_for(reviewer_us),
            "frontier-ai",
            "review",
            {"decision": "request_changes", "comment": f"Round {i}."},
        )
        etag = client.get(draft_url)["ETag"]
        more = content()
        more["terms"] += [{"language": "en", "text": f"variant {i} {n}"} for n in range(3)]
        more["relations"] = [
            {
                "kind": "related",
                "target": factories.make_draft(editor, uid=f"other-{i}").concept.uid,
            }
        ]
        assert client.put(draft_url, more, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert queries() == few


def test_services_decide_not_the_view(editor, draft_url, monkeypatch):
    """The API calls the same workflow checks as the admin: a refusal there is a refusal here."""
    from glossary.core import workflow

    def refuse(user, version):
        raise workflow.WorkflowError("permission_denied", "No edits today.")

    monkeypatch.setattr(workflow, "check_edit", refuse)
    response = client_for(editor).put(draft_url, content(), format="json", HTTP_IF_MATCH='"v1-r1"')
    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "detail": "No edits today."}


def test_a_save_that_loses_a_race_after_the_check_is_still_refused(
    editor, second_editor, draft_url, monkeypatch
):
    """Someone saves between the view's If-Match check and the service's lock: 412 all the same."""
    from glossary.core import services

    real_update = services.draft_update

    def racing_update(*, version, user, data, expected_revision):
        other = factories.complete_data(definition_en="The other editor won.")
        real_update(
            version=version, user=second_editor, data=other, expected_revision=expected_revision
        )
        return real_update(
            version=version, user=user, data=data, expected_revision=expected_revision
        )

    monkeypatch.setattr(services, "draft_update", racing_update)
    response = client_for(editor).put(draft_url, content(), format="json", HTTP_IF_MATCH='"v1-r1"')
    assert response.status_code == 412
    assert response.json()["code"] == "stale_edit"
    assert state()["definition_en"] == "The other editor won."
    assert state()["revision"] == 2


@pytest.mark.parametrize(
    "path",
    ["concepts/", "drafts/frontier-ai/", "concepts/frontier-ai/submit/", "concepts/frontier-ai/"],
)
def test_options_describe_what_an_endpoint_takes(editor, draft_url, path):
    response = client_for(editor).options(API + path)
    assert response.status_code == 200
    body = response.json()
    assert body["renders"] == ["application/json"]
    if path != "concepts/frontier-ai/":
        writes = body["actions"]
        assert "terms" in writes.get("POST", writes.get("PUT")) or "comment" in writes["POST"]
    assert "actions" not in APIClient().options(API + path).json()  # anonymous: nothing to write


def test_machine_converted_traditional_is_kept_until_reviewed(editor, draft_url):
    """An unreviewed OpenCC suggestion stays marked through a round trip; leaving it out confirms."""
    client = client_for(editor)
    loaded = client.get(draft_url)
    body = loaded.json()
    body["machine_converted"] = ["definition"]
    body["terms"][3]["machine_converted"] = True  # the zh-Hant preferred term
    saved = client.put(draft_url, body, format="json", HTTP_IF_MATCH=loaded["ETag"])
    assert saved.status_code == 200, saved.content
    version = ConceptVersion.objects.get()
    assert version.machine_converted_fields == ["definition_zh_hant"]
    assert version.terms.get(language="zh-Hant").machine_converted

    echoed = client.put(draft_url, saved.json(), format="json", HTTP_IF_MATCH=saved["ETag"])
    assert echoed.json()["machine_converted"] == ["definition"]
    assert [t["machine_converted"] for t in echoed.json()["terms"]] == [False, False, False, True]

    reviewed = echoed.json()
    reviewed["machine_converted"] = []
    reviewed["terms"][3]["machine_converted"] = False
    confirmed = client.put(draft_url, reviewed, format="json", HTTP_IF_MATCH=echoed["ETag"])
    assert confirmed.json()["machine_converted"] == []
    assert not ConceptVersion.objects.get().terms.filter(machine_converted=True).exists()


def test_a_term_flagged_only_in_its_sense_is_kept_through_a_round_trip(editor, draft_url):
    client = client_for(editor)
    loaded = client.get(draft_url)
    body = loaded.json()
    body["terms"][1]["in_sense_only"] = True  # frontier model: also an everyday phrase
    saved = client.put(draft_url, body, format="json", HTTP_IF_MATCH=loaded["ETag"])
    assert saved.status_code == 200, saved.content
    assert [t["in_sense_only"] for t in saved.json()["terms"]] == [False, True, False, False]
    version = ConceptVersion.objects.get()
    assert list(version.terms.filter(in_sense_only=True).values_list("text", flat=True)) == [
        "frontier model"
    ]


def test_only_traditional_terms_can_be_machine_converted(editor, draft_url):
    client = client_for(editor)
    body = content()
    body["terms"][0]["machine_converted"] = True  # English
    before = state()
    response = client.put(draft_url, body, format="json", HTTP_IF_MATCH='"v1-r1"')
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["terms"]
    assert state() == before
    body = content(machine_converted=["definition", "nonsense"])
    response = client.put(draft_url, body, format="json", HTTP_IF_MATCH='"v1-r1"')
    assert list(response.json()["errors"]) == ["machine_converted"]


def test_submit_records_the_change_note(editor):
    client = client_for(editor)
    assert create(client).status_code == 201
    submitted = post(client, "frontier-ai", "submit", {"change_note": "  First version.  "})
    assert submitted.status_code == 200, submitted.content
    event = ConceptVersion.objects.get().events.get(action="submit")
    assert event.comment == "First version."


def test_submit_refuses_two_different_change_notes(editor):
    client = client_for(editor)
    assert create(client).status_code == 201
    refused = post(client, "frontier-ai", "submit", {"change_note": "One.", "comment": "Two."})
    assert refused.status_code == 400
    assert ConceptVersion.objects.get().state == VersionState.DRAFT


def test_submit_refuses_a_divergence_without_each_sides_usage(editor):
    client = client_for(editor)
    no_usage = {"en": "", "zh-Hans": "", "zh-Hant": ""}
    assert create(client, agreement="divergent", cn_usage=no_usage).status_code == 201
    refused = post(client, "frontier-ai", "submit", {"change_note": "First."})
    assert (refused.status_code, refused.json()["code"]) == (400, "incomplete")
    assert "China-side usage" in refused.json()["detail"]
    assert "U.S.-side usage" not in refused.json()["detail"]
    assert ConceptVersion.objects.get().state == VersionState.DRAFT


def test_submit_refuses_an_unassessed_draft(editor):
    client = client_for(editor)
    assert create(client, agreement="not_assessed", maturity="not_assessed").status_code == 201
    refused = post(client, "frontier-ai", "submit")
    assert (refused.status_code, refused.json()["code"]) == (400, "incomplete")
    assert "agreement state" in refused.json()["detail"]
    assert "maturity" in refused.json()["detail"]
