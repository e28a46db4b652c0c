"""关注 / 同问 with their counters, 补充问题, 评价 and the lawyer's reply, 我的提问 / 我的关注."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawqa.lawyers.models import LawyerProfile
from lawqa.privacy import services as privacy_services
from lawqa.questions import services
from lawqa.questions.models import AnswerRating, Question, QuestionFollow, QuestionSupplement

from .helpers import db_state

BODY = "可以先向劳动监察大队投诉，也可以申请劳动仲裁，要求支付拖欠的工资和经济补偿。"


def _counts(question: Question) -> tuple[int, int]:
    question.refresh_from_db()
    return question.follower_count, question.same_question_count


# --- 关注 / 同问 --------------------------------------------------------------------------------


def test_follow_counts_followers(question, make_user):
    users = [make_user(), make_user()]

    for user in users:
        services.set_follow(question=question, user=user, notify=True)

    assert _counts(question) == (2, 0)
    assert QuestionFollow.objects.filter(question=question, notify=True).count() == 2


def test_same_question_also_follows_and_unsame_keeps_following(question, make_user):
    user = make_user()

    services.set_follow(question=question, user=user, same_question=True)
    assert _counts(question) == (1, 1)

    services.set_follow(question=question, user=user, same_question=False)
    assert _counts(question) == (1, 0)


def test_unfollow_after_same_question_keeps_the_same_question_count(question, make_user):
    user = make_user()
    services.set_follow(question=question, user=user, same_question=True)

    services.set_follow(question=question, user=user, notify=False)

    assert _counts(question) == (0, 1)


def test_follow_twice_counts_once(question, make_user):
    user = make_user()

    services.set_follow(question=question, user=user, notify=True)
    services.set_follow(question=question, user=user, notify=True)

    assert _counts(question) == (1, 0)


def test_follow_both_off_deletes_the_row(question, make_user):
    user = make_user()
    services.set_follow(question=question, user=user, same_question=True)

    row = services.set_follow(question=question, user=user, notify=False, same_question=False)

    assert row is None
    assert QuestionFollow.objects.count() == 0
    assert _counts(question) == (0, 0)


def test_follow_own_question_refused(question, asker):
    before = db_state()

    with pytest.raises(PermissionDenied, match="这是您自己的问题"):
        services.set_follow(question=question, user=asker, same_question=True)

    assert db_state() == before


def test_follow_hidden_question_refused(question, make_user, moderator):
    from lawqa.moderation import services as moderation_services

    moderation_services.set_question_hidden(question=question, hidden=True, by=moderator)
    before = db_state()

    with pytest.raises(PermissionDenied):
        services.set_follow(question=question, user=make_user(), notify=True)

    assert db_state() == before


def test_follow_view_htmx_swaps_buttons_with_new_count(client, question, make_user):
    client.force_login(make_user())

    response = client.post(
        reverse("questions:follow", args=[question.pk]), {"action": "same"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="follow-box"' in html
    assert "同问 · 1" in html
    assert "已关注" in html
    assert "已记录“同问”" in html


def test_follow_view_without_javascript_redirects_with_message(client, question, make_user):
    client.force_login(make_user())

    response = client.post(reverse("questions:follow", args=[question.pk]), {"action": "follow"}, follow=True)

    assert "已关注。有新的律师解答或补充时，我们会通知您。" in response.content.decode()
    assert _counts(question) == (1, 0)


def test_follow_view_unknown_action_400(client, question, make_user):
    client.force_login(make_user())
    before = db_state()

    response = client.post(reverse("questions:follow", args=[question.pk]), {"action": "boost"})

    assert response.status_code == 400
    assert db_state() == before


def test_question_page_shows_follow_state_to_follower(client, question, make_user):
    user = make_user()
    services.set_follow(question=question, user=user, same_question=True)
    client.force_login(user)

    html = client.get(question.get_absolute_url()).content.decode()

    assert 'aria-pressed="true"' in html
    assert "1 人同问 · 1 人关注" in html


def test_question_page_visitor_gets_login_links_for_follow(client, question):
    html = client.get(question.get_absolute_url()).content.decode()

    assert f"{reverse('accounts:login')}?next=" in html
    assert "关注问题" in html


def test_account_erasure_removes_follows_and_recounts(question, make_user):
    user = make_user()
    services.set_follow(question=question, user=user, same_question=True)

    privacy_services.delete_account(user=user)

    assert QuestionFollow.objects.count() == 0
    assert _counts(question) == (0, 0)


# --- 补充问题 -----------------------------------------------------------------------------------


def test_supplement_is_masked_and_shown_with_time(client, question, asker):
    supplement = services.add_supplement(
        question=question, author=asker, body="补充：老板电话13812345678，他说下月发。"
    )

    html = client.get(question.get_absolute_url()).content.decode()

    assert "13812345678" not in supplement.body
    assert supplement.body in html
    assert "问题补充" in html
    assert f"补充于 {supplement.created_at.astimezone().strftime('%Y')}年" in html


@pytest.mark.parametrize(
    ("body", "code"),
    [
        pytest.param("", "supplement_required", id="empty"),
        pytest.param("补充", "supplement_too_short", id="short"),
        pytest.param("长" * 1001, "supplement_too_long", id="long"),
        pytest.param("补充\x00一些情况说明", "invalid_characters", id="nul"),
    ],
)
def test_supplement_bad_body_refused(question, asker, body, code):
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.add_supplement(question=question, author=asker, body=body)

    assert caught.value.error_dict["body"][0].code == code
    assert db_state() == before


def test_supplement_limit_per_question(question, asker):
    for i in range(services.SUPPLEMENTS_PER_QUESTION):
        services.add_supplement(question=question, author=asker, body=f"第{i}次补充一些新的情况。")
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.add_supplement(question=question, author=asker, body="再补充一些新的情况。")

    assert caught.value.code == "too_many_supplements"
    assert db_state() == before


def test_supplement_on_closed_question_refused(question, asker):
    services.close_question(question=question, by=asker)
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.add_supplement(question=question, author=asker, body="再补充一些新的情况。")

    assert caught.value.code == "question_closed"
    assert db_state() == before


def test_supplement_view_shows_masking_preview_first(client, question, asker):
    client.force_login(asker)
    url = reverse("questions:supplement", args=[question.pk])

    preview = client.post(url, {"body": "老板电话13812345678，他说下月发。"})
    published = client.post(url, {"body": "老板电话138****5678，他说下月发。", "masking_seen": "1"})

    assert preview.status_code == 200
    assert "为保护您的隐私" in preview.content.decode()
    assert published.status_code == 302
    assert QuestionSupplement.objects.get().body == "老板电话138****5678，他说下月发。"


def test_supplement_view_rate_limited(client, question, asker, settings):
    settings.LAWQA_RATE_LIMITS = {**settings.LAWQA_RATE_LIMITS, "supplement": (1, 3600)}
    client.force_login(asker)
    url = reverse("questions:supplement", args=[question.pk])
    client.post(url, {"body": "第一次补充一些新的情况。"})

    response = client.post(url, {"body": "第二次补充一些新的情况。"})

    assert response.status_code == 429
    assert QuestionSupplement.objects.count() == 1


def test_hidden_supplement_not_shown(client, question, asker, moderator):
    from lawqa.moderation import services as moderation_services

    supplement = services.add_supplement(question=question, author=asker, body="这条补充会被隐藏掉。")
    moderation_services.set_supplement_hidden(supplement=supplement, hidden=True, by=moderator)

    assert "这条补充会被隐藏掉" not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(moderator)
    assert "这条补充会被隐藏掉" in client.get(question.get_absolute_url()).content.decode()


# --- 评价 ---------------------------------------------------------------------------------------


def test_rate_answer_masks_comment_and_counts_on_profile(answer, asker, lawyer):
    rating = services.rate_answer(answer=answer, by=asker, score="satisfied", comment="很好，电话13812345678")

    assert "13812345678" not in rating.comment
    profile = LawyerProfile.objects.get(user=lawyer)
    assert (profile.rating_satisfied, profile.rating_neutral, profile.rating_unsatisfied) == (1, 0, 0)


def test_rate_answer_twice_refused(answer, asker):
    services.rate_answer(answer=answer, by=asker, score="neutral")
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.rate_answer(answer=answer, by=asker, score="satisfied")

    assert caught.value.code == "already_rated"
    assert db_state() == before


@pytest.mark.parametrize(
    ("score", "comment", "field", "code"),
    [
        pytest.param("great", "", "score", "score_required", id="unknown-score"),
        pytest.param("", "", "score", "score_required", id="no-score"),
        pytest.param("satisfied", "好" * 201, "comment", "rating_comment_too_long", id="long-comment"),
    ],
)
def test_rate_answer_bad_input_refused(answer, asker, score, comment, field, code):
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.rate_answer(answer=answer, by=asker, score=score, comment=comment)

    assert caught.value.error_dict[field][0].code == code
    assert db_state() == before


def test_accept_with_rating_does_both(answer, asker):
    services.accept_answer(answer=answer, by=asker, score="satisfied", comment="谢谢律师")

    answer.refresh_from_db()
    assert answer.is_accepted
    assert AnswerRating.objects.get(answer=answer).score == "satisfied"


def test_accept_with_bad_rating_leaves_answer_unaccepted(answer, asker):
    before = db_state()

    with pytest.raises(ValidationError):
        services.accept_answer(answer=answer, by=asker, score="satisfied", comment="好" * 201)

    assert db_state() == before


def test_accepted_answer_page_offers_rating_form_open(client, answer, asker):
    services.accept_answer(answer=answer, by=asker)
    client.force_login(asker)

    html = client.get(answer.question.get_absolute_url()).content.decode()

    assert '<details class="rate-box" open>' in html
    assert "您对这条回答满意吗？" in html


def test_rate_view_then_lawyer_replies_once(client, answer, asker, lawyer):
    client.force_login(asker)
    client.post(
        reverse("questions:rate", args=[answer.pk]), {"score": "unsatisfied", "comment": "没有回答我的问题"}
    )
    client.force_login(lawyer)

    first = client.post(
        reverse("questions:rating_reply", args=[answer.pk]), {"body": "请补充合同细节，我再看看。"}
    )
    second = client.post(
        reverse("questions:rating_reply", args=[answer.pk]), {"body": "第二次回复"}, follow=True
    )

    rating = AnswerRating.objects.get(answer=answer)
    assert first.status_code == 302
    assert (rating.score, rating.comment, rating.reply) == (
        "unsatisfied",
        "没有回答我的问题",
        "请补充合同细节，我再看看。",
    )
    assert "每条评价只能回复一次" in second.content.decode()
    html = client.get(answer.question.get_absolute_url()).content.decode()
    assert "提问人评价：不满意" in html
    assert "律师回复：</span>请补充合同细节，我再看看。" in html


def test_reply_before_rating_refused(answer, lawyer):
    before = db_state()

    with pytest.raises(ValidationError) as caught:
        services.reply_to_rating(answer=answer, by=lawyer, body="谢谢")

    assert caught.value.code == "not_rated"
    assert db_state() == before


def test_rating_of_hidden_answer_leaves_profile_counts(answer, asker, lawyer, moderator):
    from lawqa.moderation import services as moderation_services

    services.rate_answer(answer=answer, by=asker, score="satisfied")
    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)

    assert LawyerProfile.objects.get(user=lawyer).rating_satisfied == 0


def test_profile_page_shows_recent_ratings(client, answer, asker, lawyer):
    services.rate_answer(answer=answer, by=asker, score="satisfied", comment="解答及时，很专业")

    html = client.get(reverse("lawyers:profile", args=[lawyer.pk])).content.decode()

    assert "解答及时，很专业" in html
    assert answer.question.title in html


# --- 我的提问 / 我的关注 --------------------------------------------------------------------------


def test_my_questions_lists_own_questions_including_anonymous_and_hidden(client, asker, area, moderator):
    from lawqa.moderation import services as moderation_services

    anonymous = services.create_question(
        asker=asker, title="匿名问一个离婚的问题", detail="", category=area, is_anonymous=True
    )
    hidden = services.create_question(asker=asker, title="这个问题会被隐藏吗", detail="", category=area)
    moderation_services.set_question_hidden(question=hidden, hidden=True, by=moderator)
    client.force_login(asker)

    html = client.get(reverse("questions:my_questions")).content.decode()

    assert anonymous.title in html
    assert hidden.title in html
    assert "已被版主隐藏" in html


def test_my_follows_lists_followed_questions_only_for_their_user(client, question, make_user):
    follower, stranger = make_user(), make_user()
    services.set_follow(question=question, user=follower, notify=True)

    client.force_login(stranger)
    assert question.title not in client.get(reverse("questions:my_follows")).content.decode()
    client.force_login(follower)
    assert question.title in client.get(reverse("questions:my_follows")).content.decode()


@pytest.mark.parametrize("name", ["questions:my_questions", "questions:my_follows"])
def test_my_pages_require_login(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
