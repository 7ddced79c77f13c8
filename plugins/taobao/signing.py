"""TOP request signing (spec 2.3): sorted `k1v1k2v2…`, then MD5-wrap, HMAC-MD5 or HMAC-SHA256, UPPER hex."""

from __future__ import annotations

from collections.abc import Mapping

from desktop.sdk.signing import hmac_hex, md5_wrap_hex, sorted_concat

from .protocol import SIGN_METHODS


def sign_base(params: Mapping[str, str]) -> str:
    """S: every parameter but `sign`, empty ones left out, sorted by name, concatenated."""
    return sorted_concat({k: v for k, v in params.items() if k}, skip=("sign",))


def sign(params: Mapping[str, str], secret: str) -> str:
    """The `sign` value for `params`, whose own `sign_method` picks the digest."""
    method = params.get("sign_method", "")
    base = sign_base(params)
    if method == "md5":
        return md5_wrap_hex(secret, base, upper=True)
    if method == "hmac":
        return hmac_hex(secret, base, "md5", upper=True)
    if method == "hmac-sha256":
        return hmac_hex(secret, base, "sha256", upper=True)
    raise ValueError(f"sign_method must be one of {', '.join(SIGN_METHODS)}, got {method!r}")


def signed(params: Mapping[str, str], secret: str) -> dict[str, str]:
    """`params` plus their `sign`."""
    out = dict(params)
    out["sign"] = sign(params, secret)
    return out
