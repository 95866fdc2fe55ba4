"""The municipality registry: loading the real data and looking numbers up on a date."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_municipalities(municipality_model=None, path: Path = DATA_FILE) -> int:
    """Create or update every municipality version in the CSV; link predecessors to successors.

    Idempotent, so it runs from a migration and again after the file is updated for a reform.
    """
    if municipality_model is None:
        from bro.core.models import Municipality as municipality_model
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    versions = {}
    for row in rows:
        obj, _created = municipality_model.objects.update_or_create(
            number=row["number"],
            valid_from=_date(row["valid_from"]),
            defaults={
                "name": row["name"],
                "county_number": row["county_number"],
                "county_name": row["county_name"],
                "valid_to": _date(row["valid_to"]),
            },
        )
        versions[(row["number"], row["valid_from"])] = obj
    for row in rows:
        successors = [n for n in (row.get("successors") or "").split(";") if n]
        if not successors or not row["valid_to"]:
            continue
        start = _date(row["valid_to"]) + datetime.timedelta(days=1)
        obj = versions[(row["number"], row["valid_from"])]
        for number in successors:
            successor = municipality_model.objects.filter(number=number, valid_from=start).first()
            if successor is not None:
                obj.successors.add(successor)
    return len(rows)


def municipality_by_number(number: str, on: datetime.date | None = None):
    """The municipality with ``number`` as the registry stood on ``on`` (today by default)."""
    from bro.core.models import Municipality

    on = on or timezone.localdate()
    found = Municipality.objects.valid_on(on).filter(number=(number or "").strip()).first()
    if found is None:
        raise ValidationError(
            _("There is no municipality with number %(number)s.") % {"number": number},
            code="unknown_municipality",
        )
    return found
