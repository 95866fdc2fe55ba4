"""Command line: ``python -m bro.settlement.matching solve INSTANCE.json|CSV-DIRECTORY --out RESULT.json``.

Exit codes: 0 solved, 2 the instance file is malformed (the message names the row and field).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bro.settlement.matching.greedy import solve_greedy
from bro.settlement.matching.io import InstanceFormatError, load_instance
from bro.settlement.matching.solve import solve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bro.settlement.matching")
    commands = parser.add_subparsers(dest="command", required=True)
    solve_command = commands.add_parser(
        "solve", help="solve an instance: a JSON file or a CSV directory (docs/matching-format.md)"
    )
    solve_command.add_argument("instance", type=Path)
    solve_command.add_argument("--out", type=Path, help="write the result as JSON here (default: stdout)")
    solve_command.add_argument("--method", choices=["bro", "milp", "greedy"], default="bro")
    solve_command.add_argument("--time-limit", type=float, default=60.0, help="seconds for the MILP")
    args = parser.parse_args(argv)

    try:
        instance = load_instance(args.instance)
    except InstanceFormatError as error:
        print(f"error: {args.instance}: {error}", file=sys.stderr)
        return 2
    result = (
        solve_greedy(instance)
        if args.method == "greedy"
        else solve(instance, method=args.method, time_limit=args.time_limit)
    )
    text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    gap = "n/a" if result.gap_pct is None else f"{result.gap_pct:.4f}"
    print(
        f"{result.method} status={result.status} objective={result.objective:.4f} gap_pct={gap} "
        f"placed={len(result.assignments)} unassigned={len(result.unassigned)} time_s={result.time_s:.2f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
