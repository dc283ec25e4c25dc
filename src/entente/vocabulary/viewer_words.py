"""The words that name a viewer other than a party, in a module of their own: reading ``--as`` needs them
and nothing else of the vocabulary (whose types import msgspec)."""

from __future__ import annotations

# Each word with the kind of viewer it names (``secretariat.viewers.Viewer.parse``): a party coded so would be
# read back as that viewer, so no union may code a party so (``definition``).
VIEWER_WORDS = {"secretariat": "secretariat", "operator": "secretariat", "all": "secretariat", "public": "public"}
