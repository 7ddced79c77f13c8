"""The desktop.sdk conformance kit, run against the Doudian fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.sdk import Capability
from desktop.sdk.testing import AdapterContract
from plugins.douyin.adapter import DouyinAdapter
from plugins.douyin.fake import DouyinFake

class TestDouyinContract(AdapterContract):
    adapter_class = DouyinAdapter

    @pytest.fixture
    def fake(self) -> Iterator[DouyinFake]:
        with DouyinFake() as shop:  # the real clock, like the kit's adapters
            yield shop


def test_each_declared_capability_is_implemented_given_a_service_id() -> None:
    """The kit's check above, with the one setting Doudian's authorisation page needs."""
    cls = DouyinAdapter
    assert cls.info.capabilities == {Capability.ORDERS, Capability.REMARKS, Capability.OAUTH, Capability.PUSH}
    for name in ("authorize_url", "exchange_code", "refresh_tokens", "check_connection", "fetch_messages",
                 "fetch_orders", "send_message", "set_remark", "transfer", "push"):
        assert callable(getattr(cls, name, None)), name
    url = cls.authorize_url({"base_url": "http://127.0.0.1:9", "service_id": "12345"},
                            {"app_key": "k", "app_secret": "s"}, "urn:ietf:wg:oauth:2.0:oob", "st4te")
    assert url.startswith("http") and "st4te" in url
