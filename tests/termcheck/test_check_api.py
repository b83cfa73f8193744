"""POST /api/v1/check/: whole payloads, input errors, size limits and query counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from glossary.termcheck import engine as check
from glossary.termcheck import index as terms_index
from tests.factories import concept_data, pathological_texts, publish

pytestmark = pytest.mark.usefixtures("fresh_check_index")

URL = "/api/v1/check/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def glossary(editor, reviewer_us, reviewer_cn):
    reviewers = [reviewer_us, reviewer_cn]
    publish(
        editor,
        reviewers,
        "neural-network",
        concept_data(
            "neural network",
            "神经网络",
            "神經網路",
            ("en", "neural net", "deprecated"),
            ("zh-Hans", "神经元网络", "deprecated"),
            ("zh-Hant", "類神經網路", "admitted"),
        ),
    )
    publish(
        editor,
        reviewers,
        "generative-ai",
        concept_data("generative AI", "生成式人工智能", "生成式人工智慧"),
    )
    publish(
        editor, reviewers, "artificial-intelligence", concept_data("AI", "人工智能", "人工智慧")
    )


def post(client, body, **extra):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **extra)


def test_the_route_is_named_check_in_the_api_namespace() -> None:
    assert reverse("api:check") == URL


@pytest.mark.django_db
def test_check_whole_payload(client, glossary) -> None:
    response = post(
        client,
        {
            "source": "Generative AI uses neural nets.",
            "target": "生成式人工智能使用神经元网络。",
            "source_language": "en",
            "target_language": "zh-Hans",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["glossary"] == terms_index.current_checker().key
    del body["glossary"]
    assert body == {
        "source_language": "en",
        "target_language": "zh-Hans",
        "summary": {
            "preferred": 1,
            "admitted": 0,
            "deprecated": 1,
            "superseded": 0,
            "missing": 0,
            "retired": 0,
            "problems": 1,
            "source_occurrences": 2,
            "target_occurrences": 2,
        },
        "findings": [
            {
                "concept": "generative-ai",
                "verdict": "preferred",
                "expected": "生成式人工智能",
                "replacement": None,
                "source": [0],
                "target": [0],
                "authorities": [],
            },
            {
                "concept": "neural-network",
                "verdict": "deprecated",
                "expected": "神经网络",
                "replacement": "神经网络",
                "source": [1],
                "target": [1],
                "authorities": [],
            },
        ],
        "occurrences": {
            "source": [
                {
                    "start": 0,
                    "end": 13,
                    "text": "Generative AI",
                    "concept": "generative-ai",
                    "term": "generative AI",
                    "language": "en",
                    "status": "preferred",
                    "match": "exact",
                    "replacement": None,
                },
                {
                    "start": 19,
                    "end": 30,
                    "text": "neural nets",
                    "concept": "neural-network",
                    "term": "neural net",
                    "language": "en",
                    "status": "deprecated",
                    "match": "exact",
                    "replacement": "neural network",
                },
            ],
            "target": [
                {
                    "start": 0,
                    "end": 7,
                    "text": "生成式人工智能",
                    "concept": "generative-ai",
                    "term": "生成式人工智能",
                    "language": "zh-Hans",
                    "status": "preferred",
                    "match": "exact",
                    "replacement": None,
                },
                {
                    "start": 9,
                    "end": 14,
                    "text": "神经元网络",
                    "concept": "neural-network",
                    "term": "神经元网络",
                    "language": "zh-Hans",
                    "status": "deprecated",
                    "match": "exact",
                    "replacement": "神经网络",
                },
            ],
        },
    }


@pytest.mark.django_db
def test_check_traditional_target_and_chinese_source(client, glossary) -> None:
    body = post(
        client,
        {
            "source": "生成式人工智能与神经网络",
            "source_language": "zh-Hans",
            "target": "生成式人工智慧與類神經網路",
            "target_language": "zh-Hant",
        },
    ).json()
    target = body["occurrences"]["target"]
    assert [
        (f["concept"], f["verdict"], f["expected"], [target[t]["text"] for t in f["target"]])
        for f in body["findings"]
    ] == [
        ("generative-ai", "preferred", "生成式人工智慧", ["生成式人工智慧"]),
        ("neural-network", "admitted", "神經網路", ["類神經網路"]),
    ]


@pytest.mark.django_db
def test_single_text_and_defaults(client, glossary) -> None:
    body = post(client, {"source": "A neural net, a neural network."}).json()
    assert body["source_language"] == "en"
    assert body["target_language"] is None
    assert [(f["concept"], f["verdict"], f["replacement"]) for f in body["findings"]] == [
        ("neural-network", "deprecated", "neural network")
    ]
    # A target without its language: zh-Hans for an English source.
    body = post(client, {"source": "AI", "target": "人工智能"}).json()
    assert body["target_language"] == "zh-Hans"
    assert body["findings"][0]["verdict"] == "preferred"
    # From Chinese, English is the default target language.
    body = post(client, {"source": "人工智能", "source_language": "zh-Hans", "target": "AI"}).json()
    assert body["target_language"] == "en"
    assert body["findings"][0]["verdict"] == "preferred"


@pytest.mark.django_db
def test_anonymous_and_signed_in_clients_get_the_same_answer(client, glossary, editor) -> None:
    body = {"source": "generative AI", "target": "生成式人工智能"}
    anonymous = post(client, body).json()
    client.force_login(editor)
    assert post(client, body).json() == anonymous


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": "x", "source_language": "fr"}, "source_language"),
        ({"source": "x", "target": "y", "target_language": "zh-CN"}, "target_language"),
        (
            {"source": "x", "target": "y", "source_language": "en", "target_language": "en"},
            "target_language",
        ),
        ({"source": ""}, "source"),
        ({"target": "人工智能"}, "source"),
        ({"source": 12}, "source"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(client, body, field) -> None:
    response = post(client, body)
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid"
    assert field in data["errors"]
    assert all(isinstance(message, str) and message for message in data["errors"][field])


@pytest.mark.django_db
def test_malformed_json_is_a_400(client) -> None:
    response = client.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
def test_texts_over_the_limit_are_refused_with_413(client, glossary) -> None:
    at_limit = "a" * check.MAX_TEXT_LENGTH
    assert post(client, {"source": at_limit}).status_code == 200
    response = post(client, {"source": "AI", "target": "人" * (check.MAX_TEXT_LENGTH + 1)})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "20,000" in response.json()["detail"]


@pytest.mark.django_db
def test_a_huge_body_is_refused_before_it_is_read(client) -> None:
    response = client.post(
        URL, data="x", content_type="application/json", CONTENT_LENGTH=str(10**8)
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.django_db
def test_the_message_follows_the_request_language(client) -> None:
    response = post(
        client,
        {"source": "a" * (check.MAX_TEXT_LENGTH + 1)},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.django_db
def test_only_post_is_allowed(client) -> None:
    assert client.get(URL).status_code == 405


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_glossary(
    client, glossary, editor, reviewer_us, reviewer_cn, django_assert_num_queries
) -> None:
    body = {"source": "Generative AI and neural networks.", "target": "生成式人工智能和神经网络。"}
    post(client, body)
    with django_assert_num_queries(1):
        first = post(client, body).json()
    for number in range(4):
        publish(
            editor,
            [reviewer_us, reviewer_cn],
            f"concept-{number}",
            concept_data(f"term {number}", f"术语{number}"),
        )
    # The first request after a publication rebuilds the index (one more query), once.
    with django_assert_num_queries(2):
        post(client, body)
    with django_assert_num_queries(1):
        second = post(client, body).json()
    assert second["findings"] == first["findings"]


@pytest.mark.django_db
def test_the_endpoint_is_in_the_schema(client) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text_body = response.content.decode()
    assert "/api/v1/check/" in text_body
    assert "too_large" in text_body


@pytest.mark.django_db
def test_languages_left_out_are_read_from_the_scripts(client, glossary) -> None:
    # A Chinese text on its own: no longer checked as English into a clean pass.
    body = post(client, {"source": "我们使用神經元網絡"}).json()
    assert (body["source_language"], body["target_language"]) == ("zh-Hant", None)
    assert [(f["concept"], f["verdict"], f["replacement"]) for f in body["findings"]] == [
        ("neural-network", "deprecated", "神經網路")
    ]
    body = post(client, {"source": "我们使用神经元网络"}).json()
    assert body["source_language"] == "zh-Hans"
    assert [f["replacement"] for f in body["findings"]] == ["神经网络"]
    # The translation's language too: a Traditional one is checked against zh-Hant terms.
    body = post(client, {"source": "neural networks", "target": "類神經網路"}).json()
    assert (body["source_language"], body["target_language"]) == ("en", "zh-Hant")
    assert [(f["verdict"], f["expected"]) for f in body["findings"]] == [("admitted", "神經網路")]


@pytest.mark.django_db
def test_a_deprecated_simplified_term_in_a_traditional_translation(client, glossary) -> None:
    body = post(
        client,
        {
            "source": "neural nets",
            "source_language": "en",
            "target": "神经元网络",
            "target_language": "zh-Hant",
        },
    ).json()
    target = body["occurrences"]["target"]
    assert [
        (
            f["verdict"],
            f["expected"],
            f["replacement"],
            [target[t]["language"] for t in f["target"]],
        )
        for f in body["findings"]
    ] == [("deprecated", "神經網路", "神經網路", ["zh-Hans"])]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"source": "我们使用變壓器", "source_language": "en"},
            "The text looks like Traditional Chinese, but its language was given as English.",
        ),
        (
            {"source": "neural network", "target": "neural network", "target_language": "zh-Hans"},
            "The translation looks like English, but its language was given as Simplified Chinese.",
        ),
        (
            {"source": "neural network", "source_language": "zh-Hant"},
            "The text looks like English, but its language was given as Traditional Chinese.",
        ),
    ],
)
def test_a_language_given_for_a_text_in_another_script_is_refused(
    client, glossary, body, message
) -> None:
    response = post(client, body)
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "language_mismatch"
    assert data["detail"].startswith(message)
    assert data["detail"].endswith("Correct the language, or have it detected from the text.")


@pytest.mark.django_db
def test_the_mismatch_message_follows_the_request_language(
    client, glossary, compiled_catalogs
) -> None:
    response = post(
        client,
        {"source": "我们使用變壓器", "source_language": "en"},
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "language_mismatch",
        "detail": "這段文字看起來是繁體中文，但給定的語言是英語。請更正語言，或讓系統依文字自動判斷。",
    }


# --- Size: the answer grows with the texts ---------------------------------------------------

#: The most bytes of JSON the check may answer per character of its two texts. A text that is
#: nothing but glossary terms (one character of Chinese and a comma, again and again) makes
#: about 50; an answer that repeated occurrences for each other would make thousands.
MAX_JSON_BYTES_PER_CHARACTER = 80


@pytest.fixture
def short_terms(glossary, editor, reviewer_us, reviewer_cn):
    publish(editor, [reviewer_us, reviewer_cn], "layer", concept_data("layer", "层", "層"))


@pytest.mark.django_db
def test_the_largest_answer_grows_with_the_texts_not_their_product(client, short_terms) -> None:
    source, target = pathological_texts()
    response = post(
        client,
        {"source": source, "target": target, "source_language": "en", "target_language": "zh-Hans"},
    )
    assert response.status_code == 200
    size = len(response.content)
    assert size <= MAX_JSON_BYTES_PER_CHARACTER * (len(source) + len(target)), size
    body = response.json()
    occurrences = body["occurrences"]
    # Thousands of occurrences in each text, each listed once and named by one finding.
    assert len(occurrences["source"]) > 2000
    assert len(occurrences["target"]) == check.MAX_TEXT_LENGTH // 2
    for side in ("source", "target"):
        named = sorted(i for finding in body["findings"] for i in finding[side])
        assert named == list(range(len(occurrences[side])))
        assert body["summary"][f"{side}_occurrences"] == len(occurrences[side])
    assert [(f["concept"], f["verdict"], len(f["target"])) for f in body["findings"]] == [
        ("artificial-intelligence", "missing", 0),
        ("layer", "preferred", check.MAX_TEXT_LENGTH // 2),
        ("neural-network", "missing", 0),
    ]


@pytest.mark.django_db
def test_the_schema_describes_the_answer_as_sent(client, glossary) -> None:
    schemas = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["components"][
        "schemas"
    ]
    body = post(client, {"source": "neural nets", "target": "神经元网络"}).json()

    def described(name: str) -> set[str]:
        return set(schemas[name]["properties"])

    assert described("CheckResult") == set(body)
    assert described("Summary") == set(body["summary"])
    assert described("Finding") == set(body["findings"][0])
    assert described("Occurrences") == set(body["occurrences"])
    assert described("Occurrence") == set(body["occurrences"]["target"][0])
    assert schemas["Finding"]["properties"]["target"]["items"]["type"] == "integer"
