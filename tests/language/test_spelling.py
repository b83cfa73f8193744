"""English spellings of one term: case, hyphens, apostrophes and plurals (lemminflect)."""

from __future__ import annotations

import pytest

from glossary.language import same_english_spelling


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Feature", "Features"),
        ("agent", "agents"),
        ("Bias", "Biases"),
        ("criterion", "criteria"),
        ("neural network", "Neural Networks"),
        ("fine-tuning", "Fine Tuning"),
        ("fine-tuning", "finetuning"),
        ("Moore's law", "Moores Law"),
        ("Amdahl’s Law", "Amdahl's law"),
        ("logit", "logits"),
        ("LLM", "LLMs"),
        ("GPU", "GPUs"),
    ],
)
def test_spellings_of_one_term(one, other):
    assert same_english_spelling(one, other)
    assert same_english_spelling(other, one)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("agent", "actor"),
        ("train", "trained"),
        ("new", "news"),
        ("bias", "biased"),
        ("feature map", "feature"),
        ("Performance/Watt", "Performance/TCO"),
    ],
)
def test_different_terms(one, other):
    assert not same_english_spelling(one, other)
