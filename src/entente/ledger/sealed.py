"""Backups sealed to a recipient's public key, in the age format (age-encryption.org/v1), with pyrage.

A backup holds every restricted entry; sealed, only the holder of a matching
identity (``AGE-SECRET-KEY-1…``, or an SSH key) can read it, and the ``age``
and ``rage`` tools open it as well as ``entente restore`` does.
"""

from __future__ import annotations

from pathlib import Path

import pyrage
from pyrage import ssh, x25519

HEADER = b"age-encryption.org/v1\n"


class SealError(ValueError):
    """A recipient, an identity or a sealed file that cannot be used, in one line."""


def recipient(text: str) -> x25519.Recipient | ssh.Recipient:
    try:
        return ssh.Recipient.from_str(text) if text.startswith("ssh-") else x25519.Recipient.from_str(text)
    except Exception as exc:  # pyrage raises its own error types, not ValueError
        raise SealError(f"--to {text[:20]!r}: not an age recipient (age1…) or an SSH public key: {exc}") from None


def seal(data: bytes, recipients: list[str]) -> bytes:
    return bytes(pyrage.encrypt(data, [recipient(r) for r in recipients]))


def sealed(data: bytes) -> bool:
    return data.startswith(HEADER)


def identities(path: Path) -> list[x25519.Identity | ssh.Identity]:
    """The identities in an age identity file (one ``AGE-SECRET-KEY-1…`` a line, ``#`` comments) or an SSH key."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise SealError(f"{path}: {exc.strerror}") from None
    try:
        if text.lstrip().startswith("-----BEGIN"):
            return [ssh.Identity.from_buffer(text.encode())]
        return [x25519.Identity.from_str(line.strip()) for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    except Exception as exc:  # pyrage's own error types
        raise SealError(f"{path}: not an age identity file: {exc}") from None


def unseal(data: bytes, path: Path, identity: Path | None) -> bytes:
    if identity is None:
        raise SealError(f"{path}: the backup is sealed to a recipient's key: give the identity that opens it "
                        "(--identity FILE)")
    try:
        return bytes(pyrage.decrypt(data, identities(identity)))
    except SealError:
        raise
    except Exception:  # pyrage's own error types
        raise SealError(f"{path}: {identity} does not open this backup: it was sealed to another key") from None
