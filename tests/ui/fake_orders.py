"""FakeDesk's orders view and after-sale cases, over the in-memory order rows."""

from __future__ import annotations


class FakeOrdersMixin:
    def _init_orders(self) -> None:
        pass
