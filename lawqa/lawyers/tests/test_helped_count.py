"""已帮助 N 人解决法律问题: N = distinct askers with at least one visible answer from the lawyer
(on a visible question), stored on LawyerProfile and kept right by every service that changes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lawqa.moderation import services as moderation_services
from lawqa.questions import services

BODY = "可以先向劳动监察大队投诉，也可以申请劳动仲裁。"


@pytest.fixture
def ask(area):
    counter = iter(range(1, 1000))

    def make(asker, **extra):
        return services.create_question(
            asker=asker, title=f"劳动纠纷问题第{next(counter)}个", detail="", category=area, **extra
        )

    return make


def helped(profile_of, lawyer) -> int:
    return profile_of(lawyer).helped_count


def test_helped_count_one_after_first_answer(answer, lawyer, profile_of):
    profile = profile_of(lawyer)

    assert (profile.helped_count, profile.answer_count, profile.accepted_count) == (1, 1, 0)


def test_helped_count_same_asker_two_questions_counts_once(ask, asker, lawyer, profile_of):
    for _ in range(2):
        services.post_answer(question=ask(asker), lawyer=lawyer, body=BODY)

    profile = profile_of(lawyer)
    assert (profile.helped_count, profile.answer_count) == (1, 2)


def test_helped_count_distinct_askers_counted(ask, asker, make_user, lawyer, profile_of):
    services.post_answer(question=ask(asker), lawyer=lawyer, body=BODY)
    services.post_answer(question=ask(make_user()), lawyer=lawyer, body=BODY)
    services.post_answer(question=ask(make_user(), is_anonymous=True), lawyer=lawyer, body=BODY)

    assert helped(profile_of, lawyer) == 3


def test_helped_count_other_lawyers_answers_do_not_count(answer, make_lawyer, profile_of):
    other = make_lawyer()

    assert helped(profile_of, other) == 0


def test_helped_count_hide_and_unhide_answer(answer, lawyer, moderator, profile_of):
    moderation_services.set_answer_hidden(answer=answer, hidden=True, by=moderator)
    assert helped(profile_of, lawyer) == 0

    moderation_services.set_answer_hidden(answer=answer, hidden=False, by=moderator)
    assert helped(profile_of, lawyer) == 1


def test_helped_count_hiding_one_of_two_answers_to_same_asker_keeps_one(
    ask, asker, lawyer, moderator, profile_of
):
    first = services.post_answer(question=ask(asker), lawyer=lawyer, body=BODY)
    services.post_answer(question=ask(asker), lawyer=lawyer, body=BODY)

    moderation_services.set_answer_hidden(answer=first, hidden=True, by=moderator)

    profile = profile_of(lawyer)
    assert (profile.helped_count, profile.answer_count) == (1, 1)


def test_helped_count_delete_answer(ask, asker, make_user, lawyer, moderator, profile_of):
    kept = services.post_answer(question=ask(asker), lawyer=lawyer, body=BODY)
    removed = services.post_answer(question=ask(make_user()), lawyer=lawyer, body=BODY)
    assert helped(profile_of, lawyer) == 2

    moderation_services.delete_answer(answer=removed, by=moderator)

    profile = profile_of(lawyer)
    assert (profile.helped_count, profile.answer_count) == (1, 1)
    assert kept.question.answers.count() == 1


def test_helped_count_question_hidden_and_unhidden(answer, lawyer, moderator, profile_of):
    moderation_services.set_question_hidden(question=answer.question, hidden=True, by=moderator)
    assert helped(profile_of, lawyer) == 0

    moderation_services.set_question_hidden(question=answer.question, hidden=False, by=moderator)
    assert helped(profile_of, lawyer) == 1


def test_helped_count_question_hidden_updates_every_answering_lawyer(
    answer, make_lawyer, moderator, profile_of
):
    second = make_lawyer()
    services.post_answer(question=answer.question, lawyer=second, body=BODY)

    moderation_services.set_question_hidden(question=answer.question, hidden=True, by=moderator)

    assert [helped(profile_of, answer.lawyer), helped(profile_of, second)] == [0, 0]


def test_accepted_count_follows_accept_and_move(answer, asker, make_lawyer, profile_of):
    second_lawyer = make_lawyer()
    second = services.post_answer(question=answer.question, lawyer=second_lawyer, body=BODY)

    services.accept_answer(answer=answer, by=asker)
    assert [profile_of(answer.lawyer).accepted_count, profile_of(second_lawyer).accepted_count] == [1, 0]

    services.accept_answer(answer=second, by=asker)
    assert [profile_of(answer.lawyer).accepted_count, profile_of(second_lawyer).accepted_count] == [0, 1]


def test_helped_count_shown_on_card_and_profile(client, ask, make_user, answer, lawyer):
    services.post_answer(question=ask(make_user()), lawyer=lawyer, body=BODY)

    page = client.get(answer.question.get_absolute_url()).content.decode()
    profile = client.get(reverse("lawyers:profile", args=[lawyer.pk])).content.decode()

    assert "已帮助 2 人解决法律问题" in page
    assert "<strong>2</strong>已帮助人数" in profile
