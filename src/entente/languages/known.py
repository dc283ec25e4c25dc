"""Which languages have a catalog, and which one a locale asks for: read from the folder names alone, so the
command line can take ``--lang`` without loading Babel (``entente -h`` and ``--version`` stay quick)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
DEFAULT = "en"
# Where a program's language is read from, first to last, as gettext reads it.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@cache
def languages() -> list[str]:
    """English, then every language with a catalog."""
    return [DEFAULT, *sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES" / "messages.po").exists())]


def from_locale(environ: Mapping[str, str]) -> str:
    """The language the locale asks for ("lv_LV.UTF-8" → "lv") where it has a catalog, else English."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            # LANGUAGE may list several ("lv:en"); the first with a catalog wins.
            for part in value.split(":"):
                code = part.split(".")[0].split("_")[0].lower()
                if code in languages():
                    return code
            return DEFAULT
    return DEFAULT
