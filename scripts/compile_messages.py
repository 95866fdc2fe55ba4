"""Compile every bro/locale/*/LC_MESSAGES/django.po (and each app's bro/<app>/locale/...) to django.mo with Babel.

Django's ``compilemessages`` needs GNU gettext (``msgfmt``); a fresh machine has only the venv, so
``make messages`` runs this instead. The ``.mo`` files are built, not committed (see .gitignore).

Exits 1, and writes nothing for that catalogue, when a catalogue has a fuzzy or untranslated entry
or a translation whose %(name)s placeholders differ from its msgid's.

    .venv/bin/python scripts/compile_messages.py          # compile
    .venv/bin/python scripts/compile_messages.py --check  # only check; also fail if a .mo is stale
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "bro" / "locale"


def catalogues(locale_dir: Path | None = None) -> list[Path]:
    """The project catalogue (bro/locale) and each app's own (bro/<app>/locale), or those under ``locale_dir``."""
    if locale_dir is not None:
        return sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))
    return sorted(
        path
        for path in (ROOT / "bro").rglob("django.po")
        if path.parent.name == "LC_MESSAGES" and path.parent.parent.parent.name == "locale"
    )


def read_catalogue(po_path: Path) -> Catalog:
    with po_path.open("rb") as handle:
        # abort_invalid: a syntax error in the .po is an error, not a silently skipped entry.
        return read_po(handle, abort_invalid=True)


def _label(message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    where = f"{message.locations[0][0]}:{message.locations[0][1]}" if message.locations else "?"
    return f"{msgid!r} ({where})"


def problems(catalog: Catalog) -> list[str]:
    """Why this catalogue must not be compiled: fuzzy, untranslated or mismatched entries."""
    found = []
    for message in catalog:
        if not message.id:  # the header
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {_label(message)}")
        elif not all(strings):
            found.append(f"untranslated: {_label(message)}")
    for message, errors in catalog.check():
        found.extend(f"{error}: {_label(message)}" for error in errors)
    return found


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; fail if a .mo is missing or stale"
    )
    parser.add_argument("--locale-dir", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    paths = catalogues(args.locale_dir)
    if not paths:
        print(f"no catalogues under {args.locale_dir or ROOT / 'bro'}", file=sys.stderr)
        return 1
    failed = False
    for po_path in paths:
        name = po_path.relative_to(ROOT) if po_path.is_relative_to(ROOT) else po_path
        try:
            catalog = read_catalogue(po_path)
        except Exception as exc:  # noqa: BLE001 - report any parse error and go on to the next file
            print(f"{name}: cannot be read: {exc}", file=sys.stderr)
            failed = True
            continue
        found = problems(catalog)
        if found:
            failed = True
            print(f"{name}: {len(found)} problem(s), not compiled:", file=sys.stderr)
            for line in found:
                print(f"  {line}", file=sys.stderr)
            continue
        data = compiled(catalog)
        mo_path = po_path.with_suffix(".mo")
        current = mo_path.read_bytes() if mo_path.exists() else None
        count = sum(1 for m in catalog if m.id)
        if args.check:
            if current != data:
                print(f"{name}: {mo_path.name} is missing or out of date; run make messages", file=sys.stderr)
                failed = True
            else:
                print(f"{name}: {count} messages, {mo_path.name} is up to date")
        elif current != data:
            # Only rewrite when the content changes, so runserver's autoreloader is not woken for nothing.
            mo_path.write_bytes(data)
            print(f"{name}: {count} messages compiled to {mo_path.name}")
        else:
            print(f"{name}: {count} messages, {mo_path.name} already up to date")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
