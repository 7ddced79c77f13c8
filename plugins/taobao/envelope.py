"""TOP reply envelopes → the result object or a typed sdk error (pure; spec 2.2).

Success is `{"<api>_response": {...}}`; failure is `{"error_response": {code, msg,
sub_code, sub_msg, request_id}}`, both with HTTP 200. What each code means to the
engine:

    7 / accesscontrol.*            RateLimited (the ban's seconds from sub_msg)
    25 "Invalid signature", 29     AuthExpired (a wrong app_secret / app_key is "sign in again")
    26 / 27 / *session*            AuthExpired
    31 "Invalid timestamp"         Temporary (this computer's clock is off by > 10 min)
    10, isp.*                      Temporary (the platform's own trouble)
    11 / 12 (app / user lacks it)  NoPermission, a Rejected (push turns it into PushUnavailable)
    anything else (isv.* …)        Rejected with the platform's message
"""

from __future__ import annotations

import json
import re
from typing import Any

from desktop.sdk import AdapterError, AuthExpired, RateLimited, Rejected, Temporary

from .protocol import (
    CODE_CALL_LIMITED,
    CODE_INSUFFICIENT_ISV_PERMISSIONS,
    CODE_INSUFFICIENT_USER_PERMISSIONS,
    CODE_INVALID_APP_KEY,
    CODE_INVALID_SESSION,
    CODE_INVALID_SIGNATURE,
    CODE_INVALID_TIMESTAMP,
    CODE_MISSING_SESSION,
    CODE_SERVICE_UNAVAILABLE,
    response_key,
)

DEFAULT_BAN_S = 10.0  # a call-limit reply without "N more seconds": a polite pause
_BAN = re.compile(r"(\d+(?:\.\d+)?)\s*more\s+seconds?", re.IGNORECASE)


class NoPermission(Rejected):
    """Code 11 (the app lacks the API's permission package) or 12 (the seller's account
    may not do this): retrying cannot help until someone changes the app or the account."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code

    @property
    def app_side(self) -> bool:
        return self.code == CODE_INSUFFICIENT_ISV_PERMISSIONS


def malformed(what: str, problem: str) -> Temporary:
    return Temporary(f"malformed payload from Taobao: {what} {problem}")


def ban_seconds(sub_msg: str) -> float:
    """"This ban will last for 71 more seconds" → 71.0; no number → the default pause."""
    found = _BAN.search(sub_msg)
    if found is None:
        return DEFAULT_BAN_S
    return max(float(found[1]), 1.0)


def _text(error: dict[str, Any], key: str) -> str:
    value = error.get(key)
    return "" if value is None else str(value)


def error_from(error: object, api: str) -> AdapterError:
    """The sdk error for one `error_response` object."""
    if not isinstance(error, dict):
        return malformed(f"{api} error_response", f"is {type(error).__name__}, not an object")
    try:
        code = int(error.get("code", -1))
    except (TypeError, ValueError):
        code = -1
    msg, sub_code, sub_msg = _text(error, "msg"), _text(error, "sub_code"), _text(error, "sub_msg")
    detail = f"{api}: {code} {msg}".rstrip() + (f" ({sub_code}: {sub_msg})" if sub_code or sub_msg else "")
    lowered = f"{msg} {sub_code}".lower()
    if code == CODE_CALL_LIMITED or sub_code.startswith("accesscontrol."):
        return RateLimited(ban_seconds(sub_msg), f"Taobao call limit, {detail}")
    if code == CODE_INVALID_SIGNATURE or "invalid signature" in lowered:
        return AuthExpired(f"Taobao refused the signature; check the App Secret ({detail})")
    if code == CODE_INVALID_APP_KEY or "invalid app key" in lowered:
        return AuthExpired(f"Taobao does not know this App Key ({detail})")
    if code in (CODE_MISSING_SESSION, CODE_INVALID_SESSION):
        return AuthExpired(f"the shop's Taobao authorization expired or is invalid; authorize again ({detail})")
    if code == CODE_INVALID_TIMESTAMP:
        return Temporary(f"Taobao refused the timestamp: this computer's clock is off by more than 10 minutes ({detail})")
    if code == CODE_SERVICE_UNAVAILABLE or sub_code.startswith("isp."):
        return Temporary(f"Taobao system error, {detail}")
    if "session" in lowered:  # e.g. sub_code session-expired under another code
        return AuthExpired(f"the shop's Taobao authorization expired or is invalid; authorize again ({detail})")
    reason = sub_msg or msg
    if code in (CODE_INSUFFICIENT_ISV_PERMISSIONS, CODE_INSUFFICIENT_USER_PERMISSIONS):
        return NoPermission(code, f"{reason} [{detail}]" if reason else detail)
    return Rejected(f"{reason} [{detail}]" if reason else detail)


def result_of(body: bytes, api: str) -> dict[str, Any]:
    """The `<api>_response` object of a 200 reply, or the typed error it carries."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise malformed(f"{api} reply", f"is not JSON ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(payload, dict):
        raise malformed(f"{api} reply", f"is {type(payload).__name__}, not an object")
    if "error_response" in payload:
        raise error_from(payload["error_response"], api)
    key = response_key(api)
    result = payload.get(key)
    if not isinstance(result, dict):
        raise malformed(f"{api} reply", f"lacks the {key!r} object")
    return result


def http_error(status: int, api: str) -> AdapterError:
    """A non-200 answer from the gateway itself (TOP errors come with HTTP 200)."""
    if status == 429:
        return RateLimited(DEFAULT_BAN_S, f"Taobao gateway HTTP 429 on {api}")
    if status >= 500:
        return Temporary(f"Taobao gateway HTTP {status} on {api}")
    return Rejected(f"Taobao gateway answered HTTP {status} on {api}; check the gateway address (base_url)")
