"""The adapters: declarations, error mapping, mapping against the platform's truth, push."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from datetime import time as clock_time
from decimal import Decimal
from typing import Any

import httpx
import pytest

from desktop.sdk import (
    AdapterContext,
    AuthExpired,
    Capability,
    FlagColor,
    MessageEvent,
    OrderEvent,
    OrderStatus,
    PlatformAdapter,
    RateLimited,
    Rejected,
    ReplyDeadline,
    SendMessage,
    SetRemark,
    Temporary,
    WarehouseStage,
)
from plugins.sandbox import catalog
from plugins.sandbox.adapter import DouyinLikeAdapter, SandboxAdapter, TaobaoLikeAdapter
from plugins.sandbox.model import Order, Stage
from plugins.sandbox.protocol import sign
from plugins.sandbox.server import SandboxServer


class Secrets(dict[str, str]):
    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name, default)


CREDS = Secrets(app_key="k", app_secret="s", access_token="t")


def test_declarations() -> None:
    tb, dy = TaobaoLikeAdapter.info, DouyinLikeAdapter.info
    assert (tb.platform_id, tb.display_name, dy.platform_id, dy.display_name) == (
        "sandbox-tb",
        "沙箱·淘系",
        "sandbox-dy",
        "沙箱·抖店",
    )
    for info in (tb, dy):
        assert info.api_versions == (1,)
        assert info.capabilities == {
            Capability.MESSAGES,
            Capability.SEND,
            Capability.ORDERS,
            Capability.REMARKS,
            Capability.TRANSFER,
            Capability.PUSH,
        }
        assert [(f.name, f.secret) for f in info.credential_fields] == [
            ("app_key", False),
            ("app_secret", True),
            ("access_token", True),
        ]
    assert [tb.flag(v).color for v in range(6)] == [  # type: ignore[union-attr]
        FlagColor.GRAY,
        FlagColor.RED,
        FlagColor.YELLOW,
        FlagColor.GREEN,
        FlagColor.BLUE,
        FlagColor.PURPLE,
    ]
    assert [dy.flag(v).color for v in range(6)] == [  # type: ignore[union-attr]
        FlagColor.GRAY,
        FlagColor.PURPLE,
        FlagColor.CYAN,
        FlagColor.GREEN,
        FlagColor.ORANGE,
        FlagColor.RED,
    ]
    assert tb.flag(6) is None and dy.flag(None) is None
    assert tb.reply_deadline == ReplyDeadline(180, clock_time(8, 0), clock_time(23, 0))
    assert dy.reply_deadline == ReplyDeadline(180)
    # Declared exactly as each server enforces it (see test_sandbox_commands for the boundaries).
    assert (tb.memo_max_bytes, tb.memo_max_chars) == (1000, None)
    assert (dy.memo_max_chars, dy.memo_max_bytes) == (60, None)


def mock_adapter(
    handler: Callable[[httpx.Request], httpx.Response],
    cls: type[SandboxAdapter] = TaobaoLikeAdapter,
    secrets: Secrets = CREDS,
    settings: dict[str, object] | None = None,
) -> Callable[[Callable[[SandboxAdapter], Any]], Any]:
    def run(fn: Callable[[SandboxAdapter], Any]) -> Any:
        async def main() -> Any:
            async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
                ctx = AdapterContext(
                    http=http,
                    logger=logging.getLogger("t"),
                    settings=settings if settings is not None else {"base_url": "http://sandbox.test/"},
                    secrets=secrets,
                    platform_shop_id="1",
                )
                adapter = cls(ctx)
                assert isinstance(adapter, PlatformAdapter)
                return await fn(adapter)

        return asyncio.run(main())

    return run


def _reply(
    status: int, body: bytes | str | dict[str, Any], headers: dict[str, str] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, dict):
            return httpx.Response(status, json=body, headers=headers)
        return httpx.Response(status, content=body if isinstance(body, bytes) else body.encode(), headers=headers)

    return handler


def _raise(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def _err(code: str, message: str = "m") -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


ERRORS = [
    pytest.param(_reply(401, _err("token_expired", "token gone")), AuthExpired, "token_expired: token gone", id="401"),
    pytest.param(_reply(401, _err("invalid_signature")), AuthExpired, "invalid_signature", id="401-sign"),
    pytest.param(_reply(400, _err("text_too_long", "2001 chars")), Rejected, "text_too_long: 2001 chars", id="400"),
    pytest.param(_reply(404, _err("shop_not_found")), Rejected, "shop_not_found", id="404"),
    pytest.param(_reply(404, "<html>nope</html>"), Rejected, "http_404", id="404-no-code"),
    pytest.param(_reply(503, _err("service_unavailable")), Temporary, "503", id="503"),
    pytest.param(_reply(500, "<html>oops</html>"), Temporary, "500", id="500-html"),
    pytest.param(
        _reply(200, '{"messages": [tr'), Temporary, "malformed payload from sandbox: .* not valid JSON", id="truncated"
    ),
    pytest.param(_reply(200, b"\xff\xfe{}"), Temporary, "not valid JSON", id="not-utf8"),
    pytest.param(_reply(200, "[]"), Temporary, "not an object", id="json-array"),
    pytest.param(_reply(200, {"messages": [], "has_more": False}), Temporary, "missing 'next_cursor'", id="no-cursor"),
    pytest.param(_raise(httpx.ConnectError("refused")), Temporary, "unreachable.*ConnectError", id="connect"),
    pytest.param(_raise(httpx.ReadError("reset")), Temporary, "ReadError", id="read"),
    pytest.param(
        _raise(httpx.RemoteProtocolError("Server disconnected")), Temporary, "RemoteProtocolError", id="disconnect"
    ),
    pytest.param(_raise(httpx.ReadTimeout("slow")), Temporary, "timed out", id="timeout"),
]


@pytest.mark.parametrize(("handler", "error", "message"), ERRORS)
def test_http_outcomes_map_to_typed_errors(
    handler: Callable[[httpx.Request], httpx.Response], error: type[Exception], message: str
) -> None:
    async def fetch(adapter: SandboxAdapter) -> None:
        with pytest.raises(error, match=message):
            await adapter.fetch_messages(None)

    mock_adapter(handler)(fetch)


@pytest.mark.parametrize(
    ("header", "expected"), [("3", 3.0), ("0.5", 0.5), (None, 1.0), ("Wed, 21 Oct 2026 07:28:00 GMT", 1.0)]
)
def test_rate_limit_carries_retry_after(header: str | None, expected: float) -> None:
    headers = {"Retry-After": header} if header is not None else {}

    async def send(adapter: SandboxAdapter) -> None:
        with pytest.raises(RateLimited) as caught:
            await adapter.check_connection()
        assert caught.value.retry_after == expected

    mock_adapter(_reply(429, _err("rate_limited"), headers))(send)


def test_requests_are_signed_and_carry_the_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"msg_id": "m9"})

    assert mock_adapter(handler)(lambda a: a.send_message(SendMessage("idem-1", "cv1", "b", "你好"))) == "m9"
    request = seen[0]
    params = dict(request.url.params)
    body = request.content.decode()
    assert request.url.path == "/api/messages/send" and str(request.url).startswith("http://sandbox.test/api/")
    assert '"client_msg_id":"idem-1"' in body and "你好" in body
    assert params["sign"] == sign({**{k: v for k, v in params.items() if k != "sign"}, "body": body}, "s")
    assert abs(int(params["timestamp"]) - time.time()) < 5


def test_remark_sends_its_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "modified": 1, "replayed": False})

    mock_adapter(handler)(lambda a: a.set_remark(SetRemark("remark-7", "390001", "改发顺丰", None)))
    assert seen[0].url.path == "/api/orders/remark"
    assert json.loads(seen[0].content) == {"order_id": "390001", "memo": "改发顺丰", "flag": 0, "client_key": "remark-7"}


@pytest.mark.parametrize(
    ("secrets", "settings", "error"),
    [
        (Secrets(app_key="k", app_secret="s"), {"base_url": "http://x"}, AuthExpired),
        (CREDS, {}, Rejected),
        (CREDS, {"base_url": "http://x", "page_size": 0}, Rejected),
        (CREDS, {"base_url": "http://x", "page_size": "many"}, Rejected),
    ],
    ids=["no-token", "no-base-url", "page-size-0", "page-size-text"],
)
def test_configuration_problems(secrets: Secrets, settings: dict[str, object], error: type[Exception]) -> None:
    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request should be made")

    async def fetch(adapter: SandboxAdapter) -> None:
        with pytest.raises(error):
            await adapter.fetch_messages(None)

    mock_adapter(never, secrets=secrets, settings=settings)(fetch)


# -- against a real sandbox --


def test_check_connection(sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any]) -> None:
    use_adapter(0, lambda a: a.check_connection())
    admin.post("/admin/expire-token", json={"shop_id": sandbox.shops[0]["platform_shop_id"]})

    async def expired(adapter: SandboxAdapter) -> None:
        with pytest.raises(AuthExpired, match="token_expired"):
            await adapter.check_connection()

    use_adapter(0, expired)


@pytest.mark.parametrize("index", [0, 1], ids=["tb", "dy"])
def test_orders_map_faithfully_from_the_platform(
    sandbox: SandboxServer, use_adapter: Callable[..., Any], index: int
) -> None:
    sandbox.simulator.run_ticks(2500)
    events: list[OrderEvent] = use_adapter(index, lambda a: a.fetch_orders(None), page_size=500).events
    shop = sandbox.store.shops[index]
    assert len(events) == len(shop.orders)
    statuses = set()
    for event in events:
        order = shop.orders[event.platform_order_id]
        statuses.add(event.status)
        assert event.total == Decimal(order.total_fen) / 100 and event.currency == "CNY"
        assert [(i.sku_id, i.quantity, i.unit_price) for i in event.items] == [
            (line.sku_id, line.quantity, Decimal(line.unit_price_fen) / 100) for line in order.lines
        ]
        assert (event.buyer_id, event.buyer_nick, event.conversation_id) == (
            order.buyer_id,
            order.buyer_nick,
            order.conversation_id,
        )
        assert (event.courier, event.waybill) == (order.courier, order.waybill)
        assert "****" in event.receiver_masked and order.receiver_mobile in event.receiver_masked
        assert event.created_at.tzinfo is not None and event.updated_at >= event.created_at
        assert (event.paid_at is None) == (order.paid_ms is None)
        assert (event.shipped_at is None) == (order.shipped_ms is None)
        assert event.raw_status
        assert event.warehouse is expected_warehouse(order)
    assert {OrderStatus.UNPAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.CLOSED} <= statuses


def expected_warehouse(order: Order) -> WarehouseStage:
    if order.stage in (Stage.UNPAID, Stage.CLOSED_UNPAID, Stage.CLOSED_REFUNDED):
        return WarehouseStage.UNKNOWN
    return WarehouseStage(order.warehouse.value)


@pytest.mark.parametrize("index", [0, 1], ids=["tb", "dy"])
def test_each_warehouse_step_reaches_the_order_feed(
    sandbox: SandboxServer, use_adapter: Callable[..., Any], index: int
) -> None:
    shop = sandbox.store.shops[index]
    seen: set[WarehouseStage] = set()

    async def run(adapter: SandboxAdapter) -> None:
        cursor = (await adapter.fetch_orders(None)).next_cursor
        for _ in range(300):
            before = {o.order_id: o.warehouse for o in shop.orders.values()}
            await asyncio.to_thread(sandbox.simulator.run_ticks, 10)
            moved = {o.order_id for o in shop.orders.values() if before.get(o.order_id, o.warehouse) != o.warehouse}
            page = await adapter.fetch_orders(cursor)
            cursor = page.next_cursor
            latest = {e.platform_order_id: e for e in page.events}
            assert moved <= set(latest)  # every warehouse step is an order change the feed reports
            for event in latest.values():
                assert event.warehouse is expected_warehouse(shop.orders[event.platform_order_id])
                seen.add(event.warehouse)
            if {WarehouseStage.WAITING, WarehouseStage.PRINTED, WarehouseStage.PACKED} <= seen:
                return
        raise AssertionError(f"only saw {seen}")

    use_adapter(index, run, page_size=500)


@pytest.mark.parametrize(
    "text", catalog.TRICKY_TEXTS[:4] + [catalog.TRICKY_TEXTS[-1]], ids=["html", "emoji", "url", "sql", "long"]
)
def test_tricky_text_survives_the_round_trip(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any], text: str
) -> None:
    admin.post("/admin/buyer-says", json={"shop_id": sandbox.shops[1]["platform_shop_id"], "text": text})
    events: tuple[MessageEvent, ...] = use_adapter(1, lambda a: a.fetch_messages(None)).events
    assert [e.text for e in events] == [text]


def test_push_wakes_within_a_second_of_a_buyer_message(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any]
) -> None:
    shop_id = sandbox.shops[0]["platform_shop_id"]
    while not sandbox.store.shops[0].orders:  # history before push started must not be replayed
        sandbox.simulator.run_ticks(10)

    def waiters() -> int:
        return int(admin.get("/admin/stats").json()["shops"][shop_id]["push_waiters"])

    async def run(adapter: SandboxAdapter) -> tuple[float, list[Any], str]:
        stream = adapter.push()
        first = asyncio.ensure_future(stream.__anext__())
        deadline = time.monotonic() + 3
        while await asyncio.to_thread(waiters) < 1:
            assert time.monotonic() < deadline, "push never started long-polling"
            await asyncio.sleep(0.005)
        start = time.monotonic()
        said = await asyncio.to_thread(
            lambda: admin.post("/admin/buyer-says", json={"shop_id": shop_id, "text": "快递到哪了？"}).json()
        )
        event = await asyncio.wait_for(first, 2)
        elapsed = time.monotonic() - start
        # An order change arrives through the same stream.
        order_id = next(iter(sandbox.store.shops[0].orders))
        await adapter.set_remark(SetRemark("r", order_id, "加急", 1))
        second = await asyncio.wait_for(stream.__anext__(), 2)
        await stream.aclose()
        return elapsed, [event, second], said["msg_id"]

    elapsed, (event, second), msg_id = use_adapter(0, run, push_timeout=5)
    assert elapsed < 1.0
    assert isinstance(event, MessageEvent) and event.platform_msg_id == msg_id and event.text == "快递到哪了？"
    assert isinstance(second, OrderEvent) and (second.seller_memo, second.seller_flag) == ("加急", 1)
