"""XSS corpus: answers (markdown, rendered with citation links) must render inert everywhere."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lawqa.common.markdown import render_markdown
from lawqa.questions import services as question_services
from lawqa.statutes.services import render_answer_html

VECTORS = [
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", id="script-src-upper"),
    pytest.param("<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param("<svg onload=alert(1)>", id="svg-onload"),
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param(
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>', id="svg-xlink"
    ),
    pytest.param('<iframe src="javascript:alert(1)"></iframe>', id="iframe"),
    pytest.param('<a href="javascript:alert(1)">点我</a>', id="a-javascript"),
    pytest.param("[点我](javascript:alert(1))", id="md-link-javascript"),
    pytest.param("[点我](JaVaScRiPt:alert(1))", id="md-link-mixed-case"),
    pytest.param("[点我](&#106;avascript:alert(1))", id="md-link-entity"),
    pytest.param("[点我](java\tscript:alert(1))", id="md-link-tab"),
    pytest.param("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", id="md-link-data"),
    pytest.param("[x](vbscript:msgbox(1))", id="md-link-vbscript"),
    pytest.param("![x](javascript:alert(1))", id="md-image-javascript"),
    pytest.param("![x](data:image/svg+xml,<svg onload=alert(1)>)", id="md-image-data-svg"),
    pytest.param('[x](https://example.com" onmouseover="alert(1))', id="md-link-attr-breakout"),
    pytest.param('<https://example.com/"onmouseover=alert(1)>', id="md-autolink-breakout"),
    pytest.param("<body onload=alert(1)>", id="body-onload"),
    pytest.param('<div style="background:url(javascript:alert(1))">x</div>', id="style-url"),
    pytest.param("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", id="mxss-math"),
    pytest.param('<object data="javascript:alert(1)"></object>', id="object"),
    pytest.param('<embed src="javascript:alert(1)">', id="embed"),
    pytest.param('<form action="javascript:alert(1)"><button>提交</button></form>', id="form-action"),
    pytest.param("<input autofocus onfocus=alert(1)>", id="input-onfocus"),
    pytest.param("<details open ontoggle=alert(1)>", id="details-ontoggle"),
    pytest.param('<a href="http://example.com" onclick="alert(1)">链接</a>', id="a-onclick"),
    pytest.param('<a href=" javascript:alert(1)">空格</a>', id="a-leading-space"),
    pytest.param('<a href="&#x6A;avascript:alert(1)">实体</a>', id="a-hex-entity"),
    pytest.param("<scr<script>ipt>alert(1)</scr</script>ipt>", id="nested-script"),
    pytest.param("<<script>alert(1)//<</script>", id="double-open"),
    pytest.param('"><script>alert(1)</script>', id="attr-breakout"),
    pytest.param("'><img src=x onerror=alert(1)>", id="attr-breakout-single"),
    pytest.param("<style>@import 'javascript:alert(1)';</style>", id="style-import"),
    pytest.param('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', id="meta-refresh"),
    pytest.param('<base href="javascript:alert(1)//">', id="base-href"),
    pytest.param('<link rel=stylesheet href="javascript:alert(1)">', id="link-stylesheet"),
    pytest.param('<video><source onerror="alert(1)"></video>', id="video-source"),
    pytest.param('<!--<img src="--><img src=x onerror=alert(1)//">', id="comment-breakout"),
    pytest.param('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', id="noscript-mxss"),
    pytest.param("<template><script>alert(1)</script></template>", id="template"),
    pytest.param("<xss onmouseover=alert(1)>hover</xss>", id="unknown-tag-handler"),
    pytest.param(
        '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>', id="table-background"
    ),
    pytest.param('<abbr title="x" onmouseover="alert(1)">abbr</abbr>', id="allowed-tag-handler"),
    pytest.param('<span class="x" style="x:expression(alert(1))">ie</span>', id="span-style-expression"),
    pytest.param("`<script>alert(1)</script>`\n\n```html\n<script>alert(1)</script>\n```", id="code"),
    pytest.param("《<img src=x onerror=alert(1)>法》第3条规定", id="citation-law-name"),
    pytest.param("[《民法典》第1165条](javascript:alert(1))", id="citation-inside-link"),
    pytest.param(
        "《民法典》第1165条\ue000" + "0\ue001<script>alert(1)</script>\ue002", id="citation-marker-forgery"
    ),
    pytest.param("> <script>alert(1)</script>\n\n- <img src=x onerror=alert(1)>", id="quote-and-list"),
]

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "style", "link",
    "meta", "base", "form", "input", "button", "textarea", "select", "img", "video", "audio", "source",
    "template", "noscript", "body", "html", "xss", "marquee", "isindex",
}  # fmt: skip
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser.elements


def problems(html: str) -> list[str]:
    """Everything in `html` that could run script."""
    found = []
    for tag, attrs in elements(html):
        if tag in DANGEROUS_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction", "xlink:href", "background"}:
                found.append(f"<{tag} {name}>")
            if name in {"href", "src", "action", "data"} and value is not None:
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                if ":" in url.split("/")[0] and not url.startswith(SAFE_SCHEMES):
                    found.append(f"<{tag} {name}={value!r}>")
    return found


@pytest.mark.parametrize("vector", VECTORS)
def test_render_markdown_makes_vector_inert(vector):
    assert problems(render_markdown(vector)) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_render_answer_html_makes_vector_inert(db, vector):
    assert problems(render_answer_html(vector)) == []


def test_links_in_answers_get_nofollow_ugc(db):
    html = render_answer_html("参考 [官方说明](https://www.example.gov.cn/x)")

    anchors = [dict(attrs) for tag, attrs in elements(html) if tag == "a"]
    assert anchors[0]["href"] == "https://www.example.gov.cn/x"
    assert set(anchors[0]["rel"].split()) >= {"nofollow", "ugc"}


def test_xss_corpus_posted_as_answers_renders_inert_on_question_page(
    client, question, make_lawyer, moderator
):
    from lawqa.moderation import services as moderation_services
    from lawqa.moderation.models import HeldPost

    baseline = client.get(question.get_absolute_url()).content.decode()
    vectors = [p.values[0] for p in VECTORS]
    for n in range(0, len(vectors), 10):  # five lawyers, ten vectors in each answer
        body = "律师意见如下：\n\n" + "\n\n".join(vectors[n : n + 10])
        question_services.post_answer(question=question, lawyer=make_lawyer(), body=body)
    # Answers with outside links wait for a moderator (moderation.spam): publish them all, so that
    # every vector is on the public page.
    for held in HeldPost.objects.filter(status=HeldPost.Status.PENDING):
        moderation_services.approve_held_post(held=held, by=moderator)

    html = client.get(question.get_absolute_url()).content.decode()

    scripts = [dict(attrs) for tag, attrs in elements(html) if tag == "script"]
    assert scripts == [dict(attrs) for tag, attrs in elements(baseline) if tag == "script"]
    # Our own files, and the page's JSON-LD (data, not code): it still parses, so no answer text
    # closed its <script> element early.
    assert all(
        s.get("src", "").startswith("/static/") or s.get("type") == "application/ld+json" for s in scripts
    )
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        json.loads(block)
    handlers = [(tag, name) for tag, attrs in elements(html) for name, _ in attrs if name.startswith("on")]
    assert handlers == []
    urls = [v for _, attrs in elements(html) for n, v in attrs if n in {"href", "src", "action"} and v]
    assert [
        u
        for u in urls
        if re.sub(r"[\x00-\x20]", "", u).lower().startswith(("javascript:", "data:", "vbscript:"))
    ] == []


def test_xss_corpus_through_answer_view_renders_inert(client, question, lawyer):
    client.force_login(lawyer)
    body = "律师意见如下：\n\n" + "\n\n".join(p.values[0] for p in VECTORS[:25])

    response = client.post(
        reverse("questions:answer", args=[question.pk]), {"body": body, "masking_seen": "1"}
    )

    assert response.status_code == 302
    html = client.get(question.get_absolute_url()).content.decode()
    start = html.index('class="answer-body"')
    answer_html = html[start : html.index("</div>", start)]
    assert problems(answer_html.split(">", 1)[1]) == []
