"""The RS256 key pair that signs access tokens, created at the first start if absent.

Why this writes files, and why that is allowed here: the key pair must exist before the app
can issue a token, and a development checkout should work without a manual ``openssl`` step.
Generating it is start-up work of the process, not something a request does, so it lives in
the bootstrap package, which archlint's local-file-write rule (AL505) does not cover: that
rule is about the application layers, where a file written by one request is missing on the
next instance. In production the directory (``BLOG_KEYS_DIR``) is a mounted secret volume
that already holds ``jwt-private.pem``, and nothing is written.

The keys are never committed: ``backend/.gitignore`` ignores ``var/`` and ``*.pem``.
Several workers may start at once: the first to link its file into place wins, the others
read that one.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PRIVATE_KEY_FILE = "jwt-private.pem"
KEY_SIZE = 2048

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SigningKeys:
    """PEM-encoded RSA keys: the private one signs, the public one verifies."""

    private_pem: bytes
    public_pem: bytes


def ensure_signing_keys(directory: Path) -> SigningKeys:
    """Load the key pair from ``directory``, generating it first if it is not there."""
    path = directory / PRIVATE_KEY_FILE
    if not path.exists():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        _create_exclusively(path, _new_private_key_pem())
    private_pem = path.read_bytes()
    private_key = serialization.load_pem_private_key(private_pem, password=None)
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SigningKeys(private_pem=private_pem, public_pem=public_pem)


def _new_private_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _create_exclusively(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (mode 0600) unless another process got there first.

    The data goes to a temporary file that is then hard-linked into place: a link fails if
    the target exists, so readers never see a half-written key and the first writer wins.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return
        logger.info("generated a new JWT signing key", extra={"path": str(path)})
    finally:
        temporary.unlink(missing_ok=True)
