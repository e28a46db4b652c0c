"""The permission matrix: every role × every action, through the services and through the views.

Roles: anonymous, the question's asker, another asker, an unverified (pending) lawyer, a verified
lawyer who has not answered, the lawyer who wrote the answer, a moderator, an admin.
Each allowed case checks the write happened (and only it); each denied case checks the service
raises PermissionDenied / the view answers 403 or redirects to the login page, and that nothing
in the database changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lawqa.lawyers import services as lawyer_services
from lawqa.lawyers.models import LawyerProfile
from lawqa.moderation import services as moderation_services
from lawqa.questions import services

from .helpers import db_state, state_diff

ROLES = (
    "anonymous",
    "asker",
    "other_asker",
    "unverified_lawyer",
    "verified_lawyer",
    "answering_lawyer",
    "moderator",
    "admin",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}

# action -> roles allowed to do it.  Everyone else is refused.
ALLOWED: dict[str, frozenset[str]] = {
    "ask": SIGNED_IN,
    # The answering lawyer already answered: a second answer of theirs is not part of the matrix.
    "answer": frozenset({"verified_lawyer"}),
    "follow_up": frozenset({"asker", "answering_lawyer"}),
    "accept": frozenset({"asker"}),
    "vote": SIGNED_IN - {"answering_lawyer"},
    "hide_question": frozenset({"moderator", "admin"}),
    "hide_answer": frozenset({"moderator", "admin"}),
    "verify": frozenset({"admin"}),
    # 关注 / 同问: anyone signed in but the asker (told of every answer anyway).
    "follow": SIGNED_IN - {"asker"},
    "same_question": SIGNED_IN - {"asker"},
    "supplement": frozenset({"asker"}),
    "rate": frozenset({"asker"}),
    "reply_rating": frozenset({"answering_lawyer"}),
}
SKIPPED = {("answer", "answering_lawyer")}

# What an allowed write changes in db_state(), nothing else.
EFFECT: dict[str, dict[str, int]] = {
    "ask": {"questions": 1},
    "answer": {"answers": 1},
    "follow_up": {"followups": 1},
    "accept": {"accepted": 1},
    "vote": {"votes": 1, "helpful": 1},
    "hide_question": {"hidden_questions": 1, "hidden_answers": 0, "moderation_logs": 1},
    "hide_answer": {"hidden_answers": 1, "moderation_logs": 1},
    "verify": {"verified_lawyers": 1},
    "follow": {"follows": 1, "follower_counts": 1},
    "same_question": {"follows": 1, "same_questions": 1, "follower_counts": 1},
    "supplement": {"supplements": 1},
    "rate": {"ratings": 1},
    "reply_rating": {"rating_replies": 1},
}
# Where a visitor is sent instead of doing the action: the login page, except for asking — the
# question is kept in their session and they are asked to register (questions.drafts).
ANONYMOUS_GOES_TO = {"ask": "accounts:register"}


def _cases():
    for action, allowed in ALLOWED.items():
        for role in ROLES:
            if (action, role) in SKIPPED:
                continue
            ok = role in allowed
            yield pytest.param(action, role, ok, id=f"{action}-{role}-{'allowed' if ok else 'denied'}")


CASES = list(_cases())


@dataclass
class World:
    """A question with one answer, a pending lawyer application, and one user per role."""

    users: dict
    question: object
    answer: object
    applicant_profile: LawyerProfile

    def user(self, role: str):
        return AnonymousUser() if role == "anonymous" else self.users[role]


@pytest.fixture
def world(make_user, make_lawyer, asker, question, answer, lawyer, unverified_lawyer, moderator, admin_user):
    applicant = make_user()
    profile = lawyer_services.apply_as_lawyer(
        user=applicant,
        real_name="李申请",
        license_no="31101202010000001",
        firm="上海某律师事务所",
        province="上海",
        city="上海",
        areas=[question.category],
    )
    users = {
        "asker": asker,
        "other_asker": make_user(),
        "unverified_lawyer": unverified_lawyer,
        "verified_lawyer": make_lawyer(),
        "answering_lawyer": lawyer,
        "moderator": moderator,
        "admin": admin_user,
    }
    return World(users=users, question=question, answer=answer, applicant_profile=profile)


def _do_service(action: str, w: World, user) -> None:
    if action == "ask":
        services.create_question(
            asker=user, title="试用期被辞退有补偿吗？", detail="试用期第二个月被辞退。", category="labor"
        )
    elif action == "answer":
        services.post_answer(
            question=w.question, lawyer=user, body="试用期内无正当理由辞退，可以主张赔偿金。"
        )
    elif action == "follow_up":
        services.add_followup(answer=w.answer, author=user, body="仲裁大概需要多长时间？")
    elif action == "accept":
        services.accept_answer(answer=w.answer, by=user)
    elif action == "vote":
        services.vote_helpful(answer=w.answer, user=user)
    elif action == "hide_question":
        moderation_services.set_question_hidden(question=w.question, hidden=True, by=user)
    elif action == "hide_answer":
        moderation_services.set_answer_hidden(answer=w.answer, hidden=True, by=user)
    elif action == "verify":
        lawyer_services.approve_lawyer(profile=w.applicant_profile, by=user)
    elif action == "follow":
        services.set_follow(question=w.question, user=user, notify=True)
    elif action == "same_question":
        services.set_follow(question=w.question, user=user, same_question=True)
    elif action == "supplement":
        services.add_supplement(question=w.question, author=user, body="补充：公司说下个月才能发工资。")
    elif action == "rate":
        services.rate_answer(answer=w.answer, by=user, score="satisfied", comment="解答清楚")
    elif action == "reply_rating":
        services.reply_to_rating(answer=w.answer, by=user, body="谢谢您的评价。")
    else:  # pragma: no cover
        raise AssertionError(action)


def _expected_effect(action: str) -> dict[str, int]:
    return {k: v for k, v in EFFECT[action].items() if v}


def _prepare(action: str, w: World) -> None:
    """What must exist before the action (outside the snapshot): a rating to reply to."""
    if action == "reply_rating":
        services.rate_answer(answer=w.answer, by=w.users["asker"], score="neutral")


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_permission_service(world, action, role, allowed):
    user = world.user(role)
    _prepare(action, world)
    before = db_state()

    if allowed:
        _do_service(action, world, user)
        assert state_diff(before, db_state()) == _expected_effect(action)
    else:
        with pytest.raises(PermissionDenied):
            _do_service(action, world, user)
        assert db_state() == before


def _request(action: str, w: World, client):
    """POST the form a browser would send for `action`."""
    if action == "ask":
        return client.post(
            reverse("questions:ask"),
            {"title": "试用期被辞退有补偿吗？", "detail": "试用期第二个月被辞退。", "category": "labor"},
        )
    if action == "answer":
        return client.post(
            reverse("questions:answer", args=[w.question.pk]),
            {"body": "试用期内无正当理由辞退，可以主张赔偿金。"},
        )
    if action == "follow_up":
        return client.post(
            reverse("questions:followup", args=[w.answer.pk]), {"body": "仲裁大概需要多长时间？"}
        )
    if action == "accept":
        return client.post(reverse("questions:accept", args=[w.answer.pk]))
    if action == "vote":
        return client.post(reverse("questions:vote", args=[w.answer.pk]))
    if action == "hide_question":
        return client.post(
            reverse("moderation:set_hidden", args=["question", w.question.pk]), {"hidden": "1"}
        )
    if action == "hide_answer":
        return client.post(reverse("moderation:set_hidden", args=["answer", w.answer.pk]), {"hidden": "1"})
    if action == "verify":
        return client.post(reverse("admin:lawyers_approve", args=[w.applicant_profile.pk]))
    if action in ("follow", "same_question"):
        return client.post(
            reverse("questions:follow", args=[w.question.pk]),
            {"action": "follow" if action == "follow" else "same"},
        )
    if action == "supplement":
        return client.post(
            reverse("questions:supplement", args=[w.question.pk]), {"body": "补充：公司说下个月才能发工资。"}
        )
    if action == "rate":
        return client.post(reverse("questions:rate", args=[w.answer.pk]), {"score": "satisfied"})
    if action == "reply_rating":
        return client.post(reverse("questions:rating_reply", args=[w.answer.pk]), {"body": "谢谢您的评价。"})
    raise AssertionError(action)  # pragma: no cover


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_permission_view(client, world, action, role, allowed):
    user = world.user(role)
    if role != "anonymous":
        client.force_login(user)
    _prepare(action, world)
    before = db_state()

    response = _request(action, world, client)

    if allowed:
        assert response.status_code == 302, response.content.decode()[:500]
        assert "login" not in response["Location"]
        assert state_diff(before, db_state()) == _expected_effect(action)
        return
    assert db_state() == before
    admin_only = action == "verify"
    if role == "anonymous" or (admin_only and not user.is_staff):
        # Not signed in (or not staff for the admin): sent to the right login page.
        assert response.status_code == 302
        login = (
            reverse("admin:login") if admin_only else reverse(ANONYMOUS_GOES_TO.get(action, "accounts:login"))
        )
        assert urlparse(response["Location"]).path == login
    else:
        assert response.status_code == 403


def test_permission_matrix_covers_every_role_and_action():
    """Each action has at least one allowed and one denied role (the acceptance rule)."""
    for action, allowed in ALLOWED.items():
        assert allowed, action
        assert set(ROLES) - allowed, action
    assert len(CASES) == len(ALLOWED) * len(ROLES) - len(SKIPPED)


def test_permission_staff_moderator_cannot_verify_in_admin(client, world, moderator):
    """A moderator with admin access still may not approve lawyers: 403, nothing changes."""
    moderator.is_staff = True
    moderator.save(update_fields=["is_staff"])
    client.force_login(moderator)
    before = db_state()

    response = client.post(reverse("admin:lawyers_approve", args=[world.applicant_profile.pk]))

    assert response.status_code == 403
    assert db_state() == before


def test_permission_answer_refused_on_closed_question_for_verified_lawyer(world):
    lawyer = world.user("verified_lawyer")
    services.close_question(question=world.question, by=world.user("asker"))
    before = db_state()

    with pytest.raises(Exception) as caught:
        services.post_answer(
            question=world.question, lawyer=lawyer, body="试用期内无正当理由辞退，可以主张赔偿金。"
        )

    assert getattr(caught.value, "code", None) == "question_closed"
    assert db_state() == before


def test_permission_hidden_question_page_404_for_public_visible_to_moderator(client, world):
    moderation_services.set_question_hidden(question=world.question, hidden=True, by=world.user("moderator"))
    url = world.question.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(world.user("asker"))
    assert client.get(url).status_code == 404
    client.force_login(world.user("moderator"))
    response = client.get(url)
    assert response.status_code == 200
    assert "已隐藏（仅版主可见）" in response.content.decode()
