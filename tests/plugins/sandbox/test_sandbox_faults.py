"""Fault switches: parsing, and each one observable through the adapter or raw HTTP."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from desktop.sdk import RateLimited, SendMessage, SetRemark, Temporary
from plugins.sandbox.adapter import SandboxAdapter
from plugins.sandbox.faults import FaultSpec
from plugins.sandbox.protocol import MESSAGE_FIELDS
from plugins.sandbox.server import SandboxServer


@pytest.mark.parametrize(
    ("spec", "expected", "canonical"),
    [
        ("", FaultSpec(), ""),
        ("latency=50ms", FaultSpec(latency_ms=50), "latency=50ms"),
        ("latency=0.2s", FaultSpec(latency_ms=200), "latency=200ms"),
        ("latency=30", FaultSpec(latency_ms=30), "latency=30ms"),
        (" error5xx=0.1 , down ", FaultSpec(error5xx=0.1, down=True), "error5xx=0.1,down"),
        ("ratelimit=0.05:2", FaultSpec(ratelimit=0.05, retry_after=2), "ratelimit=0.05:2"),
        ("ratelimit=1", FaultSpec(ratelimit=1, retry_after=1), "ratelimit=1:1"),
        ("drop=0.02,malformed=0.05", FaultSpec(drop=0.02, malformed=0.05), "drop=0.02,malformed=0.05"),
    ],
)
def test_spec_parses_and_prints_canonically(spec: str, expected: FaultSpec, canonical: str) -> None:
    parsed = FaultSpec.parse(spec)
    assert parsed == expected and str(parsed) == canonical
    assert FaultSpec.parse(str(parsed)) == parsed


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("explode=1", "unknown fault 'explode'"),
        ("error5xx=1.5", "outside 0..1"),
        ("drop=lots", "not a probability"),
        ("latency=fast", "not a duration"),
        ("latency=-5ms", "negative"),
        ("down=1", "takes no value"),
        ("malformed", "needs a value"),
        ("ratelimit=0.1:soon", "retry-after"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FaultSpec.parse(spec)


def set_faults(admin: httpx.Client, spec: str) -> None:
    response = admin.post("/admin/faults", json={"spec": spec})
    assert response.status_code == 200, response.text


def test_faults_can_be_read_and_replaced_at_run_time(admin: httpx.Client) -> None:
    set_faults(admin, "error5xx=0.5, latency=10ms")
    assert admin.get("/admin/faults").json() == {"spec": "latency=10ms,error5xx=0.5"}
    bad = admin.post("/admin/faults", json={"spec": "nonsense=1"})
    assert bad.status_code == 400 and "unknown fault" in bad.json()["error"]["message"]
    assert admin.get("/admin/faults").json()["spec"] == "latency=10ms,error5xx=0.5"  # unchanged


def test_a_bad_spec_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        SandboxServer(faults="gremlins=1")


def test_down_fails_every_api_call_but_not_admin(admin: httpx.Client, raw_api: Callable[..., httpx.Response]) -> None:
    set_faults(admin, "down")
    for path in ("/api/ping", "/api/messages", "/api/orders"):
        assert raw_api("GET", path).status_code == 503
    assert admin.get("/admin/stats").status_code == 200
    set_faults(admin, "")
    assert raw_api("GET", "/api/ping").status_code == 200


def test_error5xx_is_temporary(admin: httpx.Client, use_adapter: Callable[..., Any]) -> None:
    set_faults(admin, "error5xx=1")

    async def run(adapter: SandboxAdapter) -> None:
        with pytest.raises(Temporary, match="503"):
            await adapter.fetch_orders(None)

    use_adapter(0, run)


def test_ratelimit_sends_retry_after(
    admin: httpx.Client, raw_api: Callable[..., httpx.Response], use_adapter: Callable[..., Any]
) -> None:
    set_faults(admin, "ratelimit=1:3")
    response = raw_api("GET", "/api/ping")
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"

    async def run(adapter: SandboxAdapter) -> None:
        with pytest.raises(RateLimited) as caught:
            await adapter.fetch_messages(None)
        assert caught.value.retry_after == 3.0

    use_adapter(0, run)


def test_latency_delays_api_but_not_admin(admin: httpx.Client, raw_api: Callable[..., httpx.Response]) -> None:
    set_faults(admin, "latency=150ms")
    start = time.monotonic()
    assert raw_api("GET", "/api/ping").status_code == 200
    assert time.monotonic() - start >= 0.15
    start = time.monotonic()
    admin.get("/admin/stats")
    assert time.monotonic() - start < 0.1


def test_drop_closes_without_reply_and_retries_with_the_same_key_never_double(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any]
) -> None:
    shop_id = sandbox.shops[0]["platform_shop_id"]
    conv = admin.post("/admin/buyer-says", json={"shop_id": shop_id, "text": "在吗"}).json()["conversation_id"]
    set_faults(admin, "drop=1")

    async def send_all(adapter: SandboxAdapter) -> None:
        for n in range(12):
            with pytest.raises(Temporary, match="unreachable|disconnect|RemoteProtocolError|ReadError"):
                await adapter.send_message(SendMessage(f"key-{n}", conv, "b", f"回复 {n}"))

    use_adapter(0, send_all)
    landed = len(sandbox.store.shops[0].conversations[conv].msg_ids) - 1
    assert 0 < landed < 12  # some replies were lost after the work was done, some before

    set_faults(admin, "")

    async def retry_all(adapter: SandboxAdapter) -> list[str]:
        return [await adapter.send_message(SendMessage(f"key-{n}", conv, "b", f"回复 {n}")) for n in range(12)]

    ids = use_adapter(0, retry_all)
    assert len(set(ids)) == 12
    texts = [m["content"] for m in sandbox.store.shops[0].messages if m["direction"] == "out"]
    assert sorted(texts) == sorted(f"回复 {n}" for n in range(12))  # each exactly once


def _remarks(admin: httpx.Client, sandbox: SandboxServer, key: str | None = None) -> list[dict[str, Any]]:
    shop_id = sandbox.shops[0]["platform_shop_id"]
    entries: list[dict[str, Any]] = admin.get("/admin/ledger").json()["shops"][shop_id]["remarks"]
    return [e for e in entries if key is None or e["client_key"] == key]


def _an_order(sandbox: SandboxServer) -> str:
    while not sandbox.store.shops[0].orders:
        sandbox.simulator.run_ticks(20)
    return next(iter(sandbox.store.shops[0].orders))


def test_a_5xx_on_remark_is_temporary_and_the_retry_lands_exactly_once(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any]
) -> None:
    order_id = _an_order(sandbox)
    order = sandbox.store.shops[0].orders[order_id]
    cmd = SetRemark("remark-5xx", order_id, "客户改地址：上海市浦东新区", 1)
    seq = order.mod_seq
    set_faults(admin, "error5xx=1")

    async def fails(adapter: SandboxAdapter) -> None:
        with pytest.raises(Temporary, match="503"):
            await adapter.set_remark(cmd)

    use_adapter(0, fails)
    assert _remarks(admin, sandbox) == [] and order.memo == "" and order.mod_seq == seq  # nothing happened

    set_faults(admin, "")
    use_adapter(0, lambda a: a.set_remark(cmd))
    use_adapter(0, lambda a: a.set_remark(cmd))  # the engine retries once more (say the reply was lost)
    entries = _remarks(admin, sandbox, "remark-5xx")
    assert [(e["order_id"], e["memo"], e["flag"]) for e in entries] == [(order_id, cmd.text, 1)]
    assert (order.memo, order.flag) == (cmd.text, 1)


def test_dropped_remark_replies_are_retried_without_doubling(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any]
) -> None:
    order_id = _an_order(sandbox)
    set_faults(admin, "drop=1")

    async def send_all(adapter: SandboxAdapter) -> None:
        for n in range(12):
            with pytest.raises(Temporary):
                await adapter.set_remark(SetRemark(f"r-{n}", order_id, f"备注 {n}", n % 6))

    use_adapter(0, send_all)
    assert 0 < len(_remarks(admin, sandbox)) < 12  # some applied before the reply was lost

    set_faults(admin, "")

    async def retry_all(adapter: SandboxAdapter) -> None:
        for n in range(12):
            await adapter.set_remark(SetRemark(f"r-{n}", order_id, f"备注 {n}", n % 6))

    use_adapter(0, retry_all)
    assert sorted(e["client_key"] for e in _remarks(admin, sandbox)) == sorted(f"r-{n}" for n in range(12))


def _classify(response: httpx.Response) -> str:
    try:
        body = json.loads(response.content)
    except ValueError:
        return "truncated"
    record = body["messages"][0] if "messages" in body else body["events"][0]["message"]
    missing = set(MESSAGE_FIELDS) - set(record)
    return "missing" if missing else "wrongtype"


def test_malformed_breaks_feeds_in_every_way_and_the_adapter_always_notices(
    sandbox: SandboxServer, admin: httpx.Client, raw_api: Callable[..., httpx.Response], use_adapter: Callable[..., Any]
) -> None:
    shop_id = sandbox.shops[0]["platform_shop_id"]
    admin.post("/admin/buyer-says", json={"shop_id": shop_id, "text": "只有一条消息"})
    set_faults(admin, "malformed=1")
    kinds = Counter(_classify(raw_api("GET", "/api/messages")) for _ in range(30))
    assert set(kinds) == {"truncated", "missing", "wrongtype"}
    assert raw_api("GET", "/api/ping").json()["ok"] is True  # only feed replies are broken

    async def run(adapter: SandboxAdapter) -> None:
        for _ in range(25):
            with pytest.raises(Temporary, match="malformed payload from sandbox"):
                await adapter.fetch_messages(None)

    use_adapter(0, run)
    set_faults(admin, "")
    page = use_adapter(0, lambda a: a.fetch_messages(None))
    assert [e.text for e in page.events] == ["只有一条消息"]  # the stored data was never touched


def test_faults_do_not_change_what_the_simulator_does() -> None:
    plain, faulty = (
        SandboxServer(shops=2, rate=0, seed=3),
        SandboxServer(shops=2, rate=0, seed=3, faults="error5xx=0.5"),
    )
    with plain, faulty:
        for server in (plain, faulty):
            for _ in range(5):
                httpx.get(f"{server.url}/api/ping")  # rolls the fault RNG on one of them
            server.simulator.run_ticks(300)
        contents = [[m["content"] for s in srv.store.shops for m in s.messages] for srv in (plain, faulty)]
        assert contents[0] == contents[1]
