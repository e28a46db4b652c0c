"""Head tags for search engines and link previews: canonical URL, robots, OpenGraph and Twitter card,
feed links, and JSON-LD structured data. base.html renders the defaults; pages override its `seo`
and `feeds` blocks with their own values."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from lawqa.seo import structured_data
from lawqa.seo.text import question_description as _question_description

register = template.Library()

SITE_NAME = "法问"
DEFAULT_TITLE = "法问 — 免费法律咨询，执业律师在线解答"
DEFAULT_DESCRIPTION = "法问：描述您的法律问题，经过认证的执业律师在线解答，并标注引用的法律条文。"


def _absolute(context) -> structured_data.Absolute:
    request = context["request"]
    return request.build_absolute_uri


def _listing_path(request) -> str:
    """The path of a list page with only its page number kept (filters and tracking dropped)."""
    page = request.GET.get("page", "")
    return f"{request.path}?page={page}" if page.isdigit() and int(page) > 1 else request.path


@register.filter
def question_description(question) -> str:
    """The meta description of a question page: the first sentence of its (masked) detail."""
    return _question_description(question.title, question.detail)


@register.filter
def law_description(law) -> str:
    count = f"，共{law.article_count}条" if law.article_count else ""
    return f"{law.title}全文{count}。{law.status}。"


@register.filter
def article_description(article) -> str:
    return f"{article.law.title}{article.label}：{Truncator(article.text.replace(chr(10), '')).chars(100)}"


@register.filter
def lawyer_description(profile) -> str:
    """Name, firm, place and areas of a lawyer (areas prefetched by the profile query)."""
    areas = "、".join(area.name for area in profile.areas.all())
    return (
        f"{profile.real_name}，{profile.firm}执业律师（{profile.province}{profile.city}）"
        f"{'，擅长' + areas if areas else ''}。已帮助{profile.helped_count}人解决法律问题。"
    )


@register.inclusion_tag("seo/_meta.html", takes_context=True)
def page_meta(
    context,
    title: str = "",
    description: str = "",
    og_type: str = "website",
    canonical: str | None = None,
    robots: str = "",
) -> dict:
    """canonical, robots, OpenGraph and Twitter card tags. `canonical` is a site path (default: this
    page's path with its page number); pass "" for none, as on pages that are not to be indexed."""
    request = context.get("request")
    if request is None:  # rendered outside a request (nothing to point at)
        canonical = ""
    elif canonical is None:
        canonical = _listing_path(request)
    return {
        "canonical": request.build_absolute_uri(canonical) if canonical else "",
        "robots": robots,
        "title": title or DEFAULT_TITLE,
        "description": description or DEFAULT_DESCRIPTION,
        "og_type": og_type,
        "site_name": SITE_NAME,
    }


@register.inclusion_tag("seo/_feeds.html")
def feed_links(area=None, lawyer=None) -> dict:
    """<link rel="alternate"> to the site's feeds, plus an area's or a lawyer's own."""
    feeds = [
        ("法问：最新法律问题", reverse("seo:feed_questions"), reverse("seo:feed_questions_atom")),
        ("法问：最新律师解答", reverse("seo:feed_answers"), reverse("seo:feed_answers_atom")),
    ]
    if area is not None:
        feeds.append(
            (
                f"法问：{area.name}最新问题",
                reverse("seo:feed_area", args=[area.slug]),
                reverse("seo:feed_area_atom", args=[area.slug]),
            )
        )
    if lawyer is not None:
        feeds.append(
            (
                f"法问：{lawyer.real_name}律师的解答",
                reverse("seo:feed_lawyer", args=[lawyer.user_id]),
                reverse("seo:feed_lawyer_atom", args=[lawyer.user_id]),
            )
        )
    return {"feeds": feeds}


@register.simple_tag(takes_context=True)
def question_jsonld(context, question, answers) -> SafeString | str:
    """QAPage JSON-LD of a question page (nothing for a hidden question a moderator is looking at)."""
    if question.is_hidden:
        return ""
    return structured_data.json_ld(structured_data.question_page(question, answers, _absolute(context)))


@register.simple_tag(takes_context=True)
def law_jsonld(context, law) -> SafeString:
    return structured_data.json_ld(structured_data.law_page(law, _absolute(context)))


@register.simple_tag(takes_context=True)
def article_jsonld(context, article) -> SafeString:
    return structured_data.json_ld(structured_data.article_page(article, _absolute(context)))


@register.simple_tag(takes_context=True)
def lawyer_jsonld(context, profile) -> SafeString:
    return structured_data.json_ld(
        structured_data.lawyer_page(profile, profile.areas.all(), _absolute(context))
    )
