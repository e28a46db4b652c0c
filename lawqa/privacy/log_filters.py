"""A logging filter that masks personal data in every record before a handler writes it.

Attach it to handlers (not loggers: a logger's filters skip records propagated from children):

    "filters": {"mask_pii": {"()": "lawqa.privacy.log_filters.MaskPIIFilter"}},
    "handlers": {"console": {..., "filters": ["mask_pii"]}},
"""

from __future__ import annotations

import logging

from .masking import mask_text


class MaskPIIFilter(logging.Filter):
    """Replace the record's message (and traceback text) by its masked form; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        masked = mask_text(message).text
        if masked != message or record.args:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            # Format the traceback now so the handler prints the masked text, not a fresh copy.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text).text
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info).text
        return True
