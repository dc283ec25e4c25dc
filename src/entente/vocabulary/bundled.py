"""The unions that come with Entente: where their folders are, and which one runs when none is named."""

from __future__ import annotations

from pathlib import Path

BUNDLED = Path(__file__).parent.parent / "unions"
DEFAULT_UNION = BUNDLED / "baltic_entente"
