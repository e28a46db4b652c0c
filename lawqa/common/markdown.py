"""Markdown → safe HTML for user-written text (answers, follow-ups).

markdown-it-py renders CommonMark with raw HTML disabled; nh3 (ammonia) then keeps only a small
allow-list of tags and attributes, drops every script, event handler and non-http(s) link, and
marks links rel="nofollow ugc noopener".
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "abbr",
    "details",
    "summary",
    "mark",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "span": {"class", "title"},
    "abbr": {"title"},
    "details": {"class"},
    "summary": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed markup of `html`."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render user markdown to sanitised HTML.

    >>> render_markdown("**注意**<script>alert(1)</script>")
    '<p><strong>注意</strong>&lt;script&gt;alert(1)&lt;/script&gt;</p>\\n'
    """
    # Demote headings so an answer cannot out-shout the page's own h1/h2.
    html = _md.render(text or "")
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return sanitize_html(html)
