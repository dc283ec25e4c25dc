"""The secretariat's signing key (Ed25519): created on first use, owner-readable only.

The key lives beside a SQLite store (``entente.db`` → ``entente.db.key``) or,
for PostgreSQL, whose data is on a server, in the user's data folder
(``$XDG_DATA_HOME/entente/keys``, else ``~/.local/share/entente/keys``), one
file per store; never in the working directory, which may be a checkout that
gets committed.  The setting ``ENTENTE_KEY`` names another path, so several
servers of one store share it.  A key that others can read, or that git
tracks, is refused: anyone who can read it can sign as the secretariat.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from entente.vocabulary.said import SaidError, said

SETTING = "ENTENTE_KEY"


class KeyFileError(SaidError):
    """A key file that cannot be read as the secretariat's key (``told``: why, as data)."""


def key_path(db: str) -> Path:
    """Where the store's key is: the setting if given, else beside a SQLite file, else in the user's data folder."""
    if os.environ.get(SETTING):
        return Path(os.environ[SETTING])
    if db.startswith(("postgresql://", "postgres://")):
        return data_folder() / "keys" / f"{server_store_name(db)}.key"
    return Path(db.removeprefix("sqlite:///") + ".key")


def data_folder() -> Path:
    """Entente's folder in the user's data directory (the XDG base directory rule)."""
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(home) / "entente"


def server_store_name(url: str) -> str:
    """A file name for a PostgreSQL store: its host and database, and a digest of the whole address (the schema
    chosen in its options included) so that two stores never share a key; the password takes no part."""
    parts = urlsplit(url)
    where = f"{parts.username or ''}@{parts.hostname or ''}:{parts.port or ''}{parts.path}?{parts.query}"
    readable = re.sub(r"[^A-Za-z0-9.]+", "-", f"{parts.hostname or 'local'}-{parts.path.strip('/')}").strip("-")
    return f"postgresql-{readable}-{hashlib.sha256(where.encode()).hexdigest()[:12]}"


def _tracked_by_git(path: Path) -> bool:
    """Whether ``path`` is a file that git tracks in the repository around it."""
    folder = path.resolve().parent
    if not any((f / ".git").exists() for f in (folder, *folder.parents)):
        return False
    try:
        found = subprocess.run(["git", "-C", str(folder), "ls-files", "--error-unmatch", "--", path.name],
                               capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):  # no git here: nothing can be committed with it either
        return False
    return found.returncode == 0


def refuse_unsafe(path: Path) -> None:
    """Raise when the key in ``path`` is readable by others or tracked by git: it would sign nothing one can trust."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        raise KeyFileError(said("%(file)s: the signing key can be read by other users (mode %(mode)s); run 'chmod "
                                "600 %(file)s', or make a new key if others may have read it", file=str(path),
                                mode=oct(mode)[2:]))
    if _tracked_by_git(path):
        raise KeyFileError(said("%(file)s: the signing key is tracked by git, so anyone with the repository can "
                                "sign as this store; run 'git rm --cached %(file)s' and make a new key (see "
                                "docs/keys.md)", file=str(path)))


def load_or_create(path: Path) -> Ed25519PrivateKey:
    """The key in ``path``; a new one written there (mode 600) if there is none yet."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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
        refuse_unsafe(path)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except KeyFileError:
        raise
    except (OSError, ValueError) as exc:
        raise KeyFileError(said("%(file)s: not a readable signing key (%(problem)s)", file=str(path),
                                problem=str(exc))) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(said("%(file)s: not an Ed25519 key", file=str(path)))
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
        raise KeyFileError(said("not an Ed25519 public key in base64: %(problem)s", problem=str(exc))) from None
