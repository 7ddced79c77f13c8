"""Doudian message push (消息推送), receiving side: `event-sign` check and body parsing.

Spec: research/platform-apis.md §4.7. Doudian POSTs a JSON array of
``{"tag", "msg_id", "data"}`` to the ISV's URL with header
``event-sign = md5(app_key + raw body + app_secret)`` in lowercase hex.
(Source: a community module linking the official guide; see §11 question 3.)

Nothing here listens: SeatDesk has no public webhook receiver yet, so the
adapter does not declare Capability.PUSH. These pure functions are what that
receiver will call on each request it gets.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

EVENT_SIGN_HEADER = "event-sign"
REPLY_OK = b'{"code":0,"msg":"success"}'
REPLY_FAIL = b'{"code":1,"msg":"fail"}'

TAG_TRADE_MEMO_MODIFY = "113"  # 卖家添加备注: p_id, remark, shop_id, star, update_time


def event_sign(app_key: str, app_secret: str, raw_body: bytes) -> str:
    """The `event-sign` Doudian computes for a push body, lowercase hex."""
    return hashlib.md5(app_key.encode("utf-8") + raw_body + app_secret.encode("utf-8")).hexdigest()


def verify_event_sign(app_key: str, app_secret: str, raw_body: bytes, header: str | None) -> bool:
    """True when `header` (the request's event-sign) matches the raw body as received.

    Hash the bytes off the wire: re-serialising the parsed JSON would change
    them (key order, spacing, the escaped inner `data` strings).
    """
    if not header or not app_key or not app_secret:
        return False
    expected = event_sign(app_key, app_secret, raw_body)
    return hmac.compare_digest(expected.encode("ascii"), header.strip().lower().encode("ascii", "replace"))


@dataclass(frozen=True, slots=True)
class PushMessage:
    tag: str
    msg_id: str
    data: dict[str, Any]  # the decoded `data` string


def parse_push_body(raw_body: bytes) -> list[PushMessage]:
    """The messages of a verified push body; ValueError names what is wrong."""
    try:
        payload = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"push body is not UTF-8 JSON: {exc}") from None
    if not isinstance(payload, list):
        raise ValueError(f"push body is {type(payload).__name__}, not an array")
    messages = []
    for index, item in enumerate(payload):
        if not isinstance(item, dict):
            raise ValueError(f"push message {index} is not an object")
        tag, msg_id, data = item.get("tag"), item.get("msg_id"), item.get("data")
        if not isinstance(tag, str) or not isinstance(msg_id, str) or not isinstance(data, str):
            raise ValueError(f"push message {index} lacks string tag, msg_id and data")
        try:
            decoded = json.loads(data)
        except ValueError as exc:
            raise ValueError(f"push message {index} data is not JSON: {exc}") from None
        if not isinstance(decoded, dict):
            raise ValueError(f"push message {index} data is not an object")
        messages.append(PushMessage(tag, msg_id, decoded))
    return messages
