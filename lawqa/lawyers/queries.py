from __future__ import annotations

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from lawqa.accounts.models import User
from lawqa.legalai.models import Routing
from lawqa.questions.models import Answer, Category, Question

from .models import LawyerProfile


def verified_lawyers(
    *, province: str = "", city: str = "", area: Category | None = None, sort: str = ""
) -> QuerySet[LawyerProfile]:
    """The lawyer directory: verified lawyers, most helpful first (`sort` "rank": by 推荐分, as
    the 推荐律师 lists), with their areas prefetched."""
    qs = LawyerProfile.objects.filter(status=LawyerProfile.Status.VERIFIED, user__is_active=True)
    if province:
        qs = qs.filter(province=province)
    if city:
        qs = qs.filter(city__startswith=city.removesuffix("市"))
    if area is not None:
        qs = qs.filter(areas=area)
    return (
        qs.select_related("user")
        .prefetch_related(Prefetch("areas", Category.objects.order_by("order")))
        .order_by(*(("-rank_score", "id") if sort == "rank" else ("-helped_count", "-answer_count", "id")))
    )


def profile_page(user_id: int) -> LawyerProfile:
    return (
        LawyerProfile.objects.select_related("user")
        .prefetch_related("areas")
        .get(user_id=user_id, status=LawyerProfile.Status.VERIFIED)
    )


# --- 推荐律师 ----------------------------------------------------------------------------------


def recommended_lawyers(
    *, area: Category, province: str = "", city: str = "", limit: int = 5
) -> list[LawyerProfile]:
    """推荐律师 of a practice area: verified, active lawyers of the area who have answered, by
    their 推荐分 (lawyers.ranking; never by payment); with `province`, that province's lawyers
    first; with `city`, only that city's. One query over profile columns (kept by
    refresh_lawyer_stats), so a suspended or rejected lawyer drops out at once."""
    qs = LawyerProfile.objects.filter(
        status=LawyerProfile.Status.VERIFIED, user__is_active=True, areas=area, answer_count__gt=0
    )
    if city:
        qs = qs.filter(city__startswith=city.removesuffix("市"))
    local = (
        Case(When(province=province, then=Value(0)), default=Value(1), output_field=IntegerField())
        if province
        else Value(0, output_field=IntegerField())
    )
    return list(
        qs.annotate(local=local)
        .only(
            "id",
            "user_id",
            "real_name",
            "firm",
            "province",
            "city",
            "answer_count",
            "accepted_count",
            "helped_count",
            "median_answer_minutes",
            "rating_satisfied",
            "rating_neutral",
            "rating_unsatisfied",
            "rank_score",
            "status",
            "is_demo",
        )
        .order_by("local", "-rank_score", "user_id")[:limit]
    )


# --- 律师工作台 ---------------------------------------------------------------------------------

WORKSPACE_SCOPES = {
    "all": "全部",
    "routed": "推送给我的",
    "province": "本省·擅长领域",
    "areas": "全国·擅长领域",
}
# At most this many routed questions outside the lawyer's areas join "all" (rarely more than a few).
ROUTED_ELSEWHERE_MAX = 500
WORKSPACE_SORTS = {
    "waiting": "等待最久",
    "same": "同问最多",
    "followers": "关注最多",
    "newest": "最新提问",
}
WORKSPACE_STATUSES = {"": "未采纳", "open": "无人回答"}


def workspace_questions(
    lawyer: User,
    *,
    area_ids: list[int],
    province: str = "",
    scope: str = "all",
    area_id: int | None = None,
    status: str = "",
    sort: str = "waiting",
) -> QuerySet[Question]:
    """The questions waiting for `lawyer`: routed to them, or in their practice areas
    (`area_ids`; `scope` "province" limits to their `province`), not yet accepted or closed,
    not their own and not answered by them. `routed` marks those routing sent them (a subquery
    of the same query). `status` "open": only questions nobody answered. Sorted by waiting
    time, 同问, followers or newest.

    Routing sends a lawyer questions of their own areas, so "all" is the area list plus the few
    routed questions outside the lawyer's current areas (areas changed since), fetched first by
    one small query: the main query then stays on the (area, status) index instead of an OR that
    makes the database walk every unanswered question."""
    routed = Routing.objects.filter(lawyer=lawyer, question=OuterRef("pk"))
    statuses = (
        [Question.Status.OPEN] if status == "open" else [Question.Status.OPEN, Question.Status.ANSWERED]
    )
    in_areas = Q(category_id__in=area_ids)
    if scope == "routed":
        where = Q(pk__in=Routing.objects.filter(lawyer=lawyer).values("question_id"))
    elif scope == "province":
        where = in_areas & Q(province=province)
    elif scope == "areas":
        where = in_areas
    else:
        elsewhere = list(
            Routing.objects.filter(lawyer=lawyer, question__status__in=statuses, question__is_hidden=False)
            .exclude(question__category_id__in=area_ids)
            .values_list("question_id", flat=True)[:ROUTED_ELSEWHERE_MAX]
        )
        where = (in_areas | Q(pk__in=elsewhere)) if elsewhere else in_areas
    if area_id is not None:
        where &= Q(category_id=area_id)
    order = {
        "same": ("-same_question_count", "created_at", "id"),
        "followers": ("-follower_count", "created_at", "id"),
        "newest": ("-created_at", "-id"),
    }.get(sort, ("created_at", "id"))
    return (
        Question.objects.visible()
        .filter(where, status__in=statuses)
        .exclude(asker=lawyer)
        .exclude(pk__in=Answer.objects.filter(lawyer=lawyer).values("question_id"))
        .select_related("category")
        .defer("detail")
        .annotate(routed=Exists(routed))
        .order_by(*order)
    )


def followers_waiting(questions: QuerySet[Question]) -> int:
    """How many followers wait on these questions (the sum of their 关注 counts)."""
    return questions.order_by().aggregate(n=Sum("follower_count"))["n"] or 0


def lawyer_answers(lawyer: User) -> QuerySet[Answer]:
    """我的回答: the lawyer's answers, newest first, with question, area and rating (one query per
    page): accepted or not, held, hidden, edited."""
    return (
        Answer.objects.filter(lawyer=lawyer)
        .select_related("question__category", "rating")
        .defer("body", "body_html", "question__detail")
        .order_by("-created_at", "-id")
    )
