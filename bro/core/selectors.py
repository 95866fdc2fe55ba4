"""Reads of organisations, users and the audit log, scoped to what the user administers."""

from django.core.paginator import Paginator
from django.db.models import Q

from bro.core import policy
from bro.core.models import AuditEntry, User


def organisation_page(user: User, *, query: str = "", kind: str = "", page=1, per_page: int = 25):
    qs = policy.administered_organisations(user).select_related("municipality")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(municipality__number=query))
    if kind:
        qs = qs.filter(kind=kind)
    return Paginator(qs.order_by("name", "id"), per_page).get_page(page)


def user_queryset(admin: User):
    if policy.is_system_administrator(admin):
        return User.objects.all()
    return User.objects.filter(
        memberships__organisation__in=policy.administered_organisations(admin)
    ).distinct()


def user_page(admin: User, *, query: str = "", page=1, per_page: int = 25):
    qs = user_queryset(admin)
    if query:
        qs = qs.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    return Paginator(qs.order_by("username"), per_page).get_page(page)


def audit_page(user: User, *, username="", action="", person=None, date_from=None, date_to=None, page=1):
    qs = AuditEntry.objects.select_related("organisation")
    orgs = policy.audit_log_organisations(user)
    if orgs is not None:
        qs = qs.filter(organisation__in=orgs)
    if username:
        qs = qs.filter(username__iexact=username)
    if action:
        qs = qs.filter(action=action)
    if person:
        qs = qs.filter(person_id=person)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return Paginator(qs.order_by("-at", "-id"), 50).get_page(page)


def organisation_for_admin(user: User, org_id):
    return policy.administered_organisations(user).filter(pk=org_id).first()
