import datetime

from django import template

register = template.Library()


@register.filter
def isodate(value):
    """'2026-03-01' (as stored in a notification's details) → a date, for the ``date`` filter."""
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return value
