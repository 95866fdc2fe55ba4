"""``python -m bro.demo [--seed 2026] [--persons 3000] [--today YYYY-MM-DD] [--if-empty] [--reset] [--print-logins]``.

Builds the demo into the database ``bro.settings`` points at (``DATABASE_URL`` or var/bro.sqlite3)
and prints the demo logins. ``--if-empty`` builds only when there are no persons yet (clearing any
leftover demo organisations and users first); ``--reset`` deletes the demo data first and builds it
again; ``--print-logins`` only prints the login table.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bro.demo", description="Build Bro's deterministic demo data."
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--persons", type=int, default=3000, help="number of persons (default 3000)")
    parser.add_argument(
        "--today", type=datetime.date.fromisoformat, default=None, help="anchor date (default: today)"
    )
    parser.add_argument("--if-empty", action="store_true", help="do nothing when any person exists")
    parser.add_argument(
        "--reset", action="store_true", help="delete demo persons, organisations and users first"
    )
    parser.add_argument("--print-logins", action="store_true", help="only print the demo login table")
    args = parser.parse_args(argv)
    if args.persons < 1:
        parser.error("--persons must be at least 1")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bro.settings")
    import django

    django.setup()
    from bro.demo import generator
    from bro.people.models import Person

    if args.print_logins:
        print(generator.login_table())
        return 0
    if args.if_empty and not args.reset and Person.objects.exists():
        print("Persons exist already; leaving the database as it is (--if-empty).")
        print()
        print(generator.login_table())
        return 0
    if args.reset or args.if_empty:
        # With no persons left, leftover demo organisations or users would only block the build.
        generator.reset(log=print)
    try:
        result = generator.build(args.seed, args.persons, args.today, log=print)
    except generator.DemoDataError as exc:
        print(f"bro.demo: {exc}", file=sys.stderr)
        return 1
    print(generator.describe(result))
    print()
    print(generator.login_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
