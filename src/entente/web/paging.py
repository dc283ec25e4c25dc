"""A long list shown a page at a time: the page asked for (``?page=N``, or a list's own parameter), its rows, the
count of them all, and the links to the pages beside it, each keeping the rest of the page's query.

A page number that is not one of the list's pages is refused in the page's language, said above the first
page, which is shown instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from entente.languages.catalog import N_
from entente.web import i18n
from entente.web.base import Page

T = TypeVar("T")

PER_PAGE = 25  # rows a page shows: a screen or two, whatever the record's size


@dataclass(frozen=True)
class Paged(Generic[T]):
    """One page of a list: its rows, which page it is of how many, and the addresses of the pages beside it."""

    rows: Sequence[T]
    number: int  # from 1
    pages: int
    total: int  # rows in the whole list
    first: int  # the place of the first row shown in the whole list, from 1 (0 when the list is empty)
    previous: str | None  # the address of the page before, None on the first
    next: str | None  # the address of the page after, None on the last
    refused: bool = False  # the page asked for was none of the list's: the first is shown instead

    @property
    def status(self) -> int:
        """The page's HTTP status: 400 when the page asked for was none of the list's, else 200."""
        return 400 if self.refused else 200

    @property
    def last(self) -> int:
        """The place of the last row shown in the whole list."""
        return self.first + len(self.rows) - 1 if self.rows else 0


def paged(p: Page, rows: Sequence[T], param: str = "page", per_page: int = PER_PAGE, anchor: str = "",
          drop: tuple[str, ...] = ()) -> Paged[T]:
    """The page of ``rows`` the query's ``param`` asks for (the first when it asks for none).  The links to the
    pages beside it keep the rest of the query but ``drop`` (a notice meant for one showing), and go to ``anchor``
    on the page; a number that is none of the list's pages is said on the page (``Page.problem``)."""
    pages = max(1, -(-len(rows) // per_page))
    asked = p.request.query_params.get(param)
    number, refused = 1, False
    if asked not in (None, ""):
        number = int(asked) if asked.isdigit() else 0
        if not 1 <= number <= pages:
            gettext = i18n.translations(p.lang).gettext
            p.problem = gettext(N_("%(param)s=%(asked)s is not a page of this list: its pages are 1 to %(pages)s")) \
                % {"param": param, "asked": asked, "pages": pages}
            p.problem_lang, p.instead = p.lang, N_("The first page is shown instead.")
            number, refused = 1, True
    start = (number - 1) * per_page
    cleared = dict.fromkeys(drop)

    def link(to: int) -> str:
        return p.here(**{**cleared, param: to if to > 1 else None}) + (f"#{anchor}" if anchor else "")

    return Paged(rows=rows[start:start + per_page], number=number, pages=pages, total=len(rows),
                 first=start + 1 if rows else 0, previous=link(number - 1) if number > 1 else None,
                 next=link(number + 1) if number < pages else None, refused=refused)
