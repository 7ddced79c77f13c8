"""The fake holds the wire rules of spec §5/§10 itself, checked with raw signed requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from desktop.sdk import Rejected, Temporary
from plugins.jd.fake import JdFake
from plugins.jd.protocol import ORDER_FIELDS, ORDER_SEARCH, ORDER_STATES_ASKED, format_time, signed_params
from plugins.jd.tests.jd_harness import START, Harness


def raw(fake: JdFake, business: dict[str, Any], *, method: str = ORDER_SEARCH, secret: str | None = None,
        timestamp: str | None = None, as_query: bool = False) -> dict[str, Any]:
    params = signed_params(method=method, business=business, app_key=fake.app_key,
                           app_secret=secret or fake.app_secret, access_token=fake.access_token,
                           timestamp=timestamp or format_time(fake.clock()))
    url = fake.url + "/routerjson"
    reply = httpx.get(url, params=params) if as_query else httpx.post(url, data=params)
    assert reply.status_code == 200
    body: dict[str, Any] = reply.json()
    return body


def search(**changes: Any) -> dict[str, Any]:
    business: dict[str, Any] = {
        "start_date": format_time(START - timedelta(days=1)), "end_date": format_time(START),
        "order_state": ",".join(ORDER_STATES_ASKED),
        "optional_fields": ",".join(ORDER_FIELDS), "page": "1", "page_size": "100", "dateType": 0}
    business.update(changes)
    return business


def result(body: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = body["jingdong_pop_order_search_responce"]["searchorderinfo_result"]
    return node


def test_a_search_is_served_by_form_or_query(jd_fake: JdFake) -> None:
    jd_fake.add_orders(4)
    for as_query in (False, True):
        body = raw(jd_fake, search(), as_query=as_query)
        assert body["jingdong_pop_order_search_responce"]["code"] == "0"
        assert result(body)["apiResult"]["success"] is True


def test_only_the_requested_fields_come_back(jd_fake: JdFake) -> None:
    jd_fake.add_orders(1)
    records = result(raw(jd_fake, search(optional_fields="orderId,orderState,modified")))["orderInfoList"]
    assert all(set(r) <= {"orderId", "orderState", "modified"} for r in records)


@pytest.mark.parametrize("changes, words", [
    ({"start_date": format_time(START - timedelta(days=32))}, "一个月"),
    ({"page_size": "101"}, "page_size"),
    ({"page": "0"}, "page"),
    ({"order_state": ""}, "必填"),
    ({"optional_fields": ""}, "必填"),
    ({"end_date": "2024/05/01"}, "格式"),
])
def test_search_rules_are_enforced(jd_fake: JdFake, changes: dict[str, Any], words: str) -> None:
    api = result(raw(jd_fake, search(**changes)))["apiResult"]
    assert api["success"] is False and words in api["chineseErrCode"]


def test_a_calendar_month_is_the_limit(jd_fake: JdFake) -> None:
    business = search(start_date="2024-02-29 10:00:00", end_date="2024-03-29 10:00:00")
    assert result(raw(jd_fake, business))["apiResult"]["success"] is True
    business = search(start_date="2024-01-31 10:00:00", end_date="2024-03-01 10:00:00")
    assert result(raw(jd_fake, business))["apiResult"]["success"] is False


@pytest.mark.parametrize("kwargs, code", [
    ({"secret": "wrong"}, "12"),
    ({"timestamp": "2024-05-01 10:06:01"}, "91"),
    ({"method": "jingdong.no.such.api"}, "15"),
])
def test_gateway_checks(jd_fake: JdFake, kwargs: dict[str, Any], code: str) -> None:
    body = raw(jd_fake, search(), **kwargs)
    assert body["error_response"]["code"] == code and body["error_response"]["zh_desc"]


def test_the_official_sample_timestamp_format_is_accepted(jd_fake: JdFake) -> None:
    body = raw(jd_fake, search(), timestamp="2024-05-01 10:00:00.683+0800")
    assert "error_response" not in body


def test_date_type_0_is_modified_time_and_1_is_creation(jd_fake: JdFake) -> None:
    jd_fake.add_orders(3)  # modified now, created 5 minutes to 10 hours ago
    last_minute = {"start_date": format_time(START - timedelta(minutes=1)), "end_date": format_time(START)}
    assert result(raw(jd_fake, search(**last_minute)))["orderTotal"] == 3
    assert result(raw(jd_fake, search(**last_minute, dateType=1)))["orderTotal"] == 0


def test_the_adapter_maps_a_window_refusal_and_a_garbled_reply(jd: Harness, jd_fake: JdFake) -> None:
    with pytest.raises(Rejected, match="history_days"):
        jd.call(lambda a: a.fetch_orders(None), history_days=400)
    jd_fake.garble(1)
    with pytest.raises(Temporary, match="malformed payload from JD: jingdong.pop.order.search reply is not JSON"):
        jd.call(lambda a: a.check_connection())
