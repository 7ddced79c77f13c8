"""The signed-in seat in the status bar: who we work as, our status, and switching seat.

Status names and dot colours live here for every seat view (status bar, transfer
dialog, the lead's board). An agent chooses online / busy / away / offline; a
suspension is a lead's decision, shown but not lifted from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.routing import SeatStatus
from desktop.core.views import SeatRow

from .bridge import Bridge
from .deskapi import DeskLike
from .icons import dot_icon
from .keyhints import key
from .widgets import plain_label

_STATUS = {
    SeatStatus.ONLINE.value: QT_TRANSLATE_NOOP("Seats", "Online"),
    SeatStatus.BUSY.value: QT_TRANSLATE_NOOP("Seats", "Busy"),
    SeatStatus.AWAY.value: QT_TRANSLATE_NOOP("Seats", "Away"),
    SeatStatus.OFFLINE.value: QT_TRANSLATE_NOOP("Seats", "Offline"),
    SeatStatus.SUSPENDED.value: QT_TRANSLATE_NOOP("Seats", "Suspended"),
}

STATUS_COLOR = {
    SeatStatus.ONLINE.value: "#2e9d4f",
    SeatStatus.BUSY.value: "#e69b00",
    SeatStatus.AWAY.value: "#8a9099",
    SeatStatus.OFFLINE.value: "#c5cad1",
    SeatStatus.SUSPENDED.value: "#d93026",
}

# What an agent may choose for itself, in menu order (Ctrl+Alt+1..4).
AGENT_STATUSES = (SeatStatus.ONLINE, SeatStatus.BUSY, SeatStatus.AWAY, SeatStatus.OFFLINE)


def status_label(status: str) -> str:
    source = _STATUS.get(status)
    return QCoreApplication.translate("Seats", source) if source else status


def status_color(status: str) -> str:
    return STATUS_COLOR.get(status, "#8a9099")


class SeatStatusWidget(QWidget):
    """"坐席：小王 ● 在线 ▾" in the status bar; `reload()` on ChangeNotice.seats."""

    status_message = Signal(str)  # a transient line for the status bar

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatStatus")
        self._desk = desk
        self._bridge = bridge
        self._row: SeatRow | None = None
        self._actions: dict[SeatStatus, QAction] = {}
        self.name_label = plain_label("", self, object_name="seatName")
        self.button = QToolButton(self)
        self.button.setObjectName("seatStatusButton")
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setAutoRaise(True)
        self.menu = QMenu(self.button)
        self.button.setMenu(self.menu)
        self.setStyleSheet(
            "#seatName { color: #1f2329; }"
            "#seatStatusButton { border: none; padding: 0 4px; color: #1f2329; }"
            "#seatStatusButton::menu-indicator { image: none; width: 0; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 10, 0)
        row.setSpacing(2)
        row.addWidget(self.name_label)
        row.addWidget(self.button)
        self._show(None)  # reads nothing yet: the window comes up before the store opens

    def set_actions(self, statuses: Mapping[SeatStatus, QAction], switch: QAction) -> None:
        """The window's status actions (with their shortcuts) fill the menu and set the status."""
        self._actions = dict(statuses)
        self.menu.clear()
        for status in AGENT_STATUSES:
            action = self._actions[status]
            action.setIcon(dot_icon(status_color(status.value)))
            action.triggered.connect(lambda _=False, s=status: self.choose(s))
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(switch)
        self._sync_actions()

    @property
    def seat_row(self) -> SeatRow | None:
        return self._row

    def reload(self) -> None:
        self._show(self._desk.seat() if self._desk.seat_id is not None else None)

    def show_key_hints(self) -> None:
        self._show(self._row)

    def _show(self, row: SeatRow | None) -> None:
        self._row = row
        if row is None:
            self.name_label.setText(self.tr("Not signed in"))
            self.button.setText("")
            self.button.setIcon(dot_icon(status_color(SeatStatus.OFFLINE.value)))
            self.button.setToolTip(self.tr("Switch seat ({key})").format(key=key("switch_seat", "Ctrl+Alt+S")))
        else:
            self.name_label.setText(self.tr("Seat: {name}").format(name=row.name))
            self.button.setText(status_label(row.status))
            self.button.setIcon(dot_icon(status_color(row.status)))
            if row.status == SeatStatus.SUSPENDED.value:
                tip = self.tr("A team lead suspended this seat: it keeps its chats but gets no "
                              "new ones. Only a lead can lift it.")
            else:
                tip = self.tr("{load} chats of at most {cap} · change status with {first}…{last}").format(
                    load=row.chats, cap=row.profile.max_chats, first=key("status_online", "Ctrl+Alt+1"),
                    last=key("status_offline", "Ctrl+Alt+4"))
            self.button.setToolTip(tip)
        self._sync_actions()

    def choose(self, status: SeatStatus) -> None:
        """The agent picked a status for their own seat."""
        seat_id = self._desk.seat_id
        row = self._row
        if seat_id is None or row is None:
            self.status_message.emit(self.tr("Not signed in as a seat"))
            self._sync_actions()
            return
        if row.status == SeatStatus.SUSPENDED.value and not row.is_lead:
            self.status_message.emit(self.tr("A team lead suspended this seat; only a lead can lift it"))
            self._sync_actions()
            return
        self._bridge.when_done(self._desk.set_seat_status(seat_id, status), self._on_status_set)

    # -- internals ----------------------------------------------------------------------
    def _on_status_set(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            self.status_message.emit(self.tr("Could not change the status: {error}").format(error=error))
        self.reload()

    def _sync_actions(self) -> None:
        row = self._row
        suspended = row is not None and row.status == SeatStatus.SUSPENDED.value
        for status, action in self._actions.items():
            action.setEnabled(row is not None and (not suspended or row.is_lead))
            action.setChecked(row is not None and row.status == status.value)


class SwitchSeatDialog(QDialog):
    """Work as another seat of this store (solo mode with several local profiles)."""

    def __init__(self, desk: DeskLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Switch seat"))
        self.resize(360, 320)
        self.list = QListWidget(self)
        self.list.setObjectName("seatList")
        current = desk.seat_id
        for row in desk.seats():
            groups = " · ".join(row.profile.groups)
            role = self.tr("lead") if row.is_lead else ""
            extra = " · ".join(p for p in (groups, role) if p)
            text = f"{row.name}  ({row.profile.name})" + (f"  —  {extra}" if extra else "")
            item = QListWidgetItem(dot_icon(status_color(row.effective)), text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(status_label(row.effective))
            if row.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, parent=self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr(
            "Sign out of this seat and sign in as another; SeatDesk signs in as it next time too."),
            self, wrap=True))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def chosen_seat_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))
