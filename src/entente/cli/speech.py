"""The language the command line speaks (``--lang``, else the locale): every sentence a report writes is
looked up in that language's catalog, the one the web pages use (``entente.languages``).

The language is set once per command line, by the group; the catalog is read on the first sentence said, so
``entente -h`` and ``--version`` never load Babel.  The record's own words and names are not the
software's sentences and are shown as they are; the rules' findings are said from the catalog where the rule gave
them as data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from entente.languages.known import DEFAULT

if TYPE_CHECKING:
    from babel.support import NullTranslations

_spoken = [DEFAULT]  # the language of this command line


def use(lang: str) -> None:
    _spoken[0] = lang


def lang() -> str:
    return _spoken[0]


def _catalog() -> NullTranslations:
    # Imported here: Babel is loaded by the first sentence a command says, never by -h or --version.
    from entente.languages import catalog

    return catalog.translations(_spoken[0])


def catalog() -> NullTranslations:
    """The catalog of the command line's language, for the rules' sentences given as data."""
    return _catalog()


def _(message: str, **values: object) -> str:
    """A sentence in the command line's language, with its values put in."""
    said = _catalog().gettext(message)
    return said % values if values else said


def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
    """A count in the form the language gives it ("1 breach", "2 breaches"; "1 pārkāpums", "2 pārkāpumi"),
    ``%(num)s`` standing for the count."""
    return _catalog().ngettext(singular, plural, num) % {"num": num, **values}


def spoken(told: Any) -> str:
    """A sentence given as data (``vocabulary.said``), in the command line's language."""
    from entente.vocabulary.said import say

    return say(told, _catalog(), lang())


def refused(exc: Exception) -> str:
    """An error's line in the command line's language (``languages.told.refused_in``)."""
    from entente.languages.told import refused_in  # loaded by then: the error was made with its sentence

    return refused_in(exc, lang())


__all__ = ["_", "catalog", "lang", "ngettext", "refused", "spoken", "use"]
