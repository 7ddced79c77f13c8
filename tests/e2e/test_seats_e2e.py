"""Issue 4 end to end against the sandbox: the signed-in seat gets the waiting chats, a
transfer reaches the platform through the outbox exactly once, the receiver sees why."""

from __future__ import annotations

import time

from conftest import wait_until
from test_buyers_orders_e2e import core_for  # noqa: F401 - fixture

from desktop.core.views import InboxFilter, SeatProfile


def test_routing_and_a_platform_side_transfer(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=2, rate=40, seed=11)
    core = core_for(server)
    desk = core.desk
    me = desk.home_seat_id
    desk.sign_in(me).result(10)
    assert desk.is_lead()  # the first seat of a store leads it

    mine = wait_until(lambda: desk.conversation_ids(InboxFilter(seat_id=me)), 60)
    row = desk.conversation_rows(mine[:1])[mine[0]]
    assert row.seat_id == me and row.seat_name == desk.seat_name
    assert [e.kind for e in desk.assignment_log(row.id)][-1] == "route"

    li = desk.save_seat(SeatProfile("li", "小李", groups=("售后",),
                                    accounts=((row.shop_id, "店:小李"),))).result(10)
    report = desk.transfer({row.id: row.assign_version}, to_seat_id=li, reason="要换货",
                           return_minutes=None).result(10)
    assert report.moved == (row.id,)  # 小李 is not signed in: only a lead may hand it over
    moved = desk.conversation_rows([row.id])[row.id]
    assert (moved.seat_id, moved.transfer.by, moved.transfer.reason) == (li, desk.seat_name, "要换货")

    # the platform-side transfer went out once; the sandbox notes it in the chat
    note = "会话已转接给 店:小李，原因：要换货"
    wait_until(lambda: any(m.text == note for m in desk.messages(row.id, 500)), 30)
    # a stale second move of the same chat is refused, naming who moved it first
    again = desk.transfer({row.id: row.assign_version}, to_seat_id=me).result(10)
    assert again.refused == ((row.id, "moved", desk.seat_name),)
    time.sleep(2)  # outbox retries would show up as more notes
    assert sum(m.text == note for m in desk.messages(row.id, 500)) == 1
    assert {r.name for r in desk.seats()} == {desk.seat_name, "小李"}
