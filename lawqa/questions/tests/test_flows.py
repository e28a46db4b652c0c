"""The question's life: answers, accepting (and moving the mark), status, votes, follow-ups."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lawqa.moderation import services as moderation_services
from lawqa.questions import services
from lawqa.questions.models import Answer, AnswerVote, FollowUp, Question

from .helpers import db_state

BODY = "建议先协商，协商不成可以申请劳动仲裁，要求支付工资。"


@pytest.fixture
def two_answers(answer, make_lawyer):
    second = services.post_answer(question=answer.question, lawyer=make_lawyer(), body=BODY)
    return answer, second


def _accepted_ids(question: Question) -> list[int]:
    return list(question.answers.filter(is_accepted=True).values_list("pk", flat=True))


def test_accept_answer_marks_it_and_sets_status(answer, asker):
    services.accept_answer(answer=answer, by=asker)

    answer.question.refresh_from_db()
    assert _accepted_ids(answer.question) == [answer.pk]
    assert answer.question.status == Question.Status.ACCEPTED


def test_accept_another_answer_moves_the_mark(two_answers, asker):
    first, second = two_answers
    services.accept_answer(answer=first, by=asker)

    services.accept_answer(answer=second, by=asker)

    assert _accepted_ids(first.question) == [second.pk]


def test_accept_view_moves_the_mark(client, two_answers, asker):
    first, second = two_answers
    client.force_login(asker)

    client.post(reverse("questions:accept", args=[first.pk]))
    response = client.post(reverse("questions:accept", args=[second.pk]), follow=True)

    assert _accepted_ids(first.question) == [second.pk]
    assert "已采纳该回答，感谢您的反馈。" in response.content.decode()


def test_question_status_transitions(question, asker, lawyer, moderator):
    def status() -> str:
        question.refresh_from_db()
        return question.status

    assert status() == Question.Status.OPEN
    answer = services.post_answer(question=question, lawyer=lawyer, body=BODY)
    assert (status(), question.answer_count) == (Question.Status.ANSWERED, 1)
    services.accept_answer(answer=answer, by=asker)
    assert status() == Question.Status.ACCEPTED
    # Hiding the accepted answer drops the mark and, with no visible answer left, reopens the question.
    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)
    assert (status(), question.answer_count) == (Question.Status.OPEN, 0)
    moderation_services.set_answer_hidden(answer=answer, hidden=False, by=moderator)
    assert (status(), question.answer_count) == (Question.Status.ANSWERED, 1)
    services.close_question(question=question, by=asker)
    assert status() == Question.Status.CLOSED


def test_question_status_stays_closed_when_answer_hidden(answer, asker, moderator):
    services.close_question(question=answer.question, by=asker)

    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)

    answer.question.refresh_from_db()
    assert answer.question.status == Question.Status.CLOSED


def test_delete_answer_reopens_question(answer, moderator):
    moderation_services.delete_answer(answer=answer, by=moderator)

    question = Question.objects.get(pk=answer.question_id)
    assert (question.status, question.answer_count, Answer.objects.count()) == (Question.Status.OPEN, 0, 0)


def test_accepted_answer_listed_first_on_page(client, two_answers, asker):
    first, second = two_answers
    services.vote_helpful(answer=first, user=asker)
    services.accept_answer(answer=second, by=asker)

    response = client.get(first.question.get_absolute_url())

    assert [a.pk for a in response.context["answers"]] == [second.pk, first.pk]
    assert "✔ 提问人已采纳" in response.content.decode()


def test_answers_ordered_by_helpful_votes(client, two_answers, make_user):
    first, second = two_answers
    for _ in range(2):
        services.vote_helpful(answer=second, user=make_user())

    response = client.get(first.question.get_absolute_url())

    assert [a.pk for a in response.context["answers"]] == [second.pk, first.pk]


def test_vote_toggles(answer, make_user):
    voter = make_user()

    assert services.vote_helpful(answer=answer, user=voter).helpful_count == 1
    assert AnswerVote.objects.filter(answer=answer, user=voter).count() == 1
    assert services.vote_helpful(answer=answer, user=voter).helpful_count == 0
    assert AnswerVote.objects.count() == 0


def test_vote_counts_distinct_users(answer, make_user):
    for _ in range(3):
        services.vote_helpful(answer=answer, user=make_user())

    answer.refresh_from_db()
    assert (answer.helpful_count, AnswerVote.objects.count()) == (3, 3)


def test_vote_view_htmx_returns_button_fragment(client, answer, asker):
    client.force_login(asker)
    url = reverse("questions:vote", args=[answer.pk])

    voted = client.post(url, headers={"HX-Request": "true"})
    unvoted = client.post(url, headers={"HX-Request": "true"})

    assert voted.status_code == unvoted.status_code == 200
    assert "已觉得有帮助（1）" in voted.content.decode()
    assert 'aria-pressed="true"' in voted.content.decode()
    assert "有帮助（0）" in unvoted.content.decode()


def test_vote_on_hidden_answer_refused(answer, asker, moderator):
    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)
    before = db_state()

    with pytest.raises(PermissionDenied):
        services.vote_helpful(answer=answer, user=asker)

    assert db_state() == before


def test_followup_asker_asks_and_lawyer_replies(answer, asker, lawyer):
    asked = services.add_followup(answer=answer, author=asker, body="仲裁需要准备哪些证据？")
    replied = services.add_followup(answer=answer, author=lawyer, body="劳动合同、工资流水、考勤记录。")

    assert [(f.kind, f.author_id) for f in FollowUp.objects.all()] == [
        (FollowUp.Kind.QUESTION, asker.pk),
        (FollowUp.Kind.REPLY, lawyer.pk),
    ]
    assert (asked.pk, replied.pk) == tuple(answer.followups.values_list("pk", flat=True))


def test_followup_shown_on_page_with_kinds(client, answer, asker, lawyer):
    services.add_followup(answer=answer, author=asker, body="仲裁需要准备哪些证据？")
    services.add_followup(answer=answer, author=lawyer, body="劳动合同、工资流水、考勤记录。")

    html = client.get(answer.question.get_absolute_url()).content.decode()

    assert "追问：</span>仲裁需要准备哪些证据？" in html
    assert "律师回复：</span>劳动合同、工资流水、考勤记录。" in html


@pytest.mark.parametrize("who", ["other_asker", "other_lawyer", "moderator"])
def test_followup_by_others_refused(answer, make_user, make_lawyer, moderator, who):
    author = {"other_asker": make_user, "other_lawyer": make_lawyer, "moderator": lambda: moderator}[who]()
    before = db_state()

    with pytest.raises(PermissionDenied):
        services.add_followup(answer=answer, author=author, body="我也想问一下这个问题。")

    assert db_state() == before


def test_followup_on_closed_question_refused(answer, asker):
    services.close_question(question=answer.question, by=asker)
    before = db_state()

    with pytest.raises(PermissionDenied):
        services.add_followup(answer=answer, author=asker, body="还能再问一下吗？")

    assert db_state() == before


def test_followup_view_posts_and_redirects_to_answer(client, answer, asker):
    client.force_login(asker)

    response = client.post(
        reverse("questions:followup", args=[answer.pk]), {"body": "仲裁需要准备哪些证据？"}
    )

    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    assert FollowUp.objects.get().body == "仲裁需要准备哪些证据？"


def test_followup_form_shown_only_to_asker_and_answering_lawyer(client, answer, asker, lawyer, make_user):
    marker = f'action="{reverse("questions:followup", args=[answer.pk])}"'
    url = answer.question.get_absolute_url()
    seen = {}
    for name, user in (("asker", asker), ("lawyer", lawyer), ("other", make_user())):
        client.force_login(user)
        seen[name] = marker in client.get(url).content.decode()

    assert seen == {"asker": True, "lawyer": True, "other": False}


def test_answer_form_shown_only_to_verified_lawyer(client, question, lawyer, unverified_lawyer, asker):
    url = question.get_absolute_url()
    seen = {}
    for name, user in (("lawyer", lawyer), ("unverified", unverified_lawyer), ("asker", asker)):
        client.force_login(user)
        html = client.get(url).content.decode()
        seen[name] = ('id="answer-form"' in html, "只有通过认证的执业律师才能回答问题" in html)

    assert seen == {"lawyer": (True, False), "unverified": (False, True), "asker": (False, False)}


def test_answer_view_publishes_and_redirects_to_anchor(client, question, lawyer):
    client.force_login(lawyer)

    response = client.post(reverse("questions:answer", args=[question.pk]), {"body": BODY}, follow=True)

    answer = Answer.objects.get()
    assert response.redirect_chain == [(answer.get_absolute_url(), 302)]
    assert "回答已发布。" in response.content.decode()


def test_answer_body_markdown_is_sanitised(question, lawyer):
    answer = services.post_answer(
        question=question, lawyer=lawyer, body="**要点**：\n\n1. 申请仲裁\n\n<script>alert(1)</script>"
    )

    assert "<strong>要点</strong>" in answer.body_html
    assert "<script>" not in answer.body_html


def test_view_count_increments_on_each_view(client, question):
    for _ in range(3):
        client.get(question.get_absolute_url())

    question.refresh_from_db()
    assert question.view_count == 3


def test_question_url_with_slug_redirects_to_canonical(client, question):
    response = client.get(f"/questions/{question.pk}/anything-here/")

    assert (response.status_code, response["Location"]) == (301, question.get_absolute_url())


def test_anonymous_question_shows_anonymous_user(client, asker, area):
    question = services.create_question(
        asker=asker, title="匿名提问的劳动问题", detail="", category=area, is_anonymous=True
    )

    html = client.get(question.get_absolute_url()).content.decode()

    assert "匿名用户" in html
    assert asker.display_name not in html
