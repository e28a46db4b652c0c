"""写作助手 of the answer form: suggested articles as citations the check accepts, the lawyer's own
earlier answers to similar questions (semantic via the stored vectors, else lexical, else none)."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from lawqa.lawyers import drafting
from lawqa.legalai import services as legalai_services
from lawqa.legalai.suggester import Suggestion
from lawqa.questions import services as question_services
from lawqa.search import vectors
from lawqa.statutes import services as statute_services
from lawqa.statutes.tests.conftest import library_records

BODY = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"


@pytest.fixture
def library(db):
    statute_services.reset_law_table()
    statute_services.import_library(records=library_records())
    yield
    statute_services.reset_law_table()


@pytest.fixture
def suggestions(monkeypatch):
    fixed = [
        Suggestion(law="中华人民共和国劳动合同法", article=38, sub=0, score=0.9, law_name="劳动合同法"),
        Suggestion(law="中华人民共和国刑法", article=133, sub=1, score=0.2, law_name="刑法"),
    ]
    monkeypatch.setattr(legalai_services, "suggest_articles", lambda text, k=5, **kw: fixed[:k])


def test_suggested_citations_are_checked_ok(library, suggestions, question):
    legalai_services.store_suggestions(question_id=question.pk)  # the background job
    found = drafting.suggested_citations(question)

    assert [c.citation for c in found] == ["《劳动合同法》第三十八条", "《刑法》第一百三十三条之一"]
    assert all(c.url for c in found)
    checked = statute_services.check_citations("".join(c.citation for c in found))
    assert [(c.law, c.article, c.sub, c.status) for c in checked] == [
        ("劳动合同法", 38, 0, "ok"),
        ("刑法", 133, 1, "ok"),
    ]


@pytest.fixture
def history(lawyer, make_user, area):
    """The lawyer answered a wage question, a dismissal question and a divorce question."""
    titles = ["公司拖欠三个月工资不发怎么办", "试用期被公司无故辞退有没有补偿", "离婚时房产应该怎么分割"]
    answers = {}
    for title in titles:
        q = question_services.create_question(asker=make_user(), title=title, detail="", category=area)
        answers[title] = question_services.post_answer(question=q, lawyer=lawyer, body=BODY + title)
    return answers


def test_similar_own_answers_lexical_without_vectors(history, lawyer, make_user, area):
    question = question_services.create_question(
        asker=make_user(), title="公司拖欠两个月工资不发怎么办", detail="", category=area
    )

    found, method = drafting.similar_own_answers(question, lawyer)

    assert method == "lexical"
    assert [a.question.title for a in found] == ["公司拖欠三个月工资不发怎么办"]


def test_similar_own_answers_semantic_with_vectors(history, lawyer, make_user, area, monkeypatch):
    question = question_services.create_question(
        asker=make_user(), title="老板一直不给发薪水", detail="", category=area
    )
    wage = history["公司拖欠三个月工资不发怎么办"].question_id
    dismissal = history["试用期被公司无故辞退有没有补偿"].question_id
    close = np.array([1.0, 0.0], dtype=np.float32)
    near = np.array([0.96, 0.28], dtype=np.float32)
    far = np.array([0.0, 1.0], dtype=np.float32)
    stored = {question.pk: close, wage: near, dismissal: far}
    monkeypatch.setattr(vectors, "question_vector", lambda qid: stored.get(qid))

    found, method = drafting.similar_own_answers(question, lawyer)

    assert method == "semantic"
    assert [a.question_id for a in found] == [wage]


def test_similar_own_answers_nothing_close(history, lawyer, make_user, area):
    question = question_services.create_question(
        asker=make_user(), title="邻居装修噪音太大可以起诉吗", detail="", category=area
    )

    assert drafting.similar_own_answers(question, lawyer) == ([], "")


def test_similar_own_answers_only_mine(history, make_lawyer, make_user, area):
    question = question_services.create_question(
        asker=make_user(), title="公司拖欠两个月工资不发怎么办", detail="", category=area
    )

    assert drafting.similar_own_answers(question, make_lawyer()) == ([], "")


def test_draft_help_view_renders_insert_buttons(
    client, library, suggestions, history, lawyer, make_user, area
):
    question = question_services.create_question(
        asker=make_user(), title="公司拖欠两个月工资不发怎么办", detail="", category=area
    )
    legalai_services.store_suggestions(question_id=question.pk)  # the background job
    client.force_login(lawyer)

    response = client.get(reverse("lawyers:draft_help", args=[question.pk]))

    html = response.content.decode()
    assert 'data-insert-text="《劳动合同法》第三十八条"' in html
    assert "公司拖欠三个月工资不发怎么办" in html
    assert f'data-insert-text="{BODY}公司拖欠三个月工资不发怎么办"' in html


def test_draft_help_view_denied_to_askers(client, asker, question):
    client.force_login(asker)

    assert client.get(reverse("lawyers:draft_help", args=[question.pk])).status_code == 403


def test_answer_form_loads_draft_help_for_lawyers_only(client, question, lawyer, asker):
    url = reverse("lawyers:draft_help", args=[question.pk])
    client.force_login(lawyer)
    as_lawyer = client.get(question.get_absolute_url()).content.decode()
    client.force_login(asker)
    as_asker = client.get(question.get_absolute_url()).content.decode()

    assert f'hx-get="{url}"' in as_lawyer and "js/answer_help.js" in as_lawyer
    assert url not in as_asker
