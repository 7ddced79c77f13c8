"""Doudian message push (消息推送), receiving side: `event-sign` check, body parsing, and which
messages name an order of this shop.

Spec: research/platform-apis.md §4.7. Doudian POSTs a JSON array of
``{"tag", "msg_id", "data"}`` to the ISV's URL with header
``event-sign = md5(app_key + raw body + app_secret)`` in lowercase hex, and takes
``{"code":0,"msg":"success"}`` as the answer to a delivery.
(Source: a community module linking the official guide; see §11 question 3.)

The adapter's `push()` reads the deliveries SeatDesk's webhook receiver queues for the shop
(desktop.sdk.push) and uses these pure functions on each. The `data` of every order and
after-sale tag carries the parent (shop) order id as `p_id` and the shop as `shop_id` (the
per-tag structs of the same module: a JSON number, for tag 126 a string).
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
# §4.7 order tags: 100 订单创建 … 113 卖家添加备注, 126 发货时效变更, and 200–227 after-sale and
# arbitration (售后/仲裁) events. Every other tag (400/417 product changes, ...) is not an order's.
ORDER_TAGS = frozenset(str(tag) for tag in (*range(100, 114), 126, *range(200, 228)))


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
    messages, problems = split_push_body(raw_body)
    if problems:
        raise ValueError(problems[0])
    return messages


def split_push_body(raw_body: bytes) -> tuple[list[PushMessage], list[str]]:
    """(the well-formed messages, what is wrong with each other one) of a verified push body: one
    broken message does not cost the others. ValueError when the body is not a JSON array."""
    try:
        payload = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"push body is not UTF-8 JSON: {exc}") from None
    if not isinstance(payload, list):
        raise ValueError(f"push body is {type(payload).__name__}, not an array")
    messages, problems = [], []
    for index, item in enumerate(payload):
        try:
            messages.append(_message(index, item))
        except ValueError as exc:
            problems.append(str(exc))
    return messages, problems


def _message(index: int, item: object) -> PushMessage:
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
    return PushMessage(tag, msg_id, decoded)


def _id(data: dict[str, Any], key: str) -> str:
    """A positive id sent as a JSON number or a string of digits; "" when absent or otherwise."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return ""
    text = str(value).strip()
    return text if text.isdigit() and int(text) > 0 else ""


@dataclass(frozen=True, slots=True)
class PushedOrders:
    """What one delivery asks of the adapter: each order to read once, in the order first named."""

    order_ids: tuple[str, ...]
    other_shops: tuple[str, ...]  # msg_ids of messages for another shop of the same app: not taken
    ignored: tuple[str, ...]  # msg_ids of tags that concern no order
    problems: tuple[str, ...]  # what is wrong with each malformed message (no data values)


def pushed_orders(messages: list[PushMessage], shop_id: str) -> PushedOrders:
    """The orders of this shop that `messages` say changed. A message without `shop_id` cannot be
    told apart from another shop's and is a problem, like one without `p_id`."""
    order_ids: dict[str, None] = {}
    other_shops, ignored, problems = [], [], []
    for message in messages:
        if message.tag not in ORDER_TAGS:
            ignored.append(message.msg_id)
            continue
        shop, order_id = _id(message.data, "shop_id"), _id(message.data, "p_id")
        if not shop or not order_id:
            problems.append(f"push message {message.msg_id} (tag {message.tag}) lacks "
                            + ("shop_id" if not shop else "p_id"))
        elif shop != shop_id.strip():
            other_shops.append(message.msg_id)
        else:
            order_ids.setdefault(order_id)
    return PushedOrders(tuple(order_ids), tuple(other_shops), tuple(ignored), tuple(problems))
