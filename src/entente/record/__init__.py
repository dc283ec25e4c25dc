"""Append-only stores for a union's record."""

from entente.record.store import ConflictError, RecordConflict, Store, StoreError, open_store

__all__ = ["ConflictError", "RecordConflict", "Store", "StoreError", "open_store"]
