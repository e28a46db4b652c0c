"""Query-count guards: each page runs the same number of SQL queries with 1 item as with several.

The literals below are the whole contract. When a page legitimately gains a query (the statutes,
legalai or search helpers wiring more into the question page), update the literal AND the comment
that lists the queries — but it must stay the same for both sizes: a count that grows with the
items is an N+1 to fix in queries.py, not a literal to bump.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from lawqa.embeddings.texts import digest
from lawqa.questions import services
from lawqa.questions.models import AnswerRevision
from lawqa.search import index

BODY = "建议先协商，协商不成可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"

# Question page, anonymous visitor, caches cold:
#   1 question + category + asker + stored suggestions (关注 / 同问 counts are its columns)
#   2 问题补充 (supplements)                 3 answers + lawyer + lawyer_profile + rating
#   4 follow-ups (+ author)                  5 UPDATE view_count
#   6 可能相关的法律规定 (legalai tag): the stored suggestions come with the question (1); their
#     articles' rows, one query
#   7 相关问题: the index gives ids, one query loads the visible ones
#   8 为您推荐20个最新问题
#   9 推荐律师 of the area (lawyers tag; their stats are columns of the profile)
QUESTION_PAGE_ANONYMOUS = 9
# Any page signed in adds: 1 session, 2 user, 3 the user's lawyer_profile (context processor),
# 4 unread notifications for the header (notifications context processor).
SIGNED_IN_EXTRA = 4
# … and the question page adds which of the shown answers this user voted for, and the user's
# 关注 / 同问 on the question.
QUESTION_PAGE_SIGNED_IN = QUESTION_PAGE_ANONYMOUS + SIGNED_IN_EXTRA + 2

# Home, anonymous: 1 areas with their question counts (the AreaCount rows, never the questions),
# 2 latest questions, 3 questions awaiting answers.
HOME_ANONYMOUS = 3
# Practice-area page: 1 the area, 2 its count for the paginator (sum of its AreaCount rows, no
# COUNT over the questions), 3 the page of questions, 4 推荐律师 of the area (lawyers tag).
AREA_PAGE_ANONYMOUS = 4
# Lawyer directory: 1 COUNT, 2 areas for the filter's <select>, 3 the page of lawyers,
# 4 their areas (prefetch); filtering by area adds 1 lookup of the area's slug.
DIRECTORY_ANONYMOUS = 4
DIRECTORY_FILTERED = DIRECTORY_ANONYMOUS + 1
# Lawyer profile: 1 profile + user, 2 its areas, 3 COUNT of answered questions, 4 the page of them.
PROFILE_ANONYMOUS = 4
# 我的提问: 1 session, 2 user, 3 lawyer_profile, 4 unread notifications, 5 COUNT, 6 the page (+ area).
MY_QUESTIONS = 6
# 我的关注: the same 4, then 5 COUNT, 6 the page of follows (+ question + area).
MY_FOLLOWS = 6


@pytest.fixture
def search_index(settings, tmp_path):
    """A private index for this test, so related questions really come from the index."""
    settings.LAWQA_INDEX_DIR = tmp_path / "index"
    index.reset_reader()
    yield
    index.reset_reader()


@pytest.fixture
def fixed_suggestions(question):
    """legalai's suggestions of the question as the background job stores them (the models are
    absent on a fresh clone): one article, so the page always runs its one query for it."""
    from lawqa.legalai import services as legalai_services
    from lawqa.legalai.models import StoredSuggestions

    StoredSuggestions.objects.create(
        question=question,
        text_hash=digest(legalai_services.question_text(question)),
        items=[["中华人民共和国劳动合同法", "劳动合同法", 30, 0, 1.0]],
    )


@pytest.fixture
def page_data(search_index, fixed_suggestions, question, asker, make_user, make_lawyer, area):
    """`n` answers on `question` (each with a 追问, a reply and a vote from the viewer-to-be),
    `n` other answered and `n` open questions in the area (so related / latest / lists have rows
    growing with `n`), indexed."""

    def build(n: int, viewer):
        lawyers = []
        for i in range(n):
            lawyer = make_lawyer(city=f"城市{i}")
            answer = services.post_answer(question=question, lawyer=lawyer, body=BODY)
            services.add_followup(answer=answer, author=asker, body="仲裁需要准备哪些证据？")
            services.add_followup(answer=answer, author=lawyer, body="劳动合同、工资流水、考勤记录。")
            services.vote_helpful(answer=answer, user=viewer)
            other = services.create_question(
                asker=make_user(),
                title=f"公司拖欠工资怎么办第{i}次",
                detail="拖欠工资三个月。",
                category=area,
            )
            services.post_answer(question=other, lawyer=lawyer, body=BODY)
            services.create_question(
                asker=make_user(), title=f"加班费没有发怎么办第{i}次", detail="", category=area
            )
            lawyers.append(lawyer)
        index.apply_outbox()
        index.reset_reader()
        cache.clear()
        return lawyers

    return build


SIZES = [pytest.param(1, id="1-item"), pytest.param(3, id="3-items")]


@pytest.mark.parametrize("n", SIZES)
def test_question_page_queries_constant_anonymous(
    client, django_assert_num_queries, page_data, question, make_user, n
):
    page_data(n, make_user())

    with django_assert_num_queries(QUESTION_PAGE_ANONYMOUS):
        response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["answers"]) == n
    assert len(response.context["related"]) >= n  # so the 相关问题 query really ran
    assert "仲裁需要准备哪些证据？" in response.content.decode()


@pytest.mark.parametrize("n", SIZES)
def test_question_page_queries_constant_signed_in(
    client, django_assert_num_queries, page_data, question, make_user, n
):
    viewer = make_user()
    page_data(n, viewer)
    client.force_login(viewer)

    with django_assert_num_queries(QUESTION_PAGE_SIGNED_IN):
        response = client.get(question.get_absolute_url())

    assert [a.user_voted for a in response.context["answers"]] == [True] * n


@pytest.mark.parametrize("n", SIZES)
def test_home_queries_constant(client, django_assert_num_queries, page_data, make_user, n):
    page_data(n, make_user())

    with django_assert_num_queries(HOME_ANONYMOUS):
        response = client.get("/")

    assert len(response.context["latest"]) == 2 * n + 1
    assert len(response.context["unanswered"]) == n


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("status", ["", "answered", "open"])
def test_area_page_queries_constant(client, django_assert_num_queries, page_data, make_user, area, n, status):
    page_data(n, make_user())

    with django_assert_num_queries(AREA_PAGE_ANONYMOUS):
        response = client.get(area.get_absolute_url(), {"status": status} if status else {})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == {"": 2 * n + 1, "answered": n + 1, "open": n}[status]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({}, DIRECTORY_ANONYMOUS, id="all"),
        pytest.param(
            {"province": "北京", "city": "城市", "area": "labor"}, DIRECTORY_FILTERED, id="filtered"
        ),
    ],
)
def test_lawyer_directory_queries_constant(
    client, django_assert_num_queries, page_data, make_user, n, filters, expected
):
    page_data(n, make_user())

    with django_assert_num_queries(expected):
        response = client.get("/lawyers/", filters)

    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
def test_lawyer_profile_queries_constant(
    client, django_assert_num_queries, page_data, make_user, n, make_lawyer, area, asker
):
    lawyer = page_data(n, make_user())[0]
    # Give the profiled lawyer n answered questions.
    for i in range(n - 1):
        q = services.create_question(asker=asker, title=f"加班费怎么计算第{i}个", detail="", category=area)
        services.post_answer(question=q, lawyer=lawyer, body=BODY)

    with django_assert_num_queries(PROFILE_ANONYMOUS):
        response = client.get(f"/lawyers/{lawyer.pk}/")

    assert len(response.context["page"].object_list) == n + 1


@pytest.fixture
def asker_extras(question, asker, make_user):
    """`add(n)`: n followers (every other one also 同问), n supplements and, when n > 0, a rating
    on every answer and n edits of it by its lawyer (n + 1 revisions in its history)."""

    def add(n: int) -> None:
        for i in range(n):
            services.set_follow(question=question, user=make_user(), notify=True, same_question=i % 2 == 0)
            services.add_supplement(
                question=question, author=asker, body=f"补充第{i}条：公司说下个月再发工资。"
            )
        for answer in question.answers.select_related("lawyer") if n else []:
            services.rate_answer(answer=answer, by=asker, score="satisfied", comment="解答很清楚")
            for i in range(n):
                services.edit_answer(answer=answer, by=answer.lawyer, body=f"{BODY}（第{i + 1}次补充说明）")
        cache.clear()

    return add


@pytest.mark.parametrize("extras", [pytest.param(0, id="none"), pytest.param(5, id="many")])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_question_page_queries_constant_with_followers_supplements_ratings_revisions(
    client, django_assert_num_queries, page_data, question, make_user, asker_extras, extras, signed_in
):
    viewer = make_user()
    page_data(2, viewer)
    asker_extras(extras)
    if extras:
        services.set_follow(question=question, user=viewer, same_question=True)
    if signed_in:
        client.force_login(viewer)

    with django_assert_num_queries(QUESTION_PAGE_SIGNED_IN if signed_in else QUESTION_PAGE_ANONYMOUS):
        response = client.get(question.get_absolute_url())

    html = response.content.decode()
    question.refresh_from_db()
    assert len(response.context["question"].supplements.all()) == extras
    assert html.count("edited-mark") == (2 if extras else 0)
    assert AnswerRevision.objects.filter(answer__question=question).count() == (
        2 * (extras + 1) if extras else 0
    )
    assert html.count("提问人评价：满意") == (2 if extras else 0)
    assert f"{question.same_question_count} 人同问" in html
    assert question.same_question_count == (extras + 1) // 2 + (1 if extras else 0)


@pytest.mark.parametrize("n", SIZES)
def test_my_questions_queries_constant(client, django_assert_num_queries, asker, area, n):
    for i in range(n):
        services.create_question(asker=asker, title=f"加班费怎么计算第{i}个", detail="", category=area)
    client.force_login(asker)

    with django_assert_num_queries(MY_QUESTIONS):
        response = client.get("/account/questions/")

    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
def test_my_follows_queries_constant(client, django_assert_num_queries, make_user, area, n):
    follower = make_user()
    for i in range(n):
        other = services.create_question(
            asker=make_user(), title=f"加班费怎么计算第{i}个", detail="", category=area
        )
        services.set_follow(question=other, user=follower, same_question=True)
    client.force_login(follower)

    with django_assert_num_queries(MY_FOLLOWS):
        response = client.get("/account/following/")

    assert len(response.context["page"].object_list) == n
    assert response.content.decode().count("我也同问") == n
