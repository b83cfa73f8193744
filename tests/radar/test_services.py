"""The radar's services and jobs: documents in, candidates rebuilt, decisions that last."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from glossary.core.choices import Maturity, TermStatus
from glossary.core.models import (
    Candidate,
    ConceptVersion,
    CorpusDocument,
    Decision,
    DecisionStatus,
    Job,
    JobState,
    Proposal,
)
from glossary.core.workflow import WorkflowError
from glossary.radar import demo, jobs, services
from tests.radar.corpus import DATES, EARLY, LATE, LATE_ZH

pytestmark = pytest.mark.django_db


def add(user, text, name, **fields):
    return services.document_add(
        data=text.encode(), filename=name, title=fields.pop("title", name), user=user, **fields
    )


@pytest.fixture
def corpus(editor):
    add(editor, EARLY, "early.txt", published=DATES["early"])
    late = add(editor, LATE, "late.txt", published=DATES["late"])
    add(editor, LATE_ZH, "late-zh.txt", published=DATES["late"], partner=late)
    services.candidates_rebuild()


def candidate(text):
    return Candidate.objects.get(text=text)


def test_a_document_is_stored_with_its_text_and_detected_language(editor):
    document = add(editor, LATE_ZH, "zh.txt", origin="Test", url="https://example.org/zh")
    assert document.language == "zh-Hans"
    assert document.text.startswith("前沿模型安全。")
    assert document.added_by == editor


def test_a_broken_file_stores_nothing(editor):
    with pytest.raises(ValidationError) as refused:
        services.document_add(data=b"%PDF-1.4 broken", filename="a.pdf", title="x", user=editor)
    assert "broken" in str(refused.value)
    assert not CorpusDocument.objects.exists()


def test_a_pair_is_one_english_and_one_chinese_document(editor):
    early = add(editor, EARLY, "early.txt")
    with pytest.raises(ValidationError) as refused:
        add(editor, LATE, "late.txt", partner=early)
    assert "one English and one Chinese" in str(refused.value)
    zh = add(editor, LATE_ZH, "zh.txt", partner=early)
    early.refresh_from_db()
    assert (early.partner, zh.partner) == (zh, early)
    with pytest.raises(ValidationError):
        add(editor, LATE_ZH, "zh2.txt", partner=early)  # already paired
    assert CorpusDocument.objects.count() == 2


def test_reviewers_may_not_add_documents(reviewer_us):
    with pytest.raises(WorkflowError):
        add(reviewer_us, EARLY, "early.txt")


def test_rebuild_ranks_candidates_with_translations_from_the_pair(corpus):
    frontier = candidate("frontier models")
    assert frontier.first_seen == dt.date(2023, 11, 1)
    assert frontier.document_count == 2
    assert frontier.translation == "前沿模型"
    assert frontier.translation_score == 1.0
    assert candidate("前沿模型").translation == "frontier models"
    top = Candidate.objects.for_radar().first()
    assert top.text == "frontier models"


def test_published_terms_are_not_candidates(editor, published):
    add(
        editor,
        "Generative AI is new. Generative AI needs rules. Red teaming. Red teaming.",
        "a.txt",
    )
    services.candidates_rebuild()
    texts = set(Candidate.objects.values_list("text", flat=True))
    assert "red teaming" in texts
    assert not any(t.lower() == "generative ai" for t in texts)


def test_decisions_survive_a_rebuild(corpus, editor):
    services.candidate_dismiss(candidate=candidate("digital economy"), user=editor)
    services.candidate_watch(candidate=candidate("red teaming"), user=editor)
    services.candidates_rebuild()
    listed = {c.text: c.status for c in Candidate.objects.for_radar().decided()}
    assert "digital economy" not in listed
    assert listed["red teaming"] == DecisionStatus.WATCHED
    dismissed = Candidate.objects.for_radar().decided(DecisionStatus.DISMISSED)
    assert [c.text for c in dismissed] == ["digital economy"]


def test_make_a_draft_concept(corpus, editor):
    version = services.candidate_make_draft(candidate=candidate("frontier models"), user=editor)
    version = ConceptVersion.objects.with_content().get(pk=version.pk)
    assert version.concept.uid == "frontier-models"
    assert version.first_attested == "2023-11-01"
    assert version.maturity == Maturity.PROVISIONAL
    (term,) = version.terms.all()
    assert (term.language, term.text, term.status) == (
        "en",
        "frontier models",
        TermStatus.PREFERRED,
    )
    assert term.context == "Frontier models and the digital economy."
    assert "First seen: 2023-11-01." in version.note_en
    assert "Proposed translation (from aligned documents): 前沿模型." in version.note_en
    assert "- Frontier model safety. (late.txt)" in version.note_en
    decision = Decision.objects.get(key="frontier model")
    assert (decision.status, decision.draft_id) == (DecisionStatus.DRAFTED, version.pk)
    with pytest.raises(WorkflowError):
        services.candidate_make_proposal(candidate=candidate("frontier models"), user=editor)


def test_a_chinese_draft_gets_a_pinyin_identifier(corpus, editor):
    version = services.candidate_make_draft(candidate=candidate("智能体系统"), user=editor)
    assert version.concept.uid == "zhi-neng-ti-xi-tong"


def test_make_a_proposal(corpus, editor):
    proposal = services.candidate_make_proposal(candidate=candidate("前沿模型"), user=editor)
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert (proposal.term_zh_hans, proposal.term_en) == ("前沿模型", "frontier models")
    assert "前沿模型安全。" in proposal.definition
    assert proposal.definition_language == "zh-Hans"
    assert proposal.source == "late-zh.txt"
    assert Decision.objects.get(key="前沿模型").proposal == proposal


def test_the_upload_job_adds_and_rebuilds(editor):
    job = jobs.document_queue(
        user=editor,
        data=EARLY.encode(),
        filename="early.txt",
        title="Early",
        published=DATES["early"],
    )
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert job.report["candidates"] == Candidate.objects.count() > 0
    assert CorpusDocument.objects.get().title == "Early"


def test_a_refused_upload_fails_its_job_and_stores_nothing(editor):
    job = jobs.document_queue(user=editor, data=b"%PDF-1.4 x", filename="a.pdf", title="Broken")
    job = Job.objects.get(pk=job.pk)
    assert job.state == JobState.FAILED
    assert job.message == "The document was not added: The file is broken and cannot be read."
    assert not CorpusDocument.objects.exists()
    assert not Candidate.objects.exists()


def test_rebuild_job_and_command(corpus, editor):
    Candidate.objects.all().delete()
    job = Job.objects.get(pk=jobs.rebuild_queue(user=editor).pk)
    assert job.state == JobState.DONE
    assert job.done == job.total == 4
    Candidate.objects.all().delete()
    out = io.StringIO()
    call_command("radar_rebuild", stdout=out)
    assert out.getvalue().startswith("Radar rebuilt: ")
    assert Candidate.objects.exists()


def test_the_demo_corpus_loads_once(tmp_path):
    (tmp_path / "early.txt").write_text(EARLY)
    (tmp_path / "late.txt").write_text(LATE)
    (tmp_path / "late-zh.txt").write_text(LATE_ZH)
    (tmp_path / "manifest.yaml").write_text(
        "- {file: early.txt, title: Early, origin: Us, url: null, date: 2023-11-01, "
        "language: en, pair: null, licence: CC0}\n"
        "- {file: late.txt, title: Late, date: '2024-05', language: en, pair: late-zh.txt}\n"
        "- {file: late-zh.txt, title: 晚, date: 2024, language: zh-Hans, pair: late.txt}\n"
    )
    loaded = demo.load(tmp_path)
    assert (loaded.documents, loaded.skipped) == (3, False)
    late = CorpusDocument.objects.get(title="Late")
    assert late.published == dt.date(2024, 5, 1)
    assert late.partner.title == "晚"
    assert CorpusDocument.objects.get(title="Early").licence == "CC0"
    count = Candidate.objects.count()
    assert count == loaded.candidates > 0
    assert demo.load(tmp_path).skipped
    assert CorpusDocument.objects.count() == 3
