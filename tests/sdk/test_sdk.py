"""desktop.sdk: frozen events, typed errors, signing helpers, the platform declaration."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from desktop.sdk import (
    API_VERSION,
    Capability,
    FlagColor,
    FlagOption,
    OrderItem,
    PlatformInfo,
    RateLimited,
    Rejected,
    SendMessage,
)
from desktop.sdk.signing import hmac_hex, md5_wrap_hex, sorted_concat


def test_events_and_commands_are_frozen():
    item = OrderItem("s", "T恤", 1, Decimal("9.90"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.quantity = 2  # type: ignore[misc]
    cmd = SendMessage("key-1", "c1", "b1", "在的亲")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cmd.text = "x"  # type: ignore[misc]


def test_typed_errors_carry_their_data():
    assert RateLimited(2.5).retry_after == 2.5
    assert Rejected("memo_too_long").reason == "memo_too_long"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"b": "2", "a": "1", "sign": "x"}, "a1b2"),
        ({"z": "", "y": None, "x": "中文"}, "x中文"),
        ({}, ""),
    ],
)
def test_sorted_concat(params, expected):
    assert sorted_concat(params) == expected


def test_digests_are_pinned():
    # Pinned values guard against an accidental change of encoding, case or wrapping.
    assert hmac_hex("secret", "a1b2", "md5", upper=True) == "41EC77C97D8E808985B688BBB518A251"
    assert hmac_hex("k", "m") == "b60090e3052297aeb5a080889ce2fc4bca957e756faeb4df7d31800ca1e771ec"
    assert md5_wrap_hex("s", "a1") == "585B98956D9738EDEC5CBD8443F7A228"


def test_platform_info_finds_flags():
    info = PlatformInfo("p", "平台", (API_VERSION,), frozenset({Capability.ORDERS}),
                        flags=(FlagOption(1, FlagColor.RED, "红旗"),))
    assert info.flag(1).label == "红旗"
    assert info.flag(9) is None
