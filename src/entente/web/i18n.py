"""The page's language: the one asked for in the URL, else the one chosen before, else the browser's.

The catalogs themselves are the software's, shared with the command line (``entente.languages``).
"""

from __future__ import annotations

from entente.languages.catalog import DEFAULT, LOCALES, languages, names, translations

__all__ = ["DEFAULT", "LOCALES", "choose", "languages", "names", "translations"]


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
