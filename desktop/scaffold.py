"""`seatdesk plugins new NAME`: a platform plugin package that passes its own tests.

The package holds an adapter for a small JSON API, a loopback fake of that API
implementing `desktop.sdk.testing.FakePlatform`, and tests that run the
conformance kit against it. The author replaces the wire details with their
platform's, keeping the tests green as they go (docs/plugins.md walks through it).
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


def scaffold(name: str, target: Path) -> Path:
    """Create `seatdesk-NAME/` in `target`; → its path. NAME: lower-case letters,
    digits and _ (it becomes the platform id and the entry-point name)."""
    if not NAME.match(name) or keyword.iskeyword(name):
        raise ValueError(f"{name!r}: use 2–31 lower-case letters, digits or _, starting with a letter")
    root = target / f"seatdesk-{name.replace('_', '-')}"
    if root.exists():
        raise FileExistsError(f"{root} already exists")
    module = f"seatdesk_{name}"
    cls = "".join(part.capitalize() for part in name.split("_")) + "Adapter"
    values = {"name": name, "module": module, "cls": cls}
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"{module}/__init__.py": '"""SeatDesk platform plugin: {name}."""\n',
        f"{module}/adapter.py": ADAPTER,
        f"{module}/fake.py": FAKE,
        f"tests/test_{name}_contract.py": CONTRACT,
    }
    for rel, template in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.replace("{name}", values["name"]).replace("{module}", values["module"])
                        .replace("{cls}", values["cls"]), "utf-8")
    return root


PYPROJECT = '''[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "seatdesk-{name}"
version = "0.1.0"
description = "SeatDesk platform plugin for {name}"
requires-python = ">=3.11"
dependencies = []  # SeatDesk provides desktop.sdk and httpx

[project.entry-points."seatdesk.platforms"]
{name} = "{module}.adapter:{cls}"

[tool.setuptools]
packages = ["{module}"]
'''

README = '''# seatdesk-{name}

A SeatDesk platform plugin. `{module}/adapter.py` is the adapter (it may import
only `desktop.sdk`, `httpx` and the standard library), `{module}/fake.py` a local
fake of the platform, `tests/` the SeatDesk conformance kit run against the fake.

    python -m pytest tests          # in an environment where SeatDesk is installed

Install for the packaged SeatDesk app:

    pip install --target <SeatDesk data folder>/plugins .
    seatdesk plugins enable {name}
'''

ADAPTER = '''"""The {name} adapter: translation between the platform's API and desktop.sdk events.

The wire protocol here is a placeholder JSON API (see fake.py); replace it with the
platform's, keeping tests/ green.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from desktop.sdk import (
    API_VERSION,
    AdapterContext,
    AuthExpired,
    Capability,
    CredentialField,
    Event,
    FlagColor,
    FlagOption,
    MessageEvent,
    OrderEvent,
    OrderItem,
    OrderStatus,
    Page,
    PlatformInfo,
    RateLimited,
    Rejected,
    SendMessage,
    SetRemark,
    SettingField,
    Temporary,
    Transfer,
)

STATUSES = {"unpaid": OrderStatus.UNPAID, "paid": OrderStatus.PAID, "shipped": OrderStatus.SHIPPED,
            "refunding": OrderStatus.REFUNDING, "done": OrderStatus.COMPLETED,
            "closed": OrderStatus.CLOSED}
PAGE_SIZE = 10


class {cls}:
    info = PlatformInfo(
        platform_id="{name}",
        display_name="{name}",
        api_versions=(API_VERSION,),
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS}),
        credential_fields=(CredentialField("token", "Access token"),),
        settings=(SettingField("base_url", "Gateway URL", None, "The platform API's base URL."),),
        flags=(FlagOption(0, FlagColor.GRAY, "No flag"), FlagOption(1, FlagColor.RED, "Red")),
        memo_max_chars=200,
        limits_note="Orders and remarks; chat is not offered by this platform's open API.",
    )

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx

    async def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
                    query: dict[str, Any] | None = None) -> dict[str, Any]:
        base = str(self._ctx.settings.get("base_url") or "").rstrip("/")
        if not base:
            raise Rejected("no base_url set for this shop")
        token = self._ctx.secrets.get("token") or ""
        try:
            resp = await self._ctx.http.request(method, f"{base}{path}", json=body, params=query,
                                                headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            raise Temporary(f"{type(exc).__name__}: network error") from exc
        if resp.status_code == 401:
            raise AuthExpired("the access token was refused")
        if resp.status_code == 429:
            raise RateLimited(float(resp.headers.get("Retry-After") or 5))
        if resp.status_code >= 500:
            raise Temporary(f"HTTP {resp.status_code}")
        try:
            data = resp.json()
        except json.JSONDecodeError as exc:
            raise Temporary("the platform answered something that is not JSON") from exc
        if resp.status_code >= 400:
            raise Rejected(str(data.get("error") or f"HTTP {resp.status_code}"))
        if not isinstance(data, dict):
            raise Temporary("the platform answered an unexpected shape")
        return data

    async def check_connection(self) -> None:
        await self._call("GET", "/api/me")

    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        return Page((), cursor, has_more=False)  # no chat in this platform's open API

    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]:
        after = int(cursor or 0)
        data = await self._call("GET", "/api/orders", query={"after": after, "limit": PAGE_SIZE})
        try:
            events = tuple(self._order(o) for o in data["orders"])
            return Page(events, str(int(data["next"])), has_more=bool(data["has_more"]))
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise Temporary(f"malformed order page: {exc!r}") from exc

    @staticmethod
    def _order(o: dict[str, Any]) -> OrderEvent:
        def when(ms: int | None) -> datetime | None:
            return None if ms is None else datetime.fromtimestamp(ms / 1000, timezone.utc)

        created = when(o["created_ms"])
        assert created is not None
        return OrderEvent(
            platform_order_id=str(o["id"]), buyer_id=str(o["buyer_id"]), buyer_nick=str(o["buyer_nick"]),
            status=STATUSES[o["status"]], raw_status=o["status"],
            items=tuple(OrderItem(str(i["sku"]), str(i["title"]), int(i["qty"]), Decimal(i["price"]))
                        for i in o["items"]),
            total=Decimal(o["total"]), currency=str(o["currency"]), created_at=created,
            updated_at=when(o["updated_ms"]) or created, receiver_masked=str(o["receiver"]),
            seller_memo=str(o["memo"]), seller_flag=int(o["flag"]))

    async def send_message(self, cmd: SendMessage) -> str:
        raise Rejected("chat is not offered by this platform's open API")

    async def set_remark(self, cmd: SetRemark) -> None:
        await self._call("POST", f"/api/orders/{cmd.platform_order_id}/memo",
                         body={"memo": cmd.text, "flag": 0 if cmd.flag is None else cmd.flag,
                               "key": cmd.idempotency_key})

    async def transfer(self, cmd: Transfer) -> None:
        raise Rejected("transfer is not offered by this platform's open API")

    async def push(self) -> AsyncGenerator[Event, None]:
        return
        yield  # no push: an empty stream
'''

FAKE = '''"""A local fake of the {name} API on loopback, for the tests (and demos).

It implements desktop.sdk.testing.FakePlatform: seeding and fault switches act on
its state directly; the adapter talks to it over real HTTP.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


class {cls}Fake:
    platform_shop_id = "shop-1"

    def __init__(self) -> None:
        self.token = "tok-0123456789"
        self.token_valid = True
        self.orders: dict[str, dict[str, Any]] = {}
        self.log: list[str] = []  # order ids by change; the feed position is the index + 1
        self.keys: set[str] = set()
        self.faults: list[int] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                with fake.lock:
                    fault = fake.faults.pop(0) if fake.faults else None
                if fault == 429:
                    return self._send(429, {"error": "too many calls"}, {"Retry-After": "2"})
                if fault == 503:
                    return self._send(503, {"error": "down"})
                if not fake.token_valid or self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._send(401, {"error": "invalid token"})
                url = urlparse(self.path)
                if method == "GET" and url.path == "/api/me":
                    return self._send(200, {"shop": fake.platform_shop_id})
                if method == "GET" and url.path == "/api/orders":
                    q = parse_qs(url.query)
                    after, limit = int(q["after"][0]), int(q["limit"][0])
                    with fake.lock:
                        # only each order's latest change counts: earlier positions are skipped
                        latest = {oid: i for i, oid in enumerate(fake.log, 1)}
                        seqs = sorted(i for i in latest.values() if i > after)[:limit]
                        orders = [dict(fake.orders[fake.log[i - 1]]) for i in seqs]
                        nxt = seqs[-1] if seqs else max(after, 0)
                        more = any(i > nxt for i in latest.values())
                    return self._send(200, {"orders": orders, "next": nxt, "has_more": more})
                if method == "POST" and url.path.startswith("/api/orders/") and url.path.endswith("/memo"):
                    oid = url.path.split("/")[3]
                    body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                    with fake.lock:
                        if oid not in fake.orders:
                            return self._send(404, {"error": f"no order {oid}"})
                        if body.get("key") not in fake.keys:
                            fake.keys.add(body.get("key"))
                            fake._change(oid, memo=body["memo"], flag=int(body["flag"]))
                    return self._send(200, {"ok": True})
                return self._send(404, {"error": "no such API"})

            def do_GET(self) -> None:  # noqa: N802
                self._handle("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> {cls}Fake:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _change(self, oid: str, **changes: Any) -> None:
        self.orders[oid].update(changes, updated_ms=int(time.time() * 1000))
        self.log.append(oid)

    # -- FakePlatform --
    def settings(self) -> dict[str, object]:
        return {"base_url": self.url}

    def secrets(self) -> dict[str, str]:
        return {"token": self.token}

    def add_orders(self, n: int) -> list[str]:
        ids = []
        with self.lock:
            for _ in range(n):
                oid = f"O{len(self.orders) + 1:06d}"
                now = int(time.time() * 1000)
                self.orders[oid] = {
                    "id": oid, "buyer_id": f"b{len(self.orders) % 7}", "buyer_nick": "买家",
                    "status": "unpaid", "items": [{"sku": "s1", "title": "纯棉T恤", "qty": 1, "price": "59.00"}],
                    "total": "59.00", "currency": "CNY", "created_ms": now, "updated_ms": now,
                    "receiver": "张** 138****0000", "memo": "", "flag": 0}
                self.log.append(oid)
                ids.append(oid)
        return ids

    def touch_order(self, order_id: str) -> None:
        with self.lock:
            self._change(order_id, status="paid")

    def add_messages(self, n: int) -> list[str]:
        raise NotImplementedError("no chat in this platform's open API")

    def memo(self, order_id: str) -> tuple[str, int | None]:
        order = self.orders[order_id]
        return order["memo"], order["flag"]

    def expire_token(self) -> None:
        self.token_valid = False

    def limit_calls(self, n: int = 1) -> None:
        self.faults.extend([429] * n)

    def fail(self, n: int = 1) -> None:
        self.faults.extend([503] * n)
'''

CONTRACT = '''"""The SeatDesk conformance kit against the fake: keep this green while adapting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.sdk.testing import AdapterContract
from {module}.adapter import {cls}
from {module}.fake import {cls}Fake


class Test{cls}Contract(AdapterContract):
    adapter_class = {cls}

    @pytest.fixture
    def fake(self) -> Iterator[{cls}Fake]:
        with {cls}Fake() as fake:
            yield fake
'''
