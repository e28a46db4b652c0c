"""Reads of legalai: the lawyer's 待解答 list and muting state."""

from django.db.models import QuerySet

from lawqa.legalai.models import MutedArea


def pending_questions(lawyer) -> QuerySet:
    """Open questions (no answer yet) in `lawyer`'s practice areas, oldest first."""
    from lawqa.questions.models import Question

    profile = getattr(lawyer, "lawyer_profile", None)
    if profile is None:
        return Question.objects.none()
    return (
        Question.objects.visible()
        .filter(status=Question.Status.OPEN, category__in=profile.areas.all())
        .exclude(asker=lawyer)
        .select_related("category", "asker")
        .order_by("created_at", "id")
    )


def muted_area_ids(lawyer) -> set[int]:
    return set(MutedArea.objects.filter(lawyer=lawyer).values_list("category_id", flat=True))
