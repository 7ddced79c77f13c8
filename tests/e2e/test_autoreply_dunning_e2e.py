"""Issue 5 (auto-replies, dunning, reply clocks) end to end against the sandbox over
loopback, on SQLite and on a shared PostgreSQL: a new buyer gets the welcome and the busy
line once each and still waits for a person; the person's answer is the first response;
a dunning reaches the platform once, a second one within 24 h is refused, and the
buyer's payment shows as recovered."""

from __future__ import annotations

import time
from dataclasses import replace

import httpx
from conftest import wait_until
from test_buyers_orders_e2e import core_for, ledger_shop, psid_of  # noqa: F401 - fixture

from desktop.core.clock import now_ms
from desktop.core.views import (
    DEFAULT_DUN_ASKED,
    DEFAULT_DUN_SILENT,
    AutoReplySettings,
    InboxFilter,
    InboxState,
)


def buyer_says(server, psid: str, text: str, buyer_id: str) -> dict:
    reply = httpx.post(f"{server.url}/admin/buyer-says", timeout=10,
                       json={"shop_id": psid, "text": text, "buyer_id": buyer_id})
    reply.raise_for_status()
    return reply.json()


def chat_of(desk, text: str):
    """The conversation holding the buyer's message `text`."""
    for cid in desk.conversation_ids(InboxFilter(state=InboxState.ALL)):
        if any(m.text == text for m in desk.messages(cid, 50)):
            return cid
    return None


def test_auto_replies_never_loop_and_leave_the_clock_running(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=2, rate=0, seed=31)  # no simulated buyers: only ours
    core = core_for(server)
    desk = core.desk
    shop = next(s for s in desk.shops() if s.platform == "sandbox-tb")
    psid = shop.platform_shop_id
    desk.set_auto_reply_settings(shop.id, replace(
        AutoReplySettings(), welcome=True, busy=True, open_from="00:00", open_until="00:00",
    )).result(10)

    # a new buyer while nobody is signed in: no seat can take the chat
    said = buyer_says(server, psid, "在吗？这款有货吗", "e2e-buyer-1")
    cid = wait_until(lambda: chat_of(desk, "在吗？这款有货吗"), 30)

    def lines():
        return [m for m in desk.messages(cid, 50) if m.origin]

    wait_until(lambda: len(lines()) == 2 and all(m.state == "sent" for m in lines()), 30)
    assert [m.origin for m in lines()] == ["welcome", "busy"]
    assert lines()[0].text.startswith(f"您好，欢迎光临{shop.name}")
    # delivered once each, and their echoes settled the local copies (no doubles)
    wait_until(lambda: len(ledger_shop(server, psid)["conversations"][said["conversation_id"]]) == 3, 30)
    time.sleep(2)  # echoes and further passes would show up as more messages
    assert len(desk.messages(cid, 50)) == 3
    row = desk.conversation_rows([cid])[cid]
    assert row.waiting_since is not None  # the buyer still waits for a person
    assert row.reply_due_at is not None and row.reply_window_s == 180  # sandbox-tb's rule

    # the buyer writes again: within the cooldowns, no new automatic line
    buyer_says(server, psid, "人呢", "e2e-buyer-1")
    wait_until(lambda: any(m.text == "人呢" for m in desk.messages(cid, 50)), 30)
    time.sleep(4)  # more than a routing tick, after which the auto-reply pass runs
    assert len(lines()) == 2
    assert len(ledger_shop(server, psid)["conversations"][said["conversation_id"]]) == 4

    # a person answers: that is the first response, and the buyer no longer waits
    desk.sign_in(desk.home_seat_id).result(10)
    started = now_ms() - 60_000
    desk.send_message(cid, "在的亲，有货的").result(10)
    assert desk.conversation_rows([cid])[cid].waiting_since is None
    stats = desk.response_stats(started)
    (mine,) = [s for s in stats if s.shop_id == shop.id]
    assert (mine.seat_id, mine.first_replies, mine.replies) == (desk.home_seat_id, 1, 1)
    assert mine.first_avg_s is not None and mine.first_avg_s >= 4


def test_dunning_reaches_the_platform_once_and_tracks_the_payment(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=2, rate=60, seed=32)
    core = core_for(server)
    desk = core.desk
    desk.sign_in(desk.home_seat_id).result(10)

    def still_unpaid():
        for row in desk.unpaid_orders():
            stage = ledger_shop(server, psid_of(core, row.shop_id))["orders"][row.platform_order_id]
            if stage["stage"] == "unpaid" and row.conversation_id is not None:
                return row
        return None

    def paused_on_an_unpaid_order():
        """Pause the buyers (nobody pays or closes an order on their own from then on)
        while an order is unpaid on the platform too; else let them go on a little."""
        if still_unpaid() is None:
            return None
        server.pause()
        order = still_unpaid()
        if order is None:  # paid or closed in between
            server.resume()
        return order

    order = wait_until(paused_on_an_unpaid_order, 90)
    psid = psid_of(core, order.shop_id)

    report = desk.dun([order.id]).result(10)
    assert report.refused == () and [s.order_id for s in report.sent] == [order.id]
    sent = wait_until(lambda: next((m for m in desk.messages(order.conversation_id, 500)
                                    if m.origin == "dunning" and m.state == "sent"), None), 30)
    # the template of the buyer's kind: did they write in the shop before ordering?
    asked = any(m.direction == "in" and m.sent_at < order.created_at
                for m in desk.messages(order.conversation_id, 500))
    assert report.sent[0].variant == ("asked" if asked else "silent")
    template = DEFAULT_DUN_ASKED if asked else DEFAULT_DUN_SILENT
    assert sent.text == template.replace("{订单号}", order.platform_order_id)
    assert sent.sender == desk.seat_name

    # twice within 24 hours: refused, with who and when
    on_platform = len(ledger_shop(server, psid)["message_ids"])
    again = desk.dun([order.id]).result(10)
    assert again.sent == ()
    (refusal,) = again.refused
    assert (refusal.code, refusal.by, refusal.hours) == ("too_soon", desk.seat_name, 24)
    assert "one dunning per buyer and shop every 24 h" in refusal.reason
    time.sleep(2)  # a second delivery would show up on the platform (its buyers are paused)
    assert len(ledger_shop(server, psid)["message_ids"]) == on_platform
    assert [m.origin for m in desk.messages(order.conversation_id, 500)].count("dunning") == 1

    # the buyer pays: dunned → paid, with the amount recovered
    httpx.post(f"{server.url}/admin/pay", json={"shop_id": psid, "order_id": order.platform_order_id},
               timeout=10).raise_for_status()
    since = now_ms() - 3_600_000
    paid = wait_until(lambda: next((r for r in desk.dunned_orders(since) if r.id == order.id
                                    and r.recovered), None), 30)
    assert paid.total == order.total and paid.dunned_by == desk.seat_name
    assert all(r.id != order.id for r in desk.unpaid_orders())

