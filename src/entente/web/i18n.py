"""The interface's languages: English in the templates, every other language a gettext catalog in locales/.

Adding a language is one more ``locales/<code>/LC_MESSAGES/messages.po``
(``pybabel init -l <code>``); the catalogs are read from their .po files when
the app starts (Babel compiles them in memory), so no compiled file is kept.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).parent / "locales"
DEFAULT = "en"


@cache
def languages() -> list[str]:
    return [DEFAULT, *sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES" / "messages.po").exists())]


def names() -> dict[str, str]:
    """Each language named in itself ("Latviešu", "Lietuvių"), for the switch on every page."""
    return {code: (Locale.parse(code).display_name or code).capitalize() for code in languages()}


@cache
def translations(lang: str) -> NullTranslations:
    po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def choose(asked: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page's language: the one in the URL, else the one chosen before, else the browser's, else English."""
    known = languages()
    for candidate in (asked, cookie):
        if candidate in known:
            return candidate
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in known:
            return code
    return DEFAULT
