"""Each language's catalog, read from its .po file when first asked for (Babel compiles it in memory, so no
compiled file is kept), and each language named in itself."""

from __future__ import annotations

import io
from functools import cache

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from entente.languages.known import DEFAULT, LOCALES, languages


def names() -> dict[str, str]:
    """Each language named in itself ("Latviešu", "Lietuvių"), for the switch on every page."""
    return {code: (Locale.parse(code).display_name or code).capitalize() for code in languages()}


@cache
def translations(lang: str) -> NullTranslations:
    """The catalog of ``lang``: English (the words in the code) where it has none."""
    po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def N_(message: str) -> str:
    """A message marked for the catalog, translated where it is shown."""
    return message


__all__ = ["DEFAULT", "LOCALES", "N_", "languages", "names", "translations"]
