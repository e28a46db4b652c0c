"""The lawyer directory (filters) and the lawyer profile page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lawqa.lawyers.models import LawyerProfile
from lawqa.lawyers.services import reject_lawyer
from lawqa.moderation.services import set_answer_hidden
from lawqa.questions import services as question_services
from lawqa.questions.models import Category


@pytest.fixture
def lawyers(make_lawyer):
    """Three verified lawyers in different places and areas, and one pending applicant."""
    labor, traffic = Category.objects.get(slug="labor"), Category.objects.get(slug="traffic")
    return {
        "beijing_labor": make_lawyer(province="北京", city="北京", areas=[labor]),
        "shanghai_traffic": make_lawyer(province="上海", city="上海", areas=[traffic]),
        "suzhou_both": make_lawyer(province="江苏", city="苏州", areas=[labor, traffic]),
        "pending": make_lawyer(verified=False, province="北京", city="北京", areas=[labor]),
    }


def _listed(client, **params) -> list[int]:
    response = client.get(reverse("lawyers:directory"), params)
    assert response.status_code == 200
    return sorted(p.user_id for p in response.context["page"].object_list)


def _ids(lawyers, *names) -> list[int]:
    return sorted(lawyers[name].pk for name in names)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({}, ["beijing_labor", "shanghai_traffic", "suzhou_both"], id="all-verified-only"),
        pytest.param({"province": "北京"}, ["beijing_labor"], id="province"),
        pytest.param({"city": "苏州"}, ["suzhou_both"], id="city"),
        pytest.param({"city": "苏州市"}, ["suzhou_both"], id="city-with-suffix"),
        pytest.param({"area": "labor"}, ["beijing_labor", "suzhou_both"], id="area"),
        pytest.param({"area": "traffic", "province": "上海"}, ["shanghai_traffic"], id="area-and-province"),
        pytest.param({"area": "traffic", "province": "北京"}, [], id="no-match"),
    ],
)
def test_directory_filters(client, lawyers, params, expected):
    assert _listed(client, **params) == _ids(lawyers, *expected)


def test_directory_unknown_area_ignores_filters(client, lawyers):
    """A bad filter value does not error: the form is invalid and the full list is shown."""
    assert _listed(client, area="no-such-area") == _ids(
        lawyers, "beijing_labor", "shanghai_traffic", "suzhou_both"
    )


def test_directory_empty_state_message(client, lawyers):
    html = client.get(reverse("lawyers:directory"), {"province": "西藏"}).content.decode()

    assert "没有找到符合条件的律师，试试放宽筛选条件。" in html


def test_directory_orders_most_helpful_first(client, lawyers, asker, area):
    question = question_services.create_question(
        asker=asker, title="公司拖欠工资怎么办呢", detail="", category=area
    )
    question_services.post_answer(
        question=question, lawyer=lawyers["suzhou_both"], body="可以申请劳动仲裁，要求支付拖欠的工资。"
    )

    response = client.get(reverse("lawyers:directory"))

    assert response.context["page"].object_list[0].user_id == lawyers["suzhou_both"].pk


def test_profile_page_shows_stats_and_answered_questions(client, answer, lawyer, profile_of):
    profile = profile_of(lawyer)

    response = client.get(reverse("lawyers:profile", args=[lawyer.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'{profile.real_name} <span class="badge-verified">执业律师</span>' in html
    assert "<strong>1</strong>已帮助人数" in html
    assert answer.question.title in html
    assert "劳动纠纷" in html


def test_profile_page_hides_hidden_answers_questions(client, answer, lawyer, moderator):
    set_answer_hidden(answer=answer, hidden=True, by=moderator)

    html = client.get(reverse("lawyers:profile", args=[lawyer.pk])).content.decode()

    assert answer.question.title not in html


@pytest.mark.parametrize("who", ["pending", "asker"])
def test_profile_page_404_unless_verified(client, lawyers, asker, who):
    user = lawyers["pending"] if who == "pending" else asker

    response = client.get(reverse("lawyers:profile", args=[user.pk]))

    assert response.status_code == 404


def test_profile_page_demo_lawyer_marked(client, lawyer, profile_of):
    LawyerProfile.objects.filter(user=lawyer).update(is_demo=True)

    html = client.get(reverse("lawyers:profile", args=[lawyer.pk])).content.decode()

    assert "演示数据" in html
    assert "这是演示账户" in html


def test_lawyer_card_links_to_profile_and_badge_only_when_verified(
    client, answer, lawyer, admin_user, profile_of
):
    url = answer.question.get_absolute_url()
    verified_html = client.get(url).content.decode()
    reject_lawyer(profile=profile_of(lawyer), by=admin_user, reason="执业证已注销")
    rejected_html = client.get(url).content.decode()

    assert reverse("lawyers:profile", args=[lawyer.pk]) in verified_html
    assert 'class="badge-verified"' in verified_html
    assert 'class="badge-verified"' not in rejected_html
    # The profile of a lawyer who is no longer verified is a 404: the card must not link there.
    assert reverse("lawyers:profile", args=[lawyer.pk]) not in rejected_html
