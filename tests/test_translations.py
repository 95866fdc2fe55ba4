"""The bokmål catalogue is complete, compiled and used: bokmål by default, English on request.

The checks run without GNU gettext: the .po is parsed and compiled with Babel, and the msgids are
extracted the way ``makemessages`` does it (templates through Django's ``templatize``, then a Python
string extractor), so a string added to the code without a translation fails here.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import read_mo
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.template import templatize
from django_countries import countries

from bro.people.messages import ERRORS

ROOT = Path(__file__).resolve().parent.parent
BRO = ROOT / "bro"
PO = BRO / "locale" / "nb" / "LC_MESSAGES" / "django.po"

# The keywords makemessages passes to xgettext, on top of xgettext's own (_, gettext, ngettext, …).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def _load_compile_script():
    spec = importlib.util.spec_from_file_location(
        "compile_messages", ROOT / "scripts" / "compile_messages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compile_messages = _load_compile_script()


NB_CATALOGUES = [path for path in compile_messages.catalogues() if path.parent.parent.name == "nb"]


@pytest.fixture(scope="module")
def catalog():
    """Every nb catalogue — the project's and each app's own — as one."""
    merged = compile_messages.read_catalogue(PO)
    for path in NB_CATALOGUES:
        if path != PO:
            for message in compile_messages.read_catalogue(path):
                if message.id:
                    merged[message.id] = message
    return merged


def _source_files():
    """What ``makemessages --ignore 'static/*'`` reads from bro/: .py, .html and .txt, no hidden dirs."""
    for path in sorted(BRO.rglob("*")):
        relative = path.relative_to(BRO)
        if relative.parts[0] in {"static", "locale"} or any(p.startswith(".") for p in relative.parts):
            continue
        if path.is_file() and path.suffix in {".py", ".html", ".txt"}:
            yield path


def _extracted_msgids():
    """(msgid, context, where) for every translatable string in the code and templates."""
    found = []
    for path in _source_files():
        if path.suffix == ".py":
            source = path.read_bytes()
        else:
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            # Only the gettext(...) calls matter; dedent so Python's tokenizer accepts the filler.
            source = "\n".join(line.lstrip() for line in code.splitlines()).encode("utf-8")
        for lineno, message, _comments, context in extract("python", io.BytesIO(source), KEYWORDS):
            msgid = message[0] if isinstance(message, tuple) else message
            found.append((msgid, context, f"{path.relative_to(ROOT)}:{lineno}"))
    return found


def test_the_nb_catalogue_has_no_untranslated_fuzzy_or_broken_entries(catalog):
    assert len(catalog) > 100
    for path in NB_CATALOGUES:
        assert compile_messages.problems(compile_messages.read_catalogue(path)) == [], path


def test_every_string_marked_in_the_code_is_in_the_catalogue_and_translated(catalog):
    extracted = _extracted_msgids()
    assert {"Log in", "My persons", "Welcome, %(name)s"} <= {msgid for msgid, _, _ in extracted}
    missing = [
        f"{where}: {msgid!r}"
        for msgid, context, where in extracted
        if (message := catalog.get(msgid, context)) is None or not message.string
    ]
    assert missing == [], "run `make makemessages` and translate:\n" + "\n".join(missing)


def _entries(catalog) -> dict:
    def plain(value):
        return tuple(value) if isinstance(value, tuple | list) else value

    return {(m.context, plain(m.id)): plain(m.string) for m in catalog if m.id}


def test_the_compiled_catalogues_are_built_from_the_current_po():
    assert compile_messages.main(["--check"]) == 0
    for path in NB_CATALOGUES:
        mo = path.with_suffix(".mo")
        assert mo.exists(), "run `make messages` (scripts/compile_messages.py)"
        with mo.open("rb") as handle:
            compiled = read_mo(handle)
        assert _entries(compiled) == _entries(compile_messages.read_catalogue(path)), path


def test_the_compile_script_refuses_fuzzy_and_untranslated_entries(tmp_path):
    text = PO.read_text(encoding="utf-8")
    broken = text.replace('msgstr "Logg inn"', 'msgstr ""', 1).replace(
        '\nmsgid "Log out"', '\n#, fuzzy\nmsgid "Log out"', 1
    )
    assert broken != text
    po = tmp_path / "nb" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(broken, encoding="utf-8")
    assert compile_messages.main(["--locale-dir", str(tmp_path)]) == 1
    assert not po.with_suffix(".mo").exists()


@pytest.mark.django_db
def test_pages_are_in_bokmal_by_default(client):
    page = client.get("/login/").content.decode()
    assert 'lang="nb"' in page
    assert "Logg inn" in page
    assert "Brukernavn" in page and "Passord" in page
    assert "Log in" not in page


@pytest.mark.django_db
def test_the_language_cookie_switches_to_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/login/").content.decode()
    assert 'lang="en"' in page
    assert "Log in to Bro" in page
    assert "Logg inn" not in page


@pytest.mark.django_db
def test_accept_language_english_gives_english(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in to Bro" in page


@pytest.mark.django_db
def test_the_language_switch_sets_the_cookie(client, settings):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in to Bro" in client.get("/login/").content.decode()


def test_service_validation_messages_are_in_bokmal():
    with translation.override("nb"):
        assert str(ERRORS["identity_number_invalid"]) == (
            "Dette er ikke et gyldig fødselsnummer eller D-nummer (11 siffer med riktige kontrollsifre)."
        )
        assert str(ERRORS["unknown_language"]) % {"code": "xx"} == "Ukjent språkkode: xx."
    with translation.override("en"):
        assert str(ERRORS["identity_number_invalid"]).startswith(
            "This is not a valid national identity number"
        )


def test_choice_labels_use_the_domain_terms():
    from bro.core.roles import CentreType, OrganisationKind
    from bro.people.phases import ImmigrantCategory, Phase

    with translation.override("nb"):
        assert str(Phase.READY_FOR_SETTLEMENT.label) == "Bosettingsklar"
        assert str(OrganisationKind.VOLUNTEER_CENTRE.label) == "Frivillighetssentral"
        assert str(CentreType.EMERGENCY.label) == "Akuttmottak"
        assert str(ImmigrantCategory.RESETTLEMENT_REFUGEE.label) == "Overføringsflyktning"


def test_django_and_library_strings_are_in_bokmal_too():
    # Django, django.contrib.auth and django-countries ship their own nb catalogues.
    with translation.override("nb"):
        assert gettext("This field is required.") == "Feltet er påkrevet."
        assert str(AuthenticationForm.error_messages["invalid_login"]).startswith("Vennligst oppgi korrekt")
        assert countries.name("NO") == "Norge"
        assert countries.name("XS") == "Statsløs"
