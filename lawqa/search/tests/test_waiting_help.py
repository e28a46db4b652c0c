"""类似问题的律师解答: stored in the background for a question waiting for its first answer, shown on
its page from one query, gone once it is answered; hidden answers and questions drop out at once."""

import io

import pytest
from django.core.management import call_command

from lawqa.embeddings import model
from lawqa.legalai.tasks import task_route_question
from lawqa.moderation import services as moderation_services
from lawqa.questions import services as question_services
from lawqa.search import queries, services, vectors
from lawqa.search.models import SimilarAnswer

pytestmark = pytest.mark.django_db

DEPOSIT_ANSWER = "## 建议\n\n1. **先协商**，保留租赁合同和交接记录。\n2. 协商不成可以起诉要求退还押金。"


@pytest.fixture
def reindex(indexed):
    def apply() -> None:
        indexed()
        vectors.reset_reader()

    return apply


@pytest.fixture
def answered(ask, make_lawyer, reindex):
    """Answered questions: two about deposits, one about custody; and an unanswered deposit one."""
    lawyers = [make_lawyer(), make_lawyer()]
    deposit = ask("房东不退押金怎么办？", "租期到了，我搬走了，房东说墙面有污渍，押金一直不退。")
    first = question_services.post_answer(
        question=deposit, lawyer=lawyers[0], body="先打电话催一催房东，说明依法应当退还押金。"
    )
    best = question_services.post_answer(question=deposit, lawyer=lawyers[1], body=DEPOSIT_ANSWER)
    question_services.accept_answer(answer=best, by=deposit.asker)
    keys = ask("退租时房东扣押金合理吗", "合同到期退租，房东说要扣一个月押金做清洁费。")
    keys_answer = question_services.post_answer(
        question=keys, lawyer=lawyers[0], body="清洁费应按约定，没有约定不能随意扣。"
    )
    custody = ask("离婚后孩子抚养权归谁", "孩子两岁，男方想要抚养权。")
    question_services.post_answer(
        question=custody, lawyer=lawyers[0], body="两周岁以下的子女，以由母亲直接抚养为原则。"
    )
    ask("房东要卖房子，租客怎么办", "房东突然说要把房子卖掉，让我们一个月内搬走。")  # unanswered
    reindex()
    return {"best": best, "first": first, "keys": keys_answer}


def test_refresh_stores_best_answers_of_similar_answered_questions(ask, answered):
    waiting = ask("租房到期房东扣着押金不给", "合同到期了，房东扣着我三千块押金不给。")
    assert services.refresh_similar_answers(question_id=waiting.pk) == 2
    rows = list(SimilarAnswer.objects.filter(question=waiting).values_list("answer_id", "rank"))
    assert sorted(answer_id for answer_id, _ in rows) == sorted([answered["best"].pk, answered["keys"].pk])
    assert [rank for _, rank in sorted(rows, key=lambda r: r[1])] == [1, 2]  # custody is not similar


def test_refresh_embeds_question_the_indexer_has_not_seen(ask, answered):
    waiting = ask("押金被房东扣了，怎么要回来", "退租后房东一直扣着押金。")
    assert vectors.question_vector(waiting.pk) is None
    assert services.refresh_similar_answers(question_id=waiting.pk) > 0


def test_refresh_without_model_stores_nothing_and_does_not_fail(ask, answered, monkeypatch):
    def unavailable(*args, **kwargs):
        raise model.ModelUnavailable("broken in this test")

    monkeypatch.setattr(model, "get_model", unavailable)
    waiting = ask("押金被房东扣了，怎么要回来", "退租后房东一直扣着押金。")
    assert services.refresh_similar_answers(question_id=waiting.pk) == 0
    assert not SimilarAnswer.objects.filter(question=waiting).exists()


def test_refresh_answered_question_clears_its_rows(ask, answered, lawyer):
    waiting = ask("租房到期房东扣着押金不给", "合同到期了，房东扣着押金不给。")
    services.refresh_similar_answers(question_id=waiting.pk)
    question_services.post_answer(question=waiting, lawyer=lawyer, body="协商不成可以向法院起诉要求退还。")
    assert services.refresh_similar_answers(question_id=waiting.pk) == 0
    assert not SimilarAnswer.objects.filter(question=waiting).exists()


def test_routing_task_stores_similar_answers(ask, answered, django_capture_on_commit_callbacks):
    waiting = ask("租房到期房东扣着押金不给", "合同到期了，房东扣着押金不给。")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        task_route_question.call(waiting.pk)
    assert len(callbacks) == 1  # its own job, recorded with the routing
    assert SimilarAnswer.objects.filter(question=waiting).count() == 2


def test_question_page_shows_answers_with_their_first_lines(client, ask, answered):
    waiting = ask("租房到期房东扣着押金不给", "合同到期了，房东扣着押金不给。")
    services.refresh_similar_answers(question_id=waiting.pk)
    response = client.get(waiting.get_absolute_url())
    body = response.content.decode()
    assert "类似问题的律师解答" in body
    assert "建议 先协商，保留租赁合同和交接记录。" in body  # markdown marks dropped
    assert answered["best"].get_absolute_url() in body
    assert "先打电话催一催房东" not in body  # the accepted answer stands for its question


def test_question_page_hidden_answer_drops_out_at_once(client, ask, answered, moderator):
    waiting = ask("租房到期房东扣着押金不给", "合同到期了，房东扣着押金不给。")
    services.refresh_similar_answers(question_id=waiting.pk)
    moderation_services.set_answer_hidden(answer=answered["best"], hidden=True, by=moderator)
    items = client.get(waiting.get_absolute_url()).context["waiting_help"]
    assert [item.answer for item in items] == [answered["keys"]]


def test_question_page_answered_question_has_no_block(client, ask, answered, lawyer):
    waiting = ask("租房到期房东扣着押金不给", "合同到期了，房东扣着押金不给。")
    services.refresh_similar_answers(question_id=waiting.pk)
    question_services.post_answer(question=waiting, lawyer=lawyer, body="协商不成可以向法院起诉要求退还。")
    response = client.get(waiting.get_absolute_url())
    assert response.context["waiting_help"] == []
    assert "类似问题的律师解答" not in response.content.decode()


# Question page of an unanswered question, anonymous, caches cold, no article suggestions:
# 1 question + category + asker, 2 补充问题, 3 answers (none), 4 UPDATE view_count, 5 相关问题,
# 6 类似问题的律师解答 (answers + their question + lawyer + profile), 7 为您推荐20个最新问题,
# 8 the lawyers shown beside an unanswered question.
WAITING_PAGE_ANONYMOUS = 8


@pytest.mark.parametrize("n", [1, 3])
def test_question_page_waiting_help_query_count_constant(
    client, ask, make_lawyer, reindex, django_assert_num_queries, monkeypatch, n
):
    from lawqa.legalai import services as legalai_services

    monkeypatch.setattr(legalai_services, "suggest_articles", lambda text, k=5, **kwargs: [])
    waiting = ask("房东不退押金", "房东扣着押金不给。")
    ids = []
    for i in range(n):
        other = ask(f"房东不退押金第{i}次", "房东扣着押金。")
        ids.append(
            question_services.post_answer(question=other, lawyer=make_lawyer(), body=DEPOSIT_ANSWER).pk
        )
    services.set_similar_answers(question_id=waiting.pk, answer_ids=ids)
    reindex()
    with django_assert_num_queries(WAITING_PAGE_ANONYMOUS):
        response = client.get(waiting.get_absolute_url())
    assert len(response.context["waiting_help"]) == n


def test_refresh_command_fills_waiting_questions(ask, answered, reindex):
    waiting = ask("租房到期房东扣着押金不给", "合同到期了，房东扣着押金不给。")
    reindex()
    out = io.StringIO()
    call_command("refresh_similar_answers", "--no-progress", stdout=out)
    assert " of 2 waiting questions got similar answers" in out.getvalue()
    assert SimilarAnswer.objects.filter(question=waiting).count() == 2
    call_command("refresh_similar_answers", "--no-progress", "--missing", stdout=out)
    assert SimilarAnswer.objects.filter(question=waiting).count() == 2


def test_answer_excerpt_plain_first_lines():
    assert queries.answer_excerpt(DEPOSIT_ANSWER, 20) == "建议 先协商，保留租赁合同和交接记录。…"
