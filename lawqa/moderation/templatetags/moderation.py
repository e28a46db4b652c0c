from django import template

from lawqa.moderation import queries, rules

register = template.Library()


@register.inclusion_tag("moderation/_account_status.html")
def account_moderation_status(user) -> dict:
    """For the account page: the suspension in force with its reason and end, and the user's
    posts waiting for (or refused by) a moderator. Two queries."""
    suspension = rules.active_suspension(user)
    return {
        "suspension": suspension,
        "suspension_message": rules.suspension_message(suspension) if suspension else "",
        "held_posts": queries.held_posts_of(user),
    }
