"""Permission predicates of legalai."""

from lawqa.questions.rules import is_verified_lawyer


def can_see_pending(user) -> bool:
    """The 待解答 dashboard and area muting are for verified lawyers."""
    return is_verified_lawyer(user)
