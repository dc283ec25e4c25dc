"""The HTTP API: the record's views and writes over JSON, for the viewer a bearer token stands for.

``create_app`` is imported on first use, so the command line (which shares
``api.write``) does not load the web framework for every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from entente.api.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from entente.api.app import create_app

        return create_app
    raise AttributeError(name)
