"""Schema field types for text clients send: the text rules of lawqa.common.text, enforced by the
schema (422 with the rule's Chinese message) and published in it (minLength, maxLength, pattern)."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from pydantic import AfterValidator, Field

from lawqa.common.text import TextRule, clean_text


def _validator(rule: TextRule, keep_raw: bool):
    def check(value: str) -> str:
        try:
            cleaned = clean_text(value, rule, raw_max=True)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        return value if keep_raw else cleaned

    return check


def text_field(rule: TextRule, *, keep_raw: bool = False) -> Any:
    """A str annotated with `rule`: `title: text_field(TITLE_RULE)` gives the cleaned text;
    `keep_raw=True` only checks it (when answers carry offsets into the text the client sent)."""
    return Annotated[
        str, AfterValidator(_validator(rule, keep_raw)), Field(json_schema_extra=rule.json_schema())
    ]
