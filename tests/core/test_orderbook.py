"""Orders across shops, remarks (ours and the platform's), after-sale cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import T0, FakeAdapter, msg, order
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import aftersale, orderbook, outbox, queries
from desktop.core.ingest import Ingestor, millis
from desktop.core.registry import Registry
from desktop.core.remarks import compose_memo
from desktop.core.views import CaseFilter, CaseItemRow, OrderFilter
from desktop.sdk import OrderStatus, WarehouseStage

REG = Registry.of(FakeAdapter)


def ids(rows):
    return [r.platform_order_id for r in rows]


@pytest.fixture
def orders(db, shop):  # noqa: F811
    ing = Ingestor(db)
    ing.ingest_messages(shop, "fake", [msg(1, conv="c1", buyer="b1")])
    ing.ingest_orders(shop, "fake", [
        order("o1", OrderStatus.UNPAID, buyer="b1"),
        replace(order("o2", OrderStatus.PAID, buyer="b2", flag=1, memo="加急"),
                created_at=T0 + timedelta(hours=1), warehouse=WarehouseStage.PRINTED),
        replace(order("o3", OrderStatus.SHIPPED, buyer="b1"), created_at=T0 + timedelta(hours=2)),
    ])
    return {r.platform_order_id: r for r in orderbook.orders(db, REG, OrderFilter())}


def test_orders_view_filters_and_sorts(db, orders):
    assert ids(orderbook.orders(db, REG, OrderFilter())) == ["o3", "o2", "o1"]
    assert ids(orderbook.orders(db, REG, OrderFilter(descending=False))) == ["o1", "o2", "o3"]
    assert ids(orderbook.orders(db, REG, OrderFilter(statuses=frozenset({"paid", "unpaid"})))) \
        == ["o2", "o1"]
    assert ids(orderbook.orders(db, REG, OrderFilter(flag_colors=frozenset({"red"})))) == ["o2"]
    assert ids(orderbook.orders(db, REG, OrderFilter(flag_colors=frozenset({"none"})))) \
        == ["o3", "o1"]
    hour = millis(T0 + timedelta(hours=1))
    assert ids(orderbook.orders(db, REG, OrderFilter(created_from=hour))) == ["o3", "o2"]
    assert ids(orderbook.orders(db, REG, OrderFilter(created_to=hour))) == ["o1"]
    assert ids(orderbook.orders(db, REG, OrderFilter(text="b2"))) == ["o2"]  # buyer nick
    assert ids(orderbook.orders(db, REG, OrderFilter(text="%"))) == []  # LIKE is escaped
    assert ids(orderbook.orders(db, REG, OrderFilter(), limit=1, offset=1)) == ["o2"]
    assert orderbook.count_orders(db, REG, OrderFilter(shop_ids=frozenset({1}))) == 3
    assert ids(orderbook.orders(db, REG, OrderFilter(sort="buyer", descending=False)))[-1] == "o2"


def test_order_rows_carry_what_the_views_need(db, orders):
    o2, o1 = orders["o2"], orders["o1"]
    assert (o2.flag_color, o2.flag_label, o2.warehouse) == ("red", "红旗", "printed")
    assert not o2.memo_reaches_warehouse and o1.memo_reaches_warehouse
    assert not orders["o3"].memo_reaches_warehouse  # shipped
    assert o1.conversation_id is not None and o2.conversation_id is None  # b2 never chatted
    assert o1.shop_name == "店" and o1.buyer_nick == "买家b1" and o1.items[0].quantity == 2


def test_remark_keeps_history_and_the_outbox_state(db, orders):
    o1 = orders["o1"]
    memo = compose_memo("改地址为杭州", "小王", millis(T0))
    assert memo.startswith("改地址为杭州 —— 小王 2026-11-24 ")
    rid = outbox.queue_remark(db, o1.id, "改地址为杭州", 1, "小王", memo)
    [item] = outbox.due(db, 1 << 62)
    assert item.command.text == memo and item.command.flag == 1
    assert orderbook.remarks(db, REG, o1.id)[0].state == "pending"
    outbox.mark_attempt_failed(db, item.id, "HTTP 503", retry_in=5.0)
    row = orderbook.remarks(db, REG, o1.id)[0]
    assert (row.state, row.error, row.outbox_id) == ("failed", "HTTP 503", item.id)
    notice = outbox.retry(db, item.id)
    assert notice.order_ids == {o1.id}
    outbox.mark_done(db, item.id, None)
    row = orderbook.order(db, REG, o1.id).latest_remark
    assert (row.id, row.state, row.error, row.flag_label, row.author) == (rid, "synced", "", "红旗", "小王")


def test_our_memo_coming_back_is_not_a_platform_remark_but_theirs_is(db, orders):
    o1 = orders["o1"]
    memo = compose_memo("改地址", "小王", millis(T0))
    outbox.queue_remark(db, o1.id, "改地址", None, "小王", memo)
    ing = Ingestor(db)
    # the platform now carries our memo (with its own "no flag" value 0)
    ing.ingest_orders(1, "fake", [order("o1", minute=5, memo=memo, flag=0)])
    assert [r.source for r in orderbook.remarks(db, REG, o1.id)] == ["team"]
    # someone changes it in the web back office
    ing.ingest_orders(1, "fake", [order("o1", minute=9, memo="仓库：缺货换色", flag=1)])
    latest = orderbook.remarks(db, REG, o1.id)[0]
    assert (latest.source, latest.state, latest.text, latest.author) == \
        ("platform", "platform", "仓库：缺货换色", "")
    # replays and older states add nothing
    ing.ingest_orders(1, "fake", [order("o1", minute=9, memo="仓库：缺货换色", flag=1),
                                  order("o1", minute=1, memo="旧的", flag=2)])
    assert len(orderbook.remarks(db, REG, o1.id)) == 2
    # a new order that arrives with a memo starts its history with it
    assert [r.text for r in orderbook.remarks(db, REG, orders["o2"].id)] == ["加急"]


def test_case_walks_its_flow_and_leaves_the_open_list_when_closed(db, orders):
    o2 = orders["o2"]
    case_id = aftersale.open_case(db, o2.id, "return_refund", "尺码不合适",
                                  [CaseItemRow("纯棉T恤 XL", 1, "sku1")], "", "", "小王")
    assert orderbook.order(db, REG, o2.id).open_cases == 1
    with pytest.raises(aftersale.CaseError):
        aftersale.update_case(db, case_id, "小李", state="refunded")  # must come back first
    for state in ("awaiting_return", "received", "refunded"):
        assert aftersale.update_case(db, case_id, "小李", state=state,
                                     return_waybill="SF123" if state == "awaiting_return" else None
                                     ) == o2.id
        assert [c.id for c in orderbook.cases(db, CaseFilter())] == [case_id]
    aftersale.update_case(db, case_id, "小李", state="closed", note="已退款 49.90")
    assert orderbook.cases(db, CaseFilter()) == []
    case = orderbook.case(db, case_id)
    assert case.return_waybill == "SF123" and case.closed_at is not None
    assert [(e.from_state, e.to_state) for e in case.history] == [
        ("", "open"), ("open", "awaiting_return"), ("awaiting_return", "received"),
        ("received", "refunded"), ("refunded", "closed")]
    assert case.history[-1].note == "已退款 49.90" and case.items[0].quantity == 1
    with pytest.raises(aftersale.CaseError):
        aftersale.update_case(db, case_id, "小李", state="open")
    assert orderbook.order(db, REG, o2.id).open_cases == 0


def test_case_input_is_checked(db, orders):
    with pytest.raises(aftersale.CaseError):
        aftersale.open_case(db, orders["o1"].id, "bogus", "x", [], "", "", "a")
    with pytest.raises(aftersale.CaseError):
        aftersale.open_case(db, orders["o1"].id, "resend", "  ", [], "", "", "a")
    with pytest.raises(aftersale.CaseError):
        aftersale.open_case(db, orders["o1"].id, "resend", "少件", [CaseItemRow("x", 0)], "", "", "a")


def test_profile_lists_orders_and_cases(db, orders):
    conv = orders["o1"].conversation_id
    aftersale.open_case(db, orders["o3"].id, "resend", "少件", [], "", "", "小王")
    profile = queries.buyer_profile(db, REG, conv)
    assert ids(profile.orders) == ["o3", "o1"]
    assert [c.kind for c in profile.cases] == ["resend"]
