"""A page of the record cited as a reader copies it: plain text, BibTeX and CSL-JSON, each carrying the record's
version (the size and root hash of the last checkpoint signed of the reader's log), so a citation names the
record exactly as it stood when it was read, and anyone holding it can check it later against a newer one.

Pure: the address, the day of reading and the version are given by the caller.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from entente.vocabulary import dates


@dataclass(frozen=True)
class Version:
    """The record as the reader read it: its log's size and root hash (hex), as a signed checkpoint gives them."""

    size: int
    root: str

    def words(self) -> str:
        return f"record version {self.size} (root hash {self.root})"


@dataclass(frozen=True)
class Cited:
    """What is cited: a page of the record."""

    key: str  # the entry's, instrument's or finding's id: the citation's key
    title: str  # what it is, in words
    union: str  # the union's name: the record's author
    url: str  # the page's permanent address
    date: str | None = None  # when what it records happened (EDTF), if it has a day


def _parts(day: str) -> list[int]:
    return [int(x) for x in day.split("-")]


def _issued(edtf: str | None) -> str | None:
    """The first day an EDTF date can mean, or None where it has none a citation can carry."""
    if not edtf:
        return None
    try:
        return dates.start(edtf)
    except dates.DateError:
        return None


def plain(cited: Cited, version: Version | None, accessed: str) -> str:
    """One line, as a bibliography writes a web page: author, title, date, record, address, version, day read."""
    when = f" ({cited.date})" if cited.date else ""
    held = f", {version.words()}" if version else ""
    return f"{cited.union}. “{cited.title}”{when}. Record of {cited.union}, {cited.url}{held}, accessed {accessed}."


def _bib(text: str) -> str:
    """Text safe inside a BibTeX field: its braces and the characters TeX reads as commands escaped."""
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def bibtex(cited: Cited, version: Version | None, accessed: str) -> str:
    key = re.sub(r"[^A-Za-z0-9:-]+", "-", cited.key)
    fields = [("author", "{" + _bib(cited.union) + "}"), ("title", _bib(cited.title)),
              ("howpublished", "\\url{" + cited.url + "}"), ("url", cited.url),
              ("organization", _bib(f"Record of {cited.union}")), ("urldate", accessed)]
    if (issued := _issued(cited.date)) is not None:
        fields.append(("year", issued[:4]))
    if version is not None:
        fields += [("version", str(version.size)), ("note", _bib(version.words()))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def csl(cited: Cited, version: Version | None, accessed: str) -> dict[str, Any]:
    """The citation as CSL-JSON (Citation Style Language), the form reference managers import."""
    item: dict[str, Any] = {
        "id": cited.key, "type": "entry", "title": cited.title, "author": [{"literal": cited.union}],
        "container-title": f"Record of {cited.union}", "URL": cited.url,
        "accessed": {"date-parts": [_parts(accessed)]},
    }
    if (issued := _issued(cited.date)) is not None:
        item["issued"] = {"date-parts": [_parts(issued)]}
    if version is not None:
        item["version"] = str(version.size)
        item["note"] = version.words()
    return item


def citations(cited: Cited, version: Version | None, accessed: str) -> dict[str, str]:
    """Every form of the citation, as text to copy."""
    return {"plain": plain(cited, version, accessed), "bibtex": bibtex(cited, version, accessed),
            "csl": json.dumps([csl(cited, version, accessed)], ensure_ascii=False, indent=1)}
