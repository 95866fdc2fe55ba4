"""Writing the audit trail. Every service and selector that touches personal data calls ``record``."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from bro.core.models import AuditAction, AuditEntry, Organisation, User

# Fields whose values are never written to the log, only the fact that they changed.
MASKED_FIELDS = frozenset({"national_identity_number"})
MASK = "•••••••••••"


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """Field → [old, new] for the fields whose value changed, identity numbers masked."""
    changes = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if field in MASKED_FIELDS:
            changes[field] = [MASK if old else None, MASK if new else None]
        else:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def record(
    *,
    user: User | None,
    organisation: Organisation | None,
    action: AuditAction | str,
    obj=None,
    object_type: str = "",
    person_id=None,
    changes: dict | None = None,
    summary: str = "",
    channel: str = "web",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = str(obj.pk)
    else:
        object_id = ""
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "",
        organisation=organisation,
        action=action,
        channel=channel,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        changes=changes or {},
        summary=summary[:300],
    )
