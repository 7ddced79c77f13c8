"""The engine thread: pull with backoff, health, the outbox's delivery guarantees."""

from __future__ import annotations

import threading
import time

import pytest
from fakes import FakeAdapter, FakePlatform, msg
from sqlalchemy import select

from desktop.core.desk import Desk
from desktop.core.engine import EngineRunner
from desktop.core.models import Message, OutboxItem
from desktop.core.registry import Registry
from desktop.core.secrets import MemoryKeyring, SecretStore
from desktop.core.shops import save_shop
from desktop.core.views import InboxFilter


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


@pytest.fixture
def platform():
    FakeAdapter.platform = FakePlatform(messages=[msg(i) for i in range(1, 8)])
    return FakeAdapter.platform


@pytest.fixture
def make_runner(db):
    runners = []
    secrets = SecretStore(MemoryKeyring())
    save_shop(db, secrets, platform="fake", platform_shop_id="s1", name="测试店",
              credentials={"token": "t0ps3cret"})

    def make():
        runner = EngineRunner(db, Registry.of(FakeAdapter), secrets, poll_interval=0.05)
        runners.append(runner)
        runner.start()
        return runner

    yield make
    for runner in runners:
        runner.stop()


def test_pulls_every_page_and_reports_connected(db, platform, make_runner):
    runner = make_runner()
    desk = Desk(db, runner.registry, runner, "小王")
    wait_for(lambda: len(desk.conversation_ids(InboxFilter())) == 1
             and len(desk.messages(desk.conversation_ids(InboxFilter())[0])) == 7)
    wait_for(lambda: desk.shops()[0].health == "connected")


def test_notices_reach_listeners_with_buyer_messages(db, platform, make_runner):
    got = []
    seen = threading.Event()
    runner = make_runner()

    def listener(notice):
        got.append(notice)
        if any(text == "在吗" for _, _, text in notice.buyer_messages):
            seen.set()

    runner.add_listener(listener)
    platform.messages.append(msg(50, text="在吗"))
    assert seen.wait(5)
    assert any("在吗" in text for n in got for _, _, text in n.buyer_messages)


def test_platform_down_is_degraded_then_recovers(db, platform, make_runner):
    platform.down = True
    runner = make_runner()
    desk = Desk(db, runner.registry, runner, "小王")
    shop = wait_for(lambda: [s for s in desk.shops() if s.health == "degraded"])[0]
    assert "platform down" in shop.health_detail
    platform.down = False
    wait_for(lambda: desk.shops()[0].health == "connected", timeout=15)


def test_message_queued_while_down_survives_restart_and_is_sent_once(db, platform, make_runner):
    runner = make_runner()
    desk = Desk(db, runner.registry, runner, "小王")
    conv = wait_for(lambda: desk.conversation_ids(InboxFilter()))[0]
    platform.down = True
    message_id = desk.send_message(conv, "亲，今天下单明天发货哦").result(5)
    assert [m.state for m in desk.messages(conv) if m.id == message_id] == ["pending"]
    runner.stop()  # the app quits while the platform is down
    platform.down = False
    runner = make_runner()
    desk = Desk(db, runner.registry, runner, "小王")
    wait_for(lambda: [m for m in desk.messages(conv) if m.id == message_id][0].state == "sent",
             timeout=15)
    assert len(platform.sent) == 1
    # the echo comes back through the feed and settles the same row: no double
    wait_for(lambda: platform.calls > 3)
    time.sleep(0.3)
    with db.connect() as conn:
        texts = conn.execute(select(Message.text).where(Message.direction == "out")).scalars().all()
    assert texts == ["亲，今天下单明天发货哦"]


def test_rejected_send_fails_visibly_and_retry_delivers(db, platform, make_runner):
    runner = make_runner()
    desk = Desk(db, runner.registry, runner, "小王")
    conv = wait_for(lambda: desk.conversation_ids(InboxFilter()))[0]
    platform.reject = True
    message_id = desk.send_message(conv, "x" * 10).result(5)
    failed = wait_for(lambda: [m for m in desk.messages(conv)
                               if m.id == message_id and m.state == "failed"])[0]
    assert "text_too_long" in failed.error and failed.outbox_id
    platform.reject = False
    desk.retry_outbox(failed.outbox_id).result(5)
    wait_for(lambda: [m for m in desk.messages(conv) if m.id == message_id][0].state == "sent")
    with db.connect() as conn:
        assert conn.execute(select(OutboxItem.state)).scalars().all() == ["done"]


def test_empty_message_is_refused(db, platform, make_runner):
    runner = make_runner()
    desk = Desk(db, runner.registry, runner, "小王")
    conv = wait_for(lambda: desk.conversation_ids(InboxFilter()))[0]
    with pytest.raises(ValueError):
        desk.send_message(conv, "   ").result(5)


def test_mark_read_clears_unread(db, platform, make_runner):
    runner = make_runner()
    desk = Desk(db, runner.registry, runner, "小王")
    conv = wait_for(lambda: desk.conversation_ids(InboxFilter()))[0]
    wait_for(lambda: desk.conversation_rows([conv])[conv].unread == 7)
    desk.mark_read(conv).result(5)
    assert desk.conversation_rows([conv])[conv].unread == 0


class ExplodingAdapter(FakeAdapter):
    def __init__(self, ctx):  # noqa: ANN001
        raise RuntimeError("plugin bug")


def test_a_plugin_that_raises_marks_its_shop_and_the_engine_goes_on(db, platform):
    from desktop.sdk import API_VERSION, PlatformInfo

    ExplodingAdapter.info = PlatformInfo("boom", "炸", (API_VERSION,), frozenset())
    secrets = SecretStore(MemoryKeyring())
    save_shop(db, secrets, platform="boom", platform_shop_id="x", name="坏店", credentials={})
    save_shop(db, secrets, platform="fake", platform_shop_id="s1", name="好店", credentials={})
    runner = EngineRunner(db, Registry.of(FakeAdapter, ExplodingAdapter), secrets, poll_interval=0.05)
    runner.start()
    try:
        desk = Desk(db, runner.registry, runner, "小王")
        shops = wait_for(lambda: {s.name: s for s in desk.shops()
                                  if s.health in ("degraded", "connected")} if len(
            [s for s in desk.shops() if s.health != "connecting"]) == 2 else None)
        assert "plugin bug" in shops["坏店"].health_detail
        assert shops["好店"].health == "connected"
    finally:
        runner.stop()


def test_ending_a_chat_closes_it_until_the_buyer_writes_again(db, platform, make_runner):
    from desktop.core.views import InboxState

    runner = make_runner()
    desk = Desk(db, runner.registry, runner, "小王")
    conv = wait_for(lambda: desk.conversation_ids(InboxFilter()))[0]
    wait_for(lambda: len(desk.messages(conv)) == 7)  # the whole feed is in: nothing reopens it
    desk.close_conversation(conv).result(5)
    assert desk.conversation_ids(InboxFilter()) == []
    assert desk.conversation_ids(InboxFilter(state=InboxState.CLOSED)) == [conv]
    row = desk.conversation_rows([conv])[conv]
    assert row.waiting_since is None and row.unread == 0
    platform.messages.append(msg(60, text="还有个问题"))
    wait_for(lambda: desk.conversation_ids(InboxFilter(state=InboxState.WAITING)) == [conv])
