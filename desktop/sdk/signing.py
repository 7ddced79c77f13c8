"""Signing helpers shared by adapters: sorted-parameter concatenation and HMAC."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping


def sorted_concat(params: Mapping[str, object], *, skip: tuple[str, ...] = ("sign",)) -> str:
    """`k1v1k2v2…` over the parameters sorted by name, empty values left out."""
    parts = []
    for key in sorted(params):
        if key in skip:
            continue
        value = params[key]
        if value is None or value == "":
            continue
        parts.append(f"{key}{value}")
    return "".join(parts)


def hmac_hex(secret: str, message: str, algorithm: str = "sha256", *, upper: bool = False) -> str:
    digest = hmac.new(secret.encode(), message.encode(), getattr(hashlib, algorithm)).hexdigest()
    return digest.upper() if upper else digest


def md5_wrap_hex(secret: str, message: str, *, upper: bool = True) -> str:
    """MD5(secret + message + secret), the scheme several Chinese gateways use."""
    digest = hashlib.md5(f"{secret}{message}{secret}".encode()).hexdigest()
    return digest.upper() if upper else digest


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
