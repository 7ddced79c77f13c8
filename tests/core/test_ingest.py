"""Ingest: idempotent upserts, the cursor in the same transaction, the inbox row in step."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fakes import T0, msg, order
from sqlalchemy import func, select

from desktop.core import search
from desktop.core.ingest import Ingestor, load_cursor, millis
from desktop.core.models import Conversation, Message, Order, OrderLine, Shop
from desktop.sdk import Direction, OrderStatus


@pytest.fixture
def shop(db):
    with db.begin() as conn:
        conn.execute(Shop.__table__.insert().values(
            id=1, platform="fake", platform_shop_id="s1", name="店", color="#000",
            enabled=True, settings_json="{}", secret_ref="", health="connecting", health_detail=""))
    return 1


def count(db, model) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def conv(db, platform_conv_id="c1") -> Conversation:
    with db.connect() as conn:
        return conn.execute(select(Conversation.__table__).where(
            Conversation.platform_conv_id == platform_conv_id)).one()


def test_replaying_a_batch_adds_nothing(db, shop):
    ing = Ingestor(db)
    batch = [msg(1), msg(2), msg(3, conv="c2", buyer="b2")]
    first = ing.ingest_messages(shop, "fake", batch, "3")
    again = Ingestor(db).ingest_messages(shop, "fake", batch, "3")
    assert first.inserted == 3 and again.inserted == 0
    assert count(db, Message) == 3
    assert count(db, Conversation) == 2
    assert conv(db).unread_count == 2  # not doubled by the replay
    assert len(first.new_conversations) == 2 and not again.new_conversations


def test_duplicate_ids_inside_one_page_are_stored_once(db, shop):
    assert Ingestor(db).ingest_messages(shop, "fake", [msg(1), msg(1)]).inserted == 1


def test_cursor_moves_with_the_batch_and_not_without_it(db, shop, monkeypatch):
    ing = Ingestor(db)
    ing.ingest_messages(shop, "fake", [msg(1)], "c-1")

    def boom(*a, **k):
        raise RuntimeError("crash mid-batch")

    monkeypatch.setattr("desktop.core.ingest.touch_conversations", boom)
    with pytest.raises(RuntimeError):
        ing.ingest_messages(shop, "fake", [msg(2)], "c-2")
    with db.connect() as conn:
        assert load_cursor(conn, shop, "messages") == "c-1"
    assert count(db, Message) == 1  # the failed batch left nothing behind
    monkeypatch.undo()
    ing.ingest_messages(shop, "fake", [msg(2)], "c-2")
    assert count(db, Message) == 2


def test_waiting_since_follows_question_and_answer(db, shop):
    ing = Ingestor(db)
    ing.ingest_messages(shop, "fake", [msg(1), msg(2)])
    assert conv(db).waiting_since == millis(msg(1).sent_at)
    ing.ingest_messages(shop, "fake", [msg(3, direction=Direction.OUT)])
    row = conv(db)
    assert row.waiting_since is None and row.last_direction == "out"
    ing.ingest_messages(shop, "fake", [msg(4, text="还在吗")])
    row = conv(db)
    assert row.waiting_since == millis(msg(4).sent_at)
    assert row.last_preview == "还在吗"


def test_answer_inside_the_same_batch_clears_waiting(db, shop):
    Ingestor(db).ingest_messages(shop, "fake", [msg(1), msg(2, direction=Direction.OUT)])
    assert conv(db).waiting_since is None


def test_echo_of_our_own_message_settles_the_pending_copy(db, shop):
    from desktop.core import outbox

    ing = Ingestor(db)
    ing.ingest_messages(shop, "fake", [msg(1)])
    message_id, _ = outbox.queue_send(db, conv(db).id, "您好，在的", "小王")
    with db.connect() as conn:
        key = conn.execute(select(Message.client_key).where(Message.id == message_id)).scalar()
    ing.ingest_messages(shop, "fake", [msg(9, direction=Direction.OUT, text="您好，在的",
                                            client_key=key)])
    assert count(db, Message) == 2
    with db.connect() as conn:
        row = conn.execute(select(Message.__table__).where(Message.id == message_id)).one()
    assert (row.platform_msg_id, row.state) == ("m9", "sent")


def test_orders_upsert_keeps_the_newest_state(db, shop):
    ing = Ingestor(db)
    ing.ingest_orders(shop, "fake", [order("o1", OrderStatus.PAID, minute=5)])
    ing.ingest_orders(shop, "fake", [order("o1", OrderStatus.UNPAID, minute=1)])  # stale replay
    ing.ingest_orders(shop, "fake", [order("o2")])
    with db.connect() as conn:
        rows = dict(conn.execute(select(Order.platform_order_id, Order.status)).all())
        total = conn.execute(select(Order.total).where(Order.platform_order_id == "o1")).scalar()
    assert rows == {"o1": "paid", "o2": "unpaid"}
    assert total == Decimal("99.80")
    assert count(db, OrderLine) == 2  # items replaced, never doubled


def test_a_stale_order_event_leaves_the_order_lines_alone(db, shop):
    import dataclasses

    from desktop.sdk import OrderItem

    ing = Ingestor(db)
    ing.ingest_orders(shop, "fake", [order("o1", OrderStatus.PAID, minute=5)])
    stale = dataclasses.replace(order("o1", OrderStatus.UNPAID, minute=1),
                                items=(OrderItem("sku9", "旧款", 1, Decimal("1.00")),))
    ing.ingest_groups([(shop, "fake", [], [stale])])  # a late push of an older state
    with db.connect() as conn:
        lines = conn.execute(select(OrderLine.sku_id, OrderLine.quantity)).all()
    assert [tuple(r) for r in lines] == [("sku1", 2)]


def test_search_finds_chinese_substrings_from_the_first_message(db, shop):
    """The search index (trigram for three characters and more, grams for one and two —
    search.py) is kept by ingest on both databases."""
    Ingestor(db).ingest_messages(shop, "fake", [msg(1, text="请问这件衣服什么时候发货呀")])
    with db.connect() as conn:
        for query in ("什么时候", "发货", "货"):
            assert len(search.message_ids(conn, query, 50)) == 1, query
        assert search.message_ids(conn, "退款", 50) == []


def test_times_are_stored_as_utc_millis(db, shop):
    Ingestor(db).ingest_messages(shop, "fake", [msg(0)])
    with db.connect() as conn:
        assert conn.execute(select(Message.sent_at)).scalar() == int(T0.timestamp() * 1000)
