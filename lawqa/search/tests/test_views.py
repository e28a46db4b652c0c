"""Search page, similar questions (htmx + API), related questions and their cache."""

import json

import pytest
from django.urls import reverse

from lawqa.moderation import services as moderation_services
from lawqa.questions import services as question_services
from lawqa.search import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(ask, lawyer, indexed):
    wage = ask("公司拖欠工资三个月怎么办", "老板一直说没钱，拖欠了三个月工资，我想要回来。")
    fired = ask("被公司辞退能拿到经济补偿金吗", "工作了三年，公司突然辞退我，没有任何补偿。")
    custody = ask("离婚后孩子抚养权归谁", "孩子两岁，男方想要抚养权。", category="marriage-family")
    question_services.post_answer(
        question=fired, lawyer=lawyer, body="可以主张经济补偿金，按工作年限每年一个月工资。"
    )
    indexed()
    return {"wage": wage, "fired": fired, "custody": custody}


def test_search_page_shows_highlighted_results(client, corpus):
    response = client.get(reverse("search:search"), {"q": "老板拖欠工资"})
    assert response.status_code == 200
    results = response.context["results"].results
    assert results[0].question == corpus["wage"]
    assert (
        "<mark>拖欠</mark>" in response.content.decode()
        or "<mark>拖欠工资</mark>" in response.content.decode()
    )


def test_search_page_colloquial_query_finds_legal_wording(client, corpus):
    response = client.get(reverse("search:search"), {"q": "被炒鱿鱼了有没有赔偿"})
    assert response.context["results"].results[0].question == corpus["fired"]


def test_search_page_filters_area_and_answered(client, corpus):
    answered = client.get(reverse("search:search"), {"q": "公司", "answered": "1"}).context["results"]
    assert [r.question for r in answered.results] == [corpus["fired"]]
    family = client.get(reverse("search:search"), {"q": "公司 孩子", "area": "marriage-family"}).context[
        "results"
    ]
    assert [r.question for r in family.results] == [corpus["custody"]]


def test_search_page_hidden_question_gone_before_indexer_runs(client, corpus, moderator):
    moderation_services.set_question_hidden(question=corpus["wage"], hidden=True, by=moderator)
    results = client.get(reverse("search:search"), {"q": "拖欠工资"}).context["results"].results
    assert corpus["wage"] not in [r.question for r in results]


def test_search_page_empty_state_suggests_words(client, corpus):
    response = client.get(reverse("search:search"), {"q": "外太空采矿权"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "没有找到" in body
    assert "热门领域" in body


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'\"",
        "(((",
        "AND OR NOT",
        "公司 AND (工资 OR",
        "title:工资",
        "😀🔥⚖️",
        "*?~^",
        "工资" * 5000,
        "",
    ],
    ids=[
        "quote",
        "quotes",
        "parens",
        "operators",
        "mixed",
        "field",
        "emoji",
        "wildcards",
        "10000-chars",
        "empty",
    ],
)
def test_search_page_odd_queries_never_error(client, corpus, q):
    response = client.get(
        reverse("search:search"), {"q": q, "page": "abc", "area": "<x>", "answered": "maybe"}
    )
    assert response.status_code == 200


def test_search_page_nul_in_query_is_400(client, corpus):
    # Refused for every URL by lawqa.common.middleware.BadURLMiddleware (issue 11).
    assert client.get(reverse("search:search"), {"q": "工资\x00"}).status_code == 400


def test_search_page_pagination(client, ask, indexed):
    for i in range(12):
        ask(f"工伤赔偿问题第{i}个", "工伤认定后怎么赔偿")
    indexed()
    first = client.get(reverse("search:search"), {"q": "工伤赔偿"}).context["results"]
    second = client.get(reverse("search:search"), {"q": "工伤赔偿", "page": 2}).context["results"]
    assert (first.total, len(first.results), len(second.results), first.num_pages) == (12, 10, 2, 2)
    assert not {r.question.pk for r in first.results} & {r.question.pk for r in second.results}


@pytest.mark.parametrize("n", [1, 3])
def test_search_page_query_count_does_not_grow(client, ask, indexed, django_assert_num_queries, n):
    for i in range(n):
        ask(f"拖欠工资问题{i}号", "公司拖欠工资")
    indexed()
    # categories for the filter, the visible questions of the page (with their area): 2 queries.
    with django_assert_num_queries(2):
        response = client.get(reverse("search:search"), {"q": "拖欠工资"})
    assert len(response.context["results"].results) == n


def test_similar_fragment_shows_answered_questions_only(client, corpus):
    response = client.get(
        reverse("search:similar"), {"title": "公司辞退我给不给补偿"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert list(response.context["similar"]) == [corpus["fired"]]
    assert "被公司辞退能拿到经济补偿金吗" in response.content.decode()


def test_similar_fragment_needs_four_characters(client, corpus):
    response = client.get(reverse("search:similar"), {"title": "辞退"})
    assert list(response.context["similar"]) == []
    assert response.content.decode().strip() == ""


def test_api_similar_questions(client, corpus):
    response = client.get("/api/v1/questions/similar", {"q": "公司辞退的经济补偿"})
    assert response.status_code == 200
    data = response.json()
    assert [row["id"] for row in data] == [corpus["fired"].pk]
    assert data[0]["url"] == corpus["fired"].get_absolute_url()


def test_api_similar_questions_short_or_odd_query_is_empty(client, corpus):
    assert client.get("/api/v1/questions/similar", {"q": '"('}).json() == []


def test_related_questions_excludes_itself_and_prefers_content(ask, corpus, indexed):
    other_wage = ask("单位拖欠工资不给怎么办", "拖欠了两个月工资")
    indexed()
    related = queries.related_questions(corpus["wage"], limit=10)
    assert corpus["wage"] not in related
    assert related[0] == other_wage


def test_related_questions_cached_and_invalidated_on_change(ask, corpus, indexed, moderator):
    first = queries.related_questions(corpus["wage"])
    newcomer = ask("拖欠工资三个月申请劳动仲裁", "公司拖欠工资三个月")
    indexed()
    assert queries.related_questions(corpus["wage"]) == first  # cached
    question_services.change_category(question=corpus["wage"], category="contract", by=moderator)
    corpus["wage"].refresh_from_db()
    assert newcomer in queries.related_questions(corpus["wage"])


def test_related_questions_hidden_one_drops_out_at_once(corpus, moderator):
    related = queries.related_questions(corpus["fired"])
    assert corpus["wage"] in related
    moderation_services.set_question_hidden(question=corpus["wage"], hidden=True, by=moderator)
    assert corpus["wage"] not in queries.related_questions(corpus["fired"])


def test_search_questions_command_jsonl(corpus, monkeypatch, capsys):
    import io
    import sys

    from django.core.management import call_command

    lines = [
        json.dumps({"id": "a", "query": "被炒鱿鱼有补偿吗"}, ensure_ascii=False),
        "not json",
        json.dumps({"query": "x"}),
        json.dumps({"id": "b", "query": 5}),
        json.dumps({"id": "c", "query": "外太空采矿"}, ensure_ascii=False),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    call_command("search_questions", "--k", "3", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["id"] == "a"
    assert rows[0]["results"][0] == {
        "question_id": corpus["fired"].pk,
        "source_id": None,
        "title": corpus["fired"].title,
    }
    assert rows[1] == {"line": 2, "error": rows[1]["error"]}
    assert rows[2] == {"line": 3, "error": "missing id"}
    assert rows[3]["id"] == "b" and "error" in rows[3]
    assert rows[4] == {"id": "c", "results": []}
