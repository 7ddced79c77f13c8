"""desktop.core.team against a real PostgreSQL: leases, notices on the wire, two engines
sharing one store; and solo mode on SQLite, where every shop is this app's."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import fields
from datetime import datetime, timezone
from typing import ClassVar

import pytest
from sqlalchemy import text
from teamkit import wait_until

from desktop.core import outbox, team
from desktop.core.engine import EngineRunner
from desktop.core.registry import Registry
from desktop.core.secrets import MemoryKeyring, SecretStore
from desktop.core.shops import load_shops, save_shop
from desktop.core.team import NoticeListener, NoticePublisher, ShopLeases
from desktop.core.views import ChangeNotice
from desktop.sdk import (
    API_VERSION,
    AdapterContext,
    Capability,
    Direction,
    MessageEvent,
    MessageKind,
    Page,
    PlatformInfo,
    SendMessage,
)


@pytest.fixture
def pg(pg_url):
    from desktop.core.db import open_database

    engine = open_database(pg_url)
    yield engine
    engine.dispose()


def leases(db, name: str) -> ShopLeases:
    return ShopLeases(team.conninfo(db), team.holder_name(name))


# -- leases ---------------------------------------------------------------------------------
def test_a_shop_lease_is_held_by_one_app_until_it_lets_go(pg):
    a, b = leases(pg, "a"), leases(pg, "b")
    try:
        assert a.claim([1, 2]).gained == {1, 2}
        assert b.claim([1, 2, 3]).gained == {3}
        assert team.lease_holders(pg) == {1: a.holder, 2: a.holder, 3: b.holder}
        assert a.claim([1, 2]) == team.LeaseChange()  # nothing new: still held
        assert a.claim([2]).lost == {1}  # no longer wanted: let go
        assert b.claim([1, 2, 3]).gained == {1}
        a.close()
        assert b.claim([1, 2, 3]).gained == {2}
        assert team.lease_holders(pg) == dict.fromkeys([1, 2, 3], b.holder)
    finally:
        a.close()
        b.close()


def test_a_lost_lease_connection_loses_every_shop_then_wins_them_back(pg):
    a = leases(pg, "a")
    try:
        a.claim([1, 2])
        with pg.connect() as conn:  # the server restarts, or the network goes
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              " WHERE application_name = :name"), {"name": a.holder})
        assert a.claim([1, 2]).lost == {1, 2}
        assert a.owned == frozenset() and team.lease_holders(pg) == {}
        assert a.claim([1, 2]).gained == {1, 2}
    finally:
        a.close()


def test_solo_leases_own_whatever_is_wanted():
    solo = ShopLeases(None, "solo")
    assert not solo.team
    assert solo.claim([1, 2]).gained == {1, 2}
    assert solo.claim([2, 3]) == team.LeaseChange(gained=frozenset({3}), lost=frozenset({1}))


def test_save_shop_from_three_apps_at_once_keeps_one_row_per_shop(pg):
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def register() -> None:
        secrets = SecretStore(MemoryKeyring())
        start.wait()
        try:
            for n in range(4):
                save_shop(pg, secrets, platform="sandbox-tb", platform_shop_id=f"s{n}",
                          name=f"店{n}", credentials={"token": "t"}, settings={"base_url": "x"})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=register) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(s.platform_shop_id for s in load_shops(pg)) == ["s0", "s1", "s2", "s3"]


# -- notices on the wire -----------------------------------------------------------------------
FULL = ChangeNotice(
    conversations=frozenset({1, 2}), new_conversations=frozenset({3}), messages=frozenset({1, 3}),
    orders=frozenset({2}), shops=frozenset({7}), buyers=frozenset({11}), labels=True,
    order_ids=frozenset({21, 22}), seats=frozenset({5}), phrases=True, red_lines=True,
    handovers=frozenset({31, 32}), follow_ups=True, shifts=True, everything=True,
    buyer_messages=((3, "小鹿乱撞", "在吗？"), (1, "tb_8823", "发货了吗")),
)


def test_the_wire_form_carries_every_field():
    assert all(getattr(FULL, f.name) != f.default for f in fields(ChangeNotice)), \
        "give FULL a value for the new ChangeNotice field"
    assert team.from_wire(json.loads(json.dumps(team.as_wire(FULL)))) == FULL
    [payload] = team.encode(FULL, "me")
    assert team.decode(payload) == ("me", FULL)


def test_a_notice_too_big_for_one_payload_is_cut_without_dropping_an_id():
    big = ChangeNotice(conversations=frozenset(range(100_000, 104_000)), labels=True,
                       buyer_messages=tuple((i, "买家", "您好" * 150) for i in range(60)))
    payloads = team.encode(big, "me")
    assert len(payloads) > 1
    assert all(len(p.encode("utf-8")) <= team.PAYLOAD_LIMIT for p in payloads)
    parts = [team.decode(p)[1] for p in payloads]
    # texts are previews on the wire; every id arrives
    cut = tuple((i, "买家", ("您好" * 150)[:team.WIRE_TEXT_CHARS]) for i in range(60))
    assert ChangeNotice.merge(parts) == ChangeNotice(conversations=big.conversations,
                                                     labels=True, buyer_messages=cut)


def test_notices_go_from_one_app_to_the_others_but_not_back(pg):
    link = team.conninfo(pg)
    heard: list[ChangeNotice] = []
    echoed: list[ChangeNotice] = []
    other = NoticeListener(link, "other", heard.append, lambda: None)
    own = NoticeListener(link, "me", echoed.append, lambda: None)
    publisher = NoticePublisher(pg, "me")
    big = ChangeNotice(messages=frozenset(range(5000)), order_ids=frozenset({9}))
    try:
        other.start()
        own.start()
        publisher.start()
        publisher.publish(FULL)
        publisher.publish(big)
        wait_until(lambda: ChangeNotice.merge(heard) == ChangeNotice.merge([FULL, big]), 5)
        time.sleep(0.3)
        assert echoed == []
    finally:
        publisher.close()
        other.close()
        own.close()


# -- engines sharing one store -------------------------------------------------------------------
class OneChatAdapter:
    """A platform with one buyer message; it records what it is asked to send."""

    info: ClassVar[PlatformInfo] = PlatformInfo(
        "onechat", "一个会话", (API_VERSION,), frozenset({Capability.MESSAGES, Capability.SEND}))
    sent: ClassVar[list[str]] = []

    def __init__(self, ctx: AdapterContext) -> None:
        self.ctx = ctx

    async def check_connection(self) -> None:
        pass

    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        if cursor:
            return Page((), cursor)
        return Page((MessageEvent("m1", "c1", "b1", "买家", Direction.IN, "买家", MessageKind.TEXT,
                                  "在吗", datetime(2026, 11, 24, tzinfo=timezone.utc)),), "1")

    async def send_message(self, cmd: SendMessage) -> str:
        self.sent.append(cmd.idempotency_key)
        return f"out-{len(self.sent)}"


@pytest.fixture
def runners(pg):
    started: list[EngineRunner] = []
    secrets = SecretStore(MemoryKeyring())
    OneChatAdapter.sent = []
    save_shop(pg, secrets, platform="onechat", platform_shop_id="s1", name="店", credentials={})

    def start() -> tuple[EngineRunner, list[tuple[ChangeNotice, bool]]]:
        runner = EngineRunner(pg, Registry.of(OneChatAdapter), secrets, poll_interval=0.05)
        seen: list[tuple[ChangeNotice, bool]] = []
        runner.add_watcher(lambda notice, remote: seen.append((notice, remote)))
        started.append(runner)
        runner.start()
        return runner, seen

    yield start
    for runner in started:
        runner.stop()


def test_two_engines_share_the_shop_the_notices_and_the_outbox(pg, runners):
    a, a_seen = runners()
    b, _ = runners()
    [shop] = load_shops(pg)
    assert (a.synced_shops(), b.synced_shops()) == ({shop.id}, frozenset())
    with pg.connect() as conn:
        conv = wait_until(lambda: conn.execute(text("SELECT id FROM conversations")).scalar(), 10)

    # a message written on b (which does not sync the shop) is sent by a, woken by b's notice
    queued = time.monotonic()
    b.submit_send(conv, "亲，在的", "小王").result(5)
    wait_until(lambda: OneChatAdapter.sent, 5)
    assert time.monotonic() - queued < 3  # not a's 5 s outbox timer
    assert any(remote and conv in n.messages for n, remote in a_seen)

    # a quits: b takes the shop over within a lease retry
    a.stop()
    wait_until(lambda: b.synced_shops() == {shop.id}, team.LEASE_RETRY_S + 3)
    time.sleep(0.3)
    assert len(OneChatAdapter.sent) == 1  # delivered once, never again by b
    assert outbox.due(pg, 2**62, shop_ids=b.synced_shops()) == []


def test_when_the_notice_channel_reconnects_this_apps_views_reload(pg, runners):
    """Notices sent while the LISTEN connection was down are lost: on every (re)connection
    the app tells its own views to read everything again."""
    a, a_seen = runners()
    wait_until(lambda: any(n.everything and remote for n, remote in a_seen), 5)  # the first connect
    before = len(a_seen)
    with pg.connect() as conn:  # the server drops the listening session
        dropped = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()")).scalar()
    assert dropped
    wait_until(lambda: any(n.everything for n, _ in a_seen[before:]), 15)


def test_the_outbox_hands_out_only_the_shops_asked_for(db):
    secrets = SecretStore(MemoryKeyring())
    shop = save_shop(db, secrets, platform="onechat", platform_shop_id="s1", name="店",
                     credentials={})
    with db.begin() as conn:
        conn.execute(outbox.outbox_table.insert().values(
            shop_id=shop, kind="send_message", idempotency_key="k1", state="pending", attempts=0,
            payload_json=json.dumps({"conversation_id": "c1", "buyer_id": "b1", "text": "hi"}),
            next_attempt_at=5, last_error="", created_at=0, ref_table="messages", ref_id=1))
    assert [i.shop_id for i in outbox.due(db, 10)] == [shop]
    assert [i.shop_id for i in outbox.due(db, 10, shop_ids={shop})] == [shop]
    assert outbox.due(db, 10, shop_ids=set()) == []
    assert outbox.next_due_at(db, shop_ids={shop}) == 5
    assert outbox.next_due_at(db, shop_ids={shop + 1}) is None


def test_solo_engine_syncs_every_shop_and_publishes_nothing(db):
    secrets = SecretStore(MemoryKeyring())
    ids = {save_shop(db, secrets, platform="onechat", platform_shop_id=f"s{n}", name=f"店{n}",
                     credentials={}) for n in range(3)}
    assert team.conninfo(db) is None
    runner = EngineRunner(db, Registry.of(OneChatAdapter), secrets, poll_interval=0.05)
    runner.start()
    try:
        assert runner.synced_shops() == ids
        names = {t.name for t in threading.enumerate()}
        assert not names & {"seatdesk-notify", "seatdesk-listen"}
    finally:
        runner.stop()


def test_two_leads_moving_one_chat_at_once_leave_exactly_one_owner(pg_url):
    """Two apps (own engines, own sessions) move the same chat at the same instant, each
    from the version it saw: one wins, the other is told who did."""
    from sqlalchemy import create_engine

    from desktop.core import assign, seats
    from desktop.core.db import open_database
    from desktop.core.models import buyers_table, conversations_table, shops_table
    from desktop.core.views import SeatProfile

    db = open_database(pg_url)
    with db.begin() as conn:
        conn.execute(shops_table.insert().values(
            id=1, platform="fake", platform_shop_id="s1", name="店", settings_json="{}",
            secret_ref="", health="connected", health_detail=""))
        conn.execute(buyers_table.insert().values(id=1, platform="fake", platform_buyer_id="b1",
                                                  nick="买家"))
        conv = conn.execute(conversations_table.insert().values(
            shop_id=1, buyer_id=1, platform_conv_id="c1", state="open", last_message_at=1,
            waiting_since=1)).inserted_primary_key[0]
    a = seats.save_seat(db, SeatProfile("a", "甲"))
    b = seats.save_seat(db, SeatProfile("b", "乙"))
    apps = [create_engine(pg_url), create_engine(pg_url)]
    for _ in range(5):  # a few rounds: the race is real each time
        with db.connect() as conn:
            seen = conn.execute(text("SELECT assign_version FROM conversations WHERE id = :c"),
                                {"c": conv}).scalar_one()
        start = threading.Barrier(2)
        reports: dict[int, object] = {}

        def move(i: int, target: int, seen: int = seen) -> None:
            start.wait()
            reports[target] = assign.transfer(apps[i], {conv: seen}, actor_seat_id=None,
                                              actor=f"组长{i}", to_seat_id=target, force=True)

        threads = [threading.Thread(target=move, args=(0, a)), threading.Thread(target=move, args=(1, b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        won = [seat for seat, r in reports.items() if r.moved == (conv,)]
        lost = [r.refused for r in reports.values() if r.refused]
        assert len(won) == 1 and len(lost) == 1, reports
        [(cid, code, who)] = lost[0]
        assert (cid, code) == (conv, "moved") and who.startswith("组长")
        with db.connect() as conn:
            owner = conn.execute(text("SELECT seat_id FROM conversations WHERE id = :c"),
                                 {"c": conv}).scalar_one()
        assert owner == won[0]
        # back to the queue for the next round
        assign.release_seat(db, owner, "test")
    for app in apps:
        app.dispose()
    db.dispose()
