"""Doudian request signing: the canonical `param_json` and its HMAC-SHA256 (or legacy MD5) sign.

Spec: research/platform-apis.md §4.3 (official Go SDK `utils/sign_util.go`).
The body we send is the very `param_json` string we signed, so the platform
checks our bytes; the canonical form only has to match the SDK's rules, which
we follow exactly so that a signature can be reproduced by any official client.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

SIGN_METHOD_HMAC = "hmac-sha256"
SIGN_METHOD_MD5 = "md5"  # legacy; the platform says it will be retired
SIGN_METHODS = (SIGN_METHOD_HMAC, SIGN_METHOD_MD5)
WIRE_VERSION = "2"  # the `v` system parameter


def _check_values(value: object, where: str) -> None:
    """Only JSON types whose text Go's encoder and ours agree on byte for byte.

    Floats are refused: the Go SDK re-emits its own first-pass float text
    (1 for 1.0, 1e+21 …), which Python does not reproduce; no API we call
    takes one.
    """
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"param_json key {key!r} at {where} is not a string")
            _check_values(item, f"{where}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_values(item, f"{where}[{index}]")
    elif isinstance(value, float):
        raise TypeError(f"param_json value at {where} is a float; send fen as int or text as str")
    elif value is not None and not isinstance(value, (str, int, bool)):
        raise TypeError(f"param_json value at {where} is {type(value).__name__}, not a JSON type")


def param_json(params: Mapping[str, object]) -> str:
    """Business parameters as the SDK serialises them: compact, object keys sorted at
    every depth, no HTML or non-ASCII escaping. Empty parameters give ``{}``.

    Go's encoder also escapes U+2028/U+2029 (JavaScript line separators); we do
    the same so the text is identical to what the official SDK would send.
    """
    _check_values(params, "$")
    text = json.dumps(params, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def sign_pattern(app_key: str, app_secret: str, method: str, param_json_text: str, timestamp: int | str) -> str:
    """The string that is hashed: secret + the five fixed key/value pairs + secret."""
    pattern = (
        f"app_key{app_key}method{method}param_json{param_json_text}timestamp{timestamp}v{WIRE_VERSION}"
    )
    return f"{app_secret}{pattern}{app_secret}"


def sign(
    app_key: str,
    app_secret: str,
    method: str,
    param_json_text: str,
    timestamp: int | str,
    sign_method: str = SIGN_METHOD_HMAC,
) -> str:
    """The `sign` query parameter, lowercase hex."""
    message = sign_pattern(app_key, app_secret, method, param_json_text, timestamp).encode("utf-8")
    if sign_method == SIGN_METHOD_HMAC:
        return hmac.new(app_secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    if sign_method == SIGN_METHOD_MD5:
        return hashlib.md5(message).hexdigest()
    raise ValueError(f"unknown sign_method {sign_method!r}; use one of {', '.join(SIGN_METHODS)}")
