"""Log → indexer → text index: changes, hiding, deleting, rebuild, commands."""

import io

import pytest
from django.core.management import call_command

from lawqa.moderation import services as moderation_services
from lawqa.questions import services as question_services
from lawqa.search import engine, index
from lawqa.search.models import SearchOutbox
from lawqa.search.segmentation import analyze_query

pytestmark = pytest.mark.django_db


def found(query: str, **filters) -> list[int]:
    return [h.question_id for h in engine.search(index.searcher(), analyze_query(query), **filters).hits]


def test_mark_question_changed_writes_outbox_row(search_index, question):
    assert list(SearchOutbox.objects.values_list("question_id", "op")) == [(question.pk, "index")]


def test_apply_outbox_indexes_question_and_keeps_log_entry(indexed, question):
    indexed()
    assert SearchOutbox.objects.count() == 1  # pruned later, once every node has passed it
    assert index.index_status()["lag"] == 0
    assert found("老板不发工资") == [question.pk]


def test_answer_text_is_indexed_and_marks_answered(indexed, answer):
    indexed()
    assert found("劳动监察大队") == [answer.question_id]
    assert found("工资", answered=True) == [answer.question_id]
    assert found("工资", answered=False) == []


def test_hidden_question_disappears_from_index(indexed, question, moderator):
    indexed()
    moderation_services.set_question_hidden(question=question, hidden=True, by=moderator)
    indexed()
    assert found("拖欠工资") == []


def test_deleted_question_disappears_from_index(indexed, question):
    indexed()
    question_id = question.pk
    question.delete()
    from lawqa.search import services

    services.mark_question_changed(question_id=question_id)
    indexed()
    assert found("拖欠工资") == []


def test_changed_question_is_reindexed_not_duplicated(indexed, question, moderator, area):
    indexed()
    question_services.change_category(question=question, category="marriage-family", by=moderator)
    indexed()
    assert found("拖欠工资") == [question.pk]
    assert found("拖欠工资", area="marriage-family") == [question.pk]
    assert found("拖欠工资", area=area.slug) == []


def test_rebuild_index_command_rebuilds_from_database(search_index, ask):
    q1 = ask("公司拖欠工资怎么办", "三个月没发工资")
    q2 = ask("离婚后孩子抚养权归谁", "孩子两岁")
    out = io.StringIO()
    call_command("rebuild_index", "--no-progress", "--workers", "1", stdout=out)
    assert "indexed 2 questions" in out.getvalue()
    assert found("工资") == [q1.pk]
    assert found("抚养权") == [q2.pk]


def test_rebuild_index_drops_hidden_questions(search_index, ask, moderator):
    q1 = ask("公司拖欠工资怎么办")
    call_command("rebuild_index", "--no-progress", stdout=io.StringIO())
    moderation_services.set_question_hidden(question=q1, hidden=True, by=moderator)
    call_command("rebuild_index", "--no-progress", stdout=io.StringIO())
    assert found("工资") == []


def test_run_indexer_once_builds_missing_index(search_index, question):
    out = io.StringIO()
    call_command("run_indexer", "--once", stdout=out)
    assert out.getvalue().splitlines()[0] == "rebuilt text, vectors"
    assert found("工资") == [question.pk]


def test_apply_outbox_leaves_rows_when_lock_is_held(search_index, question):
    with engine.writer_lock(search_index):
        assert index.apply_outbox(lock_timeout=0.1) == 0
    assert index.index_status()["ok"] is False


def test_rebuild_index_with_worker_processes(search_index, ask):
    questions = [ask(f"公司拖欠工资第{i}个月怎么办", "老板不发工资") for i in range(5)]
    call_command("rebuild_index", "--no-progress", "--workers", "2", stdout=io.StringIO())
    assert sorted(found("拖欠工资")) == sorted(q.pk for q in questions)
