"""Issue 5 items 1 and 4 end to end against the sandbox: a new store starts with the
default library; phrases fill from the real chat and order; a reply with a WeChat id is
refused until overridden, then goes to the platform once and the override is logged;
a lead's rule edit reaches the check; CSV round trip through the real store."""

from __future__ import annotations

import pytest
from conftest import wait_until
from test_buyers_orders_e2e import core_for  # noqa: F401 - fixture

from desktop.core.phrases import default_library, render
from desktop.core.redlines import RedLineRefused
from desktop.core.views import InboxFilter, PhraseDraft

WECHAT = "亲，加我微信 shop_8888，发您实拍视频"


def sandbox_sent(server, text: str) -> list:
    return [m for shop in server.store.shops for m in shop.messages if m["content"] == text]


def test_a_wechat_id_is_stopped_and_an_override_is_sent_once_and_logged(sandbox, core_for):  # noqa: F811
    server = sandbox(shops=2, rate=20, seed=5)
    core = core_for(server)
    desk = core.desk
    desk.sign_in(desk.home_seat_id).result(10)
    cid = wait_until(lambda: desk.conversation_ids(InboxFilter()), 60)[0]
    before = len(desk.messages(cid, 500))

    with pytest.raises(RedLineRefused) as refused:
        desk.send_message(cid, WECHAT).result(10)
    rules = sorted({h.rule for h in refused.value.hits})
    assert rules == ["wechat-add", "wechat-id"]
    assert all(m.text != WECHAT for m in desk.messages(cid, 500))  # nothing stored, nothing queued
    assert len(desk.messages(cid, 500)) >= before
    # the composer's check (as the agent types) finds the same spans
    row = desk.conversation_rows([cid])[cid]
    hits = desk.red_line_hits(WECHAT, [row.platform])
    assert {WECHAT[h.start:h.end] for h in hits} == {"加我微信", "微信 shop_8888"}

    msg_id = desk.send_overriding(cid, WECHAT, rules).result(10)
    wait_until(lambda: [m for m in desk.messages(cid, 500) if m.id == msg_id][0].state == "sent", 60)
    assert len(sandbox_sent(server, WECHAT)) == 1
    [log] = desk.red_line_overrides()
    assert (log.kind, log.conversation_id, log.ref_id, log.seat_name, log.seat_id, log.text) == (
        "send", cid, msg_id, desk.seat_name, desk.seat_id, WECHAT)
    assert sorted(log.rules) == rules and log.platform == row.platform

    # a lead switches the WeChat rules off for the platform's set: the same text now passes
    for rule in desk.red_line_rules(row.platform):
        if rule.key in rules:
            desk.save_red_line_rule(rule.__class__(**{
                **{f: getattr(rule, f) for f in rule.__slots__}, "enabled": False})).result(10)
    assert desk.red_line_hits(WECHAT, [row.platform]) == []
    desk.send_message(cid, WECHAT).result(10)


def test_the_default_library_fills_from_the_real_chat_and_escalates(sandbox, core_for, tmp_path):  # noqa: F811
    server = sandbox(shops=2, rate=40, seed=9)
    core = core_for(server)
    desk = core.desk
    desk.sign_in(desk.home_seat_id).result(10)

    def chat_with_order():
        for cid in desk.conversation_ids(InboxFilter()):
            if desk.orders_for_conversation(cid):
                return cid
        return None

    cid = wait_until(chat_with_order, 90)
    library = desk.phrases(cid)
    assert len(library) == len(default_library())
    assert sorted(p.slot for p in library if p.slot) == list(range(1, 10))
    row = desk.conversation_rows([cid])[cid]
    newest = desk.orders_for_conversation(cid)[0]
    values = desk.phrase_values(cid)
    assert (values["买家"], values["店铺"], values["订单号"]) == (
        row.buyer_nick, row.shop_name, newest.platform_order_id)
    paid = next(p for p in library if p.title == "付款成功")
    text, missing = render(paid.answers[0], values)
    assert newest.platform_order_id in text and f"{newest.total:.2f}" in text and not missing

    bargain = next(p for p in library if p.stage == "bargain" and len(p.answers) > 1)
    offered = []
    for _ in range(3):
        phrase = next(p for p in desk.phrases(cid) if p.id == bargain.id)
        offered.append(phrase.next_answer)
        desk.record_phrase_use(phrase.id, cid).result(10)
    assert offered == [0, 1, 2]

    # a shop's own version of a phrase answers in that shop's chats only
    own = desk.save_phrase(PhraseDraft("logistics", "发货时间", "本店今天17:00前付款当天发", team=True,
                                       shop_id=row.shop_id)).result(10)
    here = next(p for p in desk.phrases(cid) if p.title == "发货时间")
    assert (here.id, here.slot) == (own, 3)
    other = next((c for c in desk.conversation_ids(InboxFilter())
                  if desk.conversation_rows([c])[c].shop_id != row.shop_id), None)
    if other is not None:
        assert next(p for p in desk.phrases(other) if p.title == "发货时间").id != own

    path = tmp_path / "library.csv"
    assert desk.export_phrases_csv(str(path)).result(10) == len(default_library()) + 1
    report = desk.import_phrases_csv(str(path)).result(10)
    assert (report.added, report.updated, report.skipped) == (0, len(default_library()) + 1, ())
