"""Per-shop auto-replies (自动回复): the welcome line, the busy line and the after-hours
line, each with its text and how often one buyer may get it, and the shop's business
hours. The rules behind them are core/autoreply.py's."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import AutoReplySettings

from .bridge import Bridge
from .deskapi import DeskLike
from .widgets import error_label, plain_label, save_cancel_buttons

VARIABLES_HINT = "{买家} {店铺} {营业时间}"


class AutoReplyDialog(QDialog):
    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None, *,
                 shop_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("autoReplyDialog")
        self.setWindowTitle(self.tr("Auto-replies"))
        self._desk = desk
        self._bridge = bridge
        self._edited: dict[int, AutoReplySettings] = {}  # shop id → as edited here
        self._saved: dict[int, AutoReplySettings] = {}  # shop id → as read
        self._shop: int | None = None
        self._pending = 0
        self._errors: list[str] = []

        self.shop_combo = QComboBox(self)
        self.shop_combo.setObjectName("autoReplyShop")
        for shop in desk.shops():
            self.shop_combo.addItem(shop.name, shop.id)

        self.welcome = self._group("autoReplyWelcome", self.tr("Welcome line on a new chat"))
        self.welcome_text = self._edit("welcomeText")
        self.welcome_hours = self._spin("welcomeHours", 1, 24 * 7, self.tr(" h"))
        form = QFormLayout(self.welcome)
        form.addRow(self.welcome_text)
        form.addRow(self.tr("At most once per buyer every"), self.welcome_hours)

        self.busy = self._group("autoReplyBusy", self.tr("Busy line when no seat can take the buyer"))
        self.busy_text = self._edit("busyText")
        self.busy_minutes = self._spin("busyMinutes", 5, 24 * 60, self.tr(" min"))
        form = QFormLayout(self.busy)
        form.addRow(self.busy_text)
        form.addRow(self.tr("At most once per buyer every"), self.busy_minutes)

        self.away = self._group("autoReplyAway", self.tr("Line outside business hours"))
        self.away_text = self._edit("awayText")
        self.away_hours = self._spin("awayHours", 1, 24 * 7, self.tr(" h"))
        self.open_from = QTimeEdit(self)
        self.open_from.setObjectName("openFrom")
        self.open_until = QTimeEdit(self)
        self.open_until.setObjectName("openUntil")
        for edit in (self.open_from, self.open_until):
            edit.setDisplayFormat("HH:mm")
        hours = QWidget(self)
        row = QHBoxLayout(hours)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.open_from)
        row.addWidget(plain_label("–", self))
        row.addWidget(self.open_until)
        row.addWidget(plain_label(self.tr("(Beijing time)"), self))
        row.addStretch(1)
        form = QFormLayout(self.away)
        form.addRow(self.away_text)
        form.addRow(self.tr("Business hours"), hours)
        form.addRow(self.tr("At most once per buyer every"), self.away_hours)

        note = plain_label(self.tr(
            "Only a buyer's new message triggers a line, never our own messages, so two robots "
            "cannot answer each other. Lines go out through the outbox marked as automatic; the "
            "buyer still counts as waiting until a person answers. Variables: {names}.").format(
            names=VARIABLES_HINT), self, wrap=True)
        note.setStyleSheet("color: #5f6670;")
        self.error = error_label(self, "autoReplyError")
        self.error.hide()
        self.buttons = save_cancel_buttons(self, self.save)

        top = QFormLayout()
        top.addRow(self.tr("Shop"), self.shop_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for w in (self.welcome, self.busy, self.away, note, self.error, self.buttons):
            layout.addWidget(w)
        self.shop_combo.currentIndexChanged.connect(self._on_shop_combo_changed)
        if shop_id is not None:
            self.shop_combo.setCurrentIndex(max(0, self.shop_combo.findData(shop_id)))
        self._on_shop_combo_changed(self.shop_combo.currentIndex())
        self.resize(600, 700)

    def _group(self, name: str, title: str) -> QGroupBox:
        box = QGroupBox(title, self)
        box.setObjectName(name)
        box.setCheckable(True)
        return box

    def _edit(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setObjectName(name)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
        return edit

    def _spin(self, name: str, low: int, high: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("0000 分钟") + 40)
        return spin

    # -- the form ↔ settings ------------------------------------------------------------------
    def _show(self, s: AutoReplySettings) -> None:
        self.welcome.setChecked(s.welcome)
        self.welcome_text.setPlainText(s.welcome_text)
        self.welcome_hours.setValue(s.welcome_hours)
        self.busy.setChecked(s.busy)
        self.busy_text.setPlainText(s.busy_text)
        self.busy_minutes.setValue(s.busy_minutes)
        self.away.setChecked(s.away)
        self.away_text.setPlainText(s.away_text)
        self.away_hours.setValue(s.away_hours)
        for edit, value in ((self.open_from, s.open_from), (self.open_until, s.open_until)):
            when = QTime.fromString(value, "HH:mm")
            edit.setTime(when if when.isValid() else QTime(0, 0))

    def form_settings(self, base: AutoReplySettings | None = None) -> AutoReplySettings:
        """What the form says, over `base` (the shop's settings as read)."""
        return replace(
            base or AutoReplySettings(),
            welcome=self.welcome.isChecked(), welcome_text=self.welcome_text.toPlainText(),
            welcome_hours=self.welcome_hours.value(),
            busy=self.busy.isChecked(), busy_text=self.busy_text.toPlainText(),
            busy_minutes=self.busy_minutes.value(),
            away=self.away.isChecked(), away_text=self.away_text.toPlainText(),
            away_hours=self.away_hours.value(),
            open_from=self.open_from.time().toString("HH:mm"),
            open_until=self.open_until.time().toString("HH:mm"))

    def _keep(self) -> None:
        if self._shop is not None:
            self._edited[self._shop] = self.form_settings(self._saved.get(self._shop))

    def _on_shop_combo_changed(self, _index: int) -> None:
        self._keep()
        shop = self.shop_combo.currentData()
        self._shop = int(shop) if shop is not None else None
        if self._shop is None:
            return
        if self._shop not in self._saved:
            self._saved[self._shop] = self._desk.auto_reply_settings(self._shop)
        self._show(self._edited.get(self._shop, self._saved[self._shop]))

    def changed(self) -> dict[int, AutoReplySettings]:
        """Shops whose settings the form changed, with their new settings."""
        self._keep()
        return {shop: s for shop, s in self._edited.items() if s != self._saved.get(shop)}

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> None:
        todo = self.changed()
        if not todo:
            self.accept()
            return
        self.buttons.setEnabled(False)
        self._pending, self._errors = len(todo), []
        names = {self.shop_combo.itemData(i): self.shop_combo.itemText(i)
                 for i in range(self.shop_combo.count())}
        for shop, settings in todo.items():
            self._bridge.when_done(
                self._desk.set_auto_reply_settings(shop, settings),
                lambda f, s=shop, n=names.get(shop, ""): self._on_saved(f, s, n))

    def _on_saved(self, future: Future[AutoReplySettings], shop: int, name: str) -> None:
        self._pending -= 1
        error = future.exception()
        if error is None:
            self._saved[shop] = self._edited[shop] = future.result()
        else:
            self._errors.append(self.tr("{shop}: {error}").format(shop=name, error=error))
        if self._pending:
            return
        self.buttons.setEnabled(True)
        if not self._errors:
            self.accept()
            return
        self.error.setText(self.tr("Not saved: {errors}").format(errors="; ".join(self._errors)))
        self.error.show()
