from django import template

from lawqa.legalai import services

register = template.Library()


@register.inclusion_tag("legalai/_suggestions.html")
def article_suggestions(question, k: int = 5) -> dict:
    """可能相关的法律规定 for a question page: top `k` articles, linked (one query)."""
    return {"suggestions": services.linked_suggestions(services.question_text(question), k)}
