"""Template helpers for Designsystemet markup and the Bro pages."""

from django import forms, template
from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()


def _described_by(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def ds_widget(field):
    """Render a bound field's widget with the Designsystemet class and ARIA links to help and errors."""
    attrs = {"class": "ds-input"}
    described = _described_by(field)
    if described:
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    if isinstance(field.field.widget, forms.Select) and not isinstance(
        field.field.widget, forms.SelectMultiple
    ):
        attrs["data-width"] = "auto"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.inclusion_tag("forms/field.html")
def ds_field(field):
    return {"field": field}


@register.inclusion_tag("forms/error_summary.html")
def ds_error_summary(form):
    items = []
    for error in form.non_field_errors():
        items.append({"anchor": "", "message": error})
    for field in form:
        for error in field.errors:
            items.append({"anchor": field.auto_id, "message": f"{field.label}: {error}"})
    return {"items": items, "title": _("Correct these before you go on:")}


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current query string with another page number, for pagination links."""
    query = context.get("query", "")
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.filter
def page_window(page, size=2):
    """Page numbers to show around the current one; None marks a gap."""
    last = page.paginator.num_pages
    shown = sorted({1, last, *range(max(1, page.number - size), min(last, page.number + size) + 1)})
    result, previous = [], 0
    for number in shown:
        if number - previous > 1:
            result.append(None)
        result.append(number)
        previous = number
    return result


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None when it is missing."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def minutes(delta) -> int:
    """Whole minutes in a timedelta, rounded up (for the lockout wait)."""
    if delta is None:
        return 0
    return -(-int(delta.total_seconds()) // 60)


@register.filter
def object_label(object_type: str) -> str:
    """'people.person' → the model's name in the user's language."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


ACCESS_REASONS = {
    "responsible": gettext_lazy("responsible now"),
    "history": gettext_lazy("responsible before"),
    "shared": gettext_lazy("shared access"),
}


@register.filter
def audit_summary(summary: str) -> str:
    """Reads store why access was given as a token; show it in words."""
    return str(ACCESS_REASONS.get(summary, summary))
