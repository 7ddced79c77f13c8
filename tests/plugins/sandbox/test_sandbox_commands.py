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


def _shop_ledger(admin: httpx.Client, sandbox: SandboxServer, index: int) -> dict[str, Any]:
    shop: dict[str, Any] = admin.get("/admin/ledger").json()["shops"][sandbox.shops[index]["platform_shop_id"]]
    return shop


@pytest.mark.parametrize("index", [0, 1], ids=["tb", "dy"])
def test_remark_is_applied_once_per_key_and_logged(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any], index: int
) -> None:
    order_id = _first_order(sandbox, index)
    order = sandbox.store.shops[index].orders[order_id]

    async def run(adapter: SandboxAdapter) -> None:
        await adapter.set_remark(SetRemark("memo-1", order_id, "改发顺丰", 3))
        seq = order.mod_seq
        await adapter.set_remark(SetRemark("memo-1", order_id, "改发顺丰", 3))  # a retry: same key
        assert order.mod_seq == seq  # the order was not touched again
        await adapter.set_remark(SetRemark("memo-2", order_id, "改发顺丰", 3))  # same text, new request
        assert order.mod_seq > seq

    use_adapter(index, run)
    ledger = _shop_ledger(admin, sandbox, index)
    remarks = ledger["remarks"]
    assert [r["client_key"] for r in remarks] == ["memo-1", "memo-2"]
    assert remarks[0] == {
        "source": "api",
        "client_key": "memo-1",
        "order_id": order_id,
        "memo": "改发顺丰",
        "flag": 3,
        "at": remarks[0]["at"],
    }
    assert remarks[0]["at"] <= remarks[1]["at"] == order.modified_ms
    assert ledger["orders"][order_id] == {
        "memo": "改发顺丰",
        "flag": 3,
        "stage": order.stage.value,
        "warehouse": order.warehouse.value,
    }
    assert set(ledger["orders"]) == set(ledger["order_ids"])


def test_a_replayed_remark_answers_like_the_first_and_keeps_the_first_memo(
    sandbox: SandboxServer, admin: httpx.Client, raw_api: Callable[..., httpx.Response]
) -> None:
    order_id = _first_order(sandbox, 0)

    def remark(memo: str, key: object) -> httpx.Response:
        body = {"order_id": order_id, "memo": memo, "flag": 1, "client_key": key}
        return raw_api("POST", "/api/orders/remark", body=json.dumps(body, ensure_ascii=False))

    first = remark("第一版", "k-1").json()
    again = remark("第二版", "k-1").json()  # the key decides: the first request's effect stands
    assert first == {"ok": True, "modified": first["modified"], "replayed": False}
    assert again == {**first, "replayed": True}
    assert sandbox.store.shops[0].orders[order_id].memo == "第一版"
    response = remark("x", 42)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_client_key")
    # Without a key every request applies (and is logged).
    body = json.dumps({"order_id": order_id, "memo": "无键", "flag": 2}, ensure_ascii=False)
    for _ in range(2):
        assert raw_api("POST", "/api/orders/remark", body=body).json()["replayed"] is False
    keys = [r["client_key"] for r in _shop_ledger(admin, sandbox, 0)["remarks"]]
    assert keys == ["k-1", None, None]


def test_a_refused_remark_is_not_logged_and_its_key_stays_free(
    sandbox: SandboxServer, admin: httpx.Client, use_adapter: Callable[..., Any]
) -> None:
    order_id = _first_order(sandbox, 1)

    async def run(adapter: SandboxAdapter) -> None:
        with pytest.raises(Rejected, match="memo_too_long"):
            await adapter.set_remark(SetRemark("k", order_id, "字" * 61, 1))
        await adapter.set_remark(SetRemark("k", order_id, "字" * 60, 1))

    use_adapter(1, run)
    assert [r["memo"] for r in _shop_ledger(admin, sandbox, 1)["remarks"]] == ["字" * 60]


@pytest.mark.parametrize("index", [0, 1], ids=["tb", "dy"])
def test_a_back_office_memo_edit_reaches_the_order_feed_and_push(
    sandbox: SandboxServer,
    admin: httpx.Client,
    raw_api: Callable[..., httpx.Response],
    use_adapter: Callable[..., Any],
    index: int,
) -> None:
    order_id = _first_order(sandbox, index)
    shop_id = sandbox.shops[index]["platform_shop_id"]
    end = use_adapter(index, lambda a: a.fetch_orders(None), page_size=500).next_cursor
    push_cursor = raw_api("GET", "/api/push", shop=index, query={"timeout": 0}).json()["next_cursor"]

    reply = admin.post(
        "/admin/set-memo", json={"shop_id": shop_id, "order_id": order_id, "memo": "仓库：换成大箱", "flag": 4}
    )
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"ok": True, "modified": sandbox.store.shops[index].orders[order_id].modified_ms}

    page = use_adapter(index, lambda a: a.fetch_orders(end))
    assert [(e.platform_order_id, e.seller_memo, e.seller_flag) for e in page.events] == [(order_id, "仓库：换成大箱", 4)]
    pushed = raw_api("GET", "/api/push", shop=index, query={"cursor": push_cursor, "timeout": 1}).json()["events"]
    assert [e["kind"] for e in pushed] == ["order"]

    # "shop" works as well as "shop_id"; an absent flag is left as it is.
    assert admin.post("/admin/set-memo", json={"shop": shop_id, "order_id": order_id, "memo": ""}).status_code == 200
    ledger = _shop_ledger(admin, sandbox, index)
    assert ledger["orders"][order_id]["memo"] == "" and ledger["orders"][order_id]["flag"] == 4
    assert [(r["source"], r["client_key"], r["memo"], r["flag"]) for r in ledger["remarks"]] == [
        ("backoffice", None, "仓库：换成大箱", 4),
        ("backoffice", None, "", 4),
    ]


def test_back_office_memo_edits_are_validated_like_remarks(sandbox: SandboxServer, admin: httpx.Client) -> None:
    tb, dy = (s["platform_shop_id"] for s in sandbox.shops)
    tb_order, dy_order = _first_order(sandbox, 0), _first_order(sandbox, 1)
    cases = [
        ({"order_id": tb_order, "memo": "x"}, 400, "missing_parameter"),
        ({"shop_id": "nope", "order_id": tb_order, "memo": "x"}, 404, "shop_not_found"),
        ({"shop_id": tb, "order_id": "404", "memo": "x"}, 404, "order_not_found"),
        ({"shop_id": tb, "order_id": "404", "memo": "x", "flag": 1}, 404, "order_not_found"),
        ({"shop_id": tb, "order_id": tb_order}, 400, "missing_parameter"),
        ({"shop_id": tb, "order_id": tb_order, "memo": 5}, 400, "invalid_memo"),
        ({"shop_id": tb, "order_id": tb_order, "memo": "x", "flag": 6}, 400, "invalid_flag"),
        ({"shop_id": tb, "order_id": tb_order, "memo": "x", "flag": False}, 400, "invalid_flag"),
        ({"shop_id": tb, "order_id": tb_order, "memo": "改" * 334}, 400, "memo_too_long"),
        ({"shop_id": dy, "order_id": dy_order, "memo": "字" * 61}, 400, "memo_too_long"),
    ]
    for body, status, code in cases:
        response = admin.post("/admin/set-memo", json=body)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), body
    assert admin.get("/admin/set-memo").status_code == 404  # POST only, like every admin command
    assert all(not shop["remarks"] for shop in admin.get("/admin/ledger").json()["shops"].values())


# Around both limits, in CJK, emoji and ASCII: 1000 UTF-8 bytes (tb), 60 characters (dy).
BOUNDARY_MEMOS = [
    "",
    "字" * 60,
    "字" * 61,
    "😀" * 60,
    "😀" * 61,
    "改" * 333 + "a",  # 1000 bytes, 334 characters
    "改" * 333 + "ab",  # 1001 bytes
    "改" * 334,  # 1002 bytes
    "😀" * 250,  # 1000 bytes, 250 characters
    "😀" * 250 + "a",
    "a" * 1000,
    "a" * 1001,
    "备注：" + "顺丰" * 28 + "a",  # 60 characters, 178 bytes
]


@pytest.mark.parametrize("index", [0, 1], ids=["tb", "dy"])
def test_the_declared_memo_limit_is_exactly_what_the_server_enforces(
    sandbox: SandboxServer, use_adapter: Callable[..., Any], index: int
) -> None:
    order_id = _first_order(sandbox, index)

    async def run(adapter: SandboxAdapter) -> list[tuple[bool, bool]]:
        outcomes = []
        for n, memo in enumerate(BOUNDARY_MEMOS):
            declared_ok = adapter.info.memo_problem(memo) is None
            try:
                await adapter.set_remark(SetRemark(f"limit-{n}", order_id, memo, 1))
                accepted = True
            except Rejected as exc:
                assert "memo_too_long" in str(exc)
                accepted = False
            assert accepted == declared_ok, (adapter.info.platform_id, len(memo), len(memo.encode()))
            outcomes.append((declared_ok, accepted))
        return outcomes

    outcomes = use_adapter(index, run)
    assert {ok for ok, _ in outcomes} == {True, False}  # both sides of the limit were tried
