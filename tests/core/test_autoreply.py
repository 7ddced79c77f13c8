"""Auto-replies: the welcome, busy and away lines, their cooldowns, and the guarantees —
never an answer to anything but a fresh buyer message, never the human first response."""

from __future__ import annotations

import time as wall
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from fakes import FakeAdapter, FakePlatform
from sqlalchemy import select
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import autoreply, queries, seats
from desktop.core.autoreply import AutoReplyError
from desktop.core.clock import now_ms
from desktop.core.ingest import Ingestor
from desktop.core.models import messages_table, outbox_table
from desktop.core.registry import Registry
from desktop.core.views import DEFAULT_BUSY, DEFAULT_WELCOME, AutoReplySettings, InboxFilter, SeatProfile
from desktop.sdk import Direction, MessageEvent, MessageKind

SEC, MIN, HOUR = 1000, 60_000, 3_600_000
SENDABLE = frozenset({"fake"})
ALL_DAY = dict(open_from="00:00", open_until="00:00")  # always open: the tests run at any hour
ON = AutoReplySettings(welcome=True, busy=True, away=True, **ALL_DAY)


def event(i: int, at_ms: int, conv: str = "c1", buyer: str = "b1",
          direction: Direction = Direction.IN, kind: MessageKind = MessageKind.TEXT,
          client_key: str | None = None) -> MessageEvent:
    return MessageEvent(
        platform_msg_id=f"{conv}-{i}", conversation_id=conv, buyer_id=buyer,
        buyer_nick=f"买家{buyer}", direction=direction, sender="x", kind=kind,
        text=f"消息{i}", sent_at=datetime.fromtimestamp(at_ms / 1000, timezone.utc),
        client_key=client_key)


def buyer_writes(db, shop_id, *events: MessageEvent) -> list[int]:
    """Ingest; → the chats ingest says a buyer wrote in (what the engine hands the pass)."""
    result = Ingestor(db).ingest_messages(shop_id, "fake", list(events))
    return sorted({cid for cid, _nick, _text in result.buyer_messages})


def auto_lines(db) -> list[tuple[int, str, str]]:
    m = messages_table.c
    with db.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(m.conversation_id, m.origin, m.text).where(m.origin != "").order_by(m.id))]


def waiting_since(db, cid):
    return queries.conversation_rows(db, Registry.of(FakeAdapter), [cid])[cid].waiting_since


def test_a_new_chat_gets_the_welcome_once_per_buyer(db, shop):  # noqa: F811
    autoreply.save(db, shop, replace(ON, busy=False))
    now = now_ms()
    cids = buyer_writes(db, shop, event(1, now - 2 * SEC))
    autoreply.reply_pass(db, cids, now, SENDABLE)
    (line,) = auto_lines(db)
    assert line == (cids[0], "welcome", DEFAULT_WELCOME.replace("{店铺}", "店"))
    assert waiting_since(db, cids[0]) == now - 2 * SEC  # still waiting for a person
    with db.connect() as conn:  # it goes out through the outbox like any message
        assert conn.execute(select(outbox_table.c.kind)).scalars().all() == ["send_message"]

    # the buyer goes on (and runs the pass again): no second welcome
    autoreply.reply_pass(db, buyer_writes(db, shop, event(2, now + SEC)), now + 2 * SEC, SENDABLE)
    # the same buyer in a new chat of the shop an hour later: still within N hours
    later = now + HOUR
    autoreply.reply_pass(db, buyer_writes(db, shop, event(1, later, conv="c1b")), later, SENDABLE)
    assert len(auto_lines(db)) == 1
    # another buyer gets theirs
    autoreply.reply_pass(db, buyer_writes(db, shop, event(1, later, conv="c2", buyer="b2")),
                         later, SENDABLE)
    assert [origin for _c, origin, _t in auto_lines(db)] == ["welcome", "welcome"]


def test_the_welcome_comes_again_after_n_hours(db, shop):  # noqa: F811
    autoreply.save(db, shop, replace(ON, busy=False, welcome_hours=2))
    start = now_ms() - 3 * HOUR
    autoreply.reply_pass(db, buyer_writes(db, shop, event(1, start)), start, SENDABLE)
    buyer_writes(db, shop, event(2, start + MIN, direction=Direction.OUT))  # a seat answers
    now = now_ms()
    autoreply.reply_pass(db, buyer_writes(db, shop, event(3, now - SEC)), now, SENDABLE)
    assert [origin for _c, origin, _t in auto_lines(db)] == ["welcome", "welcome"]


def test_busy_when_no_seat_can_take_the_chat(db, shop):  # noqa: F811
    autoreply.save(db, shop, replace(ON, welcome=False))
    now = now_ms()
    # nobody is signed in: the buyer waits in the queue
    autoreply.reply_pass(db, buyer_writes(db, shop, event(1, now - SEC)), now, SENDABLE)
    assert [origin for _c, origin, _t in auto_lines(db)] == ["busy"]
    # the busy line's cooldown holds while the buyer keeps writing
    autoreply.reply_pass(db, buyer_writes(db, shop, event(2, now)), now + MIN, SENDABLE)
    assert len(auto_lines(db)) == 1
    # once it has passed the buyer is told again
    autoreply.reply_pass(db, buyer_writes(db, shop, event(3, now + 31 * MIN)),
                         now + 31 * MIN, SENDABLE)
    assert len(auto_lines(db)) == 2


def test_no_busy_line_while_a_seat_is_free_or_holds_the_chat(db, shop):  # noqa: F811
    autoreply.save(db, shop, replace(ON, welcome=False))
    now = now_ms()
    sid = seats.save_seat(db, SeatProfile("wang", "小王", max_chats=1))
    seats.sign_in(db, sid, "小王", now=now)
    autoreply.reply_pass(db, buyer_writes(db, shop, event(1, now - SEC)), now, SENDABLE)
    assert auto_lines(db) == []  # 小王 can take it
    from desktop.core import assign

    assign.routing_pass(db, now)  # 小王 takes the first chat: now at the cap
    autoreply.reply_pass(db, buyer_writes(db, shop, event(2, now)), now, SENDABLE)
    assert auto_lines(db) == []  # held by an online seat: served
    cids = buyer_writes(db, shop, event(1, now, conv="c2", buyer="b2"))
    autoreply.reply_pass(db, cids, now, SENDABLE)
    assert auto_lines(db) == [(cids[0], "busy", DEFAULT_BUSY)]  # all at their cap


def test_outside_business_hours_only_the_away_line(db, shop):  # noqa: F811
    now = now_ms()
    bj = datetime.fromtimestamp(now / 1000, timezone(timedelta(hours=8)))
    # business hours that ended an hour ago and open again in two
    closed = replace(ON, open_from=(bj + timedelta(hours=2)).strftime("%H:%M"),
                     open_until=(bj - timedelta(hours=1)).strftime("%H:%M"))
    autoreply.save(db, shop, closed)
    assert not autoreply.is_open(closed, now)
    autoreply.reply_pass(db, buyer_writes(db, shop, event(1, now - SEC)), now, SENDABLE)
    ((_cid, origin, text),) = auto_lines(db)
    assert origin == "away" and closed.open_from in text  # {营业时间} filled in
    autoreply.reply_pass(db, buyer_writes(db, shop, event(2, now)), now + HOUR, SENDABLE)
    assert len(auto_lines(db)) == 1  # once in away_hours


def test_a_new_chat_with_no_free_seat_gets_the_welcome_then_busy(db, shop):  # noqa: F811
    autoreply.save(db, shop, ON)
    now = now_ms()
    autoreply.reply_pass(db, buyer_writes(db, shop, event(1, now - SEC)), now, SENDABLE)
    assert [origin for _c, origin, _t in auto_lines(db)] == ["welcome", "busy"]


def test_never_an_answer_to_anything_but_a_fresh_buyer_message(db, shop):  # noqa: F811
    autoreply.save(db, shop, ON)
    now = now_ms()
    # our own messages, the platform's system notes: ingest names no buyer message
    assert buyer_writes(db, shop, event(1, now, direction=Direction.OUT)) == []
    assert buyer_writes(db, shop, event(2, now, direction=Direction.OUT,
                                        kind=MessageKind.SYSTEM)) == []
    # history: a buyer message from an hour ago (a first sync, a backlog)
    old = buyer_writes(db, shop, event(1, now - HOUR, conv="old", buyer="b9"))
    autoreply.reply_pass(db, old, now, SENDABLE)
    # a buyer someone already answered
    answered = buyer_writes(db, shop, event(1, now - 2 * SEC, conv="done", buyer="b8"),
                            event(2, now - SEC, conv="done", buyer="b8", direction=Direction.OUT))
    autoreply.reply_pass(db, answered, now, SENDABLE)
    # a platform that cannot send
    fresh = buyer_writes(db, shop, event(1, now - SEC, conv="new", buyer="b7"))
    autoreply.reply_pass(db, fresh, now, frozenset())
    assert auto_lines(db) == []
    # and the echo of our own line, coming back through the feed, is settled, not answered
    autoreply.reply_pass(db, fresh, now, SENDABLE)
    m = messages_table.c
    with db.connect() as conn:
        keys = conn.execute(select(m.client_key).where(m.origin != "")).scalars().all()
    echoes = [event(9 + i, now + SEC, conv="new", buyer="b7", direction=Direction.OUT,
                    client_key=key) for i, key in enumerate(keys)]
    assert buyer_writes(db, shop, *echoes) == []
    assert len(auto_lines(db)) == len(keys) == 2
    assert waiting_since(db, fresh[0]) == now - SEC


def test_settings_are_validated_and_kept_per_shop(db, shop):  # noqa: F811
    assert autoreply.load(db, shop) == AutoReplySettings()  # all off until set
    assert not AutoReplySettings().enabled
    with pytest.raises(AutoReplyError, match="unknown variable"):
        autoreply.save(db, shop, replace(ON, welcome_text="您好{顾客}"))
    with pytest.raises(AutoReplyError, match="5 minutes"):
        autoreply.save(db, shop, replace(ON, busy_minutes=1))
    with pytest.raises(AutoReplyError, match="time of day"):
        autoreply.save(db, shop, replace(ON, open_from="25:00"))
    with pytest.raises(AutoReplyError, match="needs a text"):
        autoreply.save(db, shop, replace(ON, away_text="  "))
    saved = autoreply.save(db, shop, replace(ON, welcome_text="  您好，{买家}！ "))
    assert saved.welcome_text == "您好，{买家}！"
    assert autoreply.load(db, shop) == saved
    assert autoreply.load(db, 99) == AutoReplySettings()
    assert autoreply.fill(saved.welcome_text, buyer="小明", shop="店", settings=saved) == "您好，小明！"


def test_the_engine_answers_a_new_buyer_after_routing(db):
    """End to end inside the engine: a fresh buyer message on the fake platform → the
    welcome goes out through the outbox once and comes back as an echo."""
    from desktop.core.desk import Desk
    from desktop.core.engine import EngineRunner
    from desktop.core.secrets import MemoryKeyring, SecretStore
    from desktop.core.shops import save_shop

    platform = FakeAdapter.platform = FakePlatform()
    secrets = SecretStore(MemoryKeyring())
    shop_id = save_shop(db, secrets, platform="fake", platform_shop_id="s1", name="测试店",
                        credentials={"token": "t"})
    autoreply.save(db, shop_id, replace(ON, busy=False))
    runner = EngineRunner(db, Registry.of(FakeAdapter), secrets, poll_interval=0.05)
    runner.start()
    try:
        desk = Desk(db, runner.registry, runner, "小王")
        platform.messages.append(event(1, now_ms()))
        deadline = wall.monotonic() + 10
        while wall.monotonic() < deadline and not platform.sent:
            wall.sleep(0.02)
        (sent_key,) = platform.sent
        cid = desk.conversation_ids(InboxFilter())[0]
        deadline = wall.monotonic() + 10
        while wall.monotonic() < deadline and not any(
                m.origin == "welcome" and m.state == "sent" for m in desk.messages(cid)):
            wall.sleep(0.02)
        line = next(m for m in desk.messages(cid) if m.origin == "welcome")
        assert line.text.startswith("您好，欢迎光临测试店") and line.state == "sent"
        assert desk.conversation_rows([cid])[cid].waiting_since is not None
        assert [m.direction for m in desk.messages(cid)] == ["in", "out"]  # the echo settled it
    finally:
        runner.stop()


def test_automatic_lines_that_cross_a_red_line_are_refused(db):
    """Auto-replies and dunning templates go out unseen: no override, they are not stored."""
    from desktop.core.desk import Desk
    from desktop.core.engine import EngineRunner
    from desktop.core.redlines import RedLineRefused
    from desktop.core.secrets import MemoryKeyring, SecretStore
    from desktop.core.shops import save_shop

    secrets = SecretStore(MemoryKeyring())
    shop_id = save_shop(db, secrets, platform="taobao", platform_shop_id="s1", name="测试店",
                        credentials={"token": "t"})
    runner = EngineRunner(db, Registry.of(FakeAdapter), secrets)
    desk = Desk(db, runner.registry, runner, "小王")
    welcome = replace(ON, welcome_text="亲，加我微信 abc_12345 发您实拍图")
    with pytest.raises(RedLineRefused):
        desk.set_auto_reply_settings(shop_id, welcome).result(1)
    dun = replace(desk.dunning_settings(), silent_text="亲，付款可以走支付宝转账到 13812345678")
    with pytest.raises(RedLineRefused):
        desk.set_dunning_settings(dun).result(1)
    assert autoreply.load(db, shop_id) != welcome
