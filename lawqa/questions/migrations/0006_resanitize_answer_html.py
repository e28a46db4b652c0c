"""Sanitise the stored HTML of every answer once more (issue 11, finding 2).

Answers rendered before sanitising became the last step of rendering could hold a citation link
inserted after the sanitiser ran (inside a link's title). Running the sanitiser over the stored
HTML gives what the new renderer produces. A frozen copy of the allow-list of
lawqa/common/markdown.py as it was when this migration was written.
"""

import nh3
from django.db import migrations

TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "blockquote", "code", "pre", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody", "tr", "th", "td", "span", "abbr",
    "details", "summary", "mark", "div",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "span": {"title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
STATUSES = ("ok", "repealed", "not_found", "unknown_law")
CLASSES = {
    "a": {"cite", *(f"cite-{s}" for s in STATUSES)},
    "span": {"cite", "cite-warning", *(f"cite-{s}" for s in STATUSES)},
    "details": {"cite-details"},
    "div": {"cited-articles"},
    "p": {"cited-title", "cite-note"},
}


def resanitize(apps, schema_editor):
    Answer = apps.get_model("questions", "Answer")
    for answer in Answer.objects.only("pk", "body_html").iterator(chunk_size=500):
        clean = nh3.clean(
            answer.body_html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            allowed_classes=CLASSES,
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow ugc noopener",
            strip_comments=True,
        )
        if clean != answer.body_html:
            Answer.objects.filter(pk=answer.pk).update(body_html=clean)


class Migration(migrations.Migration):
    dependencies = [("questions", "0005_answer_revisions_and_held")]
    operations = [migrations.RunPython(resanitize, migrations.RunPython.noop)]
