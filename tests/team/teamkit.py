"""Team-mode helpers: the sandbox and headless engines as processes sharing one PostgreSQL,
what they print, and the store compared with the sandbox's ledger."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

# Fast loops for tests: safety pulls every second, pulls of shops without push every 0.3 s.
FAST_SETTINGS = {"engine.poll_interval": 0.3, "engine.push_poll_interval": 1.0}


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the test server for a group of tests (pg_url is per test)."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    name = f"seatdesk_team_{uuid.uuid4().hex[:12]}"
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seatdesk_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "desktop", *args]


class Sandbox:
    """`seatdesk sandbox serve` in its own process."""

    def __init__(self, shops: int, rate: float, seed: int) -> None:
        self.proc = subprocess.Popen(
            seatdesk_command("sandbox", "serve", "--port", "0", "--shops", str(shops),
                             "--rate", str(rate), "--seed", str(seed)),
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
        hello = json.loads(self.proc.stdout.readline())  # type: ignore[union-attr]
        self.url: str = hello["url"]
        self.shops: list[dict[str, Any]] = hello["shops"]

    def admin(self, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"{self.url}/admin/{path}"
        reply = httpx.post(url, json=body, timeout=10) if body is not None else httpx.get(url, timeout=10)
        reply.raise_for_status()
        return reply.json()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)


class EngineProcess:
    """`seatdesk engine --db URL --connect-sandbox URL --print-notices`; its JSON lines
    are collected as they come, with the time they were read."""

    def __init__(self, name: str, db_url: str, sandbox_url: str, data_dir: Path) -> None:
        self.name = name
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "settings.json").write_text(json.dumps(FAST_SETTINGS), "utf-8")
        self.stderr_path = data_dir / "stderr.log"
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            seatdesk_command("engine", "--db", db_url, "--connect-sandbox", sandbox_url,
                             "--data-dir", str(data_dir), "--print-notices"),
            stdout=subprocess.PIPE, stderr=self._stderr, text=True, encoding="utf-8",
            env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self._lock = threading.Lock()
        self._lines: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            with self._lock:
                self._lines.append(json.loads(line))

    def lines(self, event: str) -> list[dict[str, Any]]:
        with self._lock:
            return [line for line in self._lines if line["event"] == event]

    @property
    def synced(self) -> frozenset[int] | None:
        """The shops it last said it syncs (None before it said anything)."""
        said = self.lines("synced")
        return frozenset(said[-1]["shops"]) if said else None

    @property
    def holder(self) -> str | None:
        said = self.lines("synced")
        return said[-1]["holder"] if said else None

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
                self.proc.wait(10)
        self._reader.join(5)
        self._stderr.close()
        return self.proc.returncode

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.stderr_path.read_text("utf-8", "replace").splitlines()[-lines:])


def wait_until(predicate: Any, timeout: float, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"not reached within {timeout} s (last: {last!r})")


def store_vs_ledger(db: Engine, ledger: dict[str, Any]) -> list[str]:
    """How the shared store differs from the sandbox's ledger: empty = every message and
    order of every shop is there exactly once."""
    with db.connect() as conn:
        messages = conn.execute(text(
            "SELECT s.platform_shop_id, m.platform_msg_id FROM messages m"
            " JOIN shops s ON s.id = m.shop_id")).all()
        orders = conn.execute(text(
            "SELECT s.platform_shop_id, o.platform_order_id FROM orders o"
            " JOIN shops s ON s.id = o.shop_id")).all()
    out = []
    for psid, shop in ledger.items():
        ours = Counter(mid for p, mid in messages if p == psid)
        if ours != Counter(shop["message_ids"]):
            missing = len(set(shop["message_ids"]) - set(ours))
            doubled = sum(n - 1 for n in ours.values() if n > 1)
            out.append(f"{psid}: {missing} messages missing, {doubled} doubled")
        order_ids = Counter(oid for p, oid in orders if p == psid)
        if order_ids != Counter(shop["order_ids"]):
            out.append(f"{psid}: orders differ ({sum(order_ids.values())} rows, "
                       f"{len(shop['order_ids'])} in the ledger)")
    return out
