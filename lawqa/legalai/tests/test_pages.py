"""legalai pages and commands: ask assist, question-page block, 待解答 dashboard, batch commands."""

import io
import json
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from lawqa.embeddings.texts import digest
from lawqa.legalai.models import MutedArea
from lawqa.questions import services as question_services
from lawqa.statutes.models import Article, Law


@pytest.fixture
def civil_code(db):
    law = Law.objects.create(
        source_id="civil-code",
        slug="minfadian",
        name="民法典",
        title="中华人民共和国民法典",
        level="法律",
        is_current=True,
    )
    Article.objects.create(
        law=law, number=1084, sub=0, position=1, text="父母与子女间的关系，不因父母离婚而消除。"
    )
    Article.objects.create(
        law=law, number=1079, sub=0, position=2, text="夫妻一方要求离婚的，可以由有关组织进行调解。"
    )
    return law


def test_ask_assist_preselects_area_and_lists_articles(client, small_models, civil_code):
    response = client.post(
        reverse("legalai:ask_assist"),
        {"title": "离婚后孩子归谁抚养", "detail": "我想离婚，孩子还小", "category": ""},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "婚姻家庭" in html
    assert 'hx-swap-oob="true"' in html
    assert "可能相关的法律规定" in html
    assert "/laws/minfadian/" in html
    assert "不构成法律意见" in html


def test_ask_assist_keeps_the_askers_choice(client, small_models, civil_code):
    response = client.post(
        reverse("legalai:ask_assist"), {"title": "离婚后孩子归谁抚养", "detail": "", "category": "labor"}
    )

    assert 'hx-swap-oob="true"' not in response.content.decode()


def test_ask_assist_is_rate_limited(client, db, small_models, settings):
    settings.LAWQA_RATE_LIMITS = {**settings.LAWQA_RATE_LIMITS, "ask_assist": (2, 3600)}
    data = {"title": "离婚后孩子归谁抚养", "detail": ""}
    statuses = [client.post(reverse("legalai:ask_assist"), data).status_code for _ in range(3)]
    short = client.post(reverse("legalai:ask_assist"), {"title": "离婚", "detail": ""})

    assert statuses == [200, 200, 429]
    assert short.status_code == 200  # too short to rank: not counted, not refused


def test_ask_assist_short_text_is_empty(client, small_models):
    response = client.post(reverse("legalai:ask_assist"), {"title": "离婚", "detail": ""})

    assert response.content.decode().strip() == ""


def divorce_question(asker):
    return question_services.create_question(
        asker=asker,
        title="离婚后孩子的抚养权归谁？",
        detail="结婚五年，准备离婚。",
        category="marriage-family",
    )


def test_question_page_shows_stored_suggestions_and_never_ranks_on_the_request(
    client, small_models, civil_code, asker, monkeypatch, django_capture_on_commit_callbacks
):
    from lawqa.legalai import services
    from lawqa.legalai.models import StoredSuggestions

    question = divorce_question(asker)  # its routing task is not run here
    real_suggest = services.suggest_articles

    def not_on_the_request(*args, **kwargs):
        raise AssertionError("a page request ranked the suggestions")

    monkeypatch.setattr(services, "suggest_articles", not_on_the_request)
    with django_capture_on_commit_callbacks() as jobs:
        html = client.get(question.get_absolute_url()).content.decode()
    assert "可能相关的法律规定" not in html  # nothing stored yet: no block, no ranking here
    assert len(jobs) == 1 and StoredSuggestions.objects.count() == 0  # the ranking job, recorded
    with django_capture_on_commit_callbacks() as again:
        client.get(question.get_absolute_url())
    assert again == []  # recorded once, not once per view

    monkeypatch.setattr(services, "suggest_articles", real_suggest)
    jobs[0]()  # the worker runs it
    monkeypatch.setattr(services, "suggest_articles", not_on_the_request)
    html = client.get(question.get_absolute_url()).content.decode()

    assert "可能相关的法律规定" in html
    assert "《中华人民共和国民法典》第一千零八十四条" in html
    assert StoredSuggestions.objects.get(question=question).text_hash == digest(
        services.question_text(question)
    )


def test_edited_question_keeps_its_suggestions_until_ranked_again(
    client, small_models, civil_code, asker, django_capture_on_commit_callbacks
):
    from lawqa.legalai import services
    from lawqa.legalai.models import StoredSuggestions
    from lawqa.questions.models import Question

    question = divorce_question(asker)
    assert services.store_suggestions(question_id=question.pk)
    Question.objects.filter(pk=question.pk).update(title="离婚时孩子跟谁？", detail="协议离婚，孩子三岁。")
    question.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True) as jobs:
        html = client.get(question.get_absolute_url()).content.decode()

    assert "《中华人民共和国民法典》第一千零八十四条" in html  # the older ranking meanwhile
    assert len(jobs) == 1  # and the job that ranks the new text, which ran
    assert StoredSuggestions.objects.get(question=question).text_hash == digest(
        "离婚时孩子跟谁？\n协议离婚，孩子三岁。"
    )


def test_no_ranking_job_before_the_models_are_trained(
    client, asker, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.LAWQA_LEGALAI_DIR = tmp_path / "untrained"
    question = divorce_question(asker)
    with django_capture_on_commit_callbacks() as jobs:
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200 and jobs == []


def test_routing_task_ranks_suggestions_before_the_first_page_view(
    client, small_models, civil_code, asker, monkeypatch, django_capture_on_commit_callbacks
):
    from lawqa.legalai import services

    with django_capture_on_commit_callbacks(execute=True):  # the routing task runs here
        question = question_services.create_question(
            asker=asker,
            title="离婚后孩子的抚养权归谁？",
            detail="结婚五年，准备离婚。",
            category="marriage-family",
        )

    def not_again(*args, **kwargs):
        raise AssertionError("the page ranked the suggestions again")

    monkeypatch.setattr(services, "suggest_articles", not_again)
    html = client.get(question.get_absolute_url()).content.decode()

    assert "《中华人民共和国民法典》第一千零八十四条" in html


def test_pending_old_url_redirects_to_workspace(client, lawyer):
    client.force_login(lawyer)

    response = client.get(reverse("legalai:pending"))

    assert response.status_code == 301
    assert response["Location"] == reverse("lawyers:workspace")


def test_mute_areas_saves_and_unmutes(client, lawyer, area):
    client.force_login(lawyer)

    saved = client.post(reverse("legalai:mute_areas"), {"muted": [str(area.pk)]})
    muted = list(MutedArea.objects.filter(lawyer=lawyer).values_list("category_id", flat=True))
    client.post(reverse("legalai:mute_areas"), {})

    assert saved["Location"] == reverse("lawyers:workspace")
    assert muted == [area.pk]
    assert MutedArea.objects.filter(lawyer=lawyer).count() == 0


def test_mute_areas_denied_to_askers(client, asker, area):
    client.force_login(asker)

    response = client.post(reverse("legalai:mute_areas"), {"muted": [str(area.pk)]})

    assert response.status_code == 403
    assert MutedArea.objects.count() == 0


def _run(command, lines, monkeypatch, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_classify_questions_command(small_models, monkeypatch):
    rows = _run(
        "classify_questions",
        [
            json.dumps({"id": "a", "question": "我要离婚，孩子抚养权归谁"}),
            "not json",
            json.dumps({"id": "b"}),
        ],
        monkeypatch,
    )

    assert rows[0]["id"] == "a"
    assert rows[0]["category"] == "婚姻家庭"
    assert 0 <= rows[0]["confidence"] <= 1
    assert rows[1]["line"] == 2
    assert "error" in rows[1]
    assert rows[2]["id"] == "b"
    assert "error" in rows[2]


def test_suggest_articles_command(small_models, monkeypatch):
    rows = _run(
        "suggest_articles", [json.dumps({"id": "q", "question": "离婚以后孩子抚养"})], monkeypatch, "--k", "2"
    )

    assert rows[0]["id"] == "q"
    assert len(rows[0]["articles"]) == 2
    assert set(rows[0]["articles"][0]) == {"law", "article", "sub", "score"}


def test_suggest_articles_exclude_self(small_models, monkeypatch):
    line = json.dumps({"id": "known-1", "question": "楼上空调外机掉下来砸坏了我的车"})
    with_self = _run("suggest_articles", [line], monkeypatch)
    without = _run("suggest_articles", [line], monkeypatch, "--exclude-self")

    def score_of_1253(rows):
        return next((a["score"] for a in rows[0]["articles"] if a["article"] == 1253), 0.0)

    assert with_self[0]["articles"][0]["article"] == 1253
    assert score_of_1253(without) < score_of_1253(with_self)


def test_question_page_serves_when_the_ranking_job_cannot_be_recorded(
    client, small_models, asker, monkeypatch, caplog
):
    from django.db import DatabaseError

    from lawqa.common import taskqueue

    question = divorce_question(asker)

    def broken(*args, **kwargs):
        raise DatabaseError("task table away")

    monkeypatch.setattr(taskqueue, "enqueue", broken)
    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert "离婚后孩子的抚养权归谁？" in response.content.decode()
    assert "could not record the ranking job" in caplog.text
