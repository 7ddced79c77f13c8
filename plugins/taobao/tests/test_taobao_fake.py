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
from plugins.taobao.protocol import format_time
from plugins.taobao.signing import signed


Call = Callable[..., dict[str, Any]]


@pytest.fixture
def call(fake: TaobaoFake, clock: FakeClock) -> Iterator[Call]:
    """`call(api, sign_method=…, tamper=…, get=False, **business)` → the decoded JSON reply."""
    with httpx.Client(timeout=5) as http:

        def go(api: str, *, sign_method: str = "md5", session: str | None = None, secret: str | None = None,
               tamper: Callable[[dict[str, str]], None] | None = None, get: bool = False,
               **business: str) -> dict[str, Any]:
            params = {"method": api, "app_key": fake.app_key, "timestamp": format_time(clock()), "format": "json",
                      "v": "2.0", "sign_method": sign_method, "session": session or fake.access_token, **business}
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
