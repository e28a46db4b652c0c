"""Anonymous asking: the asker's name appears nowhere public."""

import pytest
from django.urls import reverse

from lawqa.questions import services as question_services
from lawqa.search import index


@pytest.fixture
def anonymous_question(make_user, area, lawyer, settings, tmp_path):
    settings.LAWQA_INDEX_DIR = tmp_path / "index"
    index.reset_reader()
    asker = make_user(nickname="张秘密")
    question = question_services.create_question(
        asker=asker,
        title="离婚时对方隐瞒财产怎么办",
        detail="结婚八年，发现对方转移了共同存款。",
        category=area,
        is_anonymous=True,
    )
    answer = question_services.post_answer(
        question=question, lawyer=lawyer, body="可以在离婚诉讼中申请法院调查对方的银行流水。"
    )
    question_services.add_followup(answer=answer, author=asker, body="调查令怎么申请？")
    index.apply_outbox()
    index.reset_reader()
    yield question, asker
    index.reset_reader()


def _public_pages(client, question):
    return {
        "question": client.get(question.get_absolute_url()),
        "home": client.get(reverse("home")),
        "area": client.get(question.category.get_absolute_url()),
        "search": client.get("/search/", {"q": "隐瞒财产"}),
        "api_detail": client.get(f"/api/v1/questions/{question.pk}"),
        "api_list": client.get("/api/v1/questions"),
    }


def test_anonymous_question_shows_no_name_anywhere_public(client, anonymous_question):
    question, asker = anonymous_question

    pages = _public_pages(client, question)

    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(pages, 200)
    assert "匿名用户" in pages["question"].content.decode()
    assert pages["api_detail"].json()["asker"] == "匿名用户"
    for name, response in pages.items():
        html = response.content.decode()
        assert asker.nickname not in html, name
        assert asker.username not in html, name
    assert question.get_absolute_url() in pages["search"].content.decode()


def test_anonymous_question_hidden_from_name_also_for_other_signed_in_users(
    client, anonymous_question, lawyer
):
    question, asker = anonymous_question
    client.force_login(lawyer)

    html = client.get(question.get_absolute_url()).content.decode()

    assert asker.nickname not in html
    assert asker.username not in html


def test_named_question_shows_the_nickname(client, asker, area):
    question = question_services.create_question(
        asker=asker, title="公司拖欠工资三个月怎么办", detail="", category=area
    )

    assert asker.nickname in client.get(question.get_absolute_url()).content.decode()
