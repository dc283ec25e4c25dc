"""Append-only stores for a union's record."""

from entente.record.errors import StoreError
from entente.record.store import ConflictError, RecordConflict, Store, open_store

__all__ = ["ConflictError", "RecordConflict", "Store", "StoreError", "open_store"]
