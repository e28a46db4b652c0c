"""A lawyer's practice record (answers, 采纳率, median answer time, ratings) kept by
refresh_lawyer_stats, the 推荐律师 lists ranked by it (never by payment), and the profile page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lawqa.lawyers import queries, ranking, services
from lawqa.lawyers.models import LawyerProfile
from lawqa.questions import services as question_services
from lawqa.questions.models import Answer, Category, Question

BODY = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"


def _answered(
    lawyer, asker, area, *, hours_after: float, accepted=False, score="", title="公司拖欠工资怎么办"
):
    question = question_services.create_question(asker=asker, title=title, detail="", category=area)
    answer = question_services.post_answer(question=question, lawyer=lawyer, body=BODY)
    asked = timezone.now() - dt.timedelta(days=10)
    Question.objects.filter(pk=question.pk).update(created_at=asked)
    Answer.objects.filter(pk=answer.pk).update(created_at=asked + dt.timedelta(hours=hours_after))
    if accepted:
        question_services.accept_answer(answer=answer, by=asker)
    if score:
        question_services.rate_answer(answer=answer, by=asker, score=score, comment="")
    services.refresh_lawyer_stats(lawyer_id=lawyer.pk)
    return answer


def test_refresh_lawyer_stats_median_accepted_and_ratings(lawyer, make_user, area, profile_of):
    _answered(lawyer, make_user(), area, hours_after=1, accepted=True, score="satisfied")
    _answered(lawyer, make_user(), area, hours_after=3, score="neutral")
    _answered(lawyer, make_user(), area, hours_after=30, score="unsatisfied")

    profile = profile_of(lawyer)
    assert (profile.answer_count, profile.accepted_count, profile.accepted_percent) == (3, 1, 33)
    assert profile.median_answer_minutes == 180
    assert (profile.rating_satisfied, profile.rating_neutral, profile.rating_unsatisfied) == (1, 1, 1)
    assert profile.rank_score == ranking.rank_score(
        answers=3, accepted=1, satisfied=1, neutral=1, unsatisfied=1, median_minutes=180
    )


def test_rate_answer_refreshes_profile_at_once(answer, asker, lawyer, profile_of):
    before = profile_of(lawyer).rank_score

    question_services.rate_answer(answer=answer, by=asker, score="satisfied")

    profile = profile_of(lawyer)
    assert profile.rating_satisfied == 1
    assert profile.rank_score > before


def test_hiding_answer_removes_it_from_stats(answer, lawyer, moderator, profile_of):
    from lawqa.moderation import services as moderation_services

    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)

    profile = profile_of(lawyer)
    assert (profile.answer_count, profile.median_answer_minutes, profile.rank_score) == (0, None, 0.0)


def test_rank_score_prefers_proven_record_over_single_lucky_answer():
    lucky = ranking.rank_score(
        answers=1, accepted=1, satisfied=1, neutral=0, unsatisfied=0, median_minutes=10
    )
    proven = ranking.rank_score(
        answers=60, accepted=40, satisfied=30, neutral=5, unsatisfied=5, median_minutes=300
    )

    assert proven > lucky


@pytest.fixture
def labour_lawyers(make_lawyer, make_user, area):
    """Three labour lawyers with different records (Beijing strong, Shanghai strongest, Beijing
    without answers) and one family lawyer."""
    strong = make_lawyer(areas=[area], province="北京", city="北京")
    strongest = make_lawyer(areas=[area], province="上海", city="上海")
    idle = make_lawyer(areas=[area], province="北京", city="北京")
    family = make_lawyer(areas=[Category.objects.get(slug="marriage-family")], province="北京", city="北京")
    for i in range(2):
        _answered(strong, make_user(), area, hours_after=2, accepted=i == 0, score="satisfied")
    for _ in range(3):
        _answered(strongest, make_user(), area, hours_after=1, accepted=True, score="satisfied")
    _answered(family, make_user(), Category.objects.get(slug="marriage-family"), hours_after=1, accepted=True)
    return {"strong": strong, "strongest": strongest, "idle": idle, "family": family}


def _user_ids(profiles) -> list[int]:
    return [p.user_id for p in profiles]


def test_recommended_lawyers_by_rank_only_with_answers(labour_lawyers, area):
    found = queries.recommended_lawyers(area=area)

    assert _user_ids(found) == [labour_lawyers["strongest"].pk, labour_lawyers["strong"].pk]


def test_recommended_lawyers_province_first(labour_lawyers, area):
    found = queries.recommended_lawyers(area=area, province="北京")

    assert _user_ids(found) == [labour_lawyers["strong"].pk, labour_lawyers["strongest"].pk]


def test_recommended_lawyers_city_only(labour_lawyers, area):
    assert _user_ids(queries.recommended_lawyers(area=area, city="上海市")) == [
        labour_lawyers["strongest"].pk
    ]


def test_recommended_lawyers_suspended_account_left_out(labour_lawyers, area):
    labour_lawyers["strongest"].is_active = False
    labour_lawyers["strongest"].save(update_fields=["is_active"])

    assert _user_ids(queries.recommended_lawyers(area=area)) == [labour_lawyers["strong"].pk]


def test_area_page_shows_recommended_with_rule(client, labour_lawyers, area, profile_of):
    html = client.get(area.get_absolute_url()).content.decode()

    assert "推荐劳动纠纷律师" in html
    assert profile_of(labour_lawyers["strongest"]).real_name in html
    assert "排名与付费无关" in html


def test_question_page_side_recommends_lawyers_of_question_area(
    client, labour_lawyers, make_user, area, profile_of
):
    question = question_services.create_question(
        asker=make_user(), title="试用期被辞退有没有补偿？", detail="", category=area, province="北京"
    )

    html = client.get(question.get_absolute_url()).content.decode()

    assert "推荐劳动纠纷律师" in html and "（北京优先）" in html
    assert html.index(profile_of(labour_lawyers["strong"]).real_name) < html.index(
        profile_of(labour_lawyers["strongest"]).real_name
    )


def test_directory_sort_rank(client, labour_lawyers, area):
    response = client.get(reverse("lawyers:directory"), {"area": area.slug, "sort": "rank"})

    assert _user_ids(response.context["page"].object_list)[:2] == [
        labour_lawyers["strongest"].pk,
        labour_lawyers["strong"].pk,
    ]
    assert "排名与付费无关" in response.content.decode()


def test_profile_page_shows_record_and_ratings(client, labour_lawyers):
    lawyer = labour_lawyers["strong"]

    response = client.get(reverse("lawyers:profile", args=[lawyer.pk]))

    html = response.content.decode()
    assert "采纳率50%" in html
    assert "2小时" in html
    assert "100%" in html and "2个评价" in html
    assert "最近的评价" in html


# Lawyer profile with ratings: 1 profile + user, 2 its areas, 3 COUNT of answered questions,
# 4 the page of them, 5 the latest ratings (with their questions). Stats are profile columns.
PROFILE_WITH_RATINGS = 5


@pytest.mark.parametrize("n", [pytest.param(1, id="1-answer"), pytest.param(4, id="4-answers")])
def test_profile_page_queries_constant(client, make_lawyer, make_user, area, n, django_assert_num_queries):
    lawyer = make_lawyer(areas=[area])
    for i in range(n):
        _answered(
            lawyer,
            make_user(),
            area,
            hours_after=i + 1,
            accepted=i % 2 == 0,
            score="satisfied",
            title=f"工资第{i}个月没发怎么办",
        )

    with django_assert_num_queries(PROFILE_WITH_RATINGS):
        response = client.get(reverse("lawyers:profile", args=[lawyer.pk]))

    assert len(response.context["page"].object_list) == n
    assert len(response.context["ratings"]) == n


def test_refresh_lawyer_stats_unknown_lawyer_noop(db):
    services.refresh_lawyer_stats(lawyer_id=999_999)

    assert LawyerProfile.objects.count() == 0
