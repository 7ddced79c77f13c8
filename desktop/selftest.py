"""`seatdesk --self-test`: bundled adapters, a temporary database, the keyring — report, exit 0/1."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

EXPECTED_PLATFORMS = ("sandbox-tb", "sandbox-dy", "taobao", "pinduoduo", "douyin", "jd",
                      "shopify", "woocommerce")


def _plugins() -> str:
    from desktop.core.registry import Registry

    registry = Registry.discover()
    loaded = {s.platform_id for s in registry.statuses() if not s.error}
    missing = [p for p in EXPECTED_PLATFORMS if p not in loaded]
    problems = [f"{s.name}: {s.error}" for s in registry.problems()]
    if missing or problems:
        raise RuntimeError(f"missing {missing}; failed {problems}")
    return ", ".join(sorted(loaded))


def _database() -> str:
    from sqlalchemy import text

    from desktop.core.db import open_database, sqlite_url

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(sqlite_url(Path(tmp)))
        try:
            with db.begin() as conn:
                conn.execute(text(
                    "INSERT INTO shops(platform, platform_shop_id, name, color, enabled,"
                    " settings_json, secret_ref, health, health_detail)"
                    " VALUES ('t', '1', 't', '#000', 1, '{}', '', 'connecting', '')"))
                conn.execute(text(
                    "INSERT INTO buyers(platform, platform_buyer_id, nick) VALUES ('t','b','b')"))
                conn.execute(text(
                    "INSERT INTO conversations(shop_id, buyer_id, platform_conv_id, state,"
                    " last_message_at, last_preview, last_direction, last_out_at, unread_count)"
                    " VALUES (1, 1, 'c', 'open', 0, '', 'in', 0, 0)"))
                conn.execute(text(
                    "INSERT INTO messages(conversation_id, shop_id, platform_msg_id, direction,"
                    " sender, kind, text, sent_at, state)"
                    " VALUES (1, 1, 'm1', 'in', 'b', 'text', '请问什么时候发货', 0, 'received')"))
                hits = conn.execute(text(
                    "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '\"什么时\"'")).scalar()
            version = db.dialect.dbapi.sqlite_version  # type: ignore[union-attr]
        finally:
            db.dispose()
    if hits != 1:
        raise RuntimeError(f"FTS5 trigram index did not find the test message ({hits} hits)")
    return f"SQLite {version}, migrations applied, FTS5 trigram ok"


def _keyring() -> str:
    from desktop.core.secrets import (
        SecretStore,
        describe_backend,
        installed_backend_names,
    )

    names = installed_backend_names()
    if not names:
        raise RuntimeError("keyring's backend entry points are missing (broken bundle metadata)")
    import keyring

    backend = keyring.get_keyring()
    store = SecretStore(backend)  # raises NoKeyring with the options when unusable
    ref = f"selftest-{os.getpid()}"
    store.put(ref, {"probe": "self-test-value"})
    if store.get(ref, "probe") != "self-test-value":
        raise RuntimeError(f"{describe_backend(backend)} did not give back what was stored")
    backend.delete_password("SeatDesk", f"{ref}/probe")
    chosen = " (chosen by PYTHON_KEYRING_BACKEND)" if os.environ.get("PYTHON_KEYRING_BACKEND") else ""
    return f"{store.backend_name}{chosen}; backends installed: {', '.join(names)}"


def _phrases() -> str:
    """The shipped quick replies and red-line sets reach the bundle, and pypinyin's data."""
    from desktop.core import phrases, redlines

    library = phrases.default_library()
    keys = phrases.pinyin_keys("欢迎光临")
    if keys != "hygl huanyingguanglin":
        raise RuntimeError(f"pinyin keys of 欢迎光临 are {keys!r}")
    sets = redlines.load_sets()
    hits = redlines.Checker(redlines.effective_rules("taobao", sets)).check("加我微信 abc_12345")
    if not any(h.rule == "wechat-id" for h in hits):
        raise RuntimeError(f"the taobao set did not stop a WeChat id ({hits})")
    return f"{len(library)} default phrases, {len(sets)} red-line sets, pinyin ok"


def _push() -> str:
    """Push reaches the bundle: a WebSocket round trip on loopback (desktop.sdk.websocket over
    `websockets`, which imports its parts lazily) and the webhook receiver's health check."""
    import asyncio
    import urllib.request

    from websockets.asyncio.server import ServerConnection, serve

    from desktop.core.webhooks import WebhookReceiver
    from desktop.sdk.websocket import connect_websocket

    async def round_trip() -> dict[str, object] | None:
        async def echo(connection: ServerConnection) -> None:
            async for raw in connection:
                await connection.send(raw)
        async with serve(echo, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            async with connect_websocket(f"ws://127.0.0.1:{port}") as socket:
                await socket.send_json({"commandType": "HeartBeat"})
                return await socket.receive_json(5)
    frame = asyncio.run(round_trip())
    if not frame or frame.get("commandType") != "HeartBeat":
        raise RuntimeError(f"the WebSocket echo came back as {frame!r}")
    loop = asyncio.new_event_loop()
    receiver = WebhookReceiver("127.0.0.1:0", "https://selftest.invalid")
    receiver.start(loop)
    try:
        address = receiver.address
        assert address is not None
        with urllib.request.urlopen(f"http://{address[0]}:{address[1]}/webhooks/health", timeout=5) as reply:
            health = reply.read().decode()
    finally:
        receiver.stop()
        loop.close()
    return f"websocket round trip ok, webhook receiver {health}"


def _qt() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QLibraryInfo

    return f"PySide6 {pyside_version}, Qt {QLibraryInfo.version().toString()}"


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("plugins", _plugins),
    ("database", _database),
    ("keyring", _keyring),
    ("phrases", _phrases),
    ("push", _push),
    ("qt", _qt),
)


def run() -> int:
    failed = 0
    frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
    print(f"SeatDesk self-test{frozen}")
    for name, check in CHECKS:
        try:
            print(f"  ok    {name}: {check()}")
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none is fatal here
            failed += 1
            print(f"  FAIL  {name}: {type(exc).__name__}: {exc}")
    print("self-test passed" if not failed else f"self-test failed: {failed} check(s)")
    return 1 if failed else 0
