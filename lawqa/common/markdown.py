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
ALLOWED_TAGS |= {"div"}  # the cited-articles block after an answer
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "span": {"title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
# Classes our own markup uses (citation links and warnings, the cited-articles block); any other
# class is dropped, so text cannot borrow the site's styles.
_CITE_STATUSES = ("ok", "repealed", "not_found", "unknown_law")
ALLOWED_CLASSES = {
    "a": {"cite", *(f"cite-{s}" for s in _CITE_STATUSES)},
    "span": {"cite", "cite-warning", *(f"cite-{s}" for s in _CITE_STATUSES)},
    "details": {"cite-details"},
    "div": {"cited-articles"},
    "p": {"cited-title", "cite-note"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed markup of `html`; every link gets rel="nofollow ugc noopener".

    Whatever builds HTML from user text calls this as its very last step, after every insertion
    (citation links included): nothing added after sanitising is ever checked.

    >>> sanitize_html('<a href="javascript:alert(1)" onclick="x()" class="cite evil">法条</a>')
    '<a class="cite" rel="nofollow ugc noopener">法条</a>'
    """
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def markdown_to_html(text: str) -> str:
    """User markdown as HTML, NOT yet sanitised (raw HTML is escaped, headings demoted): for a
    renderer that adds markup of its own and then calls `sanitize_html` on the whole."""
    # Demote headings so an answer cannot out-shout the page's own h1/h2.
    html = _md.render(text or "")
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


def render_markdown(text: str) -> str:
    """Render user markdown to sanitised HTML.

    >>> render_markdown("**注意**<script>alert(1)</script>")
    '<p><strong>注意</strong>&lt;script&gt;alert(1)&lt;/script&gt;</p>\\n'
    """
    return sanitize_html(markdown_to_html(text))
