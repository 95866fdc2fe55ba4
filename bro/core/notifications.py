"""Notifications: tell the users of an organisation that something happened, and read one's own.

A notification stores the facts (numbers, dates, names) and a kind; the text is rendered in the
reader's language when they look (``Notification.template_name``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from bro.core.models import Membership, Notification, Organisation, User


def notify_organisation(
    organisation: Organisation,
    *,
    kind: str,
    params: dict,
    link: str = "",
    roles: Iterable[str] | None = None,
) -> list[Notification]:
    """One notification for each active user with a membership in ``organisation`` (only ``roles``,
    when given). Each user is notified once, however many roles they hold there."""
    members = Membership.objects.filter(organisation=organisation, user__is_active=True)
    if roles is not None:
        members = members.filter(role__in=list(roles))
    user_ids = sorted(set(members.values_list("user_id", flat=True)), key=str)
    return Notification.objects.bulk_create(
        [
            Notification(user_id=user_id, organisation=organisation, kind=kind, params=params, link=link)
            for user_id in user_ids
        ]
    )


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user).select_related("organisation")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return notifications_for(user, unread_only=True).count()


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user's as read; the number marked."""
    return notifications_for(user, unread_only=True).update(read_at=timezone.now())
