"""The shape of personal API tokens: ``mlp_<prefix>_<secret>``; only a digest is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_SCHEME = "mlp"  # noqa: S105 - a public prefix, not a secret
PREFIX_LENGTH = 10


def new_token() -> tuple[str, str, str]:
    """Return ``(token, prefix, digest)`` for a new random token (256 bits of secret)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    token = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest_of(token)


def digest_of(token: str) -> str:
    # A fast hash is right here: the secret has 256 bits of entropy, unlike a password.
    return hashlib.sha256(token.encode()).hexdigest()


def split_prefix(token: str) -> str | None:
    """Return the lookup prefix of a well-formed token, else ``None``."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_SCHEME or len(parts[1]) != PREFIX_LENGTH:
        return None
    return parts[1]


def digests_match(token: str, digest: str) -> bool:
    return hmac.compare_digest(digest_of(token), digest)
