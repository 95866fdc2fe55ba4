"""Benchmark: the person list and person page under the access policy, at whatever scale the database holds.

Side by side in one run: the scoped first page for each demo user (policy + audit) against the same
page without the policy (a plain ordered slice of all persons), so the report is a ratio rather than a
machine-dependent absolute. Run with `make bench-list` (builds 100,000 persons first).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bro.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402

from bro.core.models import User  # noqa: E402
from bro.people import selectors  # noqa: E402
from bro.people.models import Person  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
USERS = ["harstad", "imdi", "reception", "teacher"]


def timed(fn) -> list[float]:
    fn()  # warm caches
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def summary(samples: list[float]) -> dict:
    return {
        "min_ms": min(samples) * 1000,
        "median_ms": statistics.median(samples) * 1000,
        "max_ms": max(samples) * 1000,
    }


def main() -> None:
    persons = Person.objects.count()
    if persons == 0:
        sys.exit("No persons: build demo data first (make demo-national).")

    def unscoped():
        page = Paginator(
            Person.objects.select_related("responsible_organisation").order_by(
                "family_name", "given_name", "id"
            ),
            25,
        ).get_page(1)
        list(page.object_list)

    baseline = summary(timed(unscoped))
    results = {
        "persons": persons,
        "database": connection.vendor,
        "repeat": REPEAT,
        "unscoped_first_page": baseline,
        "users": {},
    }
    for username in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue

        def scoped(user=user):
            page = selectors.person_page(user, page=1)
            list(page.object_list)

        first = selectors.person_queryset(user).first()

        def detail(user=user, first=first):
            if first is not None:
                person, _access = selectors.get_person(user, first.id)
                selectors.timeline(person)
                selectors.household_members(person)

        visible = selectors.person_queryset(user).count()
        list_stats = summary(timed(scoped))
        results["users"][username] = {
            "visible_persons": visible,
            "list_first_page": list_stats,
            "person_page": summary(timed(detail)),
            "list_ratio_to_unscoped": round(list_stats["median_ms"] / baseline["median_ms"], 2),
        }
    out = Path(__file__).resolve().parent / "results" / "person_list.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
