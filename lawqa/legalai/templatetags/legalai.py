from django import template

from lawqa.legalai import services

register = template.Library()


@register.inclusion_tag("legalai/_suggestions.html")
def article_suggestions(question, k: int = 5) -> dict:
    """可能相关的法律规定 for a question page: its stored top `k` articles, linked (one query);
    ranked in the background, never here."""
    return {"suggestions": services.question_suggestions(question, k)}
