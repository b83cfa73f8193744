"""The term check page /<lang>/check/: the form, the highlighted texts and the findings."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from glossary.termcheck import engine as check
from tests.factories import concept_data, pathological_texts, publish

pytestmark = pytest.mark.usefixtures("fresh_check_index")


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
        ),
    )
    publish(
        editor,
        reviewers,
        "generative-ai",
        concept_data("generative AI", "生成式人工智能", "生成式人工智慧"),
    )


def test_the_page_is_check_page_under_each_language() -> None:
    assert reverse("check:page") == "/en/check/"
    with translation.override("zh-hant"):
        assert reverse("check:page") == "/zh-hant/check/"


@pytest.mark.django_db
def test_the_form_renders_without_javascript(client) -> None:
    response = client.get("/en/check/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="check-form" method="post" action="/en/check/">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert re.search(r'<textarea name="source"[^>]*maxlength="20000"', html)
    # Both languages are read from the texts unless chosen.
    for name in ("source_language", "target_language"):
        select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        assert '<option value="" selected>Detect from the text</option>' in select
        assert '<option value="zh-Hant">Traditional Chinese</option>' in select
    assert "<script" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_detected_languages_and_the_traditional_interface(client, glossary) -> None:
    form = {"source_language": "", "target_language": "", "source": "generative AI"}
    # 生成式 reads the same in both scripts: the interface decides.
    html = client.post("/en/check/", {**form, "target": "生成式"}).content.decode()
    assert '<div class="check-text" lang="zh-Hans">' in html
    html = client.post("/zh-hant/check/", {**form, "target": "生成式"}).content.decode()
    assert '<div class="check-text" lang="zh-Hant">' in html
    # A Traditional text is Traditional whatever the interface; a Chinese source is found too.
    html = client.post(
        "/en/check/", {**form, "source": "生成式人工智慧", "target": "generative AI"}
    ).content.decode()
    assert '<div class="check-text" lang="zh-Hant">' in html
    assert '<div class="check-text" lang="en">' in html
    assert '<tr id="finding-1" class="finding-preferred fine">' in html


@pytest.mark.django_db
def test_a_language_chosen_for_a_text_in_another_script_is_refused(
    client,
    glossary,
    compiled_catalogs,  # noqa: F811
) -> None:
    response = client.post(
        "/en/check/",
        {"source_language": "en", "target_language": "", "source": "我们使用生成式人工智能"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "The text looks like Simplified Chinese, but its language was given as English. "
        "Correct the language, or have it detected from the text." in html
    )
    assert '<h2 id="check-results">' not in html
    response = client.post(
        "/zh-hans/check/",
        {
            "source_language": "",
            "target_language": "zh-Hant",
            "source": "generative AI",
            "target": "generative AI",
        },
    )
    assert response.status_code == 400
    assert (
        "译文看起来是英语，但给定的语言是繁体中文。请更正语言，或让系统根据文本自动识别。"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_post_highlights_both_texts_and_lists_the_findings(client, glossary) -> None:
    response = client.post(
        "/en/check/",
        {
            "source_language": "en",
            "target_language": "zh-Hans",
            "source": "Generative AI <b>uses</b> neural nets.",
            "target": "生成式人工智能使用神经元网络。",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    source = html.split('<div class="check-text" lang="en">', 1)[1].split("</div>", 1)[0]
    assert source == (
        '<mark class="term-check verdict-preferred" id="source-finding-1" '
        'title="Preferred term used"><a href="#finding-1">Generative AI</a></mark>'
        " &lt;b&gt;uses&lt;/b&gt; "
        '<mark class="term-check verdict-deprecated" id="source-finding-2" '
        'title="Deprecated term used"><a href="#finding-2">neural nets</a></mark>.'
    )
    target = html.split('<div class="check-text" lang="zh-Hans">', 1)[1].split("</div>", 1)[0]
    assert target == (
        '<mark class="term-check status-preferred" title="Preferred">'
        '<a href="#finding-1">生成式人工智能</a></mark>使用'
        '<mark class="term-check status-deprecated" title="Deprecated">'
        '<a href="#finding-2">神经元网络</a></mark>。'
    )
    assert '<tr id="finding-2" class="finding-deprecated needs-attention">' in html
    # The concept is named by its preferred term in the interface language, linking to its page.
    assert '<a href="/en/concepts/neural-network/" lang="en">neural network</a>' in html
    assert '<span lang="zh-Hans">神经网络</span>' in html
    assert "1 need attention." in html or "1 needs attention." in html


@pytest.mark.django_db
def test_post_a_single_text(client, glossary) -> None:
    html = client.post(
        "/zh-hans/check/",
        {
            "source_language": "zh-Hans",
            "target_language": "en",
            "source": "神经元网络与神经网络",
            "target": "",
        },
    ).content.decode()
    assert '<div class="check-text" lang="zh-Hans">' in html
    assert 'lang="en">' not in html.split("check-texts", 1)[1].split("check-findings", 1)[0]
    assert '<tr id="finding-1" class="finding-deprecated needs-attention">' in html
    assert "finding-2" not in html


@pytest.mark.django_db
def test_bad_input_shows_the_form_with_errors(client, glossary) -> None:
    response = client.post(
        "/en/check/",
        {"source_language": "en", "target_language": "en", "source": "AI", "target": "AI"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The translation must be in another language than the text." in html
    assert "AI</textarea>" in html
    response = client.post(
        "/en/check/",
        {
            "source_language": "en",
            "target_language": "zh-Hans",
            "source": "a" * (check.MAX_TEXT_LENGTH + 1),
        },
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 20000 characters" in response.content.decode()
    response = client.post("/en/check/", {"source_language": "xx", "source": ""})
    assert response.status_code == 400
    assert "Paste the text to check." in response.content.decode()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_glossary(
    client, glossary, editor, reviewer_us, reviewer_cn, django_assert_num_queries
) -> None:
    form = {
        "source_language": "en",
        "target_language": "zh-Hans",
        "source": "Generative AI and neural networks.",
        "target": "生成式人工智能和神经网络。",
    }
    client.post("/en/check/", form)
    with django_assert_num_queries(1):
        client.post("/en/check/", form)
    for number in range(4):
        publish(
            editor,
            [reviewer_us, reviewer_cn],
            f"concept-{number}",
            concept_data(f"term {number}", f"术语{number}"),
        )
    client.post("/en/check/", form)
    with django_assert_num_queries(1):
        response = client.post("/en/check/", form)
    assert response.content.decode().count('<tr id="finding-') == 2


@pytest.mark.django_db
def test_traditional_translation_is_checked_in_its_own_script(client, glossary) -> None:
    html = client.post(
        "/en/check/",
        {
            "source_language": "en",
            "target_language": "zh-Hant",
            "source": "Generative AI and neural networks",
            "target": "生成式人工智慧與神经网络",
        },
    ).content.decode()
    target = html.split('<div class="check-text" lang="zh-Hant">', 1)[1].split("</div>", 1)[0]
    assert '<a href="#finding-1">生成式人工智慧</a>' in target
    # Simplified characters in a Traditional text still match, through folding, and say so.
    assert '<a href="#finding-2">神经网络</a>' in target
    assert '<span lang="zh-Hant">神經網路</span>' in html
    row = html.split('<tr id="finding-2"', 1)[1].split("</tr>", 1)[0]
    assert (
        '<span lang="zh-Hant">神经网络</span> <span class="muted">(after folding to Simplified)'
        in row
    )


@pytest.mark.django_db
def test_each_term_has_its_own_lang_and_concepts_are_named_in_the_interface_language(
    client, glossary, editor, reviewer_us, reviewer_cn
) -> None:
    publish(
        editor,
        [reviewer_us, reviewer_cn],
        "transformer",
        concept_data(
            "Transformer",
            "Transformer",
            "Transformer",
            ("zh-Hans", "变压器", "deprecated"),
            ("zh-Hant", "變壓器", "deprecated"),
        ),
    )
    html = client.post(
        "/zh-hant/check/",
        {
            "source_language": "en",
            "target_language": "zh-Hant",
            "source": "Transformer and neural networks",
            "target": "變壓器與神經網路",
        },
    ).content.decode()
    first = html.split('<tr id="finding-1"', 1)[1].split("</tr>", 1)[0]
    # A Latin term of a Chinese language is English text; the concept is named in zh-Hant.
    assert '<a href="/zh-hant/concepts/transformer/" lang="en">Transformer</a>' in first
    assert re.search(r'<td data-label="[^"]+"><span lang="en">Transformer</span></td>', first)
    assert '<span lang="zh-Hant">變壓器</span>' in first
    second = html.split('<tr id="finding-2"', 1)[1].split("</tr>", 1)[0]
    assert '<a href="/zh-hant/concepts/neural-network/" lang="zh-Hant">神經網路</a>' in second
    assert re.search(r'<td data-label="[^"]+"><span lang="zh-Hant">神經網路</span></td>', second)
    # Simplified interface: the zh-Hans preferred term; a concept with no zh-Hant term falls
    # back to its zh-Hans one, with that language.
    html = client.post(
        "/zh-hans/check/",
        {"source_language": "en", "target_language": "zh-Hans", "source": "neural nets"},
    ).content.decode()
    assert '<a href="/zh-hans/concepts/neural-network/" lang="zh-Hans">神经网络</a>' in html
    publish(
        editor,
        [reviewer_us, reviewer_cn],
        "token",
        concept_data("token", "词元", "", ("zh-Hans", "令牌", "deprecated")),
    )
    html = client.post(
        "/zh-hant/check/",
        {"source_language": "", "target_language": "", "source": "token", "target": "令牌"},
    ).content.decode()
    row = html.split('<tr id="finding-1"', 1)[1].split("</tr>", 1)[0]
    assert '<a href="/zh-hant/concepts/token/" lang="zh-Hans">词元</a>' in row
    assert re.search(r'<td data-label="[^"]+"><span lang="zh-Hans">词元</span></td>', row)


# --- Size and throttling -----------------------------------------------------------------------

#: The most bytes of HTML the page may answer per character of its two texts (which it shows
#: twice: highlighted, and back in the form). Texts of nothing but glossary terms make about 33;
#: a page listing each text's occurrences again for each other's would make thousands.
MAX_HTML_BYTES_PER_CHARACTER = 64


@pytest.mark.django_db
def test_the_largest_page_grows_with_the_texts_not_their_product(
    client, glossary, editor, reviewer_us, reviewer_cn
) -> None:
    publish(editor, [reviewer_us, reviewer_cn], "layer", concept_data("layer", "层", "層"))
    publish(editor, [reviewer_us, reviewer_cn], "ai", concept_data("AI", "人工智能", "人工智慧"))
    source, target = pathological_texts()
    response = client.post(
        "/en/check/",
        {"source_language": "en", "target_language": "zh-Hans", "source": source, "target": target},
    )
    assert response.status_code == 200
    html = response.content.decode()
    size = len(response.content)
    assert size <= MAX_HTML_BYTES_PER_CHARACTER * (len(source) + len(target)), size
    # Every occurrence is marked once; each finding is one row, each spelling listed once.
    assert html.count("<mark ") == source.count("AI") + source.count("layers") + source.count(
        "neural nets"
    ) + target.count("层")
    assert html.count('<tr id="finding-') == 3
    row = html.split('<tr id="finding-2"', 1)[1].split("</tr>", 1)[0]
    assert f'<span lang="zh-Hans">层</span> <span class="muted">×{target.count("层")}</span>' in row


def throttled_to(rate: str):
    """The anonymous rate of the API (and so of the page) set to ``rate``."""
    from django.conf import settings
    from django.test import override_settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": rate}
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    )


@pytest.mark.django_db
def test_the_page_is_throttled_like_the_api(
    client,
    glossary,
    editor,
    compiled_catalogs,  # noqa: F811
) -> None:
    form = {"source_language": "en", "target_language": "", "source": "neural nets"}
    with throttled_to("3/minute"):
        # The API and the page count against one allowance per address.
        assert (
            client.post(
                "/api/v1/check/", data={"source": "AI"}, content_type="application/json"
            ).status_code
            == 200
        )
        for _ in range(2):
            assert client.post("/en/check/", form).status_code == 200
        refused = client.post("/en/check/", form)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        html = refused.content.decode()
        assert "Too many checks from your address. Please try again in" in html
        # The text is kept in the form, unchecked, to send again later.
        assert "neural nets</textarea>" in html
        assert '<h2 id="check-results">' not in html
        assert "请在" in client.post("/zh-hans/check/", form).content.decode()
        assert (
            client.post(
                "/api/v1/check/", data={"source": "AI"}, content_type="application/json"
            ).status_code
            == 429
        )
        # The form itself is not a check; another address has its own allowance; signed-in
        # accounts are not limited (as in the API).
        assert client.get("/en/check/").status_code == 200
        assert client.post("/en/check/", form, REMOTE_ADDR="10.0.0.9").status_code == 200
        client.force_login(editor)
        assert client.post("/en/check/", form).status_code == 200


@pytest.mark.django_db
def test_the_page_reads_the_client_address_as_the_api_throttle_does(
    client, glossary, monkeypatch
) -> None:
    from glossary.api.throttling import AnonymousThrottle

    # Whatever the API's throttle takes for the client's address, the page takes too.
    monkeypatch.setattr(AnonymousThrottle, "get_ident", lambda self, request: "one-client")
    form = {"source_language": "en", "target_language": "", "source": "neural nets"}
    with throttled_to("1/minute"):
        assert client.post("/en/check/", form, REMOTE_ADDR="10.0.0.1").status_code == 200
        assert client.post("/en/check/", form, REMOTE_ADDR="10.0.0.2").status_code == 429
