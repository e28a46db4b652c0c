from django import template

from lawqa.lawyers import queries
from lawqa.lawyers.ranking import RANKING_RULE

register = template.Library()


@register.inclusion_tag("lawyers/_recommended.html")
def recommended_lawyers(area, province: str = "", city: str = "", limit: int = 5) -> dict:
    """推荐律师 of `area` (that province's lawyers first), with the ranking rule in small print:
    one query."""
    return {
        "area": area,
        "province": province,
        "lawyers": queries.recommended_lawyers(area=area, province=province, city=city, limit=limit),
        "ranking_rule": RANKING_RULE,
    }


@register.filter
def wait_label(minutes: int | None) -> str:
    """A median answer time in words: 35分钟, 5小时, 2天.

    >>> wait_label(35), wait_label(300), wait_label(3000), wait_label(None)
    ('35分钟', '5小时', '2天', '')
    """
    if minutes is None:
        return ""
    if minutes < 60:
        return f"{max(1, minutes)}分钟"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)}小时"
    return f"{round(minutes / 1440)}天"
