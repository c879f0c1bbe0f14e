"""Credentials at rest: a connection's password, token or private calendar address is
encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) under
GILDE_AUTOLOG_KEY, or a key derived from SECRET_KEY when that is not set. Several keys,
comma-separated, allow rotation: the first encrypts, all decrypt."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):  # noqa: N818
    """The stored secret cannot be decrypted with the keys in force (the key was changed)."""


def _fernet() -> MultiFernet:
    configured = [k.strip() for k in settings.GILDE_AUTOLOG_KEY.split(",") if k.strip()]
    if not configured:
        digest = hashlib.sha256(b"gilde-autolog:" + settings.SECRET_KEY.encode()).digest()
        configured = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key.encode()) for key in configured])


def secret_seal(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def secret_open(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable from exc
