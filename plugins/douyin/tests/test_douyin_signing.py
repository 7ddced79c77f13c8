"""Doudian signing and push verification against the vectors of research §4.3 and §4.7, byte for byte."""

from __future__ import annotations

import pytest

from plugins.douyin.feed import search_params
from plugins.douyin.push import REPLY_OK, event_sign, parse_push_body, verify_event_sign
from plugins.douyin.signing import param_json, sign, sign_pattern

APP_KEY, SECRET, TS = "1234567890123456789", "testsecret", 1700000000

SEARCH_JSON = ('{"order_by":"update_time","page":0,"size":10,'
               '"update_time_end":1700001800,"update_time_start":1700000000}')
REMARK_JSON = '{"is_add_star":"true","order_id":"6920000000000000001","remark":"客户要求加急","star":"5"}'

# DERIVED vectors (research §4.3): app_key 1234567890123456789, secret testsecret, timestamp 1700000000
VECTORS = [
    ("order.searchList", SEARCH_JSON, "cd58d515f999ad9c1a9d0fdab796da60a78633995ce5fde94cc480eaa63e4525"),
    ("order.addOrderRemark", REMARK_JSON, "7ab7e41af23bb0b1a032a99c7b005c037786d3bf0dba5c706fcd9445ed0449f8"),
]


@pytest.mark.parametrize(("method", "text", "expected"), VECTORS)
def test_hmac_sha256_vectors(method: str, text: str, expected: str) -> None:
    assert sign(APP_KEY, SECRET, method, text, TS) == expected
    assert sign(APP_KEY, SECRET, method, text, str(TS), "hmac-sha256") == expected


def test_signed_string_of_the_first_vector() -> None:
    assert sign_pattern(APP_KEY, SECRET, "order.searchList", SEARCH_JSON, TS) == (
        "testsecretapp_key1234567890123456789methodorder.searchListparam_json"
        '{"order_by":"update_time","page":0,"size":10,"update_time_end":1700001800,'
        '"update_time_start":1700000000}timestamp1700000000v2testsecret'
    )


def test_legacy_md5_vector() -> None:
    assert sign(APP_KEY, SECRET, "order.searchList", SEARCH_JSON, TS, "md5") == "51af9449562feb88bfe9602c4bb94545"


def test_unknown_sign_method_is_refused() -> None:
    with pytest.raises(ValueError, match="sign_method"):
        sign(APP_KEY, SECRET, "order.searchList", "{}", TS, "sha1")


def test_the_vectors_param_json_is_what_the_adapter_builds() -> None:
    assert param_json(search_params(1700000000, 1700001800, 0, 10)) == SEARCH_JSON
    remark = {"remark": "客户要求加急", "star": "5", "order_id": "6920000000000000001", "is_add_star": "true"}
    assert param_json(remark) == REMARK_JSON


@pytest.mark.parametrize(("params", "expected"), [
    ({}, "{}"),
    ({"b": 1, "a": {"d": [{"z": 1, "y": 2}], "c": None}}, '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}'),
    ({"t": "<a href='x'>&</a>"}, '{"t":"<a href=\'x\'>&</a>"}'),  # Go: SetEscapeHTML(false)
    ({"t": "备注 ✓ 😀"}, '{"t":"备注 ✓ 😀"}'),  # no \\u escapes for non-ASCII
    ({"t": 'q"\\\n\t'}, '{"t":"q\\"\\\\\\n\\t"}'),
    ({"t": "\u2028\u2029"}, '{"t":"\\u2028\\u2029"}'),  # Go escapes the JS line separators
    ({"t": "\x01\x1f"}, '{"t":"\\u0001\\u001f"}'),
    ({"ok": True, "no": False, "n": 6920000000000000001}, '{"n":6920000000000000001,"no":false,"ok":true}'),
    ({"B": 1, "a": 2, "_": 3, "中": 4}, '{"B":1,"_":3,"a":2,"中":4}'),  # byte order, as Go sorts map keys
])
def test_param_json_canonical_form(params: dict[str, object], expected: str) -> None:
    assert param_json(params) == expected


@pytest.mark.parametrize("bad", [{"x": 1.5}, {"x": [1.0]}, {"x": {1, 2}}, {"x": {1: "a"}}])
def test_param_json_refuses_what_go_would_print_differently(bad: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        param_json(bad)


# DERIVED vector (research §4.7)
PUSH_BODY = (b'[{"tag":"113","msg_id":"7000000000000000001","data":"{\\"p_id\\":6920000000000000001,'
             b'\\"remark\\":\\"x\\",\\"shop_id\\":1,\\"star\\":5,\\"update_time\\":1700000000}"}]')
PUSH_SIGN = "f23b65b718c79d98ea2379d6f79f470b"


def test_event_sign_vector() -> None:
    assert event_sign(APP_KEY, SECRET, PUSH_BODY) == PUSH_SIGN


@pytest.mark.parametrize(("body", "header", "ok"), [
    (PUSH_BODY, PUSH_SIGN, True),
    (PUSH_BODY, PUSH_SIGN.upper(), True),  # hex is hex
    (PUSH_BODY, f" {PUSH_SIGN}\r\n", True),
    (PUSH_BODY.replace(b'\\"x\\"', b'\\"y\\"'), PUSH_SIGN, False),  # tampered body
    (PUSH_BODY + b"\n", PUSH_SIGN, False),  # the raw bytes count, not the parsed JSON
    (PUSH_BODY, PUSH_SIGN[:-1] + "0", False),
    (PUSH_BODY, "", False),
    (PUSH_BODY, None, False),
    (PUSH_BODY, "签名", False),
])
def test_verify_event_sign(body: bytes, header: str | None, ok: bool) -> None:
    assert verify_event_sign(APP_KEY, SECRET, body, header) is ok


def test_event_sign_needs_both_credentials() -> None:
    assert not verify_event_sign("", SECRET, PUSH_BODY, PUSH_SIGN)
    assert not verify_event_sign(APP_KEY, "", PUSH_BODY, PUSH_SIGN)
    assert not verify_event_sign(APP_KEY, "othersecret", PUSH_BODY, PUSH_SIGN)


def test_push_body_parses_into_messages() -> None:
    [message] = parse_push_body(PUSH_BODY)
    assert (message.tag, message.msg_id) == ("113", "7000000000000000001")
    assert message.data == {"p_id": 6920000000000000001, "remark": "x", "shop_id": 1, "star": 5,
                            "update_time": 1700000000}
    assert REPLY_OK == b'{"code":0,"msg":"success"}'


@pytest.mark.parametrize("body", [b"{}", b"[1]", b'[{"tag":113,"msg_id":"1","data":"{}"}]',
                                  b'[{"tag":"113","msg_id":"1","data":"[]"}]', b"\xff", b"[{"])
def test_bad_push_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_push_body(body)
