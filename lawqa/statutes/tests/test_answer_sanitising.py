"""Issue 11, finding 2: sanitising is the last step of rendering an answer, so a citation written
where markdown puts an attribute (a link's title) cannot smuggle markup past the sanitiser."""

from __future__ import annotations

import importlib
import re

from lawqa.statutes.services import render_answer_html

LINK_WITH_CITATION_IN_TITLE = '见[链接](https://evil.example "《民法典》第一千零三十八条 x")'


def _anchors(html: str) -> list[str]:
    return re.findall(r"<a\b[^>]*>", html)


def test_answer_html_citation_in_link_title_stays_text(statutes):
    html = render_answer_html(LINK_WITH_CITATION_IN_TITLE)

    evil = [a for a in _anchors(html) if "evil.example" in a]
    assert evil == [
        '<a href="https://evil.example" title="《民法典》第一千零三十八条 x" rel="nofollow ugc noopener">'
    ]


def test_answer_html_every_link_has_rel(statutes):
    html = render_answer_html(
        LINK_WITH_CITATION_IN_TITLE + "\n\n依据《民法典》第一千零三十八条，[官网](https://example.cn)。"
    )

    anchors = _anchors(html)
    assert len(anchors) == 4  # the user's two links, the citation link, the article page link
    assert all('rel="nofollow ugc noopener"' in a for a in anchors)


def test_answer_html_citation_link_kept_with_its_classes(statutes):
    html = render_answer_html("依据《民法典》第一千零三十八条，个人信息不得泄露。")

    assert '<a class="cite cite-ok" href="/laws/%E6%B0%91%E6%B3%95%E5%85%B8/1038/"' in html
    assert '<div class="cited-articles">' in html


def test_migration_resanitizes_answer_html_stored_before_the_fix(answer):
    from django.apps import apps

    from lawqa.questions.models import Answer

    stored = (
        '<p>见<a href="https://evil.example" title="《民法典》<a class=" cite="" onclick="x()">链接</a></p>'
    )
    Answer.objects.filter(pk=answer.pk).update(body_html=stored)
    migration = importlib.import_module("lawqa.questions.migrations.0006_resanitize_answer_html")

    migration.resanitize(apps, None)

    answer.refresh_from_db()
    assert answer.body_html == (
        '<p>见<a href="https://evil.example" title="《民法典》&lt;a class=" rel="nofollow ugc noopener">链接</a></p>'
    )
