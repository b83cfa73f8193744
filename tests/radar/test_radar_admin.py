"""The radar in the admin: the upload page, the list, a candidate's page and its decisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.core.models import Candidate, ConceptVersion, CorpusDocument, Decision, Job, JobState
from glossary.radar import services
from tests.radar.corpus import DATES, EARLY, LATE, LATE_ZH

pytestmark = pytest.mark.django_db


def add(user, text, name, **fields):
    return services.document_add(data=text.encode(), filename=name, title=name, user=user, **fields)


@pytest.fixture
def corpus(editor):
    add(editor, EARLY, "early.txt", published=DATES["early"])
    late = add(editor, LATE, "late.txt", published=DATES["late"])
    add(editor, LATE_ZH, "late-zh.txt", published=DATES["late"], partner=late)
    services.candidates_rebuild()


def test_reviewers_do_not_see_the_radar(client, reviewer_us):
    client.force_login(reviewer_us)
    assert client.get("/admin/glossary/candidate/").status_code == 403
    assert client.get("/admin/glossary/corpusdocument/upload/").status_code == 403


def test_upload_queues_a_job_that_adds_the_document(client, editor):
    client.force_login(editor)
    page = client.get("/admin/glossary/corpusdocument/upload/").content.decode()
    assert "detect from the text" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/admin/glossary/corpusdocument/upload/",
        {
            "file": SimpleUploadedFile("late.txt", LATE.encode(), "text/plain"),
            "title": "Late",
            "published": "2024-05-20",
            "language": "",
        },
    )
    job = Job.objects.get()
    assert response["Location"] == f"/admin/glossary/job/{job.pk}/change/"
    assert job.state == JobState.DONE
    page = client.get(response["Location"]).content.decode()
    assert "/admin/glossary/candidate/" in page
    assert CorpusDocument.objects.get().language == "en"


def test_the_list_costs_the_same_at_any_size(client, editor, corpus):
    client.force_login(editor)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = ["/admin/glossary/candidate/", "/admin/glossary/candidate/?language=zh&status=all"]
    few = [queries(url) for url in urls]
    Candidate.objects.bulk_create(
        Candidate(
            key=f"term {n}", text=f"term {n}", language="en", score=1, count=2,
            document_count=1, background=1e-8,
        )
        for n in range(40)
    )  # fmt: skip
    Decision.objects.create(
        key="term 1", language="en", text="term 1", status="watched", decided_at="2024-01-01T00:00Z"
    )
    assert [queries(url) for url in urls] == few


def test_list_filters_by_language_and_decision(client, editor, corpus):
    client.force_login(editor)
    services.candidate_dismiss(candidate=Candidate.objects.get(text="digital economy"), user=editor)
    page = client.get("/admin/glossary/candidate/").content.decode()
    assert ">frontier models</a>" in page and ">前沿模型</a>" in page
    assert "digital economy" not in page
    page = client.get("/admin/glossary/candidate/?language=zh").content.decode()
    assert ">前沿模型</a>" in page and ">frontier models</a>" not in page
    page = client.get("/admin/glossary/candidate/?status=dismissed").content.decode()
    assert ">digital economy</a>" in page and ">frontier models</a>" not in page


def test_a_candidate_page_and_its_decisions(client, editor, corpus):
    client.force_login(editor)
    frontier = Candidate.objects.get(text="frontier models")
    url = f"/admin/glossary/candidate/{frontier.pk}/change/"
    page = client.get(url).content.decode()
    for shown in [
        "2023-11",
        "2024-05",
        "early.txt",
        "late.txt",
        "前沿模型",
        "Make a draft concept",
    ]:
        assert shown in page
    assert client.get(f"/admin/glossary/candidate/{frontier.pk}/decide/draft/").status_code == 405
    response = client.post(
        f"/admin/glossary/candidate/{frontier.pk}/decide/draft/", {"uid": "frontier-model"}
    )
    version = ConceptVersion.objects.get(concept__uid="frontier-model")
    assert response["Location"] == f"/admin/glossary/conceptversion/{version.pk}/change/"
    page = client.get(url).content.decode()
    assert "Make a draft concept" not in page and "the draft" in page
    # A second draft is refused with a message, and nothing is made.
    response = client.post(f"/admin/glossary/candidate/{frontier.pk}/decide/proposal/", follow=True)
    assert "already made into a proposal or a draft" in response.content.decode()

    red = Candidate.objects.get(text="red teaming")
    client.post(f"/admin/glossary/candidate/{red.pk}/decide/watch/")
    assert "watched" in client.get("/admin/glossary/candidate/").content.decode()
    client.post(f"/admin/glossary/candidate/{red.pk}/decide/dismiss/")
    assert ">red teaming</a>" not in client.get("/admin/glossary/candidate/").content.decode()
    response = client.post(f"/admin/glossary/candidate/{red.pk}/decide/nonsense/")
    assert response.status_code == 403
