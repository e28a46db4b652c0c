"""已有律师解答的相关问题 on the search page: when the first results are mostly still waiting for an
answer, the closest answered questions are shown above them with the start of their best answer;
never when the results already hold answers, for other pages, filters, hidden answers, or unrelated
questions."""

import pytest
from django.urls import reverse

from lawqa.moderation import services as moderation_services
from lawqa.questions import services as question_services
from lawqa.search import queries, vectors

pytestmark = pytest.mark.django_db

QUERY = "公司拖欠工资怎么办"
WAGE_ANSWER = (
    "## 建议\n\n1. **先收集证据**：考勤、工资条、聊天记录。\n2. 向劳动监察大队投诉，或申请劳动仲裁。"
)


@pytest.fixture
def waiting_corpus(ask, make_lawyer, indexed, monkeypatch):
    """Three open wage questions that match the query best, an answered one that says it in other
    words (two answers, the accepted one best), and an answered custody question (unrelated)."""
    monkeypatch.setattr(queries, "SEARCH_ANSWERED_LOOKED", 3)
    opened = [
        ask("公司拖欠工资三个月怎么办", "老板一直说没钱，拖欠了三个月工资。"),
        ask("公司拖欠工资不给怎么办", "辞职以后公司拖欠最后一个月工资不给。"),
        ask("公司拖欠工资半年了怎么办", "公司效益不好，拖欠工资半年了。"),
    ]
    lawyers = [make_lawyer(), make_lawyer()]
    wages = ask("单位好几个月不发薪水，能去仲裁吗", "单位一直拖着不发薪水，说等回款。")
    question_services.post_answer(question=wages, lawyer=lawyers[0], body="可以去劳动仲裁委员会申请仲裁。")
    best = question_services.post_answer(question=wages, lawyer=lawyers[1], body=WAGE_ANSWER)
    question_services.accept_answer(answer=best, by=wages.asker)
    custody = ask("离婚后孩子抚养权归谁", "孩子两岁，男方想要抚养权。", category="marriage-family")
    question_services.post_answer(question=custody, lawyer=lawyers[0], body="两周岁以下的子女原则上随母亲。")
    indexed()
    vectors.reset_reader()
    return {"opened": opened, "wages": wages, "best": best, "custody": custody}


def test_waiting_results_show_answered_matches(client, waiting_corpus, django_assert_num_queries):
    # categories, the page's questions, the answered matches' answers (with question and lawyer).
    with django_assert_num_queries(3):
        response = client.get(reverse("search:search"), {"q": QUERY})
    results = [r.question for r in response.context["results"].results]
    assert set(results[:3]) == set(waiting_corpus["opened"])
    matches = response.context["answered_matches"]
    assert [m.answer for m in matches] == [waiting_corpus["best"]]  # the accepted answer, custody left out
    assert matches[0].excerpt.startswith("建议 先收集证据：考勤、工资条、聊天记录。")
    page = response.content.decode()
    assert "已有律师解答的相关问题" in page
    assert waiting_corpus["best"].get_absolute_url() in page
    assert "answered=1" in page  # 只看已解答的问题


def test_no_answered_matches_when_results_already_answered(client, waiting_corpus, monkeypatch):
    question_services.post_answer(
        question=waiting_corpus["opened"][0],
        lawyer=waiting_corpus["best"].lawyer,
        body="可以向劳动争议仲裁委员会申请劳动仲裁。",
    )
    question_services.post_answer(
        question=waiting_corpus["opened"][1],
        lawyer=waiting_corpus["best"].lawyer,
        body="可以向当地劳动保障监察大队投诉。",
    )
    response = client.get(reverse("search:search"), {"q": QUERY})
    assert response.context["answered_matches"] == []
    assert "已有律师解答的相关问题" not in response.content.decode()


def test_no_answered_matches_with_status_filter_or_on_later_pages(client, waiting_corpus):
    for answered in ("0", "1"):
        response = client.get(reverse("search:search"), {"q": QUERY, "answered": answered})
        assert response.context["answered_matches"] == []
    results = queries.search_questions(QUERY)
    results.page = 2
    assert queries.answered_matches(results) == []


def test_hidden_answer_drops_out_at_once(client, waiting_corpus, moderator):
    moderation_services.set_answer_hidden(answer=waiting_corpus["best"], hidden=True, by=moderator)
    matches = client.get(reverse("search:search"), {"q": QUERY}).context["answered_matches"]
    assert [m.answer.body for m in matches] == ["可以去劳动仲裁委员会申请仲裁。"]
    moderation_services.set_question_hidden(question=waiting_corpus["wages"], hidden=True, by=moderator)
    assert client.get(reverse("search:search"), {"q": QUERY}).context["answered_matches"] == []


def test_without_the_model_no_answered_matches_and_the_page_serves(client, waiting_corpus, monkeypatch):
    monkeypatch.setattr(vectors, "embed_query", lambda text: None)
    queries._vector_cache.clear()
    response = client.get(reverse("search:search"), {"q": QUERY})
    assert response.status_code == 200
    assert response.context["results"].results
    assert response.context["answered_matches"] == []


def test_broken_answered_ranking_keeps_the_results(client, waiting_corpus, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("index gone in this test")

    monkeypatch.setattr(queries, "answered_matches", broken)
    response = client.get(reverse("search:search"), {"q": QUERY})
    assert response.status_code == 200
    assert {r.question for r in response.context["results"].results[:3]} == set(waiting_corpus["opened"])
    assert response.context["answered_matches"] == []
