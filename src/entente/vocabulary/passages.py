"""The passages of an article's text that its rules' settings cite: found, marked, and what is left to prose (pure).

A passage is cited as the text gives it, in one of the treaty's languages; it is
looked for in the article's text of that language with runs of spaces (and line
breaks a folded YAML text leaves) counted as one space, so the file may wrap it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from entente.vocabulary.events import Text

_SPACES = re.compile(r"\s+")
# What separates the passages of a text left uncited: sentence and clause ends.
_BREAKS = re.compile(r"(?<=[.;:!?])\s+|\s+(?=\()|(?<=\))\s+")


def plain(text: str) -> str:
    """The text with every run of spaces one space, and none at either end."""
    return _SPACES.sub(" ", text).strip()


def found(passage: str, text: str) -> int | None:
    """Where ``passage`` begins in ``text`` (both as ``plain`` gives them), or None when it is not there."""
    at = plain(text).find(plain(passage))
    return None if at < 0 or not plain(passage) else at


def missing(cites: dict[str, Text], text: Text) -> Iterator[tuple[str, str, str]]:
    """Each cited passage that is not in the article's text of its language: (setting, language, passage)."""
    for setting, passages in cites.items():
        for lang, passage in passages.items():
            if found(passage, text.get(lang, "")) is None:
                yield setting, lang, passage


def spans(text: str, passages: list[str]) -> list[tuple[int, int]]:
    """The parts of ``plain(text)`` the passages cover, as (start, end), merged and in order."""
    body = plain(text)
    covered: list[tuple[int, int]] = []
    for passage in passages:
        p = plain(passage)
        at = body.find(p) if p else -1
        while at >= 0:
            covered.append((at, at + len(p)))
            at = body.find(p, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(covered):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def uncited(text: str, passages: list[str]) -> list[str]:
    """The passages of ``text`` no cited passage covers, sentence by sentence: what the text leaves to prose."""
    body = plain(text)
    out: list[str] = []
    last = 0
    for start, end in [*spans(text, passages), (len(body), len(body))]:
        for part in _BREAKS.split(body[last:start]):
            part = part.strip(" ,;:.—–-")
            if len(re.findall(r"\w+", part)) >= 3:  # a word or two between cited passages only joins them
                out.append(part)
        last = end
    return out


def marked(text: str, passages: list[str]) -> list[tuple[str, bool]]:
    """``plain(text)`` in runs, each with whether a cited passage covers it."""
    body = plain(text)
    out: list[tuple[str, bool]] = []
    last = 0
    for start, end in spans(text, passages):
        if start > last:
            out.append((body[last:start], False))
        out.append((body[start:end], True))
        last = end
    if last < len(body):
        out.append((body[last:], False))
    return out
