"""Send, remark and transfer through the adapter: idempotency and per-flavour validation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from desktop.sdk import Direction, MessageKind, Rejected, SendMessage, SetRemark, Transfer
from plugins.sandbox.adapter import SandboxAdapter
from plugins.sandbox.server import SandboxServer


@pytest.fixture
def conversation(sandbox: SandboxServer, admin: httpx.Client) -> Callable[[int], str]:
    """A fresh conversation in shop `index` (a buyer just said hello)."""

    def make(index: int) -> str:
        shop_id = sandbox.shops[index]["platform_shop_id"]
        reply = admin.post("/admin/buyer-says", json={"shop_id": shop_id, "text": "在吗？"}).json()
        return str(reply["conversation_id"])

    return make


def test_send_is_idempotent_and_echoes_the_client_key(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any], conversation: Callable[[int], str]
) -> None:
    conv = conversation(0)

    async def run(adapter: SandboxAdapter) -> None:
        first = await adapter.send_message(SendMessage("key-1", conv, "b", "亲，在的，有什么可以帮您？"))
        again = await adapter.send_message(SendMessage("key-1", conv, "b", "亲，在的，有什么可以帮您？"))
        other = await adapter.send_message(SendMessage("key-2", conv, "b", "现在下单今天发货哦"))
        assert first == again != other
        page = await adapter.fetch_messages(None)
        sent = [e for e in page.events if e.direction is Direction.OUT]
        assert [(e.platform_msg_id, e.client_key) for e in sent] == [(first, "key-1"), (other, "key-2")]
        assert sent[0].text == "亲，在的，有什么可以帮您？" and sent[0].conversation_id == conv

    use_adapter(0, run)
    shop_id = sandbox.shops[0]["platform_shop_id"]
    assert len(admin.get("/admin/ledger").json()["shops"][shop_id]["conversations"][conv]) == 3


@pytest.mark.parametrize(
    ("text", "error"),
    [("字" * 2000, None), ("字" * 2001, "text_too_long"), ("", "empty_text"), ("   ", "empty_text")],
    ids=["2000-ok", "2001-too-long", "empty", "blank"],
)
def test_send_text_limits(
    use_adapter: Callable[..., Any], conversation: Callable[[int], str], text: str, error: str | None
) -> None:
    conv = conversation(1)

    async def run(adapter: SandboxAdapter) -> None:
        cmd = SendMessage("k", conv, "b", text)
        if error is None:
            assert await adapter.send_message(cmd)
        else:
            with pytest.raises(Rejected, match=error):
                await adapter.send_message(cmd)

    use_adapter(1, run)


def test_send_to_an_unknown_conversation_is_rejected(use_adapter: Callable[..., Any]) -> None:
    async def run(adapter: SandboxAdapter) -> None:
        with pytest.raises(Rejected, match="conversation_not_found"):
            await adapter.send_message(SendMessage("k", "nope", "b", "hi"))

    use_adapter(0, run)


def test_transfer_is_idempotent_and_leaves_a_system_note(
    use_adapter: Callable[..., Any], conversation: Callable[[int], str]
) -> None:
    conv = conversation(0)

    async def run(adapter: SandboxAdapter) -> None:
        cmd = Transfer("xfer-1", conv, "售后小李", "买家要退款")
        await adapter.transfer(cmd)
        await adapter.transfer(cmd)
        notes = [e for e in (await adapter.fetch_messages(None)).events if e.kind is MessageKind.SYSTEM]
        assert len(notes) == 1
        assert "售后小李" in notes[0].text and "买家要退款" in notes[0].text and notes[0].conversation_id == conv
        with pytest.raises(Rejected, match="invalid_account"):
            await adapter.transfer(Transfer("xfer-2", conv, " ", ""))

    use_adapter(0, run)


def _first_order(sandbox: SandboxServer, index: int) -> str:
    while not sandbox.store.shops[index].orders:
        sandbox.simulator.run_ticks(20)
    return next(iter(sandbox.store.shops[index].orders))


# (shop index, memo, flag, expected error or None)
REMARK_CASES = [
    pytest.param(0, "客户要求改地址 —— 小王 2026-11-23", 1, None, id="tb-ok"),
    pytest.param(0, "改" * 333 + "a", 5, None, id="tb-1000-bytes"),
    pytest.param(0, "改" * 334, 0, "memo_too_long", id="tb-1002-bytes"),
    pytest.param(0, "a" * 1000, 2, None, id="tb-1000-ascii"),
    pytest.param(0, "ok", 6, "invalid_flag", id="tb-flag-6"),
    pytest.param(0, "ok", -1, "invalid_flag", id="tb-flag-negative"),
    pytest.param(1, "字" * 60, 5, None, id="dy-60-chars"),
    pytest.param(1, "字" * 61, 5, "memo_too_long", id="dy-61-chars"),
    pytest.param(1, "ok", 7, "invalid_flag", id="dy-flag-7"),
]


@pytest.mark.parametrize(("index", "memo", "flag", "error"), REMARK_CASES)
def test_remark_validation_per_flavour(
    sandbox: SandboxServer, use_adapter: Callable[..., Any], index: int, memo: str, flag: int, error: str | None
) -> None:
    order_id = _first_order(sandbox, index)

    async def run(adapter: SandboxAdapter) -> None:
        cmd = SetRemark("r", order_id, memo, flag)
        if error is not None:
            with pytest.raises(Rejected, match=error):
                await adapter.set_remark(cmd)
            return
        await adapter.set_remark(cmd)
        events = [e for e in (await adapter.fetch_orders(None)).events if e.platform_order_id == order_id]
        assert (events[-1].seller_memo, events[-1].seller_flag) == (memo, flag)

    use_adapter(index, run, page_size=500)


def test_remark_without_flag_clears_it_and_unknown_orders_are_rejected(
    sandbox: SandboxServer, use_adapter: Callable[..., Any]
) -> None:
    order_id = _first_order(sandbox, 1)

    async def run(adapter: SandboxAdapter) -> None:
        await adapter.set_remark(SetRemark("r1", order_id, "加急", 4))
        await adapter.set_remark(SetRemark("r2", order_id, "加急", None))
        assert sandbox.store.shops[1].orders[order_id].flag == 0
        with pytest.raises(Rejected, match="order_not_found"):
            await adapter.set_remark(SetRemark("r3", "404", "x", 1))

    use_adapter(1, run)


def test_bool_flag_is_not_an_int_on_the_wire(sandbox: SandboxServer, raw_api: Callable[..., httpx.Response]) -> None:
    order_id = _first_order(sandbox, 0)
    body = json.dumps({"order_id": order_id, "memo": "x", "flag": True})
    response = raw_api("POST", "/api/orders/remark", body=body)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_flag")
