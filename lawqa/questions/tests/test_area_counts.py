"""The per-area question counts (AreaCount): every write that changes what an area counts keeps
them equal to a count of the questions, also under concurrent writes; the pages read them."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F

from lawqa.moderation import services as moderation_services
from lawqa.questions import services
from lawqa.questions.models import AreaCount, Category, Question

BODY = "建议先协商，协商不成可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"


def stored_counts() -> dict[tuple[str, str], int]:
    return {
        (slug, status): n
        for slug, status, n in AreaCount.objects.filter(questions__gt=0).values_list(
            "category__slug", "status", "questions"
        )
    }


def actual_counts() -> dict[tuple[str, str], int]:
    return dict(Counter(Question.objects.visible().values_list("category__slug", "status")))


def ask(asker, area, title="公司拖欠三个月工资怎么办？"):
    return services.create_question(asker=asker, title=title, detail="入职两年。", category=area)


def test_area_counts_follow_ask_answer_accept_close(asker, lawyer, area):
    first = ask(asker, area)
    second = ask(asker, area, "加班费没有发怎么办")
    assert stored_counts() == {("labor", "open"): 2}

    answer = services.post_answer(question=first, lawyer=lawyer, body=BODY)
    assert stored_counts() == {("labor", "open"): 1, ("labor", "answered"): 1}

    services.accept_answer(answer=answer, by=asker)
    services.close_question(question=second, by=asker)

    assert stored_counts() == {("labor", "accepted"): 1, ("labor", "closed"): 1}
    assert stored_counts() == actual_counts()


def test_area_counts_hidden_question_leaves_and_comes_back(asker, moderator, area):
    question = ask(asker, area)

    moderation_services.set_question_hidden(question=question, hidden=True, by=moderator)
    assert stored_counts() == {}
    moderation_services.set_question_hidden(question=question, hidden=True, by=moderator)  # again: no change
    assert stored_counts() == {}

    moderation_services.set_question_hidden(question=question, hidden=False, by=moderator)
    assert stored_counts() == {("labor", "open"): 1}


def test_area_counts_hiding_the_only_answer_reopens_the_question(asker, lawyer, moderator, answer):
    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)

    assert stored_counts() == {("labor", "open"): 1} == actual_counts()


def test_area_counts_change_category_moves_the_question(asker, lawyer, question):
    services.post_answer(question=question, lawyer=lawyer, body=BODY)

    services.change_category(question=question, category="traffic", by=asker)

    assert stored_counts() == {("traffic", "answered"): 1}


def test_area_counts_change_category_from_a_stale_instance(asker, question):
    stale = Question.objects.get(pk=question.pk)
    services.change_category(question=question, category="traffic", by=asker)

    services.change_category(question=stale, category="contract", by=asker)

    assert stored_counts() == {("contract", "open"): 1} == actual_counts()


def test_area_counts_held_question_counts_once_approved(make_user, moderator, area, settings):
    settings.LAWQA_PREMODERATE_FIRST_POSTS = 1
    held = ask(make_user(), area)
    assert held.is_held
    assert stored_counts() == {}

    pending = held.holds.get()
    moderation_services.approve_held_post(held=pending, by=moderator)

    assert stored_counts() == {("labor", "open"): 1}


def test_area_counts_rejected_held_question_never_counts(make_user, moderator, area, settings):
    settings.LAWQA_PREMODERATE_FIRST_POSTS = 1
    held = ask(make_user(), area)

    moderation_services.reject_held_post(held=held.holds.get(), by=moderator)

    assert stored_counts() == {}


def test_recount_areas_repairs_counts_and_reports_how_many_were_wrong(asker, area):
    ask(asker, area)
    AreaCount.objects.filter(category=area, status="open").update(questions=F("questions") + 5)
    AreaCount.objects.filter(category__slug="traffic").delete()

    wrong = services.recount_areas()

    assert wrong == 1
    assert stored_counts() == {("labor", "open"): 1}
    assert AreaCount.objects.count() == Category.objects.count() * len(Question.Status.values)


def test_recount_areas_command_prints_what_it_fixed(asker, area, capsys):
    ask(asker, area)
    AreaCount.objects.filter(category=area, status="open").update(questions=0)

    call_command("recount_areas")

    assert "1" in capsys.readouterr().out
    assert stored_counts() == {("labor", "open"): 1}


def test_area_counts_new_area_gets_its_rows_on_first_question(asker):
    new = Category.objects.create(name="测试领域", slug="test-area", order=99)

    ask(asker, new)

    assert AreaCount.objects.get(category=new, status="open").questions == 1


def test_area_counts_admin_edit_and_delete_keep_counts(admin_client, asker, area):
    question = ask(asker, area)
    url = f"/admin/questions/question/{question.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "category": Category.objects.get(slug="traffic").pk,
            "asker": asker.pk,
            "status": "open",
            "is_hidden": "",
            "answers-TOTAL_FORMS": "0",
            "answers-INITIAL_FORMS": "0",
            "created_at_0": question.created_at.strftime("%Y-%m-%d"),
            "created_at_1": question.created_at.strftime("%H:%M:%S"),
        }
    )
    data = {k: v for k, v in data.items() if k not in ("is_anonymous", "is_hidden", "is_held") or v}

    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert stored_counts() == {("traffic", "open"): 1}

    admin_client.post(f"/admin/questions/question/{question.pk}/delete/", {"post": "yes"})
    assert stored_counts() == {}


def test_home_and_area_page_show_the_counts(client, asker, lawyer, area, settings):
    settings.LAWQA_PAGE_SIZE = 2
    made = [ask(asker, area, f"劳动纠纷问题第{i}个") for i in range(5)]
    services.post_answer(question=made[0], lawyer=lawyer, body=BODY)

    home = client.get("/")
    areas = {a.slug: a.n_questions for a in home.context["areas"]}
    answered = client.get(area.get_absolute_url(), {"status": "answered"})
    last = client.get(area.get_absolute_url(), {"page": "3"})

    assert (areas["labor"], areas["traffic"]) == (5, 0)
    assert answered.context["page"].paginator.count == 1
    assert last.context["page"].paginator.num_pages == 3
    assert [q.title for q in last.context["page"]] == ["劳动纠纷问题第0个"]


def test_area_page_counter_off_by_some_hides_no_rows(client, asker, area, settings):
    settings.LAWQA_PAGE_SIZE = 2
    for i in range(3):
        ask(asker, area, f"劳动纠纷问题第{i}个")
    AreaCount.objects.filter(category=area, status="open").update(questions=1)

    page = client.get(area.get_absolute_url()).context["page"]

    assert len(page.object_list) == 2


@pytest.mark.django_db(transaction=True)
def test_area_counts_exact_under_concurrent_writes(make_user, make_lawyer, area):
    """Eight connections ask, answer and close in one area at once; no change is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions with row locks: run with DATABASE_URL=postgres://…")
    askers = [make_user() for _ in range(8)]
    lawyers = [make_lawyer() for _ in range(8)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(askers))

    def work(asker, lawyer) -> None:
        try:
            start.wait()
            for i in range(6):
                question = ask(asker, area, f"并发提问第{asker.pk}-{i}个")
                if i % 2:
                    services.post_answer(question=question, lawyer=lawyer, body=BODY)
                if i % 3 == 2:
                    services.close_question(question=question, by=asker)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=pair) for pair in zip(askers, lawyers, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sum(stored_counts().values()) == 48
    assert stored_counts() == actual_counts()
