"""Status-bar chips, one per shop: its colour, its name and its connection health."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.core.views import ShopRow

from .deskapi import DeskLike
from .formatting import HEALTH_COLOR, datetime_text, health_label
from .widgets import Dot, plain_label, plain_tooltip


class ShopChip(QWidget):
    def __init__(self, shop: ShopRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shopChip")
        self.dot = Dot(shop.color, 8, self)
        self.name_label = plain_label("", self, object_name="chipName")
        self.health_label: QLabel = plain_label("", self, object_name="chipHealth")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        row.setSpacing(4)
        row.addWidget(self.dot)
        row.addWidget(self.name_label)
        row.addWidget(self.health_label)
        self.set_shop(shop)

    def set_shop(self, shop: ShopRow, allows: str = "", hook_url: str = "") -> None:
        """`allows`: what the shop's platform allows, in plain words (its capabilities);
        `hook_url`: the shop's webhook URL, for a platform that pushes by webhook."""
        self.shop = shop
        self.dot.set_color(shop.color)
        self.name_label.setText(shop.name)
        self.health_label.setText(health_label(shop.health, shop.health_until))
        self.health_label.setStyleSheet(f"color: {HEALTH_COLOR.get(shop.health, '#5f6670')};")
        lines = [f"{shop.name} · {shop.platform_name}", health_label(shop.health, shop.health_until)]
        if shop.health_detail:
            lines.append(shop.health_detail)
        if shop.last_sync_at:
            lines.append(self.tr("Last sync {time}").format(time=datetime_text(shop.last_sync_at)))
        push = self.push_text(shop)
        if push:
            lines.append(push)
        if hook_url:
            lines.append(self.tr("Webhook URL to register with the platform: {url}").format(url=hook_url))
        if allows:
            lines.append(allows)
        self.setToolTip(plain_tooltip("\n".join(lines)))

    def push_text(self, shop: ShopRow) -> str:
        """Whether the shop's events are pushed or polled, in plain words."""
        if shop.push_state == "live":
            return self.tr("Push: live (orders arrive as they change)")
        if shop.push_state == "retrying":
            return self.tr("Push: reconnecting ({detail}); polling meanwhile").format(detail=shop.push_detail)
        if shop.push_state == "off":
            return self.tr("Push off: {reason}. Polling instead.").format(reason=shop.push_detail)
        return ""

    def text(self) -> str:
        return f"{self.name_label.text()} {self.health_label.text()}"


class ShopStatusStrip(QWidget):
    """Lives in the status bar; `reload()` on ChangeNotice.shops."""

    def __init__(self, desk: DeskLike, parent: QWidget | None = None, *, autoload: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("shopStrip")
        self._desk = desk
        self._chips: dict[int, ShopChip] = {}
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(2)
        self.none_label = plain_label(self.tr("No shops connected yet"), self, object_name="noShops")
        self._row.addWidget(self.none_label)
        if autoload:
            self.reload()

    def chips(self) -> list[ShopChip]:
        return list(self._chips.values())

    def _allows(self, platform: str) -> tuple[str, bool]:
        """(what the platform allows in plain words, whether it pushes by webhook)."""
        info = self._desk.platform_info(platform)
        if info is None:
            return "", False
        from .capabilities import capability_summary  # pulls desktop.sdk: after the first frame

        summary = capability_summary(info)
        text = f"{summary}\n{info.limits_note}" if info.limits_note else summary
        return text, bool(getattr(info, "push_by_webhook", False))

    def reload(self) -> None:
        shops = self._desk.shops()
        seen = set()
        for shop in shops:
            seen.add(shop.id)
            allows, by_webhook = self._allows(shop.platform)
            chip = self._chips.get(shop.id)
            if chip is None:
                chip = self._chips[shop.id] = ShopChip(shop, self)
                self._row.addWidget(chip)
            chip.set_shop(shop, allows, self._desk.webhook_url(shop.id) if by_webhook else "")
        for sid in [s for s in self._chips if s not in seen]:
            self._chips.pop(sid).deleteLater()
        self.none_label.setVisible(not self._chips)
