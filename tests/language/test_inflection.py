"""The verb forms kept from lemminflect's dictionary answer as lemminflect itself does."""

from __future__ import annotations

import pytest

from glossary.language import inflection


@pytest.mark.parametrize(
    "lemma", ["train", "label", "predict", "okay", "zinc", "fine-tune", "backpropagate", "Train"]
)
def test_verb_forms_are_lemminflects_own(lemma: str) -> None:
    from lemminflect import getAllInflections

    expected = (
        dict(getAllInflections(lemma, upos="VERB"))
        if lemma in inflection.lemmas(lemma).get(inflection.VERB, ())
        else {}
    )
    assert inflection.verb_forms(lemma) == expected


def test_every_kept_verb_answers_as_lemminflect() -> None:
    from lemminflect import Inflections, getAllInflections

    # lemminflect's own table is let go once the verbs are kept (another test may have loaded it).
    getAllInflections("train", upos="VERB")
    inflection._verb_table.cache_clear()
    table = inflection._verb_table()
    assert len(table) > 6000
    assert not hasattr(Inflections(), "infl_dict")
    for lemma in sorted(table)[::97]:
        if lemma in inflection.lemmas(lemma).get(inflection.VERB, ()):
            assert inflection.verb_forms(lemma) == dict(getAllInflections(lemma, upos="VERB"))
    assert inflection.verb_forms("label")["VBD"] == ("labeled", "labelled")
    assert inflection.verb_forms("dataset") == {}
