"""The published signing vectors of research §3.3 / §3.7, byte for byte."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plugins.pinduoduo.protocol import pmc_digest, sign, string_to_sign, wire_value

SECRET = "testSecret"

# VERIFIED-IN-SOURCE: the official "API调用指南" example.
OFFICIAL = {
    "access_token": "asd78172s8ds9a921j9qqwda12312w1w21211",
    "client_id": "1",
    "data_type": "XML",
    "order_status": "1",
    "page": "1",
    "page_size": "10",
    "timestamp": "1480411125",
    "type": "pdd.order.number.list.get",
}
OFFICIAL_STRING = (
    "testSecretaccess_tokenasd78172s8ds9a921j9qqwda12312w1w21211client_id1data_typeXML"
    "order_status1page1page_size10timestamp1480411125typepdd.order.number.list.gettestSecret"
)
OFFICIAL_SIGN = "E4DE3ED21002510DED352819E7AE6775"

# DERIVED vectors.
NOTE_UPDATE = {
    "type": "pdd.order.note.update", "client_id": "test_client", "access_token": "test_token",
    "timestamp": "1714528800", "data_type": "JSON", "order_sn": "240501-123456789012345",
    "note": "客户要求顺丰", "tag": "1", "tag_name": "加急",
}
NOTE_UPDATE_SIGN = "88441516D757820A0920DD9B040AB40A"
INCREMENT = {
    "type": "pdd.order.number.list.increment.get", "client_id": "test_client",
    "access_token": "test_token", "timestamp": "1714528800", "data_type": "JSON",
    "is_lucky_flag": "0", "order_status": "5", "refund_status": "5",
    "start_updated_at": "1714527000", "end_updated_at": "1714528800", "page": "1",
    "page_size": "100", "use_has_next": "true",
}
INCREMENT_SIGN = "ABBE0F23770A52D073D3723FBFE874D1"


def test_official_string_to_sign() -> None:
    assert string_to_sign(OFFICIAL, SECRET) == OFFICIAL_STRING


@pytest.mark.parametrize(("params", "expected"), [
    (OFFICIAL, OFFICIAL_SIGN),
    (NOTE_UPDATE, NOTE_UPDATE_SIGN),
    (INCREMENT, INCREMENT_SIGN),
], ids=["official", "note.update", "increment"])
def test_published_vectors(params: dict[str, str], expected: str) -> None:
    assert sign(params, SECRET) == expected


def test_the_sign_parameter_itself_is_not_signed() -> None:
    assert sign({**OFFICIAL, "sign": "ANYTHING"}, SECRET) == OFFICIAL_SIGN


def test_order_of_the_mapping_does_not_matter() -> None:
    assert sign(dict(reversed(list(INCREMENT.items()))), SECRET) == INCREMENT_SIGN


def test_the_increment_vector_from_typed_values() -> None:
    """What the adapter builds (ints, a bool) signs to the same published value."""
    typed: dict[str, object] = {**INCREMENT, "is_lucky_flag": 0, "order_status": 5, "refund_status": 5,
                                "start_updated_at": 1714527000, "end_updated_at": 1714528800,
                                "page": 1, "page_size": 100, "use_has_next": True}
    assert sign({k: wire_value(v) for k, v in typed.items()}, SECRET) == INCREMENT_SIGN


@pytest.mark.parametrize(("value", "wire"), [
    (True, "true"), (False, "false"), (0, "0"), (100, "100"), ("客户要求顺丰", "客户要求顺丰"),
    (Decimal("19.90"), "19.90"), (["a", 1], '["a",1]'), ({"k": "值"}, '{"k":"值"}'),
])
def test_wire_values(value: object, wire: str) -> None:
    assert wire_value(value) == wire


def test_an_empty_value_is_signed_as_its_bare_name() -> None:
    assert string_to_sign({"note": "", "type": "x"}, "s") == "snotetypexs"


def test_pmc_digest_vector() -> None:
    # DERIVED (§3.7): base64 of the lowercase hex MD5, not of the raw digest.
    assert pmc_digest("client_id_demo", 1700000000000, "client_secret_demo") == \
        "MDhjNTdlZWM2M2JmZGY0ZmE5MTA2YmM2MGUwMjI1NDg="
