"""An answer the spam rules hold is acknowledged like any other (302 to the answer) but reaches no
node's index until a moderator approves it; a clean one posted the same way is searchable after
one indexer pass. (bench/load/cluster.py posts demo answers; the two "missing" answers of a load
test run were held ones, and the load test now leaves such bodies out.)"""

from __future__ import annotations

import re

import pytest

from lawqa.moderation import services as moderation_services
from lawqa.moderation.models import HeldPost
from lawqa.questions.models import Answer
from lawqa.search import index, queries

pytestmark = pytest.mark.django_db

ANSWER_RE = re.compile(r"#answer-(\d+)$")  # bench/load/locustfile.py
# A demo answer (siatlegalqa-test-6) as the load test posts it: body + "\n\n（编号 <token>）".
HELD_BODY = (
    "您好，您是怎么被骗了11000的呢？建议您立即报警。对方只有微信和qq的话，追回是有点困难的。"
    "您不需要承担责任，不要有后顾之忧，先报警。具体情况您可以随时打电话咨询我。\n\n（编号 yc1042fa6e09）"
)
CLEAN_BODY = (
    "您好，公司拖欠工资的，可以先向劳动监察大队投诉，也可以直接申请劳动仲裁，要求支付工资和"
    "经济补偿金。\n\n（编号 yc6d1df058d7）"
)


def api_ids(token: str) -> list[int]:
    """What the load test's checker sees: GET /api/v1/search?q=<token> question ids."""
    index.reset_reader()
    return [r.question.pk for r in queries.search_questions(token).results]


def post_like_locust(client, lawyer, question, body) -> int | None:
    client.force_login(lawyer)
    response = client.post(f"/questions/{question.pk}/answer/", {"body": body, "masking_seen": "1"})
    location = response.headers.get("Location", "") if response.status_code == 302 else ""
    found = ANSWER_RE.search(location)
    return int(found.group(1)) if found else None


def test_held_answer_is_acknowledged_like_a_published_one_but_never_searchable(
    search_index, client, lawyer, question, moderator
):
    index.apply_outbox()
    acked = post_like_locust(client, lawyer, question, HELD_BODY)
    assert acked is not None  # the load test records it as an acknowledged answer
    answer = Answer.objects.get(pk=acked)
    # the verify script's "exactly once" check passes ...
    assert Answer.objects.filter(pk=acked, question_id=question.pk, body__contains="yc1042fa6e09").exists()
    # ... but the answer is held for a moderator, not public:
    assert (answer.is_hidden, answer.is_held) == (True, True)
    assert HeldPost.objects.get(answer=answer).status == HeldPost.Status.PENDING

    index.apply_outbox()
    assert api_ids("yc1042fa6e09") == []  # on every node: no node's index holds held text

    # once a moderator approves it, it is searchable after the next pass
    moderation_services.approve_held_post(held=HeldPost.objects.get(answer=answer), by=moderator)
    index.apply_outbox()
    assert api_ids("yc1042fa6e09") == [question.pk]


def test_clean_answer_same_path_is_searchable_after_one_pass(search_index, client, lawyer, question):
    index.apply_outbox()
    acked = post_like_locust(client, lawyer, question, CLEAN_BODY)
    assert acked is not None and not Answer.objects.get(pk=acked).is_hidden
    index.apply_outbox()
    assert api_ids("yc6d1df058d7") == [question.pk]
