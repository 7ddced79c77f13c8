"""The fake TOP gateway itself, checked against the spec over raw HTTP (section 2 and checklist 10)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from plugins.taobao.fake import FAKE_EPOCH as START
from plugins.taobao.fake import FakeClock, TaobaoFake
from plugins.taobao.protocol import TMC_CONFIRM, TMC_CONSUME, TMC_USER_PERMIT, format_time
from plugins.taobao.signing import signed


Call = Callable[..., dict[str, Any]]


@pytest.fixture
def call(fake: TaobaoFake, clock: FakeClock) -> Iterator[Call]:
    """`call(api, sign_method=…, tamper=…, get=False, no_session=False, **business)` → the decoded JSON reply."""
    with httpx.Client(timeout=5) as http:

        def go(api: str, *, sign_method: str = "md5", session: str | None = None, secret: str | None = None,
               tamper: Callable[[dict[str, str]], None] | None = None, get: bool = False, no_session: bool = False,
               **business: str) -> dict[str, Any]:
            params = {"method": api, "app_key": fake.app_key, "timestamp": format_time(clock()), "format": "json",
                      "v": "2.0", "sign_method": sign_method, "session": session or fake.access_token, **business}
            if no_session:
                del params["session"]
            params = signed(params, secret or fake.app_secret)
            if tamper is not None:
                tamper(params)
            url = str(fake.settings()["base_url"])
            reply = http.get(url, params=params) if get else http.post(url, data=params)
            assert reply.status_code == 200
            assert reply.headers["content-type"].startswith("application/json")
            data: dict[str, Any] = json.loads(reply.content.decode("utf-8"))
            return data

        yield go


def error(reply: dict[str, Any]) -> tuple[int, str, str]:
    e = reply["error_response"]
    assert "request_id" in e
    return e["code"], e["msg"], e.get("sub_code", "")


WINDOW = {"start_modified": "2024-05-01 09:30:00", "end_modified": "2024-05-01 10:00:00"}


def test_a_signed_call_gets_the_named_envelope_and_wrapped_arrays(fake: TaobaoFake, call: Call) -> None:
    tid = fake.add_orders(1)[0]
    reply = call("taobao.trades.sold.increment.get", fields="tid,modified,orders", **WINDOW)
    body = reply["trades_sold_increment_get_response"]
    assert body["total_results"] == 1 and "request_id" in body and "has_next" not in body
    trade = body["trades"]["trade"][0]
    assert str(trade["tid"]) == tid and set(trade) == {"tid", "modified", "orders"}
    assert isinstance(trade["orders"]["order"], list)
    full = call("taobao.trade.fullinfo.get", fields="tid,status,seller_memo", tid=tid, get=True)
    assert set(full["trade_fullinfo_get_response"]["trade"]) <= {"tid", "status", "seller_memo"}


@pytest.mark.parametrize("method", ["md5", "hmac", "hmac-sha256"])
def test_signatures_are_verified(call: Call, method: str) -> None:
    assert "trades_sold_increment_get_response" in call("taobao.trades.sold.increment.get", sign_method=method,
                                                        fields="tid", **WINDOW)
    assert error(call("taobao.trades.sold.increment.get", sign_method=method, secret="f" * 32,
                      fields="tid", **WINDOW))[:2] == (25, "Invalid signature")

    def change(params: dict[str, str]) -> None:
        params["page_size"] = "2"  # sent but not signed

    assert error(call("taobao.trades.sold.increment.get", sign_method=method, tamper=change, fields="tid",
                      **WINDOW))[0] == 25


def test_gateway_checks(fake: TaobaoFake, call: Call, clock: FakeClock) -> None:
    def drop(name: str) -> Callable[[dict[str, str]], None]:
        def go(params: dict[str, str]) -> None:
            del params[name]
        return go

    api = "taobao.trades.sold.increment.get"
    assert error(call(api, tamper=drop("sign"), fields="tid", **WINDOW))[0] == 24
    assert error(call(api, tamper=lambda p: p.update(app_key="1"), fields="tid", **WINDOW))[:2] == (29, "Invalid app Key")
    assert error(call("taobao.nothing.here", fields="tid"))[:2] == (22, "Invalid method")
    assert error(call(api, session="nope", fields="tid", **WINDOW)) == (27, "Invalid session", "session-expired")
    fake.clock = lambda: START + timedelta(minutes=10, seconds=1)
    assert error(call(api, fields="tid", **WINDOW))[:2] == (31, "Invalid timestamp")


def test_increment_window_and_paging_rules(fake: TaobaoFake, call: Call) -> None:
    api = "taobao.trades.sold.increment.get"
    day = {"start_modified": "2024-04-30 10:00:00", "end_modified": "2024-05-01 10:00:00"}
    assert "trades_sold_increment_get_response" in call(api, fields="tid", **day)
    too_long = {**day, "start_modified": "2024-04-30 09:59:59"}
    assert error(call(api, fields="tid", **too_long))[2] == "isv.invalid-parameter:end_modified"
    backwards = {"start_modified": "2024-05-01 10:00:00", "end_modified": "2024-05-01 10:00:00"}
    assert error(call(api, fields="tid", **backwards))[2] == "isv.invalid-parameter:end_modified"
    assert error(call(api, fields="tid", page_size="101", **WINDOW))[2] == "isv.invalid-parameter:page_size"
    assert error(call(api, fields="tid", page_no="0", **WINDOW))[2] == "isv.invalid-parameter:page_no"
    assert error(call(api, **WINDOW))[2] == "isv.missing-parameter:fields"

    fake.add_orders(5, at=START - timedelta(minutes=20))
    newest = fake.add_orders(1, at=START - timedelta(minutes=1))[0]
    fake.add_orders(1, at=START - timedelta(hours=2))  # outside the window
    page = call(api, fields="tid,modified", page_size="4", **WINDOW)["trades_sold_increment_get_response"]
    assert page["total_results"] == 6 and str(page["trades"]["trade"][0]["tid"]) == newest  # newest first
    modified = [t["modified"] for t in page["trades"]["trade"]]
    assert modified == sorted(modified, reverse=True)
    nxt = call(api, fields="tid", page_size="4", page_no="2", use_has_next="true", **WINDOW)
    body = nxt["trades_sold_increment_get_response"]
    assert body["has_next"] is False and "total_results" not in body and len(body["trades"]["trade"]) == 2
    empty = call(api, fields="tid", page_no="9", **WINDOW)["trades_sold_increment_get_response"]
    assert "trades" not in empty


def test_memo_update_add_and_limits(fake: TaobaoFake, call: Call, clock: FakeClock) -> None:
    tid = fake.add_orders(1)[0]
    clock.advance(seconds=10)
    reply = call("taobao.trade.memo.update", tid=tid, memo="已联系买家", flag="3")
    assert reply["trade_memo_update_response"]["trade"] == {"tid": int(tid), "modified": format_time(clock())}
    assert fake.memo(tid) == ("已联系买家", 3)
    call("taobao.trade.memo.update", tid=tid, flag="5")  # no memo: the memo stays
    assert fake.memo(tid) == ("已联系买家", 5)
    call("taobao.trade.memo.update", tid=tid, reset="true")  # reset clears; flag back to its default 0
    assert fake.memo(tid) == ("", 0)
    assert error(call("taobao.trade.memo.update", tid=tid, memo="备" * 334))[2] == "isv.invalid-parameter:memo"
    assert error(call("taobao.trade.memo.update", tid=tid, flag="6"))[2] == "isv.invalid-parameter:flag"
    assert "trade_memo_add_response" in call("taobao.trade.memo.add", tid=tid, memo="首次备注", flag="1")
    assert error(call("taobao.trade.memo.add", tid=tid, memo="再来一次", flag="1"))[2] == "isv.memo-exist"


def test_fault_switches(fake: TaobaoFake, call: Call) -> None:
    fake.limit_calls(1)
    limited = call("taobao.trades.sold.increment.get", fields="tid", **WINDOW)["error_response"]
    assert (limited["code"], limited["sub_code"]) == (7, "accesscontrol.limited-by-app-access-count")
    assert limited["sub_msg"] == "This ban will last for 3 more seconds"
    fake.fail(1)
    assert error(call("taobao.trades.sold.increment.get", fields="tid", **WINDOW))[2].startswith("isp.")
    fake.expire_token()
    assert error(call("taobao.trades.sold.increment.get", fields="tid", **WINDOW))[0] == 27
    with pytest.raises(NotImplementedError):
        fake.add_messages(1)


def test_the_authorize_page_redirects_with_code_and_state(fake: TaobaoFake) -> None:
    good = {"response_type": "code", "client_id": fake.app_key, "redirect_uri": "http://127.0.0.1/cb?a=1",
            "state": "xyz", "view": "web"}
    reply = httpx.get(f"{fake.url}/authorize", params=good)
    assert reply.status_code == 302 and reply.headers["location"].startswith("http://127.0.0.1/cb?a=1&code=")
    assert reply.headers["location"].endswith("&state=xyz")
    assert httpx.get(f"{fake.url}/authorize", params={**good, "client_id": "x"}).status_code == 400


# -- TMC (spec 2.7) ---------------------------------------------------------------------------

def messages(reply: dict[str, Any]) -> list[dict[str, Any]]:
    body = reply["tmc_messages_consume_response"]
    assert "request_id" in body
    return list(body["messages"]["tmc_message"]) if "messages" in body else []


def test_tmc_permit_consume_confirm_and_redelivery(fake: TaobaoFake, call: Call, clock: FakeClock) -> None:
    tid = fake.add_orders(1)[0]
    fake.touch_order(tid)  # before the permit: no message
    assert messages(call(TMC_CONSUME, no_session=True)) == []
    assert call(TMC_USER_PERMIT)["tmc_user_permit_response"]["is_success"] is True
    clock.advance(seconds=1)
    fake.touch_order(tid)  # paid → shipped
    got = messages(call(TMC_CONSUME, quantity="10", no_session=True))  # app-level: no session
    assert len(got) == 1
    m = got[0]
    assert set(m) == {"id", "topic", "pub_time", "pub_app_key", "user_id", "user_nick", "content"}
    assert (m["topic"], str(m["user_id"]), m["user_nick"]) == ("taobao_trade_TradeSellerShip",
                                                               fake.platform_shop_id, fake.seller_nick)
    assert isinstance(m["id"], int) and m["pub_time"] == format_time(clock())
    content = json.loads(m["content"])  # a JSON string, the spec's trade example
    assert str(content["tid"]) == tid and set(content) == {"buyer_nick", "payment", "oid", "tid", "type",
                                                           "seller_nick"}
    assert messages(call(TMC_CONSUME, no_session=True)) == []  # handed out: hidden for a while
    clock.advance(seconds=fake.tmc.visibility_s)
    assert [x["id"] for x in messages(call(TMC_CONSUME, no_session=True))] == [m["id"]]  # not confirmed: again
    assert fake.tmc.pending() == {str(m["id"]): 2}
    reply = call(TMC_CONFIRM, s_message_ids=f"{m['id']},42", no_session=True)  # unknown ids are no error
    assert reply["tmc_messages_confirm_response"]["is_success"] is True
    clock.advance(seconds=fake.tmc.visibility_s)
    assert messages(call(TMC_CONSUME, no_session=True)) == [] and fake.tmc.confirmed() == [str(m["id"])]


def test_tmc_consume_hands_out_at_most_quantity_in_order(fake: TaobaoFake, call: Call) -> None:
    ids = [fake.publish("taobao_trade_TradeChanged", '{"tid": 1}') for _ in range(15)]
    first = messages(call(TMC_CONSUME, quantity="10", no_session=True))
    rest = messages(call(TMC_CONSUME, quantity="10", no_session=True))
    assert [str(m["id"]) for m in first + rest] == ids and len(first) == 10


def test_tmc_argument_checks(fake: TaobaoFake, call: Call) -> None:
    assert error(call(TMC_CONSUME, quantity="9"))[2] == "isv.invalid-parameter:quantity"
    assert error(call(TMC_CONSUME, quantity="201"))[2] == "isv.invalid-parameter:quantity"
    assert error(call(TMC_CONFIRM))[2] == "isv.missing-parameter:s_message_ids"
    too_many = ",".join(str(i) for i in range(201))
    assert error(call(TMC_CONFIRM, s_message_ids=too_many))[2] == "isv.invalid-parameter:s_message_ids"
    # a group name when the app has no user groups is refused (consume's doc)
    assert error(call(TMC_CONSUME, group_name="default"))[2] == "isv.invalid-parameter:group_name"
    assert error(call(TMC_USER_PERMIT, no_session=True))[:2] == (26, "Missing session")
    assert error(call(TMC_CONSUME, secret="f" * 32))[:2] == (25, "Invalid signature")


def test_tmc_groups_route_users(fake: TaobaoFake, call: Call) -> None:
    fake.tmc.add_group("shop-a", {fake.seller_nick})
    mine = fake.publish("taobao_trade_TradeChanged", '{"tid": 1}')
    other = fake.publish("taobao_trade_TradeChanged", '{"tid": 2}', user_id="2201234567890", user_nick="别家小店")
    assert [str(m["id"]) for m in messages(call(TMC_CONSUME, group_name="shop-a"))] == [mine]
    assert [str(m["id"]) for m in messages(call(TMC_CONSUME, group_name="default"))] == [other]
    assert [str(m["id"]) for m in messages(call(TMC_CONSUME))] == []  # the default group, already handed out
    call(TMC_CONFIRM, s_message_ids=mine)  # confirm reads the default group: not this one
    assert mine in fake.tmc.pending()
    call(TMC_CONFIRM, s_message_ids=mine, group_name="shop-a")
    assert mine not in fake.tmc.pending()
    assert error(call(TMC_CONSUME, group_name="shop-b"))[2] == "isv.invalid-parameter:group_name"


def test_tmc_permit_topics_overwrite_the_list(fake: TaobaoFake, call: Call) -> None:
    tid = fake.add_orders(1)[0]  # WAIT_BUYER_PAY
    call(TMC_USER_PERMIT, topics="taobao_trade_TradeSellerShip")
    fake.touch_order(tid)  # pays: TradeBuyerPay is not in the list
    assert fake.tmc.pending() == {}
    fake.touch_order(tid)  # ships
    assert [m["topic"] for m in messages(call(TMC_CONSUME))] == ["taobao_trade_TradeSellerShip"]


def test_memo_changes_and_refunds_are_announced(fake: TaobaoFake, call: Call) -> None:
    call(TMC_USER_PERMIT)
    tid = fake.add_orders(1)[0]
    call("taobao.trade.memo.update", tid=tid, memo="加急", flag="1")
    for _ in range(3):
        fake.touch_order(tid)  # pay, ship, finish
    fake.touch_order(tid)  # after-sale: a refund
    got = messages(call(TMC_CONSUME))
    assert [m["topic"] for m in got] == [
        "taobao_trade_TradeCreate", "taobao_trade_TradeMemoModified", "taobao_trade_TradeBuyerPay",
        "taobao_trade_TradeSellerShip", "taobao_trade_TradeSuccess", "taobao_refund_RefundCreated"]
    refund = json.loads(got[-1]["content"])
    assert str(refund["tid"]) == tid and {"refund_id", "oid", "refund_fee"} <= set(refund)


def test_an_app_without_tmc_rights_gets_code_11(fake: TaobaoFake, call: Call) -> None:
    fake.tmc.rights = False
    for api in (TMC_USER_PERMIT, TMC_CONSUME, TMC_CONFIRM):
        assert error(call(api, s_message_ids="1")) == (11, "Insufficient isv permissions",
                                                       "isv.permission-api-package-limit")
