"""The two platform flavours: how each spells ids, order records and memo limits.

Taobao-like (``sandbox-tb``): string statuses, yuan strings, local time strings,
``seller_memo`` + ``seller_flag``, warehouse stage as ``warehouse_status``
``"WAIT_PRINT"`` | ``"PRINTED"`` | ``"PACKED"``; memos are limited to 1000 UTF-8
bytes. Doudian-like (``sandbox-dy``): integer status codes with Chinese names,
fen integers, unix seconds, ``seller_words`` + ``seller_remark_stars``,
warehouse stage as ``pack_status`` 0 (待打单) | 1 (已打单) | 2 (已打包) plus
``pack_status_desc``; memos are limited to 60 characters.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import Order, Refund, Stage, Warehouse
from .protocol import (
    DY_MEMO_MAX_CHARS,
    DY_ORDER_STATUS,
    DY_PACK_STATUS,
    PLATFORM_DY,
    PLATFORM_TB,
    TB_MEMO_MAX_BYTES,
    format_tb_time,
)

_TB_STATUS = {
    Stage.UNPAID: "WAIT_BUYER_PAY",
    Stage.PAID: "WAIT_SELLER_SEND_GOODS",
    Stage.SHIPPED: "WAIT_BUYER_CONFIRM_GOODS",
    Stage.COMPLETED: "TRADE_FINISHED",
    Stage.CLOSED_UNPAID: "TRADE_CLOSED_BY_TAOBAO",
    Stage.CLOSED_REFUNDED: "TRADE_CLOSED",
}
_TB_REFUND = {
    Refund.NONE: "NO_REFUND",
    Refund.REQUESTED: "WAIT_SELLER_AGREE",
    Refund.RETURNING: "WAIT_BUYER_RETURN_GOODS",
    Refund.SUCCESS: "SUCCESS",
    Refund.CLOSED: "CLOSED",
}
_DY_STATUS = {
    Stage.UNPAID: 1,
    Stage.PAID: 2,
    Stage.SHIPPED: 3,
    Stage.COMPLETED: 5,
    Stage.CLOSED_UNPAID: 4,
    Stage.CLOSED_REFUNDED: 4,
}
_DY_AFTER_SALE = {
    Refund.NONE: 0,
    Refund.REQUESTED: 1,
    Refund.RETURNING: 2,
    Refund.SUCCESS: 3,
    Refund.CLOSED: 4,
}


_TB_WAREHOUSE = {
    Warehouse.WAITING: "WAIT_PRINT",
    Warehouse.PRINTED: "PRINTED",
    Warehouse.PACKED: "PACKED",
}
_DY_PACK = {Warehouse.WAITING: 0, Warehouse.PRINTED: 1, Warehouse.PACKED: 2}


def yuan(fen: int) -> str:
    """Fen as the decimal yuan string Taobao-style APIs use, e.g. 12800 → "128.00"."""
    return f"{fen // 100}.{fen % 100:02d}"


def _render_tb(order: Order) -> dict[str, Any]:
    province, city, district = order.region
    return {
        "tid": order.order_id,
        "status": _TB_STATUS[order.stage],
        "refund_status": _TB_REFUND[order.refund],
        "payment": yuan(order.total_fen),
        "seller_memo": order.memo,
        "seller_flag": order.flag,
        "receiver_name": order.receiver_name,
        "receiver_address": f"{province}{city}{district}****",
        "receiver_mobile": order.receiver_mobile,
        "orders": [
            {
                "oid": f"{order.order_id}{i + 1:02d}",
                "sku_id": line.sku_id,
                "title": line.title,
                "num": line.quantity,
                "price": yuan(line.unit_price_fen),
            }
            for i, line in enumerate(order.lines)
        ],
        "created": format_tb_time(order.created_ms),
        "modified": format_tb_time(order.modified_ms),
        "pay_time": format_tb_time(order.paid_ms) if order.paid_ms else None,
        "consign_time": format_tb_time(order.shipped_ms) if order.shipped_ms else None,
        "logistics_company": order.courier,
        "out_sid": order.waybill,
        "buyer_open_uid": order.buyer_id,
        "buyer_nick": order.buyer_nick,
        "conversation_id": order.conversation_id,
        "warehouse_status": _TB_WAREHOUSE[order.warehouse],
    }


def _render_dy(order: Order) -> dict[str, Any]:
    province, city, district = order.region
    status = _DY_STATUS[order.stage]
    after_sale = _DY_AFTER_SALE[order.refund]
    pack = _DY_PACK[order.warehouse]
    return {
        "order_id": order.order_id,
        "order_status": status,
        "order_status_desc": DY_ORDER_STATUS[status],
        "after_sale_status": after_sale,
        "order_amount": order.total_fen,
        "seller_words": order.memo,
        "seller_remark_stars": order.flag,
        "post_receiver": order.receiver_name,
        "post_tel": order.receiver_mobile,
        "post_addr": {"province": province, "city": city, "town": district, "detail": "****"},
        "sku_order_list": [
            {
                "sku_order_id": f"{order.order_id}{i + 1:02d}",
                "sku_id": line.sku_id,
                "product_name": line.title,
                "item_num": line.quantity,
                "sku_price": line.unit_price_fen,
            }
            for i, line in enumerate(order.lines)
        ],
        # Doudian reports "not yet" as 0, not null.
        "create_time": order.created_ms // 1000,
        "update_time": order.modified_ms // 1000,
        "pay_time": (order.paid_ms or 0) // 1000,
        "ship_time": (order.shipped_ms or 0) // 1000,
        "logistics_code": order.waybill,
        "logistics_company": order.courier,
        "open_id": order.buyer_id,
        "nick": order.buyer_nick,
        "conversation_id": order.conversation_id,
        "pack_status": pack,
        "pack_status_desc": DY_PACK_STATUS[pack],
    }


def _tb_memo_error(memo: str) -> str | None:
    size = len(memo.encode("utf-8"))
    if size > TB_MEMO_MAX_BYTES:
        return f"memo is {size} bytes (UTF-8), the limit is {TB_MEMO_MAX_BYTES}"
    return None


def _dy_memo_error(memo: str) -> str | None:
    if len(memo) > DY_MEMO_MAX_CHARS:
        return f"remark is {len(memo)} characters, the limit is {DY_MEMO_MAX_CHARS}"
    return None


def _alnum(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


@dataclass(frozen=True, slots=True)
class Flavour:
    platform: str
    render_order: Callable[[Order], dict[str, Any]]
    memo_error: Callable[[str], str | None]  # why a memo is refused, or None
    order_id: Callable[[int, int], str]  # (shop number, order number) → id
    shop_id: Callable[[random.Random], str]
    buyer_id: Callable[[random.Random], str]


TAOBAO_LIKE = Flavour(
    platform=PLATFORM_TB,
    render_order=_render_tb,
    memo_error=_tb_memo_error,
    order_id=lambda shop, n: f"{3_900_000 + shop:07d}{n:011d}",
    shop_id=lambda rng: str(rng.randrange(10**11, 10**12)),
    buyer_id=lambda rng: "AAH" + _alnum(rng, 21),
)
DOUYIN_LIKE = Flavour(
    platform=PLATFORM_DY,
    render_order=_render_dy,
    memo_error=_dy_memo_error,
    order_id=lambda shop, n: f"69{shop:04d}{n:013d}",
    shop_id=lambda rng: str(rng.randrange(10**7, 10**8)),
    buyer_id=lambda rng: "1@#" + _alnum(rng, 28, string.hexdigits[:16]),
)
FLAVOURS = {TAOBAO_LIKE.platform: TAOBAO_LIKE, DOUYIN_LIKE.platform: DOUYIN_LIKE}


def flavour_for_shop(number: int) -> Flavour:
    """Shops alternate: 1 is Taobao-like, 2 Douyin-like, 3 Taobao-like, …"""
    return TAOBAO_LIKE if number % 2 == 1 else DOUYIN_LIKE
