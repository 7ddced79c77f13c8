"""Issue 3 end to end against the sandbox over loopback: tags across shops, remarks
pushed through the outbox exactly once, memos changed on the platform side, cases."""

from __future__ import annotations

import httpx
import pytest
from conftest import wait_until

from desktop.core.views import CaseFilter, InboxFilter, OrderFilter


@pytest.fixture(params=["sqlite", "postgresql"])
def core_for(request, tmp_path):
    """The app's core on SQLite (solo) or on a shared PostgreSQL (team mode)."""
    from desktop.app import build_core, register_sandbox_shops

    cores = []
    db_url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None

    def start(server):
        data = tmp_path / "data"
        data.mkdir()
        core = build_core(data, db_url, plugins=["sandbox-tb", "sandbox-dy"], memory_secrets=True,
                          start=False)
        register_sandbox_shops(core, server.url, server.shops)
        core.runner.start()
        cores.append(core)
        return core

    yield start
    for core in cores:
        core.close()


def ledger_shop(server, psid: str) -> dict:
    return httpx.get(f"{server.url}/admin/ledger", timeout=10).json()["shops"][psid]


def psid_of(core, shop_id: int) -> str:
    return next(s.platform_shop_id for s in core.desk.shops() if s.id == shop_id)


def test_a_tag_follows_the_buyer_to_another_shop_of_the_platform(sandbox, core_for):
    server = sandbox(shops=4, rate=60, seed=21)
    core = core_for(server)
    desk = core.desk

    def shared_buyer():
        rows = desk.conversation_rows(desk.conversation_ids(InboxFilter()))
        by_buyer: dict[int, list] = {}
        for row in rows.values():
            by_buyer.setdefault(row.buyer_id, []).append(row)
        return next((convs for convs in by_buyer.values()
                     if len({c.shop_id for c in convs}) > 1), None)

    first, second = wait_until(shared_buyer, 60)[:2]
    assert first.platform == second.platform
    desk.add_labels([first.buyer_id], "tag", ["VIP"]).result(10)
    profile = desk.buyer_profile(second.id)
    assert [t.name for t in profile.tags] == ["VIP"]
    assert desk.conversation_rows([second.id])[second.id].tags[0].name == "VIP"
    tag = desk.labels("tag")[0]
    assert tag.buyers == 1
    tagged = desk.conversation_ids(InboxFilter(tag_id=tag.id))
    assert {first.id, second.id} <= set(tagged)
    assert all(r.buyer_id == first.buyer_id for r in desk.conversation_rows(tagged).values())


def test_red_flag_remark_reaches_the_platform_once_through_a_5xx(sandbox, core_for):
    server = sandbox(shops=2, rate=40, seed=22)
    core = core_for(server)
    desk = core.desk
    order = wait_until(lambda: desk.orders(OrderFilter(), limit=1), 60)[0]
    info = desk.platform_info(order.platform)
    red = next(f.value for f in info.flags if f.color.value == "red")
    psid = psid_of(core, order.shop_id)

    httpx.post(f"{server.url}/admin/faults", json={"spec": "error5xx=1"}, timeout=5).raise_for_status()
    remark_id = desk.add_remark(order.id, "客户要求改地址为杭州市西湖区文三路 1 号", red).result(10)
    failed = wait_until(lambda: next((r for r in desk.remarks(order.id)
                                      if r.id == remark_id and r.state == "failed"), None), 30)
    assert failed.error and failed.outbox_id is not None
    httpx.post(f"{server.url}/admin/faults", json={"spec": ""}, timeout=5).raise_for_status()
    desk.retry_outbox(failed.outbox_id).result(10)
    synced = wait_until(lambda: next((r for r in desk.remarks(order.id)
                                      if r.id == remark_id and r.state == "synced"), None), 30)
    truth = ledger_shop(server, psid)
    assert truth["orders"][order.platform_order_id]["memo"] == synced.memo
    assert truth["orders"][order.platform_order_id]["flag"] == red
    assert synced.memo.startswith("客户要求改地址为杭州市西湖区文三路 1 号 —— ")
    mine = [r for r in truth["remarks"] if r["memo"] == synced.memo]
    assert len(mine) == 1, "delivered more than once"
    # the order feed brings our memo back: it stays our remark, not a platform one
    wait_until(lambda: desk.order(order.id).seller_memo == synced.memo, 30)
    assert [r.source for r in desk.remarks(order.id)].count("platform") == \
        (1 if order.seller_memo else 0)


def test_memo_changed_in_the_back_office_shows_as_a_platform_remark(sandbox, core_for):
    server = sandbox(shops=2, rate=40, seed=23)
    core = core_for(server)
    desk = core.desk
    order = wait_until(lambda: desk.orders(OrderFilter(), limit=1), 60)[0]
    httpx.post(f"{server.url}/admin/set-memo", json={
        "shop_id": psid_of(core, order.shop_id), "order_id": order.platform_order_id,
        "memo": "仓库：黑色缺货，改发白色", "flag": 3}, timeout=5).raise_for_status()
    latest = wait_until(lambda: next((r for r in desk.remarks(order.id)
                                      if r.text == "仓库：黑色缺货，改发白色"), None), 30)
    assert (latest.source, latest.state, latest.flag_value) == ("platform", "platform", 3)


def test_an_after_sale_case_walks_every_state_and_leaves_the_open_list(sandbox, core_for):
    server = sandbox(shops=2, rate=40, seed=24)
    core = core_for(server)
    desk = core.desk
    order = wait_until(lambda: desk.orders(OrderFilter(), limit=1), 60)[0]
    item = order.items[0]
    from desktop.core.views import CaseItemRow

    case_id = desk.open_case(order.id, "exchange", "尺码不合适",
                             [CaseItemRow(item.title, 1)], note="换大一码").result(10)
    for state in ("awaiting_return", "received", "resent"):
        desk.update_case(case_id, state=state,
                         return_waybill="SF1234567890" if state == "awaiting_return" else None
                         ).result(10)
        assert [c.id for c in desk.cases(CaseFilter())] == [case_id]
    with pytest.raises(ValueError):
        desk.update_case(case_id, state="refunded").result(10)  # not a step of an exchange
    desk.update_case(case_id, state="closed").result(10)
    assert desk.cases(CaseFilter()) == []
    case = desk.case(case_id)
    assert [e.to_state for e in case.history] == ["open", "awaiting_return", "received",
                                                  "resent", "closed"]
    assert case.return_waybill == "SF1234567890"
