"""The fake gateway speaks the wire protocol of research §3 / §10: raw signed requests,
exact envelopes, the increment and note rules, realistic seed data."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from desktop.sdk.testing import FakePlatform
from plugins.pinduoduo.fake import PARAM_ERROR, ManualClock, PinduoduoFake

T0 = 1_714_528_800


@pytest.fixture
def fake() -> Iterator[PinduoduoFake]:
    with PinduoduoFake(clock=ManualClock(T0)) as fake:
        yield fake


def signed(fake: PinduoduoFake, api: str, secret: str | None = None, token: bool = True,
           **business: str) -> dict[str, str]:
    params = {"type": api, "client_id": fake.client_id, "timestamp": str(T0), "data_type": "JSON",
              **({"access_token": fake.access_token} if token else {}), **business}
    key = fake.client_secret if secret is None else secret
    text = key + "".join(k + params[k] for k in sorted(params)) + key
    return {**params, "sign": hashlib.md5(text.encode()).hexdigest().upper()}


def post(fake: PinduoduoFake, params: dict[str, Any], *, as_json: bool = False) -> Any:
    if as_json:
        response = httpx.post(fake.url, json=params)
    else:
        response = httpx.post(fake.url, data=params)
    assert response.status_code == 200
    return json.loads(response.content, parse_float=Decimal)


def increment(fake: PinduoduoFake, start: int = T0 - 1800, end: int = T0, **more: Any) -> dict[str, str]:
    business: dict[str, Any] = {"order_status": "5", "refund_status": "5", **more}
    return signed(fake, "pdd.order.number.list.increment.get", start_updated_at=str(start),
                  end_updated_at=str(end), **business)


def error_code(reply: Any) -> int:
    assert set(reply) == {"error_response"}
    error = reply["error_response"]
    assert set(error) == {"error_code", "error_msg", "sub_code", "sub_msg", "request_id"}
    return int(error["error_code"])


def test_it_is_a_fake_platform(fake: PinduoduoFake) -> None:
    assert isinstance(fake, FakePlatform)
    assert fake.settings()["base_url"] == fake.url and fake.url.endswith("/api/router")
    assert set(fake.secrets()) == {"client_id", "client_secret", "access_token", "refresh_token"}


def test_a_signed_form_call(fake: PinduoduoFake) -> None:
    fake.add_orders(3)
    reply = post(fake, increment(fake))
    body = reply["order_sn_increment_get_response"]
    assert body["total_count"] == 3 and len(body["order_sn_list"]) == 3 and "has_next" not in body


def test_a_json_body_is_signed_over_its_values_as_text(fake: PinduoduoFake) -> None:
    fake.add_orders(2)
    params = increment(fake, page="1", page_size="100", use_has_next="true")
    typed: dict[str, Any] = {**params, "page": 1, "page_size": 100, "use_has_next": True,
                             "start_updated_at": T0 - 1800, "end_updated_at": T0}
    body = post(fake, typed, as_json=True)["order_sn_increment_get_response"]
    assert body == {"has_next": False, "order_sn_list": body["order_sn_list"]} and len(body["order_sn_list"]) == 2


@pytest.mark.parametrize(("change", "code"), [
    ({"sign": "0" * 32}, 20004),
    ({"note": "tampered"}, 20004),  # a parameter added after signing
    ({"client_id": "someone-else"}, 20004),
])
def test_signature_failures(fake: PinduoduoFake, change: dict[str, str], code: int) -> None:
    assert error_code(post(fake, {**increment(fake), **change})) == code


def test_a_wrong_secret_fails_the_signature(fake: PinduoduoFake) -> None:
    params = signed(fake, "pdd.order.information.get", secret="wrong", order_sn="x")
    assert error_code(post(fake, params)) == 20004


def test_timestamp_skew(fake: PinduoduoFake) -> None:
    fake.clock = ManualClock(T0 + 601)
    reply = post(fake, increment(fake))
    assert error_code(reply) == PARAM_ERROR and "timestamp" in reply["error_response"]["error_msg"]
    fake.clock = ManualClock(T0 + 600)
    assert "order_sn_increment_get_response" in post(fake, increment(fake))


def test_tokens(fake: PinduoduoFake) -> None:
    assert error_code(post(fake, signed(fake, "pdd.order.information.get", order_sn="x", access_token="nope"))) == 10019
    assert error_code(post(fake, {k: v for k, v in increment(fake).items() if k != "access_token"})) == 20004
    assert error_code(post(fake, signed(fake, "pdd.order.information.get", token=False, order_sn="x"))) == 10019
    fake.expire_token()
    assert error_code(post(fake, increment(fake))) == 10019


def test_faults(fake: PinduoduoFake) -> None:
    fake.limit_calls(1)
    assert error_code(post(fake, increment(fake))) == 70031
    fake.fail(1)
    assert error_code(post(fake, increment(fake))) == 50000
    fake.fail(1, "http")
    assert httpx.post(fake.url, data=increment(fake)).status_code == 502
    assert "order_sn_increment_get_response" in post(fake, increment(fake))


@pytest.mark.parametrize(("start", "end", "more", "ok"), [
    (T0 - 1800, T0, {}, True),
    (T0 - 1801, T0, {}, False),  # longer than 30 minutes
    (T0, T0 - 1, {}, False),
    (T0 - 60, T0, {"page_size": "100"}, True),
    (T0 - 60, T0, {"page_size": "101"}, False),
    (T0 - 60, T0, {"page": "0"}, False),
    (T0 - 60, T0, {"order_status": "4"}, False),
])
def test_increment_rules(fake: PinduoduoFake, start: int, end: int, more: dict[str, Any], ok: bool) -> None:
    reply = post(fake, increment(fake, start, end, **more))
    assert ("order_sn_increment_get_response" in reply) is ok, reply
    if not ok:
        assert error_code(reply) == PARAM_ERROR


def test_increment_pages_in_update_order(fake: PinduoduoFake) -> None:
    clock = ManualClock(T0 - 100)
    fake.clock = clock
    early = fake.add_orders(3)
    clock.t = T0
    late = fake.add_orders(2)
    pages = [post(fake, increment(fake, page=str(p), page_size="2"))["order_sn_increment_get_response"]
             for p in (1, 2, 3, 4)]
    assert [len(p["order_sn_list"]) for p in pages] == [2, 2, 1, 0] and {p["total_count"] for p in pages} == {5}
    listed = [o["order_sn"] for p in pages for o in p["order_sn_list"]]
    assert listed == sorted(early) + sorted(late)


def test_note_rules(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    note = "pdd.order.note.update"
    assert error_code(post(fake, signed(fake, note, order_sn=sn, note="x", tag="1"))) == PARAM_ERROR
    assert error_code(post(fake, signed(fake, note, order_sn=sn, note="x", tag_name="红色"))) == PARAM_ERROR
    assert error_code(post(fake, signed(fake, note, order_sn=sn, note="x", tag="1", tag_name="四个字符"))) == PARAM_ERROR
    assert error_code(post(fake, signed(fake, note, order_sn=sn, note="x", tag="0", tag_name="灰"))) == PARAM_ERROR
    assert post(fake, signed(fake, note, order_sn=sn, note="改发顺丰", tag="5", tag_name="紫色")) == \
        {"response": {"success": True}}
    assert fake.memo(sn) == ("改发顺丰", 5)
    refused = post(fake, signed(fake, note, order_sn="240501-000000000000000", note="x"))["response"]
    assert refused["success"] is False and refused["error_msg"] == "订单不存在"


def test_detail_and_unknown_apis(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    info = post(fake, signed(fake, "pdd.order.information.get", order_sn=sn))["order_info_get_response"]["order_info"]
    assert info["order_sn"] == sn
    assert error_code(post(fake, signed(fake, "pdd.order.list.get"))) == PARAM_ERROR
    assert httpx.post(fake.url.replace("/api/router", "/router"), data={}).status_code == 404


def test_seed_data_is_realistic(fake: PinduoduoFake) -> None:
    fake.add_orders(200)
    orders = list(fake.orders.values())
    assert {o["order_status"] for o in orders} == {1, 2, 3} and {o["refund_status"] for o in orders} == {1, 2, 3, 4}
    for o in orders:
        assert o["order_sn"][6] == "-" and len(o["order_sn"]) == 22
        assert "*" in o["receiver_name_mask"] and "****" in o["receiver_phone_mask"] and "*" in o["address_mask"]
        assert o["pay_amount"] == o["goods_amount"] - o["discount_amount"] + o["postage"]
        shipped = o["order_status"] != 1
        assert bool(o["tracking_number"]) is shipped and bool(o["receiver_name"]) is not shipped
        assert all(item["goods_count"] > 0 and item["goods_price"] > 0 for item in o["item_list"])
