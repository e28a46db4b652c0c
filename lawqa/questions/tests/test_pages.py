"""What the home, practice-area and question pages show (content and order, not layout)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lawqa.questions import services
from lawqa.questions.models import Category

BODY = "可以先向劳动监察大队投诉，也可以申请劳动仲裁。"


@pytest.fixture
def labor_questions(asker, area, lawyer):
    """Five labour questions, oldest first; the 2nd and 4th are answered."""
    made = []
    for i in range(5):
        q = services.create_question(asker=asker, title=f"劳动纠纷问题第{i}个", detail="", category=area)
        if i in (1, 3):
            services.post_answer(question=q, lawyer=lawyer, body=BODY)
        made.append(q)
    return made


def _titles(page) -> list[str]:
    return [q.title for q in page.object_list]


def test_area_page_newest_first_and_paginated(client, settings, labor_questions, area):
    settings.LAWQA_PAGE_SIZE = 2

    first = client.get(area.get_absolute_url())
    last = client.get(area.get_absolute_url(), {"page": 3})

    assert _titles(first.context["page"]) == ["劳动纠纷问题第4个", "劳动纠纷问题第3个"]
    assert _titles(last.context["page"]) == ["劳动纠纷问题第0个"]
    assert "第 1 / 3 页" in first.content.decode()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param("answered", ["劳动纠纷问题第3个", "劳动纠纷问题第1个"], id="answered"),
        pytest.param("open", ["劳动纠纷问题第4个", "劳动纠纷问题第2个", "劳动纠纷问题第0个"], id="open"),
        pytest.param("bogus", [f"劳动纠纷问题第{i}个" for i in (4, 3, 2, 1, 0)], id="unknown-is-all"),
    ],
)
def test_area_page_status_filter(client, labor_questions, area, status, expected):
    response = client.get(area.get_absolute_url(), {"status": status})

    assert _titles(response.context["page"]) == expected


def test_area_page_filter_keeps_status_in_pagination_links(client, settings, labor_questions, area):
    settings.LAWQA_PAGE_SIZE = 2

    html = client.get(area.get_absolute_url(), {"status": "open"}).content.decode()

    assert 'href="?status=open&page=2"' in html


def test_area_page_only_its_area(client, labor_questions, asker):
    traffic = Category.objects.get(slug="traffic")
    services.create_question(asker=asker, title="追尾事故责任怎么划分", detail="", category=traffic)

    response = client.get(traffic.get_absolute_url())

    assert _titles(response.context["page"]) == ["追尾事故责任怎么划分"]


def test_home_shows_areas_with_counts_latest_and_unanswered(client, labor_questions):
    response = client.get("/")

    areas = {a.slug: a.n_questions for a in response.context["areas"]}
    assert len(areas) == 20
    assert (areas["labor"], areas["traffic"]) == (5, 0)
    assert [q.title for q in response.context["latest"]][:2] == ["劳动纠纷问题第4个", "劳动纠纷问题第3个"]
    assert [q.title for q in response.context["unanswered"]] == [
        "劳动纠纷问题第4个",
        "劳动纠纷问题第2个",
        "劳动纠纷问题第0个",
    ]
    assert 'role="search"' in response.content.decode()


def test_question_page_latest_block_excludes_current_and_caps_at_20(client, asker, area):
    made = [
        services.create_question(asker=asker, title=f"最新问题测试第{i}个", detail="", category=area)
        for i in range(22)
    ]
    current = made[-1]

    response = client.get(current.get_absolute_url())

    latest = response.context["latest"]
    assert len(latest) == 20
    assert current.pk not in {q.pk for q in latest}
    assert latest[0].pk == made[-2].pk
    assert "为您推荐20个最新问题" in response.content.decode()


def test_question_page_shows_title_detail_area_date_views(client, question):
    html = client.get(question.get_absolute_url()).content.decode()

    assert f'<h1 id="q-title">{question.title}</h1>' in html
    assert question.detail in html
    assert 'href="/areas/labor/">劳动纠纷</a>' in html
    assert "1 次浏览" in html
    assert "待解答" in html


def test_question_page_escapes_user_text(client, asker, area):
    question = services.create_question(
        asker=asker, title="<b>工资</b>被拖欠怎么办", detail="<script>alert(1)</script>", category=area
    )

    html = client.get(question.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;工资&lt;/b&gt;" in html


def test_ask_view_creates_question_and_redirects(client, asker):
    client.force_login(asker)

    response = client.post(
        reverse("questions:ask"),
        {
            "title": "公司拖欠三个月工资怎么办",
            "detail": "入职两年。",
            "category": "labor",
            "is_anonymous": "on",
        },
        follow=True,
    )

    question = response.context["question"]
    assert (question.title, question.category.slug, question.is_anonymous, question.asker_id) == (
        "公司拖欠三个月工资怎么办",
        "labor",
        True,
        asker.pk,
    )
    assert "问题已发布，律师会尽快为您解答。" in response.content.decode()
