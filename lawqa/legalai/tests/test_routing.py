"""Routing of new questions to lawyers: right lawyers, nobody twice, caps, muting, verification."""

import pytest
from django.core import mail

from lawqa.legalai import services
from lawqa.legalai.models import MutedArea, Routing
from lawqa.notifications.models import Notification
from lawqa.questions import services as question_services
from lawqa.questions.models import Category


@pytest.fixture
def other_area(db) -> Category:
    return Category.objects.get(slug="marriage-family")


def _ask(asker, area, title="公司拖欠三个月工资怎么办？", province=""):
    return question_services.create_question(
        asker=asker,
        title=title,
        detail="入职两年，公司连续三个月没有发工资。",
        category=area,
        province=province,
    )


def _notified(question) -> set[int]:
    return set(Notification.objects.filter(question=question).values_list("recipient_id", flat=True))


def test_route_question_notifies_verified_lawyers_of_the_area(make_lawyer, asker, area, other_area):
    match = make_lawyer(areas=[area])
    make_lawyer(areas=[other_area])
    question = _ask(asker, area)

    chosen = services.route_question(question=question)

    assert chosen == [match.pk]
    assert _notified(question) == {match.pk}
    assert Notification.objects.get(recipient=match).kind == Notification.Kind.NEW_QUESTION


def test_route_question_unverified_lawyer_never_notified(make_lawyer, asker, area):
    unverified = make_lawyer(verified=False, areas=[area])
    question = _ask(asker, area)

    chosen = services.route_question(question=question)

    assert chosen == []
    assert Notification.objects.filter(recipient=unverified).count() == 0
    assert Routing.objects.count() == 0


def test_route_question_twice_notifies_nobody_twice(make_lawyer, asker, area):
    lawyer = make_lawyer(areas=[area])
    question = _ask(asker, area)

    services.route_question(question=question)
    again = services.route_question(question=question)

    assert again == []
    assert Notification.objects.filter(recipient=lawyer).count() == 1


def test_route_question_caps_lawyers_per_question(make_lawyer, asker, area, settings):
    settings.LAWQA_ROUTING_MAX_PER_QUESTION = 2
    lawyers = [make_lawyer(areas=[area]) for _ in range(3)]
    question = _ask(asker, area)

    first = services.route_question(question=question)
    second = services.route_question(question=question)

    assert len(first) == 2
    assert second == []
    assert len(_notified(question)) == 2
    assert _notified(question) <= {u.pk for u in lawyers}


def test_route_question_caps_notifications_per_lawyer_per_day(make_lawyer, asker, area, settings):
    settings.LAWQA_ROUTING_MAX_PER_LAWYER_PER_DAY = 1
    lawyer = make_lawyer(areas=[area])
    first = _ask(asker, area)
    second = _ask(asker, area, title="试用期被辞退有没有补偿？")

    services.route_question(question=first)
    services.route_question(question=second)

    assert Notification.objects.filter(recipient=lawyer).count() == 1
    assert _notified(second) == set()


def test_route_question_prefers_the_askers_province(make_lawyer, asker, area, settings):
    settings.LAWQA_ROUTING_MAX_PER_QUESTION = 1
    make_lawyer(areas=[area], province="北京", city="北京")
    local = make_lawyer(areas=[area], province="广东", city="广州")
    question = _ask(asker, area, province="广东")

    chosen = services.route_question(question=question)

    assert chosen == [local.pk]


def test_route_question_respects_muted_areas(make_lawyer, asker, area):
    muted = make_lawyer(areas=[area])
    listening = make_lawyer(areas=[area])
    services.set_muted_areas(lawyer=muted, category_ids=[area.pk])
    question = _ask(asker, area)

    services.route_question(question=question)

    assert _notified(question) == {listening.pk}


def test_route_question_never_notifies_the_asker(make_lawyer, area):
    lawyer = make_lawyer(areas=[area])
    question = _ask(lawyer, area)

    assert services.route_question(question=question) == []


def test_route_question_hidden_question_not_routed(make_lawyer, asker, area):
    make_lawyer(areas=[area])
    question = _ask(asker, area)
    question.is_hidden = True
    question.save()

    assert services.route_question(question=question) == []


def test_create_question_routes_after_commit_and_sends_email(
    make_lawyer, asker, area, django_capture_on_commit_callbacks
):
    lawyer = make_lawyer(areas=[area])
    lawyer.email = "lawyer@example.com"
    lawyer.save()

    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(asker, area)

    assert _notified(question) == {lawyer.pk}
    assert [m.to for m in mail.outbox] == [["lawyer@example.com"]]
    assert question.title in mail.outbox[0].subject


def test_change_category_routes_to_new_area_without_repeats(
    make_lawyer, asker, area, other_area, django_capture_on_commit_callbacks
):
    labor = make_lawyer(areas=[area])
    family = make_lawyer(areas=[other_area, area])
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(asker, area)
    with django_capture_on_commit_callbacks(execute=True):
        question_services.change_category(question=question, category=other_area, by=asker)

    assert _notified(question) == {labor.pk, family.pk}
    assert Notification.objects.filter(recipient=family).count() == 1


def test_set_muted_areas_only_own_areas(make_lawyer, area, other_area):
    lawyer = make_lawyer(areas=[area])

    services.set_muted_areas(lawyer=lawyer, category_ids=[area.pk, other_area.pk])

    assert set(MutedArea.objects.filter(lawyer=lawyer).values_list("category_id", flat=True)) == {area.pk}
