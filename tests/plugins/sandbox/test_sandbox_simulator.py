"""The buyer simulator, driven tick by tick without threads or HTTP."""

from __future__ import annotations

import re
from collections import Counter
from itertools import count
from typing import Any

import pytest

from plugins.sandbox import catalog
from plugins.sandbox.flavours import FLAVOURS
from plugins.sandbox.model import Order, Refund, Shop, Stage, Warehouse
from plugins.sandbox.protocol import (
    DY_ORDER_STATUS,
    DY_PACK_STATUS,
    PLATFORM_DY,
    PLATFORM_TB,
    TB_STATUSES,
    TB_WAREHOUSE_STATUSES,
)
from plugins.sandbox.simulator import Simulator
from plugins.sandbox.store import Store


def fake_clock() -> Any:
    ticks = count()
    return lambda: 1_790_000_000 + next(ticks) * 0.01


def simulate(shops: int, seed: int, ticks: int) -> Store:
    store = Store(shops, seed, clock=fake_clock())
    Simulator(store, seed).run_ticks(ticks)
    return store


def snapshot(store: Store) -> list[Any]:
    """Everything the simulation decided, without wall-clock times."""
    out: list[Any] = []
    for shop in store.shops:
        out.append([{k: v for k, v in m.items() if k != "created_at"} for m in shop.messages])
        out.append(
            [
                (o.order_id, o.stage, o.warehouse, o.refund, o.total_fen, o.courier, o.waybill, o.buyer_id)
                for o in shop.orders.values()
            ]
        )
    return out


@pytest.fixture(scope="module")
def long_run() -> Store:
    # Shared by the coverage tests below; 2 shops (one per flavour) × 6000 buyer messages.
    return simulate(2, 11, 6000)


def test_same_seed_same_ticks_same_world() -> None:
    assert snapshot(simulate(3, 5, 1500)) == snapshot(simulate(3, 5, 1500))


def test_another_seed_gives_another_world() -> None:
    assert snapshot(simulate(3, 5, 300)) != snapshot(simulate(3, 6, 300))


def test_run_ticks_in_chunks_equals_one_run() -> None:
    whole = simulate(2, 3, 800)
    store = Store(2, 3, clock=fake_clock())
    sim = Simulator(store, 3)
    for _ in range(8):
        sim.run_ticks(100)
    assert sim.ticks == 800
    assert snapshot(store) == snapshot(whole)


def test_one_buyer_message_per_tick() -> None:
    store = simulate(4, 2, 1000)
    incoming = sum(1 for shop in store.shops for m in shop.messages if m["direction"] == "in")
    assert incoming == 1000
    assert all(m["sender"] == m["buyer_nick"] for shop in store.shops for m in shop.messages)


def test_shops_alternate_flavours_with_chinese_names_and_stable_credentials() -> None:
    first, again, other = Store(5, 9), Store(5, 9), Store(5, 10)
    assert [s.platform for s in first.shops] == [PLATFORM_TB, PLATFORM_DY, PLATFORM_TB, PLATFORM_DY, PLATFORM_TB]
    assert [s.public() for s in first.shops] == [s.public() for s in again.shops]
    assert [s.credentials for s in first.shops] != [s.credentials for s in other.shops]
    assert all(re.search(r"[\u4e00-\u9fff]", s.name) for s in first.shops)
    assert len({s.platform_shop_id for s in first.shops}) == 5
    assert len({s.name for s in Store(30, 1).shops}) == 30  # names stay unique beyond the theme list


def test_message_ids_unique_and_times_never_go_back(long_run: Store) -> None:
    for shop in long_run.shops:
        ids = [m["msg_id"] for m in shop.messages]
        assert len(ids) == len(set(ids))
        times = [m["created_at"] for m in shop.messages]
        assert times == sorted(times)


def _texts(store: Store) -> str:
    return "\n".join(m["content"] for shop in store.shops for m in shop.messages)


@pytest.mark.parametrize(
    "stage_phrases",
    [
        catalog.GREETINGS,
        catalog.HAGGLES[:3],
        catalog.HAGGLES[3:],  # repeat hagglers escalate
        catalog.UNPAID_LINES,
        catalog.PAY_LINES,
        catalog.PRE_SHIP_LINES,
        catalog.COMPLAINT_LINES,
        catalog.REFUND_LINES,
        catalog.BYE_SALE,
        catalog.BYE_NO_SALE,
    ],
    ids=["greeting", "bargain", "haggle-again", "unpaid", "paid", "logistics", "complaint", "refund", "bye", "no-sale"],
)
def test_conversations_walk_the_workflow(long_run: Store, stage_phrases: list[str]) -> None:
    texts = _texts(long_run)
    stems = [p.split("{")[0] for p in stage_phrases]
    assert any(stem in texts for stem in stems), stage_phrases


def test_buyers_ask_product_questions_about_the_shops_own_products(long_run: Store) -> None:
    for shop in long_run.shops:
        texts = "\n".join(m["content"] for m in shop.messages)
        assert any(p.title in texts for p in shop.products)


def test_message_kinds_and_tricky_text_appear(long_run: Store) -> None:
    kinds = Counter(m["type"] for shop in long_run.shops for m in shop.messages)
    assert kinds["text"] > kinds["order_card"] > kinds["image"] > 0
    texts = [m["content"] for shop in long_run.shops for m in shop.messages]
    assert any("<img" in t for t in texts)
    assert any(len(t) >= 2900 for t in texts)
    assert any("https://" in t for t in texts)
    tricky = sum(1 for t in texts if t in catalog.TRICKY_TEXTS)
    assert 0 < tricky < len(texts) / 50  # rare


def test_orders_reach_every_stage_and_refund_state(long_run: Store) -> None:
    seen = {(o.stage, o.refund) for shop in long_run.shops for o in shop.orders.values()}
    assert {Stage.UNPAID, Stage.SHIPPED, Stage.COMPLETED, Stage.CLOSED_UNPAID, Stage.CLOSED_REFUNDED} <= {
        stage for stage, _ in seen
    }
    assert {Refund.NONE, Refund.SUCCESS, Refund.CLOSED} <= {refund for _, refund in seen}


def test_flavours_render_every_status(long_run: Store) -> None:
    tb = [FLAVOURS[PLATFORM_TB].render_order(o) for o in long_run.shops[0].orders.values()]
    dy = [FLAVOURS[PLATFORM_DY].render_order(o) for o in long_run.shops[1].orders.values()]
    assert (
        {"WAIT_BUYER_PAY", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED", "TRADE_CLOSED", "TRADE_CLOSED_BY_TAOBAO"}
        <= {r["status"] for r in tb}
        <= set(TB_STATUSES)
    )
    assert {1, 3, 4, 5} <= {r["order_status"] for r in dy} <= set(DY_ORDER_STATUS)
    assert {"SUCCESS", "NO_REFUND"} <= {r["refund_status"] for r in tb}
    assert {0, 3} <= {r["after_sale_status"] for r in dy}


ALLOWED = {
    (None, Stage.UNPAID),
    (Stage.UNPAID, Stage.PAID),
    (Stage.UNPAID, Stage.CLOSED_UNPAID),
    (Stage.PAID, Stage.SHIPPED),
    (Stage.PAID, Stage.CLOSED_REFUNDED),
    (Stage.SHIPPED, Stage.COMPLETED),
    (Stage.SHIPPED, Stage.CLOSED_REFUNDED),
    (Stage.COMPLETED, Stage.CLOSED_REFUNDED),
}


def test_orders_only_move_forward_through_their_life_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(2, 4, clock=fake_clock())
    history: dict[str, list[tuple[Stage, Refund]]] = {}
    touch = store.touch_order

    def recording(shop: Shop, order: Order) -> None:
        history.setdefault(order.order_id, []).append((order.stage, order.refund))
        touch(shop, order)

    monkeypatch.setattr(store, "touch_order", recording)
    Simulator(store, 4).run_ticks(4000)
    assert len(history) > 100
    for order_id, states in history.items():
        stages = [None, *dict.fromkeys(stage for stage, _ in states)]
        for before, after in zip(stages, stages[1:], strict=False):
            assert (before, after) in ALLOWED, (order_id, states)
    for shop in store.shops:
        for order in shop.orders.values():
            if order.stage in (Stage.SHIPPED, Stage.COMPLETED):
                assert order.courier and order.waybill and order.shipped_ms and order.paid_ms
            if order.stage is Stage.UNPAID:
                assert order.paid_ms is None
            assert order.total_fen == sum(line.quantity * line.unit_price_fen for line in order.lines)


WAREHOUSE_ORDER = [Warehouse.WAITING, Warehouse.PRINTED, Warehouse.PACKED]


def test_paid_orders_are_printed_then_packed_then_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(2, 4, clock=fake_clock())
    history: dict[str, list[tuple[Stage, Warehouse]]] = {}
    touch = store.touch_order

    def recording(shop: Shop, order: Order) -> None:
        history.setdefault(order.order_id, []).append((order.stage, order.warehouse))
        touch(shop, order)

    monkeypatch.setattr(store, "touch_order", recording)
    Simulator(store, 4).run_ticks(4000)
    reached: Counter[Warehouse] = Counter()
    for order_id, states in history.items():
        stages = [w for _, w in states]
        assert stages == sorted(stages, key=WAREHOUSE_ORDER.index), (order_id, states)  # never backwards
        for (stage, warehouse), (_, before) in zip(states[1:], states, strict=False):
            if warehouse is not before:  # each step is a change of its own, made while the order is paid
                assert stage is Stage.PAID and WAREHOUSE_ORDER.index(warehouse) == WAREHOUSE_ORDER.index(before) + 1
                reached[warehouse] += 1
        assert states[0] == (Stage.UNPAID, Warehouse.WAITING), (order_id, states)  # placed: unpaid, not printed
    assert reached[Warehouse.PRINTED] > 50 and reached[Warehouse.PACKED] > 50
    for shop in store.shops:
        for order in shop.orders.values():
            if order.stage in (Stage.SHIPPED, Stage.COMPLETED):
                assert order.warehouse is Warehouse.PACKED  # nothing ships unpacked
            if order.stage in (Stage.UNPAID, Stage.CLOSED_UNPAID):
                assert order.warehouse is Warehouse.WAITING


def test_some_paid_orders_wait_in_each_warehouse_stage(long_run: Store) -> None:
    # What the demo shows at any moment: paid orders not printed, printed, and packed.
    waiting = Counter(o.warehouse for shop in long_run.shops for o in shop.orders.values() if o.stage is Stage.PAID)
    assert set(waiting) == set(WAREHOUSE_ORDER)


def test_flavours_spell_the_warehouse_stage_their_own_way(long_run: Store) -> None:
    tb_shop, dy_shop = long_run.shops
    for order in tb_shop.orders.values():
        record = FLAVOURS[PLATFORM_TB].render_order(order)
        assert record["warehouse_status"] == TB_WAREHOUSE_STATUSES[WAREHOUSE_ORDER.index(order.warehouse)]
    for order in dy_shop.orders.values():
        record = FLAVOURS[PLATFORM_DY].render_order(order)
        assert record["pack_status"] == WAREHOUSE_ORDER.index(order.warehouse)
        assert record["pack_status_desc"] == DY_PACK_STATUS[record["pack_status"]]


def test_orders_link_to_the_buyers_conversation(long_run: Store) -> None:
    for shop in long_run.shops:
        for order in shop.orders.values():
            conversation = shop.conversations[order.conversation_id or ""]
            assert conversation.buyer_id == order.buyer_id
            assert order.receiver_mobile.count("*") == 4 and order.receiver_name.endswith("*")


def test_some_buyers_come_back(long_run: Store) -> None:
    greetings_per_conversation = Counter(
        m["conversation_id"] for shop in long_run.shops for m in shop.messages if m["content"] in catalog.GREETINGS
    )
    assert max(greetings_per_conversation.values()) >= 2


def test_some_buyers_shop_at_two_shops_of_one_platform() -> None:
    """Buyer ids are platform-wide: the same id (and nick) chats in several shops."""
    long_run = simulate(4, 3, 2000)  # two shops of each flavour
    seen: dict[tuple[str, str], set[int]] = {}
    nicks: dict[tuple[str, str], set[str]] = {}
    for shop in long_run.shops:
        for buyer in shop.buyers.values():
            key = (shop.platform, buyer.buyer_id)
            seen.setdefault(key, set()).add(shop.number)
            nicks.setdefault(key, set()).add(buyer.nick)
    shared = [k for k, numbers in seen.items() if len(numbers) > 1]
    assert shared
    assert all(len(nicks[k]) == 1 for k in shared)
    assert all(len({long_run.shops[n - 1].platform for n in seen[k]}) == 1 for k in shared)
