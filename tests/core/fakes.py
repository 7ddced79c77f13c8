"""An in-memory platform and its adapter, for engine tests without HTTP."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import ClassVar

from desktop.sdk import (
    API_VERSION,
    AdapterContext,
    Capability,
    Direction,
    FlagColor,
    FlagOption,
    MessageEvent,
    MessageKind,
    OrderEvent,
    OrderItem,
    OrderStatus,
    Page,
    PlatformInfo,
    Rejected,
    SendMessage,
    SetRemark,
    Temporary,
    Transfer,
)

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)


def msg(i: int, conv: str = "c1", direction: Direction = Direction.IN, text: str = "",
        client_key: str | None = None, buyer: str = "b1") -> MessageEvent:
    return MessageEvent(
        platform_msg_id=f"m{i}", conversation_id=conv, buyer_id=buyer, buyer_nick=f"买家{buyer}",
        direction=direction, sender="x", kind=MessageKind.TEXT, text=text or f"消息{i}",
        sent_at=T0 + timedelta(seconds=i), client_key=client_key,
    )


def order(oid: str, status: OrderStatus = OrderStatus.UNPAID, minute: int = 0,
          buyer: str = "b1", memo: str = "", flag: int | None = None) -> OrderEvent:
    return OrderEvent(
        platform_order_id=oid, buyer_id=buyer, buyer_nick=f"买家{buyer}", status=status,
        raw_status=status.value.upper(), items=(OrderItem("sku1", "纯棉T恤 XL", 2, Decimal("49.90")),),
        total=Decimal("99.80"), currency="CNY", created_at=T0,
        updated_at=T0 + timedelta(minutes=minute), receiver_masked="浙江省杭州市****",
        seller_memo=memo, seller_flag=flag,
    )


@dataclass
class FakePlatform:
    messages: list[MessageEvent] = field(default_factory=list)
    orders: list[OrderEvent] = field(default_factory=list)
    sent: dict[str, str] = field(default_factory=dict)  # idempotency key → msg id
    down: bool = False
    reject: bool = False
    page_size: int = 3
    calls: int = 0


class FakeAdapter:
    info: ClassVar[PlatformInfo] = PlatformInfo(
        platform_id="fake", display_name="假平台", api_versions=(API_VERSION,),
        capabilities=frozenset({Capability.MESSAGES, Capability.ORDERS, Capability.SEND,
                                Capability.REMARKS}),
        flags=(FlagOption(1, FlagColor.RED, "红旗"),),
    )
    platform: ClassVar[FakePlatform]

    def __init__(self, ctx: AdapterContext) -> None:
        self.ctx = ctx

    async def check_connection(self) -> None:
        pass

    def _page(self, items: list, cursor: str | None) -> Page:  # type: ignore[type-arg]
        p = self.platform
        p.calls += 1
        if p.down:
            raise Temporary("platform down")
        start = int(cursor or 0)
        chunk = items[start:start + p.page_size]
        end = start + len(chunk)
        return Page(tuple(chunk), str(end), has_more=end < len(items))

    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        await asyncio.sleep(0)
        return self._page(self.platform.messages, cursor)

    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]:
        return self._page(self.platform.orders, cursor)

    async def send_message(self, cmd: SendMessage) -> str:
        p = self.platform
        if p.down:
            raise Temporary("platform down")
        if p.reject:
            raise Rejected("text_too_long")
        if cmd.idempotency_key not in p.sent:
            msg_id = f"out{len(p.sent) + 1}"
            p.sent[cmd.idempotency_key] = msg_id
            p.messages.append(MessageEvent(
                platform_msg_id=msg_id, conversation_id=cmd.conversation_id,
                buyer_id=cmd.buyer_id, buyer_nick="", direction=Direction.OUT, sender="seat",
                kind=MessageKind.TEXT, text=cmd.text, sent_at=datetime.now(timezone.utc),
                client_key=cmd.idempotency_key))
        return p.sent[cmd.idempotency_key]

    async def set_remark(self, cmd: SetRemark) -> None:
        pass

    async def transfer(self, cmd: Transfer) -> None:
        pass
