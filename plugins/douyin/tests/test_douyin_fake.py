"""The Doudian fake itself holds to the spec: it is what the adapter's tests trust."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.sdk.testing import FakePlatform
from plugins.douyin.fake import DouyinFake
from plugins.douyin.signing import param_json, sign
from plugins.douyin.tests.douyin_harness import T0, Clock


@pytest.fixture
def shop() -> DouyinFake:
    return DouyinFake(clock=Clock())  # handle() is called directly: no server needed


def call(shop: DouyinFake, method: str, params: dict[str, Any], *, ts: int = T0, token: str | None = None,
         secret: str | None = None, **query: str) -> tuple[int, Any]:
    body = param_json(params)
    q = {"app_key": shop.app_key, "method": method, "v": "2", "timestamp": str(ts), "sign_method": "hmac-sha256",
         "sign": sign(shop.app_key, secret or shop.app_secret, method, body, ts)}
    if method not in ("token.create", "token.refresh"):
        q["access_token"] = shop.access_token if token is None else token
    q.update(query)
    return shop.handle("/" + method.replace(".", "/"), q, body)


def sub_code(reply: tuple[int, Any]) -> str:
    status, envelope = reply
    assert status == 200 and isinstance(envelope, dict)
    return str(envelope["sub_code"]) if envelope["code"] != 10000 else "ok"


def test_it_is_a_fake_platform(shop: DouyinFake) -> None:
    assert isinstance(shop, FakePlatform)
    with pytest.raises(NotImplementedError):
        shop.add_messages(1)


@pytest.mark.parametrize(("change", "expected"), [
    ({}, "ok"),
    ({"secret": "0" * 32}, "isv.signature-invalid"),
    ({"sign": ""}, "isv.signature-missing"),
    ({"app_key": "1"}, "isv.signature-invalid"),
    ({"ts": T0 - 601}, "isv.timestamp-invalid"),
    ({"ts": T0 + 600}, "ok"),
    ({"token": ""}, "isv.access-token-missing"),
    ({"token": "nope"}, "isv.access-token-no-existed"),
    ({"v": "1"}, "isv.parameter-format-invalid"),
    ({"sign_method": "sha1"}, "isv.parameter-format-invalid"),
])
def test_system_parameters_are_checked(shop: DouyinFake, change: dict[str, Any], expected: str) -> None:
    params = {"page": 0, "size": 1, "update_time_start": T0 - 60, "update_time_end": T0}
    assert sub_code(call(shop, "order.searchList", params, **change)) == expected


def test_the_sign_is_checked_over_the_raw_body(shop: DouyinFake) -> None:
    body = '{"page":0,"size":1}'
    q = {"app_key": shop.app_key, "method": "order.searchList", "v": "2", "timestamp": str(T0),
         "sign_method": "hmac-sha256", "access_token": shop.access_token,
         "sign": sign(shop.app_key, shop.app_secret, "order.searchList", body, T0)}
    assert sub_code(shop.handle("/order/searchList", q, body)) == "ok"
    assert sub_code(shop.handle("/order/searchList", q, '{"size":1,"page":0}')) == "isv.signature-invalid"
    assert sub_code(shop.handle("/order/orderDetail", q, body)) == "isv.parameter-format-invalid"  # path ≠ method


@pytest.mark.parametrize(("params", "expected"), [
    ({"page": 0, "size": 100}, "ok"),
    ({"page": 0, "size": 101}, "isv.parameter-format-invalid"),
    ({"page": -1, "size": 10}, "isv.parameter-format-invalid"),
    ({"page": "0", "size": 10}, "isv.parameter-format-invalid"),
    ({"page": 0, "size": 10, "order_by": "pay_time"}, "isv.parameter-format-invalid"),
])
def test_search_list_paging_rules(shop: DouyinFake, params: dict[str, Any], expected: str) -> None:
    assert sub_code(call(shop, "order.searchList", params)) == expected


def test_search_list_filters_inclusively_and_sorts_newest_first(shop: DouyinFake) -> None:
    ids = shop.add_orders(5)
    for offset, order_id in enumerate(ids):
        shop.set_order_time(order_id, T0 - 10 * offset)
    _, reply = call(shop, "order.searchList", {"order_by": "update_time", "page": 0, "size": 10,
                                               "update_time_start": T0 - 30, "update_time_end": T0 - 10})
    assert reply["data"]["total"] == 3
    assert [o["order_id"] for o in reply["data"]["shop_order_list"]] == ids[1:4]


@pytest.mark.parametrize(("params", "expected"), [
    ({"remark": "好", "is_add_star": "true", "star": "5"}, "ok"),
    ({"remark": "好", "is_add_star": "true", "star": 5}, "isv.parameter-format-invalid"),  # star is a string
    ({"remark": "好", "is_add_star": True, "star": "5"}, "isv.parameter-format-invalid"),
    ({"remark": "好", "is_add_star": "true", "star": "6"}, "isv.parameter-format-invalid"),
    ({"remark": "备" * 61}, "isv.parameter-format-invalid"),
    ({"remark": "备" * 60}, "ok"),
])
def test_add_order_remark_types_and_limits(shop: DouyinFake, params: dict[str, Any], expected: str) -> None:
    order_id = shop.add_orders(1)[0]
    assert sub_code(call(shop, "order.addOrderRemark", {"order_id": order_id, **params})) == expected


def test_a_remark_without_star_keeps_the_star(shop: DouyinFake) -> None:
    order_id = shop.add_orders(1)[0]
    call(shop, "order.addOrderRemark", {"order_id": order_id, "remark": "一", "is_add_star": "true", "star": "3"})
    call(shop, "order.addOrderRemark", {"order_id": order_id, "remark": "二", "is_add_star": "false"})
    assert shop.memo(order_id) == ("二", 3)


def test_faults(shop: DouyinFake) -> None:
    params = {"page": 0, "size": 1}
    shop.limit_calls(1)
    assert sub_code(call(shop, "order.searchList", params)) == "isv.traffic-limited"
    shop.fail(1)
    assert sub_code(call(shop, "order.searchList", params)) == "dop.service-error"
    shop.fail(1, "http")
    assert call(shop, "order.searchList", params)[0] == 502
    shop.expire_token()
    assert sub_code(call(shop, "order.searchList", params)) == "isv.access-token-expired"
    assert sub_code(call(shop, "order.searchList", params)) == "isv.access-token-expired"
