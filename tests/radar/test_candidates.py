"""Finding and ranking candidate terms, and proposing translations from aligned pairs."""

import datetime as dt

from glossary.radar import align
from glossary.radar.candidates import EN, ZH, Document, rank, specificity, unit_keys
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
