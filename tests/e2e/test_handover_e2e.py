"""Issue 6 end to end against the sandbox over loopback, on SQLite and on a shared
PostgreSQL: a seat with open chats, an unpaid order not yet dunned and an open after-sale
case ends its shift → the draft holds exactly those items, each link resolving → sent with
"hand over and release my chats", the chats are the next shift's with the note → the next
seat acknowledges and ticks two items → the undone one is in its next draft, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import httpx
from conftest import wait_until
from test_buyers_orders_e2e import core_for  # noqa: F401 - fixture

from desktop.core.clock import now_ms
from desktop.core.clocks import zone
from desktop.core.views import (
    CaseItemRow,
    HandoverItemKind as Kind,
    InboxFilter,
    InboxState,
    ItemState,
    OrderFilter,
    SeatProfile,
)


def local_hhmm(minutes_from_now: int) -> str:
    """A time of day in the team's zone (Beijing by default), minutes from now."""
    moment = datetime.now(zone("Asia/Shanghai")) + timedelta(minutes=minutes_from_now)
    return moment.strftime("%H:%M")


def test_a_shift_hands_over_and_the_next_seat_carries_on(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=2, rate=0, seed=41)  # no buyers of its own: only the ticks below
    httpx.post(f"{server.url}/admin/tick", json={"n": 50}, timeout=30).raise_for_status()
    ledger = httpx.get(f"{server.url}/admin/ledger", timeout=10).json()["shops"]
    chats_on_platform = sum(len(s["conversations"]) for s in ledger.values())
    unpaid_on_platform = [oid for s in ledger.values() for oid, o in s["orders"].items()
                          if o["stage"] == "unpaid"]
    assert len(unpaid_on_platform) == 1  # seed 41, 50 ticks: one buyer ordered and did not pay

    core = core_for(server)
    desk = core.desk
    wang = desk.home_seat_id
    desk.sign_in(wang).result(10)
    wang_name = desk.seat_name

    # everything synced, and routing gave every waiting chat to the one seat signed in
    def settled() -> bool:
        every = desk.conversation_ids(InboxFilter(state=InboxState.ALL))
        return (len(every) == chats_on_platform
                and desk.count_orders(OrderFilter()) == sum(len(s["orders"]) for s in ledger.values())
                and not desk.conversation_ids(InboxFilter(queue=True)))
    wait_until(settled, 60)
    waiting = desk.conversation_ids(InboxFilter(state=InboxState.WAITING, seat_id=wang))
    assert len(waiting) >= 2
    # 小王 answers all but one: open chats, one buyer still waiting
    still_waiting = waiting[0]
    for cid in waiting[1:]:
        desk.send_message(cid, "好的亲，马上为您处理").result(10)
    mine = desk.conversation_ids(InboxFilter(seat_id=wang))
    assert still_waiting in mine and len(mine) >= len(waiting)
    [unpaid] = [o for o in desk.orders(OrderFilter(statuses=frozenset({"unpaid"})))]
    assert unpaid.platform_order_id == unpaid_on_platform[0]
    paid = next(o for o in desk.orders(OrderFilter()) if o.status != "unpaid")
    case_id = desk.open_case(paid.id, "exchange", "尺码不合适",
                             [CaseItemRow(paid.items[0].title, 1)]).result(10)

    # the roster: 小王 on 早班 (ending in ten minutes), 小李 on 晚班 (starting in five)
    li = desk.save_seat(SeatProfile("li", "小李")).result(10)
    early = desk.save_shift("早班", local_hhmm(-120), local_hhmm(10), range(7), [wang]).result(10)
    late = desk.save_shift("晚班", local_hhmm(5), local_hhmm(360), range(7), [li]).result(10)
    assert desk.current_shift().id == early and desk.next_shift().id == late
    start, end = desk.shift_window(early)
    assert start <= now_ms() < end <= now_ms() + 11 * 60_000

    # 小王's shift ends: the draft holds exactly those three things, each link resolving
    draft = desk.draft_handover()
    assert (draft.id, draft.shift_id, draft.to_shift_id) == (0, early, late)
    assert [(x.kind, x.conversation_id if x.kind is Kind.CHAT else x.order_id
             if x.kind is Kind.UNPAID else x.case_id) for x in draft.items] == [
        (Kind.CHAT, still_waiting), (Kind.UNPAID, unpaid.id), (Kind.CASE, case_id)]
    chat_item, unpaid_item, case_item = draft.items
    conv = desk.conversation_rows([chat_item.conversation_id])[still_waiting]
    assert conv.waiting_since is not None and conv.seat_id == wang
    assert chat_item.title.startswith(f"{conv.buyer_nick} · 等待 ")
    assert chat_item.ref == f"{conv.buyer_nick} @{conv.shop_name}"
    order = desk.order(unpaid_item.order_id)
    assert order.status == "unpaid" and order.platform_order_id in unpaid_item.title
    assert desk.case(case_item.case_id).state == "open" and case_item.order_id == paid.id
    assert f"售后单号 #{case_id}" in case_item.ref

    # sent with "hand over and release my chats": every open chat of 小王's is 小李's now
    hid = desk.save_handover(replace(draft, text="今天退货多，注意核对地址\n细节见各项")).result(10)
    assert desk.send_handover(hid, release_chats=True).result(10) == len(mine)
    rows = desk.conversation_rows(mine)
    assert {r.seat_id for r in rows.values()} == {li}
    assert {(r.transfer.by, r.transfer.reason) for r in rows.values()} == \
        {(wang_name, "交接：今天退货多，注意核对地址")}
    assert desk.conversation_ids(InboxFilter(seat_id=wang)) == []
    text = desk.handover_text(hid, markdown=False)
    assert f"订单号 {unpaid.platform_order_id}" in text and f"售后单号 #{case_id}" in text
    assert f"{conv.buyer_nick} @{conv.shop_name}" in text

    # 小李 signs in (on this desk): the handover waits for it; acknowledged, two items ticked
    desk.sign_in(li).result(10)
    assert [r.id for r in desk.unread_handovers()] == [hid]
    desk.acknowledge_handover(hid).result(10)
    assert desk.unread_handovers() == []
    sent = desk.handover(hid)
    assert [(a.seat_id, a.seat_name) for a in sent.acks] == [(li, "小李")]
    by_kind = {x.kind: x for x in sent.items}
    desk.set_item_state(by_kind[Kind.UNPAID].id, ItemState.DONE).result(10)
    desk.set_item_state(by_kind[Kind.CASE].id, ItemState.DONE, "已联系仓库换货").result(10)
    assert desk.handover(hid).todo() == 1

    # 小李's next draft: the undone chat, once, continuing the first handover's item
    nxt = desk.draft_handover()
    assert [(x.kind, x.conversation_id, x.carried_from) for x in nxt.items] == \
        [(Kind.CHAT, still_waiting, by_kind[Kind.CHAT].id)]
    assert [r.id for r in desk.handover_report(now_ms() - 3_600_000, now_ms() + 1)] == [hid]
