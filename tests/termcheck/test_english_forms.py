"""English terms in their other forms: inflections by part of speech, and compound spellings."""

from __future__ import annotations

import pytest

from glossary.termcheck.engine import GlossaryConcept, GlossaryTerm, TermChecker
from glossary.termcheck.engine.english import compound_key, term_forms


def concept(uid: str, *terms: GlossaryTerm) -> GlossaryConcept:
    return GlossaryConcept(uid=uid, terms=terms)


def en(text: str, part_of_speech: str = "", status: str = "preferred") -> GlossaryTerm:
    return GlossaryTerm(text, "en", status, part_of_speech)


GLOSSARY = [
    concept("train", en("train", "verb"), GlossaryTerm("训练", "zh-Hans")),
    concept(
        "training",
        en("training", "noun"),
        GlossaryTerm("训练", "zh-Hans"),
        GlossaryTerm("定型", "zh-Hans", "deprecated"),
    ),
    concept("training-data", en("training data", "noun"), GlossaryTerm("训练数据", "zh-Hans")),
    concept("predict", en("predict")),
    concept("forecast", en("forecast", "verb")),
    concept("label", en("label", "noun")),
    concept("classify-images", en("classify images", "verb")),
    concept("neural-network", en("neural network", "noun")),
    concept("trained-model", en("trained model", "noun")),
    concept("model", en("model", "noun")),
    concept("fine-tune", en("fine-tune")),
    concept("clustering", en("clustering", "noun")),
    concept("dataset", en("dataset", "noun")),
    concept("multiclass", en("multi-class classification", "noun")),
    concept("hyperparameter", en("hyperparameter", "noun")),
    concept("data", en("data", "noun")),
    concept("class", en("class", "noun")),
]


@pytest.fixture(scope="module")
def checker() -> TermChecker:
    return TermChecker(GLOSSARY)


def found(checker: TermChecker, text: str) -> list[tuple[str, str]]:
    """(concept, the exact characters found) for each occurrence."""
    return [(o.concept.uid, text[o.start : o.end]) for o in checker.find(text, "en")]


def test_a_verb_term_matches_its_verb_forms() -> None:
    checker = TermChecker([concept("train", en("train", "verb"))])
    text = "We train it; she trains it; it was trained; training it took a day."
    assert found(checker, text) == [
        ("train", "train"),
        ("train", "trains"),
        ("train", "trained"),
        ("train", "training"),
    ]


def test_a_word_that_can_only_be_a_verb_is_read_as_one() -> None:
    checker = TermChecker([concept("predict", en("predict"))])
    assert found(checker, "It predicted rain and predicts snow; predicting is hard.") == [
        ("predict", "predicted"),
        ("predict", "predicts"),
        ("predict", "predicting"),
    ]


def test_derived_words_are_other_words(checker: TermChecker) -> None:
    assert found(checker, "The trainer and the predictor, a labeller.") == []


def test_the_plural_of_a_noun_and_of_a_verb_term(checker: TermChecker) -> None:
    assert found(checker, "Two forecasts; it forecasted rain.") == [
        ("forecast", "forecasts"),
        ("forecast", "forecasted"),
    ]


def test_a_noun_term_does_not_match_verb_forms(checker: TermChecker) -> None:
    text = "Labels are given; we labelled the data, labeling it by hand, and it labels well."
    # "labels" is the noun's plural (and the verb's -s form, which reads the same).
    assert found(checker, text) == [("label", "Labels"), ("data", "data"), ("label", "labels")]


def test_without_a_part_of_speech_a_noun_and_verb_word_is_the_noun() -> None:
    checker = TermChecker([concept("train", en("train")), concept("feature", en("feature"))])
    assert found(checker, "It trained the features; the featured train.") == [
        ("feature", "features"),
        ("train", "train"),
    ]


def test_a_verb_phrase_inflects_on_its_head(checker: TermChecker) -> None:
    assert found(checker, "It classified images; it classifies images.") == [
        ("classify-images", "classified images"),
        ("classify-images", "classifies images"),
    ]


def test_a_noun_phrase_inflects_on_its_head_only(checker: TermChecker) -> None:
    text = "Neural networks and trained models; the model trained networks."
    assert found(checker, text) == [
        ("neural-network", "Neural networks"),
        ("trained-model", "trained models"),
        ("model", "model"),
        ("train", "trained"),
        ("training", "trained"),
    ]


def test_an_ing_noun_matches_its_verbs_past_forms_only(checker: TermChecker) -> None:
    assert found(checker, "Points were clustered; each cluster, three clusters.") == [
        ("clustering", "clustered"),
    ]


def test_an_ing_nouns_past_form_spelled_as_a_noun_is_not_it() -> None:
    assert term_forms("setting", "noun") == ()
    assert term_forms("overfitting", "noun") == ("overfitted",)


def test_the_terms_own_text_wins_over_a_form_of_another(checker: TermChecker) -> None:
    # "training" is the noun term's own text, and only a form of the verb "train".
    assert found(checker, "Training is slow; the training data.") == [
        ("training", "Training"),
        ("training-data", "training data"),
    ]


def test_a_hyphenated_verb_inflects_on_its_last_part(checker: TermChecker) -> None:
    assert found(checker, "We fine-tuned it, and it fine-tunes itself.") == [
        ("fine-tune", "fine-tuned"),
        ("fine-tune", "fine-tunes"),
    ]


def test_a_prefixed_verb_unknown_to_the_dictionary() -> None:
    assert term_forms("backpropagate") == (
        "backpropagated",
        "backpropagates",
        "backpropagating",
    )
    assert term_forms("overfit") == ("overfits", "overfitted", "overfitting")


def test_the_verb_forms_in_a_translation_check(checker: TermChecker) -> None:
    result = checker.check(
        "The model was trained on the training data.", "en", "模型在训练数据上定型。", "zh-Hans"
    )
    verdicts = {finding.concept: finding.verdict for finding in result.findings}
    assert verdicts["training"] == "deprecated"
    assert verdicts["training-data"] == "preferred"


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("A dataset, a data set, a data-set.", ["dataset", "data set", "data-set"]),
        ("Two Datasets and two data sets.", ["Datasets", "data sets"]),
    ],
)
def test_compound_spellings_are_one_term(checker: TermChecker, text: str, spelled) -> None:
    assert found(checker, text) == [("dataset", spelling) for spelling in spelled]


def test_compound_spellings_of_a_multi_word_term(checker: TermChecker) -> None:
    text = "Multiclass classification, multi-class classification, multi class classification."
    assert found(checker, text) == [
        ("multiclass", "Multiclass classification"),
        ("multiclass", "multi-class classification"),
        ("multiclass", "multi class classification"),
    ]


def test_a_prefixed_compound(checker: TermChecker) -> None:
    assert found(checker, "hyperparameters, hyper-parameters, hyper parameter") == [
        ("hyperparameter", "hyperparameters"),
        ("hyperparameter", "hyper-parameters"),
        ("hyperparameter", "hyper parameter"),
    ]


def test_a_part_of_a_compound_is_not_found_inside_it(checker: TermChecker) -> None:
    # "data" is not found inside "datasets", nor "class" inside "multiclass".
    assert found(checker, "datasets; multiclass; data; class") == [
        ("dataset", "datasets"),
        ("data", "data"),
        ("class", "class"),
    ]


def test_compound_key() -> None:
    assert compound_key("dataset") == "data set"
    assert compound_key("multiclass") == "multi class"
    assert compound_key("hyperparameter") == "hyper parameter"
    # Not two words, or too short a part.
    assert compound_key("classification") == "classification"
    assert compound_key("relu") == "relu"
    assert compound_key("input") == "input"
    # A phrasal verb's noun: apart, the words are the verb.
    assert compound_key("dropout") == "dropout"
    assert compound_key("feedback") == "feedback"
