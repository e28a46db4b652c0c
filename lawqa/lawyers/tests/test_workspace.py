"""律师工作台: questions routed to me and open ones in my areas and province, filters and sorts,
the followers waiting, what I answered and whether it was accepted; literal query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lawqa.legalai import services as legalai_services
from lawqa.legalai.models import Routing
from lawqa.questions import services as question_services
from lawqa.questions.models import Category, Question

URL = reverse("lawyers:workspace")
BODY = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"


@pytest.fixture
def other_area(db) -> Category:
    return Category.objects.get(slug="marriage-family")


def _ask(asker, area, title, *, province="", days_ago=0):
    question = question_services.create_question(
        asker=asker, title=title, detail="", category=area, province=province
    )
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    question.refresh_from_db()
    return question


def _ids(response) -> list[int]:
    return [q.pk for q in response.context["page"].object_list]


@pytest.fixture
def board(make_lawyer, make_user, area, other_area):
    """A Beijing labour lawyer; questions in their area (Beijing and Shanghai), one in another area
    routed to them, one they answered, one accepted, one closed, one in another area."""
    me = make_lawyer(areas=[area], province="北京", city="北京")
    asker = make_user()
    q = {
        "old_bj": _ask(asker, area, "公司拖欠三个月工资怎么办？", province="北京", days_ago=5),
        "new_sh": _ask(asker, area, "试用期被辞退有没有补偿？", province="上海", days_ago=1),
        "routed": _ask(asker, other_area, "离婚时公司股份怎么分割？", province="北京", days_ago=3),
        "answered_by_me": _ask(asker, area, "加班费应该怎么计算？", days_ago=2),
        "answered_by_other": _ask(asker, area, "工伤十级赔偿包括哪些项目？", days_ago=4),
        "accepted": _ask(asker, area, "竞业限制补偿金标准是多少？", days_ago=6),
        "closed": _ask(asker, area, "年终奖可以不发吗？", days_ago=7),
        "elsewhere": _ask(asker, other_area, "彩礼需要退还吗？", days_ago=8),
    }
    Routing.objects.create(question=q["routed"], lawyer=me)
    question_services.post_answer(question=q["answered_by_me"], lawyer=me, body=BODY)
    other = make_lawyer(areas=[area])
    question_services.post_answer(question=q["answered_by_other"], lawyer=other, body=BODY)
    accepted = question_services.post_answer(question=q["accepted"], lawyer=other, body=BODY)
    question_services.accept_answer(answer=accepted, by=asker)
    question_services.close_question(question=q["closed"], by=asker)
    for _ in range(3):
        question_services.set_follow(question=q["new_sh"], user=make_user(), same_question=True)
    question_services.set_follow(question=q["old_bj"], user=make_user(), notify=True)
    return me, q


def test_workspace_default_routed_and_area_questions_oldest_first(client, board):
    me, q = board
    client.force_login(me)

    response = client.get(URL)

    assert _ids(response) == [q["old_bj"].pk, q["answered_by_other"].pk, q["routed"].pk, q["new_sh"].pk]
    rows = {x.pk: x for x in response.context["page"].object_list}
    assert rows[q["routed"].pk].routed is True
    assert rows[q["old_bj"].pk].routed is False
    assert response.context["followers_waiting"] == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"sort": "same"}, ["new_sh", "old_bj", "answered_by_other", "routed"], id="sort-same"),
        pytest.param(
            {"sort": "newest"}, ["new_sh", "routed", "answered_by_other", "old_bj"], id="sort-newest"
        ),
        pytest.param(
            {"sort": "followers"}, ["new_sh", "old_bj", "answered_by_other", "routed"], id="sort-followers"
        ),
        pytest.param({"scope": "routed"}, ["routed"], id="scope-routed"),
        pytest.param({"scope": "province"}, ["old_bj"], id="scope-province"),
        pytest.param({"scope": "areas"}, ["old_bj", "answered_by_other", "new_sh"], id="scope-areas"),
        pytest.param({"status": "open"}, ["old_bj", "routed", "new_sh"], id="status-unanswered"),
    ],
)
def test_workspace_filters_and_sorts(client, board, params, expected):
    me, q = board
    client.force_login(me)

    response = client.get(URL, params)

    assert _ids(response) == [q[name].pk for name in expected]


def test_workspace_area_filter_only_my_areas(client, board, area, other_area):
    me, q = board
    client.force_login(me)

    mine = client.get(URL, {"area": area.pk})
    foreign = client.get(URL, {"area": other_area.pk})

    assert _ids(mine) == [q["old_bj"].pk, q["answered_by_other"].pk, q["new_sh"].pk]
    assert response_has_form_error(foreign)


def response_has_form_error(response) -> bool:
    return bool(response.context["form"].errors)


def test_workspace_answered_tab_shows_acceptance(client, board, make_user, area):
    me, q = board
    asker = make_user()
    mine = _ask(asker, area, "经济补偿金怎么计算？")
    answer = question_services.post_answer(question=mine, lawyer=me, body=BODY)
    question_services.accept_answer(answer=answer, by=asker, score="satisfied")
    client.force_login(me)

    response = client.get(URL, {"tab": "answered"})

    answers = list(response.context["page"].object_list)
    assert [(a.question_id, a.is_accepted) for a in answers] == [
        (mine.pk, True),
        (q["answered_by_me"].pk, False),
    ]
    html = response.content.decode()
    assert "已采纳" in html and "评价：满意" in html


def test_workspace_denied_to_askers_and_pending_lawyers(client, asker, unverified_lawyer):
    client.force_login(asker)
    assert client.get(URL).status_code == 403
    client.force_login(unverified_lawyer)
    assert client.get(URL).status_code == 403


def test_workspace_anonymous_redirected_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_workspace_held_question_not_listed(client, lawyer, asker, area):
    held = question_services.create_question(
        asker=asker, title="专业代办离婚手续，有意者加微信", detail="微信：lawyer_wang88", category=area
    )
    client.force_login(lawyer)

    assert held.pk not in _ids(client.get(URL))


def test_workspace_mute_form_returns_here(client, lawyer, area):
    client.force_login(lawyer)

    response = client.post(reverse("legalai:mute_areas"), {"muted": [str(area.pk)]}, follow=True)

    assert response.redirect_chain[-1][0] == URL
    assert [a.is_muted for a in response.context["areas"]] == [True]


def test_header_links_workspace_for_verified_lawyers(client, lawyer):
    client.force_login(lawyer)

    assert f'href="{URL}"' in client.get("/").content.decode()


def test_routed_question_listed_after_routing(client, make_lawyer, asker, area):
    me = make_lawyer(areas=[area])
    question = _ask(asker, area, "公司拖欠三个月工资怎么办？")
    legalai_services.route_question(question=question)
    client.force_login(me)

    rows = list(client.get(URL).context["page"].object_list)

    assert [(r.pk, r.routed) for r in rows] == [(question.pk, True)]


# Workspace, 待解答 tab, signed-in lawyer: 1 session, 2 user, 3 lawyer_profile (context processor),
# 4 unread notifications (header), 5 the lawyer's areas, 6 routed questions outside those areas,
# 7 COUNT of waiting questions, 8 the page of them (area and "routed to me" joined in),
# 9 followers waiting (one SUM), 10 muted areas.
WORKSPACE_WAITING = 10
# 我的回答 tab: 1–4 as above, 5 the lawyer's areas (filter form), 6 COUNT, 7 the page of answers
# with question, area and rating.
WORKSPACE_ANSWERED = 7


@pytest.mark.parametrize("n", [pytest.param(1, id="1-item"), pytest.param(4, id="4-items")])
def test_workspace_queries_constant(client, make_lawyer, make_user, area, n, django_assert_num_queries):
    me = make_lawyer(areas=[area])
    for i in range(n):
        question = _ask(make_user(), area, f"公司拖欠工资第{i}个月怎么办？")
        Routing.objects.create(question=question, lawyer=me)
        question_services.set_follow(question=question, user=make_user(), same_question=True)
        answered = _ask(make_user(), area, f"加班费第{i}次怎么算？")
        answer = question_services.post_answer(question=answered, lawyer=me, body=BODY)
        question_services.rate_answer(answer=answer, by=answered.asker, score="neutral")
    client.force_login(me)

    with django_assert_num_queries(WORKSPACE_WAITING):
        waiting = client.get(URL, {"sort": "same"})
    with django_assert_num_queries(WORKSPACE_ANSWERED):
        answered_tab = client.get(URL, {"tab": "answered"})

    assert len(waiting.context["page"].object_list) == n
    assert len(answered_tab.context["page"].object_list) == n
