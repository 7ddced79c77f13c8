"""Search end to end against the sandbox over loopback, on SQLite and PostgreSQL: what the
feeds bring and what the agent sends is found across shops — 退款, 退款申请, one
character, an 8-digit order-number fragment, a buyer nick."""

from __future__ import annotations

import re

from conftest import wait_until
from test_buyers_orders_e2e import core_for  # noqa: F401 - fixture

from desktop.core.views import InboxFilter, OrderFilter


def hits(desk, query, group):
    return desk.search(query).hits(group)


def one_chat_per_shop(desk, shops: int):
    rows = desk.conversation_rows(desk.conversation_ids(InboxFilter()))
    by_shop = {}
    for row in rows.values():
        by_shop.setdefault(row.shop_id, row)
    return list(by_shop.values()) if len(by_shop) >= shops else None


def test_refund_words_sent_in_two_shops_are_found_in_both(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=3, rate=40, seed=51)
    core = core_for(server)
    desk = core.desk
    first, second = wait_until(lambda: one_chat_per_shop(desk, 2), 60)[:2]
    assert first.shop_id != second.shop_id
    sent = {desk.send_message(first.id, "亲，您的退款申请已经收到，我们会尽快处理").result(10),
            desk.send_message(second.id, "退款申请已同意，原路退回").result(10)}
    for query in ("退款", "退款申请", "退"):  # 2 and 1 characters: not the trigram index
        found = {h.message_id: h for h in hits(desk, query, "messages")}
        assert sent <= set(found), query
        assert {found[i].shop_id for i in sent} == {first.shop_id, second.shop_id}
    # delivered through the outbox, echoed by the feed, settled: still found once each
    wait_until(lambda: all(m.state == "sent" for m in desk.messages(first.id) if m.id in sent), 30)
    wait_until(lambda: all(m.state == "sent" for m in desk.messages(second.id) if m.id in sent), 30)
    ids = [h.message_id for h in hits(desk, "退款申请", "messages")]
    assert sorted(i for i in ids if i in sent) == sorted(sent)
    assert len(ids) == len(set(ids))


def test_what_buyers_write_is_found_by_any_two_characters(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=3, rate=60, seed=52)
    core = core_for(server)
    desk = core.desk

    def a_buyer_line():
        for cid in desk.conversation_ids(InboxFilter(), limit=20):
            for m in desk.messages(cid):
                words = re.findall(r"[\u4e00-\u9fff]{2,}", m.text)
                if m.direction == "in" and words:
                    return m, words[0]
        return None

    message, word = wait_until(a_buyer_line, 60)
    for query in (word[:2], word[:1], word):
        assert message.id in {h.message_id for h in hits(desk, query, "messages")}, query


def test_an_eight_digit_fragment_finds_orders_of_every_shop(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=4, rate=80, seed=53)
    core = core_for(server)
    desk = core.desk

    def orders_of_two_shops():
        rows = desk.orders(OrderFilter(), limit=500)
        return rows if len({o.shop_id for o in rows}) >= 2 else None

    orders = wait_until(orders_of_two_shops, 90)
    # the sandbox numbers orders per shop, zero-padded: some 8 digits recur across shops
    shared = None
    for a in orders:
        for b in orders:
            if a.shop_id == b.shop_id:
                continue
            shared = next((a.platform_order_id[i:i + 8] for i in range(len(a.platform_order_id) - 7)
                           if a.platform_order_id[i:i + 8] in b.platform_order_id), None)
            if shared:
                break
        if shared:
            break
    assert shared is not None
    found = hits(desk, shared, "orders")
    assert len({h.shop_id for h in found}) >= 2
    assert all(shared in h.text for h in found)
    one = orders[0]
    fragment = one.platform_order_id[-8:]
    assert one.id in {h.order_id for h in hits(desk, fragment, "orders")}


def test_a_buyer_nick_finds_their_chats(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=3, rate=40, seed=54)
    core = core_for(server)
    desk = core.desk
    row = wait_until(lambda: next(iter(desk.conversation_rows(
        desk.conversation_ids(InboxFilter(), limit=1)).values()), None), 60)
    for query in (row.buyer_nick, row.buyer_nick[:2], row.buyer_nick[1:]):
        if query.strip():
            assert row.id in {h.conversation_id for h in hits(desk, query, "buyers")}, query
