"""End-to-end fixtures: the sandbox platform on loopback and the headless engine as a process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plugins.sandbox.server import SandboxServer


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def sandbox():
    servers = []

    def start(**kwargs) -> SandboxServer:
        server = SandboxServer(**kwargs)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


class EngineProcess:
    """`seatdesk engine --connect-sandbox URL --data-dir D` in its own process."""

    def __init__(self, url: str, data_dir: Path) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.log = open(data_dir.parent / f"engine-{time.monotonic_ns()}.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "desktop", "engine", "--connect-sandbox", url,
             "--data-dir", str(data_dir)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise
        self.log.close()
        return self.proc.returncode


@pytest.fixture
def engine_process(tmp_path):
    procs: list[EngineProcess] = []

    def start(url: str, data_dir: Path) -> EngineProcess:
        proc = EngineProcess(url, data_dir)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.proc.poll() is None:
            proc.proc.kill()
            proc.proc.wait(10)


def read_store(data_dir: Path) -> dict[str, dict[str, object]]:
    """Per platform shop id: message ids per conversation in display order, order ids,
    and the raw count of message rows (to see doubles)."""
    con = sqlite3.connect(f"file:{data_dir / 'seatdesk.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        out: dict[str, dict[str, object]] = {}
        for shop_id, psid in con.execute("SELECT id, platform_shop_id FROM shops"):
            convs: dict[str, list[str]] = {}
            for conv, mid in con.execute(
                "SELECT c.platform_conv_id, m.platform_msg_id FROM messages m"
                " JOIN conversations c ON c.id = m.conversation_id WHERE m.shop_id = ?"
                " ORDER BY c.id, m.sent_at, m.id", (shop_id,)):
                convs.setdefault(conv, []).append(mid)
            out[psid] = {
                "conversations": convs,
                "message_rows": con.execute("SELECT count(*) FROM messages WHERE shop_id = ?",
                                            (shop_id,)).fetchone()[0],
                "order_ids": sorted(r[0] for r in con.execute(
                    "SELECT platform_order_id FROM orders WHERE shop_id = ?", (shop_id,))),
            }
        return out
    finally:
        con.close()


def wait_until(predicate, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except sqlite3.OperationalError:  # the engine has not created the store yet
            last = None
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"not reached within {timeout} s (last: {last!r})")
