"""URL path converters. `<id:pk>` is the one for database ids: 1–18 digits, so every id in a URL
fits a 64-bit integer column and a longer number is a plain 404, never a database overflow."""

from django.urls.converters import IntConverter

# Largest id a URL can name; below 2**63 - 1, the largest BIGINT.
MAX_ID = 10**18 - 1


class IdConverter(IntConverter):
    """A positive database id of at most 18 digits."""

    regex = "[0-9]{1,18}"
