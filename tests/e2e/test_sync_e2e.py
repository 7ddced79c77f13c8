"""The headless engine against the sandbox platform over loopback: nothing lost, nothing doubled."""

from __future__ import annotations

import time

import httpx
from conftest import read_store, wait_until


def ledger(url: str) -> dict:
    return httpx.get(f"{url}/admin/ledger", timeout=10).json()["shops"]


def differences(url: str, data_dir) -> list[str]:
    """How the store differs from the platform's ledger; empty = exactly once, in order."""
    truth = ledger(url)
    store = read_store(data_dir)
    if set(store) != set(truth):
        return [f"shops differ: {sorted(store)} vs {sorted(truth)}"]
    out = []
    for psid, shop in truth.items():
        ours = store[psid]
        if ours["message_rows"] != len(shop["message_ids"]):
            out.append(f"{psid}: {ours['message_rows']} rows for {len(shop['message_ids'])} messages")
        for conv, ids in shop["conversations"].items():
            if ours["conversations"].get(conv, []) != ids:
                out.append(f"{psid}/{conv}: messages missing or out of order")
        if ours["order_ids"] != sorted(shop["order_ids"]):
            out.append(f"{psid}: orders differ")
    return out


def matches_ledger(url: str, data_dir) -> bool:
    return not differences(url, data_dir)


def assert_exactly_once(url: str, data_dir) -> None:
    assert differences(url, data_dir) == []


def sync_then_catch_up(server, engine_process, data, rows: int):
    """Run the engine until it holds `rows` messages, stop the buyers, wait until
    the store matches the ledger, stop the engine cleanly."""
    engine = engine_process(server.url, data)
    wait_until(lambda: sum(s["message_rows"] for s in read_store(data).values()) > rows, 60)
    server.pause()
    wait_until(lambda: matches_ledger(server.url, data), 60)
    assert engine.stop() == 0


def test_every_message_and_order_arrives_exactly_once_in_order(sandbox, engine_process, tmp_path):
    server = sandbox(shops=3, rate=40, seed=11)
    data = tmp_path / "data"
    sync_then_catch_up(server, engine_process, data, 150)
    assert_exactly_once(server.url, data)
    assert all(len(s["order_ids"]) > 0 for s in read_store(data).values())


def test_replaying_the_feeds_from_the_start_adds_nothing(sandbox, engine_process, tmp_path):
    import sqlite3

    server = sandbox(shops=3, rate=30, seed=12)
    data = tmp_path / "data"
    sync_then_catch_up(server, engine_process, data, 60)
    before = read_store(data)
    con = sqlite3.connect(data / "seatdesk.sqlite3")
    con.execute("UPDATE sync_cursors SET cursor = NULL")  # every page is fetched again
    con.commit()
    con.close()
    second = engine_process(server.url, data)
    # wait until the replay has walked the whole message feed again
    wait_until(lambda: _cursor_count(data) == 6, 60)
    time.sleep(1.0)
    assert second.stop() == 0
    assert read_store(data) == before
    assert_exactly_once(server.url, data)


def _cursor_count(data) -> int:
    import sqlite3

    con = sqlite3.connect(data / "seatdesk.sqlite3")
    try:
        return con.execute("SELECT count(*) FROM sync_cursors WHERE cursor IS NOT NULL").fetchone()[0]
    finally:
        con.close()


def test_kill_9_mid_ingest_loses_and_doubles_nothing(sandbox, engine_process, tmp_path):
    server = sandbox(shops=4, rate=400, seed=13)
    time.sleep(3)  # a backlog of ~1,200 messages for the engine to work through
    data = tmp_path / "data"
    engine = engine_process(server.url, data)
    wait_until(lambda: sum(s["message_rows"] for s in read_store(data).values()) > 200, 60,
               interval=0.05)
    engine.kill9()  # mid-ingest: the feed is still far ahead of the store
    again = engine_process(server.url, data)
    time.sleep(1.0)
    server.pause()
    wait_until(lambda: matches_ledger(server.url, data), 90)
    assert again.stop() == 0
    assert_exactly_once(server.url, data)


def test_message_queued_while_platform_is_down_survives_restart_and_is_delivered_once(
        sandbox, tmp_path):
    from desktop.app import build_core, register_sandbox_shops
    from desktop.core.views import InboxFilter

    server = sandbox(shops=3, rate=5, seed=14)
    data = tmp_path / "data"
    data.mkdir()

    def start_core():
        core = build_core(data, plugins=["sandbox-tb", "sandbox-dy"], memory_secrets=True,
                          start=False)
        register_sandbox_shops(core, server.url, server.shops)  # credentials: memory keyring
        core.runner.start()
        return core

    core = start_core()
    conv = wait_until(lambda: core.desk.conversation_ids(InboxFilter()), 30)[0]
    httpx.post(f"{server.url}/admin/faults", json={"spec": "down"}, timeout=5).raise_for_status()
    text = "亲，已经为您备注顺丰，今天下午发出～"
    message_id = core.desk.send_message(conv, text).result(10)

    def attempted():
        row = [m for m in core.desk.messages(conv) if m.id == message_id][0]
        return row.state == "pending" and row.error

    wait_until(attempted, 30)
    core.close()  # the app quits with the message still undelivered

    httpx.post(f"{server.url}/admin/faults", json={"spec": ""}, timeout=5).raise_for_status()
    core = start_core()
    try:
        wait_until(lambda: [m for m in core.desk.messages(conv)
                            if m.id == message_id][0].state == "sent", 60)
        shop_msgs = [m for shop in server.store.shops for m in shop.messages
                     if m["content"] == text]
        assert len(shop_msgs) == 1, "delivered more than once"
        # the feed's echo of it settles the local copy: still one row
        time.sleep(1.0)
        assert [m.text for m in core.desk.messages(conv)].count(text) == 1
    finally:
        core.close()
