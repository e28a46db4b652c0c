"""Reads of legalai: the lawyer's muted areas (the 待解答 list is lawyers.queries.workspace_questions)."""

from lawqa.legalai.models import MutedArea


def muted_area_ids(lawyer) -> set[int]:
    return set(MutedArea.objects.filter(lawyer=lawyer).values_list("category_id", flat=True))
