"""Writes and checks for the statute library: import, citation checking, answer rendering.

Other apps call only `check_citations`, `render_answer_html` and `record_citations`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.html import escape

from lawqa.common.markdown import markdown_to_html, sanitize_html
from lawqa.statutes import citations as cit
from lawqa.statutes.library import article_label, law_rank, parse_body
from lawqa.statutes.models import Article, Citation, Law

# ---------------------------------------------------------------------------------------------
# Import


# Bump when the way records become rows changes, so that the next import rewrites every law.
IMPORT_FORMAT = 2


@dataclass
class ImportReport:
    """What `import_library` did, with per-document parse notes."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    articles: int = 0
    problems: dict[str, list[str]] = field(default_factory=dict)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _slug_base(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("/", "-")


def _slugs(records: list[dict]) -> dict[str, str]:
    """source id → slug: the law's name for its current (or last) version, name(date) for others."""
    by_name: dict[str, list[dict]] = {}
    for rec in records:
        by_name.setdefault(rec["name"], []).append(rec)
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name, versions in by_name.items():
        primary = next((v for v in versions if v.get("is_current")), None) or max(
            versions, key=lambda v: v.get("publish") or ""
        )
        for v in sorted(versions, key=lambda v: v is not primary):
            slug = (
                _slug_base(name) if v is primary else f"{_slug_base(name)}({v.get('publish') or v['id'][:8]})"
            )
            if slug in taken:
                slug = f"{slug}-{v['id'][:8]}"
            taken.add(slug)
            slugs[v["id"]] = slug
    return slugs


def _law_fields(rec: dict, slug: str, doc) -> dict:
    toc = []
    first_article: dict[int, str] = {}
    for a in doc.articles if doc else ():
        for depth in range(len(a.headings)):
            first_article.setdefault(hash(a.headings[: depth + 1]), a.label)
    seen: set[int] = set()
    if doc:
        # Headings with the first article under each, for the law page's table of contents.
        path: list[tuple[int, str]] = []
        for level, text in doc.headings:
            path = [(lv, t) for lv, t in path if lv < level] + [(level, text)]
            key = hash(tuple(t for _, t in path))
            if key in seen:
                continue
            seen.add(key)
            toc.append([len(path), text, first_article.get(key, "")])
    return {
        "slug": slug,
        "name": rec["name"],
        "title": rec.get("title") or rec["name"],
        "subtitle": rec.get("subtitle") or "",
        "aliases": _aliases(rec),
        "level": rec.get("level") or "",
        "category": rec.get("category") or "",
        "promulgated_on": _date(rec.get("publish")),
        "effective_on": _date(rec.get("valid_from")),
        "version": rec.get("publish") or "",
        "status": rec["status"],
        "is_current": bool(rec.get("is_current")),
        "repealed_on": _date(rec.get("repealed_on")),
        "repealed_by": rec.get("repealed_by") or "",
        "successor_name": rec.get("successor") or "",
        "header": "\n".join(rec.get("header") or []),
        "body": "\n".join(doc.preamble) if doc else "",
        "toc": toc,
        "article_count": len(doc.articles) if doc else 0,
        "parse_problems": list(doc.problems) if doc else [],
    }


def _aliases(rec: dict) -> list[str]:
    """Other names the law is cited by: short names derived from its title and common abbreviations."""
    own = cit.normalize_name(rec["name"])
    names = cit.generated_aliases(rec["name"]) | cit.generated_aliases(rec.get("title") or rec["name"])
    names |= {short for short, target in cit.ABBREVIATIONS.items() if cit.normalize_name(target) == own}
    names.discard(own)
    return sorted(names, key=lambda a: (len(a), a))


def _record_hash(rec: dict, slug: str) -> str:
    payload = json.dumps([IMPORT_FORMAT, rec, slug], ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()


def _insert_articles(rows: list[tuple]) -> int:
    """Insert article rows with one executemany: 64k articles through the ORM's bulk_create spend
    most of the import building model instances."""
    if not rows:
        return 0
    headings = Article._meta.get_field("headings")
    table = Article._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in ("law_id", "number", "sub", "position", "headings", "text"))
    params = [
        (law_id, number, sub, position, headings.get_db_prep_save(heads, connection), text)
        for law_id, number, sub, position, heads, text in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {qn(table)} ({cols}) VALUES (%s, %s, %s, %s, %s, %s)", params)
    return len(rows)


@transaction.atomic
def import_library(
    *, records: list[dict], progress: Callable[[Iterable[dict]], Iterable[dict]] | None = None
) -> ImportReport:
    """Load bundle records (scripts/bundle_laws.py) into Law/Article rows.

    Idempotent: a record whose content is unchanged is skipped; a changed one has its articles
    replaced; laws no longer in the bundle are deleted. Citations keep pointing at the right
    article afterwards. Resets the in-process law table used by the citation checker.
    """
    report = ImportReport()
    if connection.vendor == "sqlite":
        # One big transaction: a larger page cache keeps SQLite from spilling it to disk mid-way.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    slugs = _slugs(records)
    existing = {law.source_id: law for law in Law.objects.only("id", "source_id", "content_hash", "slug")}
    # Free every slug we are about to (re)assign so the unique constraint never trips mid-import.
    moving = [law.pk for law in existing.values() if law.slug != slugs.get(law.source_id)]
    if moving:
        Law.objects.filter(pk__in=moving).update(slug=F("source_id"))
    stale = set(existing) - set(slugs)
    if stale:
        report.deleted, _ = Law.objects.filter(source_id__in=stale).delete()
        report.deleted = len(stale)
    pending: list[tuple] = []
    digests = {rec["id"]: _record_hash(rec, slugs[rec["id"]]) for rec in records}
    changed_ids = [
        law.pk for sid, law in existing.items() if sid in digests and law.content_hash != digests[sid]
    ]
    for start in range(0, len(changed_ids), 500):
        Article.objects.filter(law_id__in=changed_ids[start : start + 500]).delete()
    for rec in progress(records) if progress else records:
        slug = slugs[rec["id"]]
        digest = digests[rec["id"]]
        law = existing.get(rec["id"])
        if law is not None and law.content_hash == digest:
            report.unchanged += 1
            continue
        doc = parse_body(rec["body"]) if rec.get("body") else None
        fields = _law_fields(rec, slug, doc)
        fields["content_hash"] = digest
        if law is None:
            law = Law.objects.create(source_id=rec["id"], **fields)
            report.created += 1
        else:
            Law.objects.filter(pk=law.pk).update(**fields)
            report.updated += 1
        if doc and doc.problems:
            report.problems[f"{rec['name']}（{rec.get('publish') or rec['status']}）"] = list(doc.problems)
        for position, a in enumerate(doc.articles if doc else ()):
            pending.append((law.pk, a.number, a.sub, position, list(a.headings), a.text))
        if len(pending) >= 5000:
            report.articles += _insert_articles(pending)
            pending = []
    report.articles += _insert_articles(pending)
    if changed_ids or report.deleted:
        Citation.objects.filter(article__isnull=True, law__isnull=False, status=Citation.Status.OK).update(
            article=Subquery(
                Article.objects.filter(
                    law=OuterRef("law"), number=OuterRef("number"), sub=OuterRef("sub")
                ).values("pk")[:1]
            )
        )
    reset_law_table()
    return report


# ---------------------------------------------------------------------------------------------
# The checker's view of the library, cached per process (the library is read-only between imports)


@dataclass
class _Library:
    token: tuple
    table: cit.LawTable
    law_ids: dict[str, int]
    slugs: dict[str, str]


_library: _Library | None = None
_library_lock = threading.Lock()


def reset_law_table() -> None:
    global _library
    _library = None


def _token() -> tuple:
    agg = Law.objects.aggregate(n=Count("id"), m=Max("updated_at"), i=Max("id"))
    return (agg["n"], agg["m"], agg["i"])


def library() -> _Library:
    """The law table for the citation checker (1 query when cached, 3 when (re)built)."""
    global _library
    token = _token()
    current = _library
    if current is not None and current.token == token:
        return current
    with _library_lock:
        laws = list(
            Law.objects.listed().values(
                "id",
                "name",
                "title",
                "slug",
                "status",
                "repealed_on",
                "repealed_by",
                "successor_name",
                "promulgated_on",
                "aliases",
            )
        )
        ids = [law["id"] for law in laws]
        arts: dict[int, set[tuple[int, int]]] = {}
        for law_id, number, sub in Article.objects.filter(law_id__in=ids).values_list(
            "law_id", "number", "sub"
        ):
            arts.setdefault(law_id, set()).add((number, sub))
        infos = []
        for law in laws:
            repealed = law["status"] == Law.Status.REPEALED
            infos.append(
                cit.LawInfo(
                    key=law["name"],
                    title=law["title"],
                    articles=frozenset(arts.get(law["id"], ())),
                    repealed=repealed,
                    repealed_on=law["repealed_on"].isoformat() if law["repealed_on"] else None,
                    repealed_by=law["repealed_by"] or None,
                    successor=law["successor_name"] or None,
                    aliases=tuple(law["aliases"] or ()),
                    rank=law_rank(
                        repealed, law["promulgated_on"].isoformat() if law["promulgated_on"] else None
                    ),
                )
            )
        _library = _Library(
            token=token,
            table=cit.LawTable.build(infos),
            law_ids={law["name"]: law["id"] for law in laws},
            slugs={law["name"]: law["slug"] for law in laws},
        )
        return _library


# ---------------------------------------------------------------------------------------------
# Checking


@dataclass(frozen=True)
class CheckedCitation:
    """A citation in a text with its check result and, when it resolves, the article to link."""

    law: str
    law_title: str
    article: int
    sub: int
    paragraph: int | None
    item: int | None
    status: str
    note: str
    raw: str
    span: tuple[int, int]
    implied: bool
    law_url: str | None
    url: str | None
    article_text: str = ""

    @property
    def label(self) -> str:
        return article_label(self.article, self.sub)

    @property
    def status_label(self) -> str:
        return cit.STATUS_LABELS[self.status]

    @property
    def ok(self) -> bool:
        return self.status == cit.OK


def _article_texts(lib: _Library, results: list[cit.CheckedCitation]) -> dict[tuple[str, int, int], str]:
    wanted = {(r.citation.law, r.citation.article, r.citation.sub) for r in results if r.status == cit.OK}
    if not wanted:
        return {}
    cond = Q()
    for law, number, sub in wanted:
        cond |= Q(law_id=lib.law_ids[law], number=number, sub=sub)
    by_id = {v: k for k, v in lib.law_ids.items()}
    return {
        (by_id[law_id], number, sub): text
        for law_id, number, sub, text in Article.objects.filter(cond).values_list(
            "law_id", "number", "sub", "text"
        )
    }


def check_citations(text: str) -> list[CheckedCitation]:
    """Every citation in `text` with its status (ok / repealed / not_found / unknown_law)."""
    lib = library()
    results = cit.check_text(text or "", lib.table)
    texts = _article_texts(lib, results)
    out = []
    for r in results:
        c = r.citation
        slug = lib.slugs.get(c.law) if c.known else None
        law_url = reverse("statutes:law", args=[slug]) if slug else None
        url = None
        if slug and r.status == cit.OK:
            url = reverse(
                "statutes:article", args=[slug, f"{c.article}-{c.sub}" if c.sub else str(c.article)]
            )
        out.append(
            CheckedCitation(
                law=c.law,
                law_title=r.law.title if r.law else c.law,
                article=c.article,
                sub=c.sub,
                paragraph=c.paragraph,
                item=c.item,
                status=r.status,
                note=r.note,
                raw=c.raw,
                span=c.span,
                implied=c.implied,
                law_url=law_url,
                url=url,
                article_text=texts.get((c.law, c.article, c.sub), ""),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Rendering answers

_MARK_OPEN, _MARK_MID, _MARK_CLOSE = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile("[\ue000-\ue002]")
_MARKED = re.compile("\ue000(\\d+)\ue001(.*?)\ue002", re.S)
_TAG = re.compile("<[^>]*>")  # markdown-it escapes ">" inside attribute values
_MARK_TOKENS = re.compile("\ue000\\d+\ue001|[\ue000-\ue002]")


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _link_html(c: CheckedCitation, inner: str) -> str:
    if c.status == cit.OK and c.url:
        title = escape(f"《{c.law_title}》{c.label}：{_excerpt(c.article_text)}")
        return f'<a class="cite cite-ok" href="{escape(c.url)}" title="{title}">{inner}</a>'
    warning = f'<span class="cite-warning" title="{escape(c.note)}">（{escape(c.status_label)}）</span>'
    if c.law_url:
        return f'<a class="cite cite-{c.status}" href="{escape(c.law_url)}" title="{escape(c.note)}">{inner}</a>{warning}'
    return f'<span class="cite cite-{c.status}" title="{escape(c.note)}">{inner}</span>{warning}'


def _cited_block(checked: list[CheckedCitation]) -> str:
    """The cited articles' text in <details> (readable on touch screens), and the warnings."""
    parts, seen = [], set()
    for c in checked:
        key = (c.law, c.article, c.sub, c.status)
        if key in seen:
            continue
        seen.add(key)
        if c.status == cit.OK and c.url:
            parts.append(
                f'<details class="cite-details"><summary>《{escape(c.law_title)}》{escape(c.label)}</summary>'
                f"<p>{escape(c.article_text).replace(chr(10), '<br>')}</p>"
                f'<p><a href="{escape(c.url)}">查看条文页</a></p></details>'
            )
        else:
            parts.append(f'<p class="cite-note">{escape(c.note)}</p>')
    if not parts:
        return ""
    return (
        '<div class="cited-articles"><p class="cited-title">本回答引用的法条</p>' + "".join(parts) + "</div>"
    )


def render_answer_html(markdown_text: str) -> str:
    """Render an answer's markdown to safe HTML, with each citation linked to its article (the
    article text in the link's title and in a <details> list below) and a polite warning after
    repealed, non-existent and unknown citations."""
    text = _MARKS.sub("", markdown_text or "")
    checked = check_citations(text)
    marked, end = [], len(text)
    linked: list[CheckedCitation] = []
    for c in sorted((c for c in checked if not c.implied), key=lambda c: c.span[0], reverse=True):
        start, stop = c.span
        if stop > end:  # overlapping spans: keep the later one
            continue
        linked.append(c)
        i = len(linked) - 1
        marked.append(text[stop:end])
        marked.append(f"{text[start:stop]}{_MARK_CLOSE}")
        marked.append(f"{_MARK_OPEN}{i}{_MARK_MID}")
        end = start
    marked.append(text[:end])
    html = markdown_to_html("".join(reversed(marked)))

    def link(m: re.Match[str]) -> str:
        i = int(m.group(1))
        return _link_html(linked[i], m.group(2)) if i < len(linked) else m.group(2)

    # A citation written inside a link's title (or any attribute) is left plain text there.
    html = _TAG.sub(lambda m: _MARK_TOKENS.sub("", m.group(0)), html)
    html = _MARKS.sub("", _MARKED.sub(link, html))
    # Sanitising is the last step: a citation inside a link title or any other odd place may have
    # produced broken markup above, and only what the sanitiser lets through is stored.
    return sanitize_html(html + _cited_block(checked))


@transaction.atomic
def record_citations(*, answer) -> None:
    """Store the citations of `answer.body` as rows (answer ↔ article), replacing earlier ones."""
    lib = library()
    results = cit.check_text(answer.body or "", lib.table)
    Citation.objects.filter(answer=answer).delete()
    if not results:
        return
    cond = Q()
    for r in results:
        if r.status == cit.OK:
            cond |= Q(law_id=lib.law_ids[r.citation.law], number=r.citation.article, sub=r.citation.sub)
    article_ids = {}
    if cond:
        article_ids = {
            (law_id, number, sub): pk
            for pk, law_id, number, sub in Article.objects.filter(cond).values_list(
                "pk", "law_id", "number", "sub"
            )
        }
    rows = []
    for position, r in enumerate(results):
        c = r.citation
        law_id = lib.law_ids.get(c.law) if c.known else None
        rows.append(
            Citation(
                answer=answer,
                law_id=law_id,
                article_id=article_ids.get((law_id, c.article, c.sub)),
                law_name=c.law[:200],
                number=c.article,
                sub=c.sub,
                paragraph=c.paragraph,
                item=c.item,
                status=r.status,
                raw=c.raw[:200],
                span_start=c.span[0],
                span_end=c.span[1],
                position=min(position, 32767),
            )
        )
    Citation.objects.bulk_create(rows)
