"""The sandbox wire protocol: paths, limits, vocabularies, request signing and cursors.

Server (`server.py`, `handler.py`) and adapter (`adapter.py`, `mapping.py`) both
build on this module, so what is written here is the contract between them.

Authentication
    Every ``/api/*`` request carries the query parameters ``app_key``,
    ``shop_id`` (the platform shop id), ``access_token``, ``timestamp`` (unix
    seconds) and ``sign``. POST bodies are JSON (UTF-8); for signing, the raw
    body text is added as the parameter ``body``. ``sign`` is the lowercase hex
    HMAC-SHA256, keyed with the shop's ``app_secret``, over
    ``desktop.sdk.signing.sorted_concat`` of every other parameter (query
    parameters + ``body``; empty values are left out). Rejections: unknown
    shop → 404 ``shop_not_found``; wrong app key → 401 ``invalid_app_key``; bad
    signature → 401 ``invalid_signature``; timestamp more than 300 s away →
    401 ``timestamp_expired``; unknown or expired token → 401 ``token_expired``.

Errors
    ``{"error": {"code": str, "message": str}}``. 429 carries ``Retry-After``
    (seconds). 503 is a passing failure.

Feeds (cursor paging; a cursor is opaque urlsafe base64; absent = beginning)
    ``GET /api/ping`` → ``{"ok": true, "shop": {"platform_shop_id", "name", "platform"}}``
    ``GET /api/messages?cursor&limit`` (limit default 100, max 500) →
    ``{"messages": [record], "next_cursor": str, "has_more": bool}`` in the
    shop's storage order. Message record: ``msg_id, conversation_id, buyer_id,
    buyer_nick, direction ("in"|"out"), sender, type ("text"|"image"|
    "order_card"|"system"), content, created_at (unix ms), client_msg_id
    (str|null)``.
    ``GET /api/orders?cursor&limit`` → ``{"orders": [record], "next_cursor",
    "has_more"}``: every order modified after the cursor, in its current state,
    ordered by modification sequence (an order modified again reappears later).
    Order records differ per flavour, see ``TB_ORDER_FIELDS`` / ``DY_ORDER_FIELDS``
    and ``flavours.py``; both carry ``conversation_id`` (str|null) and the
    warehouse stage: tb ``warehouse_status`` (``TB_WAREHOUSE_STATUSES``:
    ``"WAIT_PRINT"`` | ``"PRINTED"`` | ``"PACKED"``), dy ``pack_status``
    (``DY_PACK_STATUS``: 0 待打单 | 1 已打单 | 2 已打包, with ``pack_status_desc``).
    Every order carries it; it is meaningful only once the order is paid (an
    unpaid order says not printed; a shipped one says packed). Every change of
    it is an order modification like any other.
    ``GET /api/push?cursor&timeout`` (timeout ≤ 30 s, default 20; absent cursor =
    from now) long-polls → ``{"events": [{"kind": "message", "message": {..}} |
    {"kind": "order", "order": {..}}], "next_cursor"}``; empty on timeout.

Commands
    ``POST /api/messages/send`` ``{"conversation_id", "text", "client_msg_id"}`` →
    ``{"msg_id"}``; idempotent on (shop, client_msg_id); text ≤ 2000 chars else
    400 ``text_too_long``.
    ``POST /api/orders/remark`` ``{"order_id", "memo", "flag", "client_key"}`` →
    ``{"ok": true, "modified": unix ms, "replayed": bool}``; flag outside the
    palette → 400 ``invalid_flag``; memo over 1000 UTF-8 bytes (tb) / 60
    characters (dy) → 400 ``memo_too_long``; ``client_key`` not a string → 400
    ``invalid_client_key``. Idempotent on (shop, client_key): a key already
    applied changes nothing and answers ``replayed: true`` with the original
    ``modified``. Every applied remark is kept in the shop's remark log.
    ``POST /api/conversations/transfer`` ``{"conversation_id", "to_account",
    "reason", "client_key"}`` → ``{"ok": true}``; idempotent on client_key;
    appends a ``system`` message (direction "out") to the conversation.

Faults (``faults.py``) apply to every ``/api/*`` route, commands included.

Admin (no auth, loopback clients only, never subject to faults)
    ``GET /admin/ledger``: the truth tests compare against, per shop
    ``{"message_ids": [..], "order_ids": [..], "conversations": {id: [msg ids]},
    "orders": {order id: {"memo", "flag", "stage", "warehouse"}}, "remarks":
    [{"source": "api"|"backoffice", "client_key": str|null, "order_id", "memo",
    "flag", "at": unix ms}]}`` (``remarks`` is every applied memo change, oldest
    first; a replayed client_key adds nothing).
    ``GET /admin/stats``, ``GET /admin/shops``, ``GET|POST /admin/faults``
    ``{"spec"}``, ``POST /admin/pause`` / ``resume``, ``POST /admin/tick``
    ``{"n"}``, ``POST /admin/rate`` ``{"rate"}``, ``POST /admin/buyer-says``
    ``{"shop_id", "text", "buyer_id"?, "conversation_id"?}``,
    ``POST /admin/expire-token`` / ``restore-token`` ``{"shop_id"}``.
    ``POST /admin/set-memo`` ``{"shop_id" (or "shop"), "order_id", "memo",
    "flag"?}`` → ``{"ok": true, "modified": unix ms}``: the seller edits the
    memo (and flag; absent = unchanged) in the platform's own back office. Same
    validation as the remark command; the order is modified (feed and push
    carry it) and the change is logged with source ``"backoffice"``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from desktop.sdk.signing import hmac_hex, sorted_concat

PLATFORM_TB = "sandbox-tb"
PLATFORM_DY = "sandbox-dy"

TIMESTAMP_WINDOW_S = 300
PAGE_LIMIT_DEFAULT = 100
PAGE_LIMIT_MAX = 500
PUSH_TIMEOUT_DEFAULT = 20.0
PUSH_TIMEOUT_MAX = 30.0
PUSH_MAX_EVENTS = 500
TEXT_MAX_CHARS = 2000
TB_MEMO_MAX_BYTES = 1000  # the tb flavour counts UTF-8 bytes, never characters
DY_MEMO_MAX_CHARS = 60  # the dy flavour counts characters (code points), never bytes
FLAG_VALUES = frozenset(range(6))  # both palettes are 0–5; their colours differ

AUTH_PARAMS = ("app_key", "shop_id", "access_token", "timestamp")

MESSAGE_DIRECTIONS = ("in", "out")
MESSAGE_TYPES = ("text", "image", "order_card", "system")

# Taobao-ish trade status and refund status vocabularies.
TB_STATUSES = (
    "WAIT_BUYER_PAY",
    "WAIT_SELLER_SEND_GOODS",
    "WAIT_BUYER_CONFIRM_GOODS",
    "TRADE_FINISHED",
    "TRADE_CLOSED",
    "TRADE_CLOSED_BY_TAOBAO",
)
TB_REFUND_NONE = "NO_REFUND"
TB_REFUND_ACTIVE = ("WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS")
TB_REFUND_STATUSES = (TB_REFUND_NONE, *TB_REFUND_ACTIVE, "SELLER_REFUSE_BUYER", "CLOSED", "SUCCESS")

# Doudian-ish integer codes with the platform's own Chinese names.
DY_ORDER_STATUS = {1: "待支付", 2: "备货中", 3: "已发货", 4: "已取消", 5: "已完成"}
DY_AFTER_SALE = {0: "无售后", 1: "售后处理中", 2: "退货中", 3: "退款成功", 4: "售后关闭"}
DY_AFTER_SALE_ACTIVE = (1, 2)

# Warehouse stage: Taobao-ish strings, Doudian-ish integer codes with Chinese names.
TB_WAREHOUSE_STATUSES = ("WAIT_PRINT", "PRINTED", "PACKED")
DY_PACK_STATUS = {0: "待打单", 1: "已打单", 2: "已打包"}

# Fields every record must carry with the right type. The adapter checks them
# all; the `malformed` fault breaks only these, so a broken record is always caught.
MESSAGE_FIELDS: Mapping[str, tuple[type, ...]] = {
    "msg_id": (str,),
    "conversation_id": (str,),
    "buyer_id": (str,),
    "buyer_nick": (str,),
    "direction": (str,),
    "sender": (str,),
    "type": (str,),
    "content": (str,),
    "created_at": (int,),
    "client_msg_id": (str, type(None)),
}
TB_ORDER_FIELDS: Mapping[str, tuple[type, ...]] = {
    "tid": (str,),
    "status": (str,),
    "refund_status": (str,),
    "payment": (str,),
    "seller_memo": (str,),
    "seller_flag": (int,),
    "receiver_name": (str,),
    "receiver_address": (str,),
    "receiver_mobile": (str,),
    "orders": (list,),
    "created": (str,),
    "modified": (str,),
    "pay_time": (str, type(None)),
    "consign_time": (str, type(None)),
    "logistics_company": (str,),
    "out_sid": (str,),
    "buyer_open_uid": (str,),
    "buyer_nick": (str,),
    "conversation_id": (str, type(None)),
    "warehouse_status": (str,),
}
DY_ORDER_FIELDS: Mapping[str, tuple[type, ...]] = {
    "order_id": (str,),
    "order_status": (int,),
    "after_sale_status": (int,),
    "order_amount": (int,),
    "seller_words": (str,),
    "seller_remark_stars": (int,),
    "post_receiver": (str,),
    "post_tel": (str,),
    "post_addr": (dict,),
    "sku_order_list": (list,),
    "create_time": (int,),
    "update_time": (int,),
    "pay_time": (int,),
    "ship_time": (int,),
    "logistics_code": (str,),
    "logistics_company": (str,),
    "open_id": (str,),
    "nick": (str,),
    "conversation_id": (str, type(None)),
    "pack_status": (int,),
}
ORDER_FIELDS: Mapping[str, Mapping[str, tuple[type, ...]]] = {
    PLATFORM_TB: TB_ORDER_FIELDS,
    PLATFORM_DY: DY_ORDER_FIELDS,
}

# Fixed +08:00 rather than zoneinfo: China has no DST since 1991, and this
# avoids depending on tzdata, which Windows installs lack.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
TB_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def sign(params: Mapping[str, object], secret: str) -> str:
    """The request signature: HMAC-SHA256 hex over the sorted `k1v1k2v2…` string."""
    return hmac_hex(secret, sorted_concat(params))


def signed_params(
    *,
    app_key: str,
    app_secret: str,
    access_token: str,
    shop_id: str,
    timestamp: int,
    query: Mapping[str, object] | None = None,
    body: str | None = None,
) -> dict[str, str]:
    """The full query string of an /api request, `sign` included.

    Values are stringified once here so what is signed is byte-identical to
    what is sent. `body` is signed but not returned: it travels as the body.
    """
    params = {k: str(v) for k, v in (query or {}).items() if v is not None}
    params.update(app_key=app_key, shop_id=shop_id, access_token=access_token, timestamp=str(timestamp))
    to_sign: dict[str, str] = dict(params)
    if body:
        to_sign["body"] = body
    params["sign"] = sign(to_sign, app_secret)
    return params


def encode_cursor(kind: str, seq: int) -> str:
    """An opaque cursor: urlsafe base64 of a tiny JSON object, without padding."""
    raw = json.dumps({"k": kind, "s": seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(kind: str, cursor: str) -> int:
    """The sequence inside `cursor`; ValueError if it is not a cursor of `kind`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not a cursor: {cursor!r}") from exc
    if not isinstance(data, dict) or data.get("k") != kind:
        raise ValueError(f"not a {kind} cursor: {cursor!r}")
    seq = data.get("s")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ValueError(f"bad sequence in cursor: {cursor!r}")
    return seq


def format_tb_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, SHANGHAI).strftime(TB_TIME_FORMAT)


def parse_tb_time(text: str) -> datetime:
    """A Taobao-style local time string as an aware datetime; ValueError if malformed."""
    return datetime.strptime(text, TB_TIME_FORMAT).replace(tzinfo=SHANGHAI)


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}
