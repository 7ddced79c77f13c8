"""The published JOS signing vectors (research/platform-apis.md §5.3), byte for byte."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from plugins.jd.protocol import CST, format_time, param_json, parse_time, sign, signed_params

SECRET = "yourappSecret"
# VERIFIED-IN-SOURCE: JD's dev guide (open.jd.com/v2/#/doc/dev-guide?listId=2643)
OFFICIAL_JSON = ('{"end_date":null,"optional_fields":null,"order_state":"WAIT_SELLER_STOCK_OUT",'
                 '"page":"1","page_size":"200","start_date":null}')
OFFICIAL = {
    "360buy_param_json": OFFICIAL_JSON, "access_token": "yourtoken", "app_key": "yourappkey",
    "method": "jingdong.pop.order.search", "timestamp": "2021-05-07 09:20:39.683+0800", "v": "2.0",
}
# DERIVED: the remark call, same algorithm
REMARK_JSON = '{"flag":1,"order_id":123456789,"remark":"客户要求顺丰"}'
REMARK = {
    "360buy_param_json": REMARK_JSON, "access_token": "yourtoken", "app_key": "yourappkey",
    "method": "jingdong.pop.order.modifyVenderRemark", "timestamp": "2024-05-01 10:00:00", "v": "2.0",
}


def test_official_dev_guide_vector() -> None:
    assert sign(OFFICIAL, SECRET) == "D70825340F4084360B9362B60DFD7930"


def test_derived_remark_vector() -> None:
    assert sign(REMARK, SECRET) == "396A88ACA172C7AE7001588689A8D4C4"


def test_param_json_reproduces_both_vectors_from_dicts() -> None:
    official = {"page_size": "200", "page": "1", "order_state": "WAIT_SELLER_STOCK_OUT",
                "start_date": None, "end_date": None, "optional_fields": None}
    assert param_json(official) == OFFICIAL_JSON
    assert param_json({"remark": "客户要求顺丰", "order_id": 123456789, "flag": 1}).encode() == REMARK_JSON.encode()


def test_signed_params_match_the_remark_vector_end_to_end() -> None:
    params = signed_params(method="jingdong.pop.order.modifyVenderRemark",
                           business={"order_id": 123456789, "remark": "客户要求顺丰", "flag": 1},
                           app_key="yourappkey", app_secret=SECRET, access_token="yourtoken",
                           timestamp="2024-05-01 10:00:00")
    assert params["sign"] == "396A88ACA172C7AE7001588689A8D4C4"
    assert params["v"] == "2.0" and params["360buy_param_json"] == REMARK_JSON


def test_the_sign_param_itself_is_not_signed_and_any_change_breaks_it() -> None:
    assert sign({**OFFICIAL, "sign": "ANYTHING"}, SECRET) == "D70825340F4084360B9362B60DFD7930"
    assert sign({**OFFICIAL, "timestamp": "2021-05-07 09:20:40.683+0800"}, SECRET) != "D70825340F4084360B9362B60DFD7930"
    assert sign(OFFICIAL, "yourappsecret") != "D70825340F4084360B9362B60DFD7930"


def test_timestamps_are_beijing_wall_time() -> None:
    assert format_time(datetime(2024, 5, 1, 2, 0, 0, tzinfo=UTC)) == "2024-05-01 10:00:00"
    with pytest.raises(ValueError):
        format_time(datetime(2024, 5, 1, 2, 0, 0))


@pytest.mark.parametrize("text, expected", [
    ("2024-05-01 10:00:00", datetime(2024, 5, 1, 10, 0, 0, tzinfo=CST)),
    ("2021-05-07 09:20:39.683+0800", datetime(2021, 5, 7, 9, 20, 39, 683000, tzinfo=CST)),
    ("2021-05-07 09:20:39+0000", datetime(2021, 5, 7, 9, 20, 39, tzinfo=UTC)),
])
def test_parse_time(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


def test_parse_time_refuses_junk() -> None:
    for text in ("2024/05/01 10:00:00", "2024-05-01", "2024-05-01 10:00:00 trailing"):
        with pytest.raises(ValueError):
            parse_time(text)
    assert parse_time("2024-05-01 10:00:00").utcoffset() == timezone(timedelta(hours=8)).utcoffset(None)
