"""The webhook receiver's settings: where it listens, the public address in front of it,
and each webhook shop's URL to register with its platform (Shopify, WooCommerce, 抖店)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .deskapi import DeskLike
from .widgets import error_label, plain_label, save_cancel_buttons


class WebhooksDialog(QDialog):
    def __init__(self, desk: DeskLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("webhooksDialog")
        self.setWindowTitle(self.tr("Webhook receiver"))
        self._desk = desk
        listen, public = desk.webhook_settings()
        intro = plain_label(self.tr(
            "Shopify, WooCommerce and 抖店 push order changes by calling a public web address. "
            "SeatDesk receives them on a local port; put it behind an HTTPS address you own "
            "(a reverse proxy or a tunnel) and register each shop's URL below with its platform. "
            "Without it these shops are polled, which is slower but loses nothing."), self, wrap=True)
        self.listen = QLineEdit(listen, self)
        self.listen.setObjectName("webhookListen")
        self.listen.setPlaceholderText("127.0.0.1:8787")
        self.public = QLineEdit(public, self)
        self.public.setObjectName("webhookPublicUrl")
        self.public.setPlaceholderText("https://hooks.example.com")
        form = QFormLayout()
        form.addRow(self.tr("Listen on"), self.listen)
        form.addRow(self.tr("Public address"), self.public)
        live, detail = desk.webhook_status()
        if live:
            status = self.tr("Receiving: {where}").format(where=detail)
        elif detail:
            status = self.tr("Not receiving: {problem}").format(problem=detail)
        else:
            status = self.tr("Off: webhook shops are polled.")
        self.status = plain_label(status, self, object_name="webhookStatus", wrap=True)
        self.status.setStyleSheet(f"color: {'#2e7d32' if live else '#c62828' if detail else '#5f6670'};")
        self.shops = QListWidget(self)
        self.shops.setObjectName("webhookShops")
        self.shops.setMaximumHeight(140)
        self.copy = QPushButton(self.tr("Copy URL"), self)
        self.copy.setObjectName("copyWebhookUrl")
        self.copy.clicked.connect(self.copy_url)
        self.restart_note = plain_label(self.tr("Changes take effect the next time SeatDesk starts."),
                                        self, object_name="webhookRestartNote", wrap=True)
        self.error = error_label(self)
        self.buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(plain_label(self.tr("Webhook URLs of your shops"), self, object_name="factName"))
        row = QHBoxLayout()
        row.addWidget(self.shops, 1)
        row.addWidget(self.copy, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addWidget(self.restart_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.public.textChanged.connect(self._fill_shops)
        self._fill_shops()
        self.resize(640, 400)

    def _fill_shops(self) -> None:
        public = self.public.text().strip().rstrip("/")
        self.shops.clear()
        platforms: dict[str, str] = {}
        for shop in self._desk.shops():
            info = self._desk.platform_info(shop.platform)
            if info is None or not getattr(info, "push_by_webhook", False):
                continue
            platforms[shop.platform] = shop.platform_name
            self._add_url(f"{shop.name} · {shop.platform_name}", public, str(shop.id))
        # a platform whose push URL is set per app (抖店) sends every shop's events to one URL
        for platform, name in platforms.items():
            self._add_url(self.tr("{platform} · every shop of one app").format(platform=name), public, platform)
        if not self.shops.count():
            self.shops.addItem(self.tr("No shop of a webhook platform yet."))
        self.copy.setEnabled(bool(public) and self.shops.count() > 0)

    def _add_url(self, what: str, public: str, tail: str) -> None:
        url = f"{public}/webhooks/{tail}" if public else self.tr("(set the public address first)")
        item = QListWidgetItem(f"{what}: {url}", self.shops)
        item.setData(Qt.ItemDataRole.UserRole, url if public else "")

    def copy_url(self) -> None:
        item = self.shops.currentItem() or self.shops.item(0)
        url = item.data(Qt.ItemDataRole.UserRole) if item is not None else ""
        if url:
            QGuiApplication.clipboard().setText(url)

    def save(self) -> None:
        try:
            self._desk.set_webhook_settings(self.listen.text(), self.public.text())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
