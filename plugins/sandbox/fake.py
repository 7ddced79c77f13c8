"""The sandbox as a `desktop.sdk.testing.FakePlatform`: one shop of one flavour, the
buyer simulator stopped, seeded and faulted directly — for the conformance kit."""

from __future__ import annotations

from types import TracebackType

from .model import OrderLine, Stage
from .protocol import PLATFORM_TB
from .server import SandboxServer


class SandboxFake:
    """Shop 1 (Taobao-flavoured) or shop 2 (Douyin-flavoured) of a quiet sandbox."""

    def __init__(self, platform: str = PLATFORM_TB, seed: int = 3) -> None:
        self.server = SandboxServer(shops=2, rate=0, seed=seed)
        self._shop = next(s for s in self.server.store.shops if s.platform == platform)
        self.platform_shop_id = self._shop.platform_shop_id
        self._seeded = 0

    def __enter__(self) -> SandboxFake:
        self.server.start()
        self.server.pause()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.stop()

    # -- FakePlatform --
    def settings(self) -> dict[str, object]:
        return {"base_url": self.server.url, "page_size": 10}

    def secrets(self) -> dict[str, str]:
        creds = self._shop.credentials
        return {"app_key": creds.app_key, "app_secret": creds.app_secret,
                "access_token": creds.access_token}

    def add_orders(self, n: int) -> list[str]:
        store, shop = self.server.store, self._shop
        ids = []
        for _ in range(n):
            self._seeded += 1
            buyer = store.add_buyer(shop, f"kit-{shop.number}-{self._seeded}", f"契约买家{self._seeded}")
            product = shop.products[self._seeded % len(shop.products)]
            line = OrderLine(product.sku_id, product.title, 1 + self._seeded % 2, product.price_fen)
            order = store.new_order(shop, buyer, [line], ("张**", "138****0000", ("浙江省", "杭州市", "西湖区")))
            ids.append(order.order_id)
        return ids

    def touch_order(self, order_id: str) -> None:
        store, shop = self.server.store, self._shop
        with store.lock:
            order = shop.orders[order_id]
            if order.stage is Stage.UNPAID:
                order.stage, order.paid_ms = Stage.PAID, store.now_ms(shop)
            store.touch_order(shop, order)

    def add_messages(self, n: int) -> list[str]:
        return [str(self.server.store.buyer_says(self._shop, f"契约消息 {i}")["msg_id"]) for i in range(n)]

    def memo(self, order_id: str) -> tuple[str, int | None]:
        order = self._shop.orders[order_id]
        return order.memo, order.flag

    def expire_token(self) -> None:
        with self.server.store.lock:
            self._shop.token_valid = False

    def limit_calls(self, n: int = 1) -> None:
        self.server.faults.force(429, n)

    def fail(self, n: int = 1) -> None:
        self.server.faults.force(503, n)
