import pytest
from django.urls import reverse

from lawqa.questions import services as question_services
from lawqa.statutes import services


def test_law_index_lists_by_level_with_search(client, statutes, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get("/laws/", {"q": "劳动"})
    assert response.status_code == 200
    assert "中华人民共和国劳动合同法" in response.content.decode()
    assert "中华人民共和国民法典" not in response.content.decode()


def test_law_page_shows_toc_and_articles(client, statutes, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(reverse("statutes:law", args=["民法典"]))
    html = response.content.decode()
    assert '<a href="#第一千零三十八条">第六章 隐私权和个人信息保护</a>' in html
    assert "第一千二百六十条" in html


def test_law_page_of_repealed_law_says_so(client, statutes):
    html = client.get(reverse("statutes:law", args=["婚姻法"])).content.decode()
    assert "本法已于2021年1月1日废止" in html
    assert "《民法典》" in html


@pytest.mark.parametrize("n_citing", [1, 3])
def test_article_page_constant_queries(
    client, statutes, question, make_lawyer, n_citing, django_assert_num_queries
):
    for _ in range(n_citing):
        question_services.post_answer(
            question=question,
            lawyer=make_lawyer(),
            body="依据《民法典》第一千零三十八条，个人信息应当保密处理。",
        )
    with django_assert_num_queries(3):
        response = client.get(reverse("statutes:article", args=["民法典", "1038"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "引用本条的问答" in html
    assert question.title in html
    assert "‹ 第二条" in html and "第一千零三十九条 ›" in html


def test_article_page_sub_article(client, statutes):
    response = client.get("/laws/刑法/133-1/")
    assert "《中华人民共和国刑法》第一百三十三条之一" in response.content.decode()


@pytest.mark.parametrize("path", ["/laws/民法典/9999/", "/laws/民法典/abc/", "/laws/没有这部法/"])
def test_law_pages_404(client, statutes, path):
    assert client.get(path).status_code == 404


def test_citation_check_partial_lists_statuses(client, statutes):
    response = client.post(
        reverse("statutes:citation_check"),
        {"body": "《民法典》第一千零三十八条，《婚姻法》第三十二条"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "共找到 2 处引用" in html
    assert "已废止" in html


def test_citation_check_requires_post(client, statutes):
    assert client.get(reverse("statutes:citation_check")).status_code == 405


@pytest.mark.parametrize("n_citations", [1, 5])
def test_answer_with_citations_renders_constant_queries(statutes, n_citations, django_assert_num_queries):
    text = "、".join(f"《民法典》第{n}条" for n in (1, 2, 1038, 1039, 1260)[:n_citations])
    services.library()  # warm the per-process table
    with django_assert_num_queries(2):
        services.render_answer_html(text)


def _question_page_queries(client, question) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(question.get_absolute_url())
    return len(ctx.captured_queries), response.content.decode()


def test_question_page_with_cited_answer_constant_queries(client, statutes, question, lawyer, make_lawyer):
    question_services.post_answer(
        question=question, lawyer=lawyer, body="依据《民法典》第一千零三十八条处理即可。"
    )
    one, _ = _question_page_queries(client, question)
    body = "、".join(f"《民法典》第{n}条" for n in (1, 2, 1038, 1039, 1260)) + "，另见《婚姻法》第三十二条。"
    question_services.post_answer(question=question, lawyer=make_lawyer(), body=body)
    five, html = _question_page_queries(client, question)
    assert five == one
    assert 'class="cite cite-ok"' in html
    assert "（已废止）" in html
