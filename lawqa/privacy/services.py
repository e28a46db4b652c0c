"""Privacy services other apps call. (Owner: privacy helper — extend freely, keep signatures.)"""

from __future__ import annotations

from .masking import MaskResult, mask_text


def mask_public_text(text: str) -> MaskResult:
    """Mask personal data in text that will be shown publicly, stored or indexed."""
    return mask_text(text or "")
