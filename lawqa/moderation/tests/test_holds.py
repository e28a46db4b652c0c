"""Posts held before publication: spam and advertising (moderation.spam), repeated answers, and the
premoderation of a new account's first posts; the queue where moderators approve or reject them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawqa.lawyers.models import LawyerProfile
from lawqa.moderation import services
from lawqa.moderation.models import HeldPost, ModerationLog
from lawqa.notifications.models import Notification
from lawqa.questions import services as question_services
from lawqa.questions.models import Answer, Question
from lawqa.questions.tests.helpers import db_state
from lawqa.search.models import SearchOutbox

SPAM_ANSWER = "可以申请劳动仲裁。需要帮助请加我微信 lawyer_wang88 详谈，24小时在线。"
CLEAN_ANSWER = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"
LONG_ANSWER = (
    "您好，根据劳动合同法的规定，用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同并要求支付"
    "经济补偿金，也可以向劳动监察部门投诉，或者申请劳动仲裁。"
)


@pytest.fixture
def staff_moderator(moderator):
    moderator.is_staff = True
    moderator.is_superuser = True
    moderator.save(update_fields=["is_staff", "is_superuser"])
    return moderator


def _ask(asker, area, title="公司拖欠三个月工资怎么办？", detail=""):
    return question_services.create_question(asker=asker, title=title, detail=detail, category=area)


def test_post_answer_with_wechat_held_not_published(
    question, lawyer, asker, profile_of, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)

    answer.refresh_from_db()
    question.refresh_from_db()
    held = HeldPost.objects.get()
    assert (answer.is_hidden, answer.is_held) == (True, True)
    assert (held.answer_id, held.author_id, held.source, held.status) == (
        answer.pk,
        lawyer.pk,
        HeldPost.Source.SPAM,
        HeldPost.Status.PENDING,
    )
    assert held.rules == "wechat,invite"
    assert "lawyer_wang88" not in held.evidence + answer.body  # stored masked, as everything
    assert held.evidence.startswith("微信 l") and held.evidence.endswith("88；加我微信")
    assert (question.answer_count, question.status) == (0, Question.Status.OPEN)
    assert profile_of(lawyer).answer_count == 0
    assert Notification.objects.filter(recipient=asker).count() == 0
    assert (
        ModerationLog.objects.filter(
            action="hold", target_type="answer", target_id=answer.pk, actor=None
        ).count()
        == 1
    )


def test_question_page_held_answer_seen_by_its_lawyer_only(client, question, lawyer, make_user):
    answer = question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)

    public = client.get(question.get_absolute_url()).content.decode()
    client.force_login(lawyer)
    own = client.get(question.get_absolute_url()).content.decode()

    assert f'id="answer-{answer.pk}"' not in public
    assert f'id="answer-{answer.pk}"' in own
    assert "该回答正在等待版主审核" in own


def test_answer_view_held_tells_lawyer_why(client, question, lawyer):
    client.force_login(lawyer)

    response = client.post(
        reverse("questions:answer", args=[question.pk]),
        {"body": SPAM_ANSWER, "masking_seen": "1"},
        follow=True,
    )

    html = response.content.decode()
    assert "您的回答已提交，但暂未公开" in html
    assert "含微信联系方式" in html


def test_approve_held_answer_publishes_and_notifies(
    question, lawyer, asker, staff_moderator, profile_of, django_capture_on_commit_callbacks
):
    answer = question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)
    held = HeldPost.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_held_post(held=held, by=staff_moderator, note="律所官方微信，允许")

    answer.refresh_from_db()
    question.refresh_from_db()
    held.refresh_from_db()
    assert (answer.is_hidden, answer.is_held) == (False, False)
    assert (held.status, held.handled_by_id, held.note) == (
        HeldPost.Status.APPROVED,
        staff_moderator.pk,
        "律所官方微信，允许",
    )
    assert (question.answer_count, question.status) == (1, Question.Status.ANSWERED)
    assert profile_of(lawyer).answer_count == 1
    assert Notification.objects.filter(recipient=asker, kind=Notification.Kind.NEW_ANSWER).count() == 1
    assert SearchOutbox.objects.filter(question_id=question.pk).exists()
    assert (
        ModerationLog.objects.filter(action="approve", actor=staff_moderator, target_id=answer.pk).count()
        == 1
    )


def test_reject_held_answer_stays_hidden(question, lawyer, staff_moderator):
    answer = question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)
    held = HeldPost.objects.get()

    services.reject_held_post(held=held, by=staff_moderator, note="广告")

    answer.refresh_from_db()
    held.refresh_from_db()
    assert (answer.is_hidden, answer.is_held) == (True, False)
    assert held.status == HeldPost.Status.REJECTED
    assert ModerationLog.objects.filter(action="reject", target_id=answer.pk).count() == 1


def test_approve_held_by_non_moderator_refused_nothing_changes(question, lawyer, make_user):
    question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)
    held = HeldPost.objects.get()
    before = db_state()

    with pytest.raises(PermissionDenied):
        services.approve_held_post(held=held, by=make_user())

    held.refresh_from_db()
    assert held.status == HeldPost.Status.PENDING
    assert db_state() == before


def test_approve_held_twice_refused(question, lawyer, staff_moderator):
    question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)
    held = HeldPost.objects.get()
    services.approve_held_post(held=held, by=staff_moderator)

    with pytest.raises(ValidationError) as error:
        services.reject_held_post(held=held, by=staff_moderator)

    assert error.value.code == "already_handled"


def test_unhide_button_on_held_answer_approves(client, question, lawyer, staff_moderator):
    answer = question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)
    client.force_login(staff_moderator)

    client.post(reverse("moderation:set_hidden", args=["answer", answer.pk]), {"hidden": "0"})

    answer.refresh_from_db()
    assert (answer.is_hidden, answer.is_held) == (False, False)
    assert HeldPost.objects.get().status == HeldPost.Status.APPROVED


def test_create_question_advertising_held_and_not_routed(
    asker, area, lawyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(
            asker, area, title="专业代办离婚手续，有意者加微信", detail="微信：lawyer_wang88，价格优惠"
        )

    question.refresh_from_db()
    assert (question.is_hidden, question.is_held) == (True, True)
    assert HeldPost.objects.get().question_id == question.pk
    assert Notification.objects.filter(recipient=lawyer).count() == 0


def test_approve_held_question_routes_it(
    asker, area, lawyer, staff_moderator, django_capture_on_commit_callbacks
):
    question = _ask(
        asker, area, title="专业代办离婚手续，有意者加微信", detail="微信：lawyer_wang88，价格优惠"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_held_post(held=HeldPost.objects.get(), by=staff_moderator)

    question.refresh_from_db()
    assert question.is_hidden is False
    assert Notification.objects.filter(recipient=lawyer, kind=Notification.Kind.NEW_QUESTION).count() == 1


def test_held_question_page_seen_by_its_asker_only(client, asker, area, make_user):
    question = _ask(asker, area, title="专业代办离婚手续，有意者加微信", detail="微信：lawyer_wang88")

    anonymous = client.get(question.get_absolute_url())
    client.force_login(asker)
    own = client.get(question.get_absolute_url())

    assert anonymous.status_code == 404
    assert own.status_code == 200
    assert "待审核（仅您和版主可见）" in own.content.decode()


def test_asker_pasting_own_phone_published(asker, area):
    question = _ask(asker, area, detail="我的电话13812345678，公司三个月没发工资，怎么办？")

    assert (question.is_hidden, question.is_held) == (False, False)
    assert "138****5678" in question.detail
    assert HeldPost.objects.count() == 0


def test_post_answer_quoting_askers_phone_published(lawyer, asker, area):
    question = _ask(asker, area, detail="借款人手机13812348000，借了我五万元一直不还，怎么起诉？")

    answer = question_services.post_answer(
        question=question, lawyer=lawyer, body="可以起诉。您提到的13812348000不要公开。"
    )

    assert (answer.is_held, answer.is_hidden) == (False, False)
    assert "138****8000" in answer.body


def test_post_answer_third_copy_across_questions_held(lawyer, asker, area):
    answers = [
        question_services.post_answer(
            question=_ask(asker, area, title=f"公司拖欠工资第{i}个月怎么办？"),
            lawyer=lawyer,
            body=LONG_ANSWER,
        )
        for i in range(3)
    ]

    assert [a.is_held for a in answers] == [False, False, True]
    assert HeldPost.objects.get().rules == "duplicate"


def test_moderator_answer_not_screened(question, lawyer, moderator):
    assert services.rules.is_exempt_from_screening(moderator)
    assert not services.rules.is_exempt_from_screening(lawyer)


@pytest.fixture
def premoderation(settings):
    settings.LAWQA_PREMODERATE_FIRST_POSTS = 1


def test_premoderation_first_question_held_until_one_approved(premoderation, asker, area, staff_moderator):
    first = _ask(asker, area)
    second = _ask(asker, area, title="试用期被辞退有没有补偿？")
    services.approve_held_post(held=HeldPost.objects.get(question=first), by=staff_moderator)
    third = _ask(asker, area, title="加班费应该怎么计算？")

    assert (first.is_held, second.is_held, third.is_held) == (True, True, False)
    assert HeldPost.objects.get(question=first).source == HeldPost.Source.PREMODERATION


def test_premoderation_off_publishes_at_once(asker, area):
    assert _ask(asker, area).is_held is False


def test_premoderation_lawyer_first_answer_held(settings, question, lawyer):
    settings.LAWQA_PREMODERATE_FIRST_POSTS = 1  # after the question was published

    answer = question_services.post_answer(question=question, lawyer=lawyer, body=CLEAN_ANSWER)

    assert answer.is_held is True
    assert HeldPost.objects.get(answer=answer).reason == "新用户的前几条内容需经审核后公开"


def test_held_queue_admin_approve_action(client, question, lawyer, staff_moderator):
    answer = question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)
    held = HeldPost.objects.get()
    client.force_login(staff_moderator)

    listing = client.get(reverse("admin:moderation_heldpost_changelist"))
    client.post(
        reverse("admin:moderation_heldpost_changelist"), {"action": "approve", "_selected_action": [held.pk]}
    )

    assert "含微信联系方式" in listing.content.decode()
    answer.refresh_from_db()
    assert answer.is_hidden is False


def test_held_posts_listed_on_account_page(client, question, lawyer):
    question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)
    client.force_login(lawyer)

    html = client.get(reverse("accounts:account")).content.decode()

    assert "等待审核的内容" in html
    assert "含微信联系方式" in html


def test_refresh_stats_ignore_held_answer(question, lawyer):
    question_services.post_answer(question=question, lawyer=lawyer, body=SPAM_ANSWER)

    profile = LawyerProfile.objects.get(user=lawyer)
    assert (profile.answer_count, Answer.objects.filter(lawyer=lawyer).count()) == (0, 1)
