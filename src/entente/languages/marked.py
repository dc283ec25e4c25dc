"""``N_``: a message marked for the catalogs where it is written, and said in the reader's language where it is
shown (the extraction finds it by this name; the code keeps the English)."""

from __future__ import annotations


def N_(message: str) -> str:
    return message
