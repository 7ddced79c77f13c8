"""The spec's signing vectors (section 2.3), byte for byte, and the fake agreeing with them."""

from __future__ import annotations

import pytest

from plugins.taobao.fake import expected_sign
from plugins.taobao.signing import sign, sign_base, signed

SECRET = "helloworld"
BASE = {
    "method": "taobao.item.seller.get",
    "app_key": "12345678",
    "session": "test",
    "timestamp": "2016-01-01 12:00:00",
    "format": "json",
    "v": "2.0",
    "fields": "num_iid,title,nick,price,num",
    "num_iid": "11223344",
}
S_PREFIX = "app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344sessiontest"
S_SUFFIX = "timestamp2016-01-01 12:00:00v2.0"

VECTORS = [
    # sign_method, sign, status in the spec
    ("md5", "66987CB115214E59E6EC978214934FB8"),  # VERIFIED-IN-SOURCE (open.taobao.com docId=101617)
    ("hmac", "D56D7858309C31B6251083A874D48273"),  # DERIVED
    ("hmac-sha256", "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8"),  # DERIVED
]


@pytest.mark.parametrize(("method", "expected"), VECTORS)
def test_published_vectors(method: str, expected: str) -> None:
    params = {**BASE, "sign_method": method}
    assert sign_base(params) == f"{S_PREFIX}sign_method{method}{S_SUFFIX}"
    assert sign(params, SECRET) == expected
    assert expected_sign(params, SECRET) == expected  # the fake computes it on its own


def test_utf8_business_params_vector() -> None:
    """DERIVED vector with Chinese memo text (taobao.trade.memo.update, hmac-sha256)."""
    params = {
        "method": "taobao.trade.memo.update",
        "app_key": "12345678",
        "session": "test",
        "timestamp": "2024-05-01 10:00:00",
        "format": "json",
        "v": "2.0",
        "tid": "1234567890123456",
        "memo": "客户要求顺丰",
        "flag": "1",
        "sign_method": "hmac-sha256",
    }
    assert sign_base(params) == (
        "app_key12345678flag1formatjsonmemo客户要求顺丰methodtaobao.trade.memo.updatesessiontest"
        "sign_methodhmac-sha256tid1234567890123456timestamp2024-05-01 10:00:00v2.0"
    )
    expected = "C1665FB3EBE4085F1115E902B1EF8B527A8CC59AE641A0BBF407A7E444CECA1E"
    assert sign(params, SECRET) == expected
    assert expected_sign(params, SECRET) == expected


def test_tmc_calls_sign_like_any_other() -> None:
    """DERIVED here (the spec has no TMC vector): consume and confirm go without a session,
    and confirm's ids are one comma-joined value (spec 2.7)."""
    common = {"app_key": "12345678", "timestamp": "2024-05-01 10:00:00", "format": "json", "v": "2.0"}
    consume = {**common, "method": "taobao.tmc.messages.consume", "quantity": "100", "sign_method": "md5"}
    assert sign_base(consume) == ("app_key12345678formatjsonmethodtaobao.tmc.messages.consumequantity100"
                                  "sign_methodmd5timestamp2024-05-01 10:00:00v2.0")
    assert sign(consume, SECRET) == expected_sign(consume, SECRET) == "0F47D911E3DD3A48BE44F5E4C3484734"
    confirm = {**common, "method": "taobao.tmc.messages.confirm", "sign_method": "hmac",
               "s_message_ids": "5000400000000000001,5000400000000000002"}
    assert sign_base(confirm) == ("app_key12345678formatjsonmethodtaobao.tmc.messages.confirm"
                                  "s_message_ids5000400000000000001,5000400000000000002"
                                  "sign_methodhmactimestamp2024-05-01 10:00:00v2.0")
    assert sign(confirm, SECRET) == expected_sign(confirm, SECRET) == "4A6B1F4A0037C7FBB17818D592257DE9"


def test_sign_and_empty_values_are_left_out() -> None:
    params = {**BASE, "sign_method": "md5"}
    noisy = {**params, "sign": "WHATEVER", "buyer_nick": "", "": "orphan"}
    assert sign_base(noisy) == sign_base(params)
    assert sign(noisy, SECRET) == VECTORS[0][1]


def test_signed_adds_the_sign_and_keeps_the_rest() -> None:
    params = {**BASE, "sign_method": "hmac"}
    out = signed(params, SECRET)
    assert out == {**params, "sign": VECTORS[1][1]}
    assert "sign" not in params


def test_unknown_sign_method_is_refused() -> None:
    with pytest.raises(ValueError, match="sign_method"):
        sign({**BASE, "sign_method": "sha1"}, SECRET)
