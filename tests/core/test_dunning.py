"""Dunning (催付): the unpaid view, the two templates, the per-platform interval (twice in
24 h is refused with a clear reason), batches, and dunned → paid with the amount."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from fakes import T0, order
from sqlalchemy import select
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import dunning, queries
from desktop.core.dunning import DunningError
from desktop.core.ingest import Ingestor, millis
from desktop.core.models import Shop, messages_table
from desktop.core.registry import Registry
from desktop.core.views import DEFAULT_DUN_ASKED, DEFAULT_DUN_SILENT, DunningSettings, InboxFilter
from desktop.sdk import Direction, MessageEvent, MessageKind, OrderStatus

HOUR = 3_600_000
SENDABLE = frozenset({"fake"})
ORDERED = millis(T0)
NOW = ORDERED + 20 * 60_000  # twenty minutes after the orders were placed


def said(buyer: str, minutes_before: int, conv: str | None = None) -> MessageEvent:
    return MessageEvent(
        platform_msg_id=f"{buyer}-{minutes_before}", conversation_id=conv or f"cv-{buyer}",
        buyer_id=buyer, buyer_nick=f"买家{buyer}", direction=Direction.IN, sender="x",
        kind=MessageKind.TEXT, text="这个有现货吗", sent_at=T0 - timedelta(minutes=minutes_before))


def placed(oid: str, buyer: str, status: OrderStatus = OrderStatus.UNPAID, **changes):
    return replace(order(oid, status, buyer=buyer), conversation_id=f"cv-{buyer}", **changes)


@pytest.fixture
def store(db, shop):  # noqa: F811
    """b1 asked, then ordered o1; b2 ordered o2 without a word (no chat yet); o3 is paid."""
    ing = Ingestor(db)
    ing.ingest_messages(shop, "fake", [said("b1", 5)])
    ing.ingest_orders(shop, "fake", [placed("o1", "b1"), placed("o2", "b2"),
                                     placed("o3", "b3", OrderStatus.PAID)])
    return db


def order_ids(db) -> dict[str, int]:
    return {r.platform_order_id: r.id for r in dunning.unpaid_orders(db, now=NOW)}


def dun(db, ids, now=NOW, actor="小王", **kw):
    return dunning.dun(db, ids, actor=actor, seat_id=7, sendable=kw.pop("sendable", SENDABLE),
                       now=now, **kw)


def test_the_unpaid_view_knows_who_asked_before_ordering(store):
    rows = {r.platform_order_id: r for r in dunning.unpaid_orders(store, now=NOW)}
    assert set(rows) == {"o1", "o2"}  # o3 is paid
    assert (rows["o1"].variant, rows["o2"].variant) == ("asked", "silent")
    assert rows["o1"].conversation_id is not None and rows["o2"].conversation_id is None
    assert rows["o1"].total == Decimal("99.80") and rows["o1"].item == "纯棉T恤 XL"
    assert rows["o1"].created_at == ORDERED and rows["o1"].next_allowed_at is None


def test_dun_sends_the_template_of_each_variant(store):
    ids = order_ids(store)
    report = dun(store, [ids["o1"], ids["o2"]])
    assert report.refused == ()
    assert [(s.order_id, s.variant) for s in report.sent] == [(ids["o1"], "asked"),
                                                             (ids["o2"], "silent")]
    m = messages_table.c
    with store.connect() as conn:
        lines = conn.execute(select(m.conversation_id, m.text, m.origin, m.seat_id, m.sender)
                             .where(m.direction == "out").order_by(m.id)).all()
    assert lines[0].text == DEFAULT_DUN_ASKED.replace("{订单号}", "o1")
    assert lines[1].text == DEFAULT_DUN_SILENT.replace("{订单号}", "o2")
    assert {(r.origin, r.seat_id, r.sender) for r in lines} == {("dunning", 7, "小王")}
    # b2 never wrote: the chat the platform names on the order now holds the message
    assert lines[1].conversation_id == report.sent[1].conversation_id
    # a template sent in bulk is not an answer: b1 still waits for a person
    row = queries.conversation_rows(store, Registry(), [lines[0].conversation_id])
    assert row[lines[0].conversation_id].waiting_since == millis(T0 - timedelta(minutes=5))


def test_dunning_twice_within_24h_is_refused_with_a_clear_reason(store):
    ids = order_ids(store)
    dun(store, [ids["o1"]])
    again = dun(store, [ids["o1"]], now=NOW + 23 * HOUR, actor="小李")
    assert again.sent == ()
    (refusal,) = again.refused
    assert (refusal.code, refusal.by, refusal.at, refusal.next_at, refusal.hours) == \
        ("too_soon", "小王", NOW, NOW + 24 * HOUR, 24)
    assert "already dunned in this shop by 小王" in refusal.reason
    assert "one dunning per buyer and shop every 24 h" in refusal.reason
    # the view says so before anyone tries
    row = next(r for r in dunning.unpaid_orders(store, now=NOW + HOUR) if r.id == ids["o1"])
    assert (row.last_dunned_by, row.next_allowed_at, row.order_dunned_at) == \
        ("小王", NOW + 24 * HOUR, NOW)
    # 24 hours on, the buyer may be dunned again
    assert len(dun(store, [ids["o1"]], now=NOW + 24 * HOUR).sent) == 1


def test_the_limit_is_per_buyer_and_shop_and_per_platform(store, shop):  # noqa: F811
    with store.begin() as conn:
        conn.execute(Shop.__table__.insert().values(
            id=2, platform="fake", platform_shop_id="s2", name="二店", color="#000",
            enabled=True, settings_json="{}", secret_ref="", health="connecting",
            health_detail=""))
    Ingestor(store).ingest_orders(shop, "fake", [placed("o4", "b1")])
    Ingestor(store).ingest_orders(2, "fake", [placed("o5", "b1")])
    ids = order_ids(store)
    # one batch, two orders of b1 in shop 1: one message; b1's order in shop 2: its own
    report = dun(store, [ids["o1"], ids["o4"], ids["o5"]])
    assert [s.order_id for s in report.sent] == [ids["o1"], ids["o5"]]
    assert [(r.order_id, r.code) for r in report.refused] == [(ids["o4"], "too_soon")]
    # a platform that allows dunning every 2 hours
    dunning.save(store, DunningSettings(interval_hours={"fake": 2}))
    assert [r.code for r in dun(store, [ids["o4"]], now=NOW + HOUR).refused] == ["too_soon"]
    assert len(dun(store, [ids["o4"]], now=NOW + 2 * HOUR).sent) == 1


def test_orders_that_cannot_be_dunned_say_why(store):
    ids = order_ids(store)
    with store.connect() as conn:
        o3 = conn.execute(select(dunning.orders_table.c.id).where(
            dunning.orders_table.c.platform_order_id == "o3")).scalar_one()
    report = dun(store, [o3, 999, ids["o1"]], sendable=frozenset(),
                 platform_names={"fake": "假平台"})
    assert [(r.order_id, r.code, r.detail) for r in report.refused] == [
        (o3, "not_unpaid", "paid"), (999, "missing", ""), (ids["o1"], "cannot_send", "假平台")]
    dunning.save(store, DunningSettings(silent_text="亲，{快递} 已备好，订单 {订单号} 还没付款哦"))
    (refusal,) = dun(store, [ids["o2"]]).refused
    assert (refusal.code, refusal.detail) == ("template", "{快递}")  # unpaid: no courier yet
    assert dun(store, [ids["o1"]]).sent  # the asked template is still the team's default


def test_shop_templates_override_the_teams(store, shop):  # noqa: F811
    dunning.save(store, DunningSettings(shop_templates={str(shop): {"asked": "{买家}，{金额}元的宝贝还等您付款～"}}))
    ids = order_ids(store)
    dun(store, [ids["o1"]])
    with store.connect() as conn:
        text = conn.execute(select(messages_table.c.text).where(
            messages_table.c.origin == "dunning")).scalar_one()
    assert text == "买家b1，99.80元的宝贝还等您付款～"


def test_dunned_then_paid_is_recovered(store, shop):  # noqa: F811
    ids = order_ids(store)
    dun(store, [ids["o1"], ids["o2"]])
    later = T0 + timedelta(hours=1)
    Ingestor(store).ingest_orders(shop, "fake", [
        placed("o1", "b1", OrderStatus.PAID, paid_at=later, updated_at=later)])
    rows = {r.platform_order_id: r for r in dunning.dunned_orders(store, NOW - HOUR)}
    assert (rows["o1"].status, rows["o1"].recovered) == ("paid", True)
    assert (rows["o2"].status, rows["o2"].recovered) == ("unpaid", False)
    assert (rows["o1"].dunned_by, rows["o1"].variant, rows["o1"].times) == ("小王", "asked", 1)
    total = dunning.summary(list(rows.values()))
    assert (total.dunned, total.paid, total.recovered) == (2, 1, (("CNY", Decimal("99.80")),))
    assert set(order_ids(store)) == {"o2"}  # o1 left the unpaid view
    assert dunning.dunned_orders(store, NOW + HOUR) == []  # the period starts after


def test_settings_are_validated(store):
    assert dunning.load(store) == DunningSettings()
    with pytest.raises(DunningError, match="unknown variable"):
        dunning.save(store, DunningSettings(asked_text="亲{顾客}"))
    with pytest.raises(DunningError, match="at least one hour"):
        dunning.save(store, DunningSettings(interval_hours={"fake": 0}))
    kept = dunning.save(store, DunningSettings(interval_hours={"fake": 12},
                                               shop_templates={"1": {"asked": " ", "silent": "x"}}))
    assert kept.shop_templates == {"1": {"silent": "x"}}
    assert dunning.load(store).interval_ms("fake") == 12 * HOUR
    assert dunning.load(store).interval_ms("other") == 24 * HOUR


def test_the_inbox_is_untouched_by_a_new_chat_for_a_silent_buyer(store):
    ids = order_ids(store)
    before = queries.conversation_ids(store, InboxFilter())
    dun(store, [ids["o2"]])
    assert queries.conversation_ids(store, InboxFilter()) == before  # made closed
