"""``python -m entente.reference [FOLDER]``: write the reference pages (into ``docs/reference`` by default)."""

from __future__ import annotations

import sys
from pathlib import Path

from entente.reference import write

folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/reference")
changed = write(folder)
print(f"{folder}: " + (", ".join(changed) + " written" if changed else "every page as the code makes it"))
