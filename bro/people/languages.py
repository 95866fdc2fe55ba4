"""Languages a person may speak, by ISO 639 code, named in the user's language through Babel."""

from babel import Locale
from django.utils.translation import get_language

# Languages common among refugees and labour immigrants in Norway, and Norway's own. Babel lacks
# names for some (Dari, Kurmanji), so those carry their own.
LANGUAGE_CODES = [
    "ar",
    "am",
    "bs",
    "ckb",
    "en",
    "es",
    "fa",
    "fr",
    "hr",
    "kmr",
    "ku",
    "lt",
    "nb",
    "nn",
    "pl",
    "prs",
    "ps",
    "ro",
    "ru",
    "se",
    "so",
    "sq",
    "sr",
    "sw",
    "ta",
    "ti",
    "tr",
    "uk",
    "ur",
    "vi",
    "zh",
]
FALLBACK_NAMES = {
    "nb": {"prs": "dari", "kmr": "kurmanji"},
    "en": {"prs": "Dari", "kmr": "Kurmanji"},
}


def language_name(code: str, language: str | None = None) -> str:
    ui = (language or get_language() or "nb")[:2]
    locale = Locale.parse("nb" if ui == "nb" else "en")
    name = FALLBACK_NAMES.get(locale.language, {}).get(code) or locale.languages.get(code)
    return name or code


def language_choices() -> list[tuple[str, str]]:
    return sorted(((code, language_name(code)) for code in LANGUAGE_CODES), key=lambda c: c[1].lower())
