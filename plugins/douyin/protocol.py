"""Doudian wire constants and the response envelope → typed errors (research §4.1, §4.2, §4.5, §4.6).

Pure functions only; the HTTP call itself lives in the adapter.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.sdk import AdapterError, AuthExpired, RateLimited, Rejected, Temporary

GATEWAY = "https://openapi-fxg.jinritemai.com"
AUTHORIZE_URL = "https://fuwu.jinritemai.com/authorize"  # 服务市场 (tool-type) apps

M_TOKEN_CREATE = "token.create"
M_TOKEN_REFRESH = "token.refresh"
M_SEARCH_LIST = "order.searchList"
M_ORDER_DETAIL = "order.orderDetail"
M_ADD_REMARK = "order.addOrderRemark"
TOKEN_METHODS = frozenset({M_TOKEN_CREATE, M_TOKEN_REFRESH})  # signed, but no access_token

CODE_OK = 10000
PAGE_SIZE_MAX = 100  # order.searchList `size`: 单页大小，限制100以内
REMARK_MAX_CHARS = 60  # order.addOrderRemark `remark`: 最大不得超过60个字符
STAR_MIN, STAR_MAX = 0, 5
ACCESS_TOKEN_DAYS = 7  # default `expires_in`; the reply carries the real value
REFRESH_TOKEN_DAYS = 14  # not in the reply: the documented validity
RATE_LIMIT_WAIT_S = 1.0  # code 60000 carries no hint; limits are per-second QPS

# Request headers of the official SDK that change the platform's behaviour:
# x-open-no-old-err-code opts into the error codes of §4.2 (the table below).
HEADERS = {"Content-Type": "application/json; charset=utf-8", "x-open-no-old-err-code": "1"}

_AUTH_SUB_CODES = frozenset({
    "isv.access-token-expired",
    "isv.access-token-no-existed",
    "isv.access-token-invalid",
    "isv.access-token-missing",
    "isv.signature-invalid",  # wrong app_secret (or app_key): the shop must be signed in again
    "dop.authorization-no-existed",  # the shop withdrew or never granted the authorisation
    "dop.authorization-closed",
})
_TOKEN_REASONS = ("code-expired", "token-expired", "token-invalid")


def url_for(base_url: str, method: str) -> str:
    """`order.searchList` → `{base}/order/searchList`."""
    return f"{base_url.rstrip('/')}/{method.replace('.', '/')}"


def error_for(method: str, envelope: dict[str, Any]) -> AdapterError:
    """The typed error a non-10000 envelope means."""
    code = envelope.get("code")
    sub_code = str(envelope.get("sub_code") or "")
    msg = str(envelope.get("msg") or "")
    sub_msg = str(envelope.get("sub_msg") or "")
    log_id = str(envelope.get("log_id") or "")
    said = "; ".join(part for part in (f"{code} {msg}".strip(), f"{sub_code} {sub_msg}".strip()) if part)
    where = f"抖店 {method}: {said}" + (f" (log_id {log_id})" if log_id else "")
    if sub_code in _AUTH_SUB_CODES:
        return AuthExpired(where)
    if code == 60000 or sub_code == "isv.traffic-limited":
        return RateLimited(RATE_LIMIT_WAIT_S, where)
    if code == 50001:  # token create/refresh failures
        reason = f"{sub_code} {sub_msg}"
        if any(word in reason for word in _TOKEN_REASONS):
            return AuthExpired(where)
        return Temporary(where)
    if sub_code == "isv.timestamp-invalid":
        return Rejected(f"{where} — the request time was refused; check this computer's clock")
    if code in (20000, 90000):  # service unavailable / unknown platform error
        return Temporary(where)
    return Rejected(where)  # 30001 permission, 40001/40003 parameters, 70000 API offline, business refusals


def decode_envelope(method: str, status: int, body: bytes) -> dict[str, Any]:
    """The `data` object of a successful reply, else the typed error."""
    if status == 429:
        raise RateLimited(RATE_LIMIT_WAIT_S, f"抖店 {method}: HTTP 429")
    if status >= 500:
        raise Temporary(f"抖店 {method}: HTTP {status}")
    try:
        envelope = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        if status != 200:
            raise Rejected(f"抖店 {method}: HTTP {status}") from None
        raise Temporary(f"malformed payload from 抖店 {method}: not UTF-8 JSON ({exc})") from None
    if not isinstance(envelope, dict):
        raise Temporary(f"malformed payload from 抖店 {method}: reply is {type(envelope).__name__}, not an object")
    code = envelope.get("code")
    if not isinstance(code, int) or isinstance(code, bool):
        if status != 200:
            raise Rejected(f"抖店 {method}: HTTP {status}")
        raise Temporary(f"malformed payload from 抖店 {method}: no integer `code` in the reply")
    if code != CODE_OK:
        raise error_for(method, envelope)
    data = envelope.get("data")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Temporary(f"malformed payload from 抖店 {method}: `data` is {type(data).__name__}, not an object")
    return data
