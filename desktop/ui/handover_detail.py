"""One handover as its reader sees it (the detail pane of the handover page's lists): who
handed over to whom and when, who acknowledged it, the free text, the items to tick off —
and Acknowledge and Export. Also the names the lists show for seats and shifts."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from desktop.core.views import HandoverRow, ItemState, ShiftRow

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import clock_text, now_ms
from .handover_export import HandoverExporter
from .handover_items import HandoverItemsTree
from .widgets import plain_label


def addressed_to(row: HandoverRow, seat_id: int | None, shifts: dict[int, ShiftRow]) -> bool:
    """Sent to this seat by name, or to a shift it is on the roster of."""
    if seat_id is None:
        return False
    shift = shifts.get(row.to_shift_id) if row.to_shift_id is not None else None
    return seat_id in row.to_seat_ids or (shift is not None and seat_id in shift.seat_ids)


def acked_by(row: HandoverRow, seat_id: int | None) -> bool:
    return seat_id is not None and row.acknowledged_by(seat_id)


class Names:
    """Seat and shift names for the lists, re-read with them."""

    def __init__(self, desk: DeskLike) -> None:
        self.shifts: dict[int, ShiftRow] = {s.id: s for s in desk.shifts()}
        self.seats: dict[int, str] = {s.id: s.profile.display_name for s in desk.seats(include_disabled=True)}
        self.overdue_hours = desk.handover_settings().overdue_hours

    def to_text(self, row: HandoverRow) -> str:
        names = []
        if row.to_shift_id is not None and row.to_shift_id in self.shifts:
            names.append(self.shifts[row.to_shift_id].name)
        names += sorted(self.seats.get(i, f"#{i}") for i in row.to_seat_ids)
        return "、".join(names)

    def from_text(self, row: HandoverRow) -> str:
        shift = self.shifts.get(row.shift_id) if row.shift_id is not None else None
        return f"{row.author} · {shift.name}" if shift is not None else row.author


class HandoverDetail(QWidget):
    """One sent handover as its reader sees it: who, to whom, when, who acknowledged; the
    free text; the items to tick off; Acknowledge, and Export (copy, save, print)."""

    link_requested = Signal(str, int)
    status_message = Signal(str)
    changed = Signal(int)  # handover id: acknowledged or an item ticked

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self.setObjectName("handoverDetail")
        self._desk = desk
        self._bridge = bridge
        self._clock = clock
        self.row: HandoverRow | None = None
        self.names: Names | None = None
        self.ask_note: Callable[[str, str], str | None] = self._ask_note

        self.title = plain_label("", self, object_name="handoverTitle", wrap=True, selectable=True)
        self.title.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.meta = plain_label("", self, object_name="handoverMeta", wrap=True)
        self.meta.setStyleSheet("color: #5f6670;")
        self.acks = plain_label("", self, object_name="handoverAcks", wrap=True)
        self.ack_button = QPushButton(self.tr("Acknowledge"), self)
        self.ack_button.setObjectName("handoverAck")
        self.ack_button.setToolTip(self.tr("Confirm you have read this handover (who and when are kept)"))
        self.ack_button.setStyleSheet(
            "#handoverAck { background: #1f6fd1; color: #ffffff; border: none; border-radius: 4px;"
            " padding: 5px 16px; font-weight: bold; }")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("handoverReadText")
        self.text.setReadOnly(True)
        self.tree = HandoverItemsTree(self, editing=False, object_name="readItems")
        self.exporter = HandoverExporter(desk, lambda: self.row, self)
        self.exporter.status_message.connect(self.status_message)
        self.empty = plain_label("", self, object_name="handoverDetailEmpty", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #8a9099; padding: 24px;")

        head = QHBoxLayout()
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.title)
        words.addWidget(self.meta)
        words.addWidget(self.acks)
        head.addLayout(words, 1)
        head.addWidget(self.exporter.button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.ack_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(head)
        body.addWidget(self.text)
        body.addWidget(self.tree, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty, 1)

        self.ack_button.clicked.connect(lambda: self.acknowledge())
        self.tree.link_requested.connect(self.link_requested)
        self.tree.state_requested.connect(self.set_item_state)
        self.tree.note_requested.connect(self.annotate)
        self.show_row(None)

    # -- showing ----------------------------------------------------------------------------------
    def show_row(self, row: HandoverRow | None, names: Names | None = None, *,
                 empty_text: str = "") -> None:
        same = row is not None and self.row is not None and self.row.id == row.id
        self.row = row
        if names is not None:
            self.names = names
        self.body.setVisible(row is not None)
        self.empty.setVisible(row is None)
        self.empty.setText(empty_text or self.tr("Pick a handover to read it"))
        if row is None:
            return
        names = self.names or Names(self._desk)
        self.names = names
        now = self._clock()
        to = names.to_text(row)
        self.title.setText(self.tr("{author} → {to}").format(author=names.from_text(row), to=to)
                           if to else names.from_text(row))
        when = clock_text(row.sent_at, now) if row.sent_at else self.tr("draft")
        self.meta.setText(self.tr("Sent {time} · {n} items, {todo} to do").format(
            time=when, n=len(row.items), todo=row.todo()))
        if row.acks:
            self.acks.setText(self.tr("Acknowledged by {names}").format(names="、".join(
                f"{a.seat_name} {clock_text(a.at, now)}" for a in row.acks)))
            self.acks.setStyleSheet("color: #2e7d32;")
        else:
            self.acks.setText(self.tr("Nobody has acknowledged it yet"))
            self.acks.setStyleSheet("color: #c62828;")
        self.text.setPlainText(row.text)
        self.text.setVisible(bool(row.text))
        lines = min(5, row.text.count("\n") + 1)  # as tall as the text (wrapped lines scroll)
        self.text.setFixedHeight((lines + 1) * self.text.fontMetrics().lineSpacing() + 8)
        self.tree.read_only = row.state != "sent"
        if not (same and self.tree.refresh_items(row.items)):  # a tick keeps the list's place
            self.tree.set_items(row.items)
        me = self._desk.seat_id
        self.ack_button.setVisible(row.state == "sent" and me != row.author_seat_id
                                   and addressed_to(row, me, names.shifts) and not acked_by(row, me))

    def reload(self) -> None:
        if self.row is not None:
            self.show_row(self._desk.handover(self.row.id))

    # -- acting ------------------------------------------------------------------------------------
    def acknowledge(self) -> Future[None] | None:
        if self.row is None:
            return None
        handover_id = self.row.id
        self.ack_button.setEnabled(False)
        future = self._desk.acknowledge_handover(handover_id)
        self._bridge.when_done(future, lambda f: self._on_done(f, handover_id, self.tr("Acknowledged")))
        return future

    def set_item_state(self, position: int, state: ItemState, note: str | None = None) -> Future[None] | None:
        if self.row is None or not 0 <= position < len(self.row.items):
            return None
        item = self.row.items[position]
        future = self._desk.set_item_state(item.id, state, note)
        self._bridge.when_done(future, lambda f: self._on_done(f, self.row.id if self.row else 0, ""))
        return future

    def annotate(self, position: int) -> None:
        if self.row is None:
            return
        item = self.row.items[position]
        note = self.ask_note(item.title, item.note)
        if note is not None:
            self.set_item_state(position, ItemState(item.state), note.strip())

    def _ask_note(self, title: str, note: str) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("Note on the item"), title, QLineEdit.EchoMode.Normal, note)
        return text if ok else None

    def _on_done(self, future: Future[None], handover_id: int, done_text: str) -> None:
        self.ack_button.setEnabled(True)
        error = future.exception()
        if error is not None:
            self.status_message.emit(self.tr("Failed: {error}").format(error=error))
            self.reload()
            return
        if done_text:
            self.status_message.emit(done_text)
        if self.row is not None and self.row.id == handover_id:
            self.reload()
        self.changed.emit(handover_id)
