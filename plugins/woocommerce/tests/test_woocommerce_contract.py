"""The WooCommerce adapter passes the desktop.sdk conformance kit against the fake site."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.sdk.testing import AdapterContract
from plugins.woocommerce.adapter import WooCommerceAdapter
from plugins.woocommerce.fake import WooCommerceFake


class TestWooCommerceContract(AdapterContract):
    adapter_class = WooCommerceAdapter

    @pytest.fixture
    def fake(self) -> Iterator[WooCommerceFake]:
        with WooCommerceFake() as fake:  # real time: the kit's adapters use the default clock
            yield fake
