"""The seed glossary passes its own term check: none of its published texts uses a term it
deprecates or supersedes."""

from __future__ import annotations

import pytest

from glossary.core.choices import FIELD_SUFFIX, Language
from glossary.core.fields import TEXT_FIELDS
from glossary.core.models import Concept, ConceptVersion, Term
from glossary.exchange import seed
from glossary.language.detect import detect
from glossary.termcheck import service
from glossary.termcheck.engine import LanguageMismatch

pytestmark = pytest.mark.django_db


def note_language(term: Term) -> str:
    """A term's note is written in English or in Chinese (then in the term's script)."""
    if detect(term.note) == Language.EN:
        return str(Language.EN)
    return term.language if term.language != Language.EN else str(detect(term.note))


def published_texts() -> list[tuple[str, str, str, str, str]]:
    """Every text the published glossary shows: (concept, where, language, text, subject).

    ``subject`` is the term a term's note is about: the note may name it (why it is
    deprecated, for example) without using it.
    """
    versions = ConceptVersion.objects.with_content().filter(
        pk__in=Concept.objects.published().values("public_version")
    )
    texts = []
    for version in versions:
        uid = version.concept.uid
        for name in TEXT_FIELDS:
            for language, suffix in FIELD_SUFFIX.items():
                text = getattr(version, f"{name}_{suffix}")
                if text:
                    texts.append((uid, f"{name}_{suffix}", str(language), text, ""))
        for term in version.terms.all():
            if term.context:
                texts.append((uid, f"context of {term.text}", term.language, term.context, ""))
            if term.note:
                texts.append(
                    (uid, f"note on {term.text}", note_language(term), term.note, term.text)
                )
    return texts


def test_the_seed_uses_none_of_the_terms_it_deprecates_or_supersedes():
    report = seed.load()
    assert report.created, "the seed glossary loaded nothing"
    texts = published_texts()
    # Every concept has a definition in each language, so at least three texts each; term
    # contexts and term notes are read too.
    assert len(texts) >= 3 * Concept.objects.published().count()
    places = {where.split(" ", 1)[0] for _, where, _, _, _ in texts}
    assert {"definition_zh_hant", "us_usage_en", "cn_usage_zh_hans", "context", "note"} <= places

    found = []
    for uid, where, language, text, subject in texts:
        try:
            result = service.check(text, language)
        except LanguageMismatch as mismatch:
            # An English note that is mostly Chinese terms reads as Chinese: check it as such.
            result = service.check(text, mismatch.detected)
        for finding in result.problems:
            if all(span.term == subject for span in finding.source):
                continue
            terms = ", ".join(span.text for span in finding.source)
            found.append(
                f"{uid} {where}: {terms!r} [{finding.concept}] {finding.verdict}, "
                f"use {finding.replacement!r}"
            )
    assert not found, "\n".join(found)


def test_the_self_check_finds_a_deprecated_term_in_a_published_text():
    """The check above can fail: a text with a deprecated term of the seed is reported."""
    seed.load()
    result = service.check("递归神经网络擅长处理序列。", Language.ZH_HANS)
    assert [(f.concept, f.verdict) for f in result.problems] == [
        ("recurrent-neural-network", "deprecated")
    ]


@pytest.mark.parametrize(
    ("source", "target", "concept"),
    [
        # Open weights are not open source (a concept of their own since 2026).
        (
            "该公司发布了开放权重模型。",
            "The company released an open-source model.",
            "open-weight-model",
        ),
        # The PRC procedure is a security assessment, not a U.S.-style safety evaluation.
        (
            "该服务上线前须完成生成式人工智能服务安全评估。",
            "The service must pass an AI model safety evaluation before launch.",
            "genai-security-assessment",
        ),
        # 境内存储 states a duty; it is no longer a name for data localisation.
        (
            "运营者应当在境内存储个人信息。",
            "Operators must store personal information in China.",
            "",
        ),
    ],
)
def test_the_seed_no_longer_accepts_a_false_equivalent(source, target, concept):
    seed.load()
    result = service.check(source, Language.ZH_HANS, target, Language.EN)
    missing = [f.concept for f in result.findings if f.verdict == "missing"]
    assert missing == ([concept] if concept else [])
