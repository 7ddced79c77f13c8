"""The Shopify adapter passes the desktop.sdk conformance kit against the fake Shopify shop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.sdk.testing import AdapterContract
from plugins.shopify.adapter import ShopifyAdapter
from plugins.shopify.fake import ShopifyFake


class TestShopifyContract(AdapterContract):
    adapter_class = ShopifyAdapter

    @pytest.fixture
    def fake(self) -> Iterator[ShopifyFake]:
        with ShopifyFake() as fake:  # real time: the kit's adapters use the default clock
            yield fake
