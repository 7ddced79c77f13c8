"""Signing, cursors and time formats of the sandbox wire protocol (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.sdk.signing import sorted_concat
from plugins.sandbox.protocol import (
    SHANGHAI,
    decode_cursor,
    encode_cursor,
    format_tb_time,
    parse_tb_time,
    sign,
    signed_params,
)

BASE = {"app_key": "12345678", "shop_id": "736918317824", "access_token": "tok", "timestamp": "1700000000"}

# Pinned once (and cross-checked with `openssl dgst -sha256 -hmac`); any change
# to the scheme breaks every deployed sandbox client, so these must not move.
SIGN_VECTORS = [
    pytest.param(
        BASE,
        "secret",
        "access_tokentokapp_key12345678shop_id736918317824timestamp1700000000",
        "41c57f0020fba1e25cd5ef4c964be9efd4506b9cc277045673b12e5ebea45a2f",
        id="auth-only",
    ),
    pytest.param(
        {**BASE, "cursor": "eyJrIjoibWVzc2FnZXMiLCJzIjoxMH0", "limit": "100"},
        "d51429aaa139368f3dd9a660b268a229",
        "access_tokentokapp_key12345678cursoreyJrIjoibWVzc2FnZXMiLCJzIjoxMH0limit100"
        "shop_id736918317824timestamp1700000000",
        "fa28fe6a7d7e80735c12ed0a7004ef698a701c086ccd18cbce827965d1fc15a4",
        id="feed-query",
    ),
    pytest.param(
        {
            "app_key": "50380037",
            "shop_id": "54031148",
            "access_token": "tok2",
            "timestamp": "1700000300",
            "body": '{"order_id":"6900020000000000001","memo":"客户要求顺丰 —— 小王","flag":1}',
        },
        "5ff8dcd56703e824b17febf9eaf42fb1",
        'access_tokentok2app_key50380037body{"order_id":"6900020000000000001","memo":"客户要求顺丰 —— 小王",'
        '"flag":1}shop_id54031148timestamp1700000300',
        "5d78ba0ca34daf23a06e22d5fa6305a67f0f6657e690466b53044d9d54247e91",
        id="post-body-utf8",
    ),
    pytest.param(
        {"a": "1", "cursor": "", "b": None, "sign": "ignored"},
        "k",
        "a1",
        "e4a8bbc3e2b59bfb4f1dcce0558c0a6c9bb09092c1eff46cbfca6022187c93af",
        id="empty-none-and-sign-skipped",
    ),
]


@pytest.mark.parametrize(("params", "secret", "concat", "expected"), SIGN_VECTORS)
def test_sign_matches_pinned_vectors(params: dict[str, object], secret: str, concat: str, expected: str) -> None:
    assert sorted_concat(params) == concat
    assert sign(params, secret) == expected


def test_signed_params_signs_the_body_but_does_not_send_it() -> None:
    common = dict(
        app_key="12345678", app_secret="secret", access_token="tok", shop_id="736918317824", timestamp=1700000000
    )
    without = signed_params(**common)  # type: ignore[arg-type]
    assert without["sign"] == "41c57f0020fba1e25cd5ef4c964be9efd4506b9cc277045673b12e5ebea45a2f"
    with_body = signed_params(**common, body='{"x":1}')  # type: ignore[arg-type]
    assert "body" not in with_body
    assert with_body["sign"] == sign({**BASE, "body": '{"x":1}'}, "secret") != without["sign"]


def test_signed_params_stringifies_and_drops_none() -> None:
    params = signed_params(
        app_key="k", app_secret="s", access_token="t", shop_id="1", timestamp=5, query={"limit": 10, "cursor": None}
    )
    assert params == {
        "limit": "10",
        "app_key": "k",
        "shop_id": "1",
        "access_token": "t",
        "timestamp": "5",
        "sign": sign({"limit": "10", "app_key": "k", "shop_id": "1", "access_token": "t", "timestamp": "5"}, "s"),
    }


@pytest.mark.parametrize("seq", [0, 1, 499, 10**9])
def test_cursor_round_trips_and_is_opaque(seq: int) -> None:
    cursor = encode_cursor("messages", seq)
    assert decode_cursor("messages", cursor) == seq
    assert not cursor.isdigit()  # not a bare number a client could do arithmetic on
    assert "=" not in cursor and "+" not in cursor and "/" not in cursor  # URL-safe as is


@pytest.mark.parametrize(
    "cursor",
    ["", "not-base64!!", "bnVsbA", encode_cursor("orders", 3), "eyJrIjoibWVzc2FnZXMiLCJzIjotMX0"],
    ids=["empty", "garbage", "json-null", "wrong-kind", "negative"],
)
def test_decode_cursor_rejects_foreign_cursors(cursor: str) -> None:
    with pytest.raises(ValueError):
        decode_cursor("messages", cursor)


def test_tb_time_is_shanghai_local_and_round_trips() -> None:
    ms = int(datetime(2026, 11, 23, 16, 30, 5, tzinfo=UTC).timestamp() * 1000)
    assert format_tb_time(ms) == "2026-11-24 00:30:05"
    parsed = parse_tb_time("2026-11-24 00:30:05")
    assert parsed.utcoffset() == SHANGHAI.utcoffset(None)
    assert parsed.timestamp() * 1000 == ms
    with pytest.raises(ValueError):
        parse_tb_time("2026/11/24 00:30")
