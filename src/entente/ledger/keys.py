"""The secretariat's signing key (Ed25519): created on first use, owner-readable only.

The key lives beside a SQLite store (``entente.db`` → ``entente.db.key``) or,
for PostgreSQL, in ``entente.key`` in the working directory; the setting
``ENTENTE_KEY`` names another path, so several servers of one store share it.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SETTING = "ENTENTE_KEY"


class KeyFileError(ValueError):
    """A key file that cannot be read as the secretariat's key."""


def key_path(db: str) -> Path:
    """Where the store's key is: the setting if given, else beside a SQLite file, else ``entente.key``."""
    if os.environ.get(SETTING):
        return Path(os.environ[SETTING])
    if db.startswith(("postgresql://", "postgres://")):
        return Path("entente.key")
    return Path(db.removeprefix("sqlite:///") + ".key")


def load_or_create(path: Path) -> Ed25519PrivateKey:
    """The key in ``path``; a new one written there (mode 600) if there is none yet."""
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        try:  # exclusive create: of two processes starting at once, one writes the key and both use it
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"{path}: not a readable signing key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_text(key: Ed25519PublicKey) -> str:
    """The public key as base64 of its 32 raw bytes: what a party keeps to check checkpoints."""
    return base64.b64encode(public_bytes(key)).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """A short name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def public_from_text(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except ValueError as exc:
        raise KeyFileError(f"not an Ed25519 public key in base64: {exc}") from None
