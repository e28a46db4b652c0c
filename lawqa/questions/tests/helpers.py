"""Shared helpers for the core acceptance tests: a snapshot of what a write may change."""

from __future__ import annotations

from django.db.models import Sum

from lawqa.lawyers.models import LawyerProfile
from lawqa.moderation.models import ModerationLog, Report
from lawqa.questions.models import (
    Answer,
    AnswerRating,
    AnswerVote,
    FollowUp,
    Question,
    QuestionFollow,
    QuestionSupplement,
)


def db_state() -> dict[str, int]:
    """Row counts and flags a denied or invalid write must leave untouched."""
    return {
        "questions": Question.objects.count(),
        "answers": Answer.objects.count(),
        "followups": FollowUp.objects.count(),
        "votes": AnswerVote.objects.count(),
        "reports": Report.objects.count(),
        "moderation_logs": ModerationLog.objects.count(),
        "accepted": Answer.objects.filter(is_accepted=True).count(),
        "hidden_questions": Question.objects.filter(is_hidden=True).count(),
        "hidden_answers": Answer.objects.filter(is_hidden=True).count(),
        "verified_lawyers": LawyerProfile.objects.filter(status=LawyerProfile.Status.VERIFIED).count(),
        "helpful": Answer.objects.aggregate(n=Sum("helpful_count"))["n"] or 0,
        "follows": QuestionFollow.objects.filter(notify=True).count(),
        "same_questions": QuestionFollow.objects.filter(same_question=True).count(),
        "follower_counts": Question.objects.aggregate(n=Sum("follower_count"))["n"] or 0,
        "supplements": QuestionSupplement.objects.count(),
        "ratings": AnswerRating.objects.count(),
        "rating_replies": AnswerRating.objects.exclude(reply="").count(),
    }


def state_diff(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Only the keys that changed, as after − before."""
    return {key: after[key] - before[key] for key in before if after[key] != before[key]}
