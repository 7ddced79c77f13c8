"""Message and order feeds: opaque cursors, exact resume, replay, no gaps or duplicates."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from desktop.sdk import MessageEvent, OrderEvent, Page, Rejected
from plugins.sandbox.adapter import SandboxAdapter
from plugins.sandbox.server import SandboxServer


def drain(
    use_adapter: Callable[..., Any], index: int, feed: str, cursor: str | None = None, **settings: object
) -> tuple[list[Page[Any]], str | None]:
    """Every page from `cursor` until has_more is false; returns the pages and the final cursor."""

    async def run(adapter: SandboxAdapter) -> tuple[list[Page[Any]], str | None]:
        fetch = adapter.fetch_messages if feed == "messages" else adapter.fetch_orders
        pages, at = [], cursor
        while True:
            page = await fetch(at)
            pages.append(page)
            at = page.next_cursor
            if not page.has_more:
                return pages, at

    result: tuple[list[Page[Any]], str | None] = use_adapter(index, run, **settings)
    return result


def ledger(admin: httpx.Client, sandbox: SandboxServer, index: int) -> dict[str, Any]:
    shop: dict[str, Any] = admin.get("/admin/ledger").json()["shops"][sandbox.shops[index]["platform_shop_id"]]
    return shop


@pytest.mark.parametrize("index", [0, 1], ids=["tb", "dy"])
def test_paging_messages_matches_the_ledger(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any], index: int
) -> None:
    sandbox.simulator.run_ticks(400)
    pages, _ = drain(use_adapter, index, "messages", page_size=7)
    ids = [e.platform_msg_id for page in pages for e in page.events]
    assert len(pages) > 5
    assert all(len(page.events) == 7 for page in pages[:-1])
    assert ids == ledger(admin, sandbox, index)["message_ids"]  # same order, nothing lost or doubled
    assert all(isinstance(e, MessageEvent) and e.sent_at.tzinfo is not None for p in pages for e in p.events)


def test_cursor_resumes_exactly_and_a_replayed_page_is_identical(
    sandbox: SandboxServer, use_adapter: Callable[..., Any]
) -> None:
    sandbox.simulator.run_ticks(200)

    async def run(adapter: SandboxAdapter) -> None:
        first = await adapter.fetch_messages(None)
        second = await adapter.fetch_messages(first.next_cursor)
        replay = await adapter.fetch_messages(first.next_cursor)
        assert replay == second
        assert first.events[-1].platform_msg_id != second.events[0].platform_msg_id
        again = await adapter.fetch_messages(None)
        assert again.events[: len(first.events)] == first.events

    use_adapter(0, run, page_size=10)


def test_new_messages_appear_after_the_last_cursor(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any]
) -> None:
    sandbox.simulator.run_ticks(50)
    pages, end = drain(use_adapter, 0, "messages")
    before = sum(len(p.events) for p in pages)
    empty, same_end = drain(use_adapter, 0, "messages", end)
    assert [len(p.events) for p in empty] == [0] and same_end == end
    sandbox.simulator.run_ticks(60)
    later, _ = drain(use_adapter, 0, "messages", end)
    new_ids = [e.platform_msg_id for p in later for e in p.events]
    assert new_ids == ledger(admin, sandbox, 0)["message_ids"][before:]
    assert new_ids


@pytest.mark.parametrize("index", [0, 1], ids=["tb", "dy"])
def test_order_feed_reports_every_order_in_its_latest_state(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any], index: int
) -> None:
    sandbox.simulator.run_ticks(1500)
    pages, _ = drain(use_adapter, index, "orders", page_size=9)
    events: list[OrderEvent] = [e for p in pages for e in p.events]
    ids = [e.platform_order_id for e in events]
    assert len(ids) == len(set(ids))  # one read from the beginning: each order once, in its latest state
    assert sorted(ids) == sorted(ledger(admin, sandbox, index)["order_ids"])
    shop = sandbox.store.shops[index]
    for event in events:
        order = shop.orders[event.platform_order_id]
        assert event.seller_flag == order.flag and event.waybill == order.waybill
    # ordered by modification sequence
    assert [shop.orders[i].mod_seq for i in ids] == sorted(shop.orders[i].mod_seq for i in ids)


def test_a_modified_order_reappears_after_the_cursor(
    sandbox: SandboxServer, raw_api: Callable[..., httpx.Response], use_adapter: Callable[..., Any]
) -> None:
    sandbox.simulator.run_ticks(600)
    _, end = drain(use_adapter, 1, "orders")
    order_id = next(iter(sandbox.store.shops[1].orders))
    body = json.dumps({"order_id": order_id, "memo": "改发顺丰 —— 小王", "flag": 5}, ensure_ascii=False)
    assert raw_api("POST", "/api/orders/remark", shop=1, body=body).status_code == 200
    pages, _ = drain(use_adapter, 1, "orders", end)
    events = [e for p in pages for e in p.events]
    assert [e.platform_order_id for e in events] == [order_id]
    assert (events[0].seller_memo, events[0].seller_flag) == ("改发顺丰 —— 小王", 5)


def test_an_order_changed_twice_before_it_is_read_is_reported_once(
    sandbox: SandboxServer, raw_api: Callable[..., httpx.Response], use_adapter: Callable[..., Any]
) -> None:
    sandbox.simulator.run_ticks(300)
    _, end = drain(use_adapter, 0, "orders")
    order_id = next(iter(sandbox.store.shops[0].orders))
    for memo in ("第一次", "第二次"):
        body = json.dumps({"order_id": order_id, "memo": memo, "flag": 1}, ensure_ascii=False)
        assert raw_api("POST", "/api/orders/remark", body=body).status_code == 200
    pages, _ = drain(use_adapter, 0, "orders", end)
    assert [(e.platform_order_id, e.seller_memo) for p in pages for e in p.events] == [(order_id, "第二次")]
    assert not pages[-1].has_more


def test_page_limits(raw_api: Callable[..., httpx.Response], sandbox: SandboxServer) -> None:
    sandbox.simulator.run_ticks(1300)
    body = raw_api("GET", "/api/messages", query={"limit": 5000}).json()
    assert len(body["messages"]) == 500 and body["has_more"] is True
    assert len(raw_api("GET", "/api/messages").json()["messages"]) == 100  # the default
    assert raw_api("GET", "/api/messages", query={"limit": 0}).status_code == 400
    assert raw_api("GET", "/api/messages", query={"limit": "ten"}).json()["error"]["code"] == "invalid_limit"


def test_a_foreign_cursor_is_rejected(use_adapter: Callable[..., Any], raw_api: Callable[..., httpx.Response]) -> None:
    orders_cursor = raw_api("GET", "/api/orders").json()["next_cursor"]

    async def run(adapter: SandboxAdapter) -> None:
        with pytest.raises(Rejected, match="invalid_cursor"):
            await adapter.fetch_messages(orders_cursor)
        with pytest.raises(Rejected, match="invalid_cursor"):
            await adapter.fetch_messages("bm9wZQ")

    use_adapter(0, run)
