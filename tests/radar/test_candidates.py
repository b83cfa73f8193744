"""Finding and ranking candidate terms, and proposing translations from aligned pairs."""

import datetime as dt
from collections import Counter

from glossary.radar import align
from glossary.radar.candidates import (
    EN,
    ZH,
    Document,
    chinese_phrases,
    domain_words,
    in_domain,
    nested_share,
    rank,
    specificity,
    unit_keys,
)
from tests.radar.corpus import DATES, EARLY, LATE, LATE_ZH


def corpus():
    return [
        Document(1, "en", EARLY, DATES["early"]),
        Document(2, "en", LATE, DATES["late"]),
        Document(3, "zh-Hans", LATE_ZH, DATES["late"]),
    ]


def by_key(found):
    return {(c.language, c.key): c for c in found}


def test_phrases_folded_to_one_key_with_dates_months_and_contexts():
    found = by_key(rank(corpus()))
    frontier = found[(EN, "frontier model")]
    assert frontier.text == "frontier models"
    assert frontier.count == 6
    assert frontier.documents == [1, 2]
    assert frontier.first_seen == dt.date(2023, 11, 1)
    assert frontier.months == {"2023-11": 3, "2024-05": 3}
    # One context per document first, earliest document first.
    assert [pk for pk, _sentence in frontier.contexts] == [1, 2]
    assert frontier.contexts[0][1] == "Frontier models and the digital economy."


def test_candidates_are_terms_not_everyday_words():
    found = by_key(rank(corpus()))
    keys = {key for _language, key in found}
    assert {"red teaming", "model evaluation", "agentic system", "synthetic content"} <= keys
    assert {"watermarking"} <= keys  # a single word, but a rare one
    assert not keys & {"model", "people", "risk", "release", "trust", "governments"}
    assert {"前沿模型", "数字水印", "智能体系统"} <= keys


def test_specific_terms_rank_above_common_phrases():
    found = rank(corpus())
    keys = [c.key for c in found]
    assert keys.index("frontier model") < keys.index("digital economy")
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_known_terms_are_left_out():
    found = by_key(rank(corpus(), known={"frontier model", "前沿模型"}.__contains__))
    assert (EN, "frontier model") not in found
    assert (ZH, "前沿模型") not in found
    assert (EN, "red teaming") in found


def test_a_phrase_seen_only_inside_a_longer_one_gives_way():
    text = "Large reasoning models help. Large reasoning models reason. Models of many kinds."
    found = by_key(rank([Document(1, "en", text)]))
    assert (EN, "large reasoning model") in found
    assert (EN, "reasoning model") not in found


def test_specificity():
    assert specificity(2, 1000, 1e-8, 1.0) > specificity(2, 1000, 1e-4, 1.0) > 0
    assert specificity(10, 1000, 1e-4, 1.0) > specificity(2, 1000, 1e-4, 1.0)
    assert specificity(2, 1000, 1e-4, 1.0) > specificity(2, 1000, 1e-4, 0.5)
    assert specificity(1, 1000, 0.01, 1.0) == 0.0  # no more often than in general language


def test_alignment_by_paragraphs_then_sentences():
    units = align.align(LATE, LATE_ZH)
    assert units[0] == ("Frontier model safety.", "前沿模型安全。")
    assert ("Agentic systems need oversight.", "智能体系统需要监督。") in units


def test_alignment_by_position_when_counts_differ():
    units = align.align("One.\n\nTwo.\n\nThree.", "一。\n\n二三。")
    assert [en for en, _zh in units] == ["One.", "Two.", "Three."]
    assert units[0][1] == "一。"
    assert units[2][1] == "二三。"


def test_translation_suggested_from_co_occurrence():
    found = rank(corpus())
    wanted = {group: {c.key for c in found if c.language == group} for group in (EN, ZH)}
    best = align.translations(
        align.align(LATE, LATE_ZH),
        english_keys=lambda text: unit_keys(text, EN, wanted[EN]),
        chinese_keys=lambda text: unit_keys(text, ZH, wanted[ZH]),
    )
    assert best["frontier model"] == ("前沿模型", 1.0)
    assert best["agentic system"] == ("智能体系统", 1.0)
    assert best["前沿模型"] == ("frontier model", 1.0)


def test_dice():
    assert align.dice(2, 2, 2) == 1.0
    assert align.dice(1, 2, 2) == 0.5
    assert align.dice(0, 0, 0) == 0.0


def test_nested_share_is_c_values_correction():
    assert nested_share(4, None) == 1.0
    assert nested_share(4, Counter({"large reasoning model": 4})) == 0.0
    # Inside two different longer phrases twice each: the mean (2) is taken off.
    assert nested_share(4, Counter({"a b c": 2, "b c d": 2})) == 0.5


def test_fragments_of_an_over_long_phrase_give_way():
    # Five words: every candidate of four words or fewer is a fragment of the same run.
    text = " ".join(["Quantized sparse gradient routing kernels matter."] * 3)
    found = by_key(rank([Document(1, "en", text)]))
    assert (EN, "quantized sparse gradient routing") not in found
    assert (EN, "sparse gradient routing kernel") not in found
    # A phrase used on its own as well as inside longer ones keeps its place.
    text += " Gradient routing helps. Gradient routing works. Gradient routing scales."
    found = by_key(rank([Document(1, "en", text)]))
    assert (EN, "gradient routing") in found


def test_chinese_runs_stop_at_common_verbs():
    phrases = {
        text for text, _key in chinese_phrases([("境内", "s"), ("公众", "n"), ("提供", "v")])
    }
    assert "境内公众" in phrases
    assert not any(text.endswith("提供") for text in phrases)
    phrases = {text for text, _key in chinese_phrases([("安全", "an"), ("可控", "v")])}
    assert phrases == {"安全可控"}


def test_domain_words_are_those_the_glossary_uses_more_than_general_language():
    made_up = [f"zq{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(200)]
    vocabulary = ["national strategy", *(f"{word} model" for word in made_up)]
    words = domain_words(vocabulary)
    assert "model" in words[EN]
    assert "national" not in words[EN]  # one term of two hundred, an everyday word
    assert in_domain("reasoning model", EN, words[EN])
    assert not in_domain("national security", EN, words[EN])


def test_candidates_off_the_domain_count_for_less():
    text = " ".join(["Reasoning traces; treasury bonds."] * 3)
    plain = {c.key: c.score for c in rank([Document(1, "en", text)])}
    made_up = [f"zq{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(200)]
    vocabulary = {f"{word} reasoning" for word in made_up}
    weighted = {c.key: c.score for c in rank([Document(1, "en", text)], vocabulary=vocabulary)}
    assert weighted["reasoning trace"] == plain["reasoning trace"]
    assert weighted["treasury bond"] < plain["treasury bond"]
