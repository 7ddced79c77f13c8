"""What the handover asks of a seat without being asked: at sign-in, the unread handovers
in a banner that stays until they are acknowledged; due follow-ups as a reminder (tray and
status bar); and before the shift ends, "write the handover" / "hand over and release"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop.core.views import FollowUpRow, HandoverRow, ShiftRow

from .deskapi import DeskLike
from .formatting import clock_text, now_ms, truncate
from .widgets import plain_label

TICK_MS = 30_000  # how often due follow-ups and the shift's end are looked at


def _button(text: str, name: str, parent: QWidget, *, primary: bool = False) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    if primary:
        button.setStyleSheet(
            f"#{name} {{ background: #1f6fd1; color: #ffffff; border: none; border-radius: 4px;"
            f" padding: 4px 14px; font-weight: bold; }} #{name}:hover {{ background: #1a63bd; }}")
    return button


class _Strip(QFrame):
    """A coloured strip above the pages with a title, a detail line and buttons."""

    def __init__(self, name: str, back: str, border: str, ink: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(f"#{name} {{ background: {back}; border-bottom: 1px solid {border}; }}"
                           f"#{name} QLabel {{ color: {ink}; }}")
        self.title = plain_label("", self, object_name=f"{name}Title", wrap=True)
        self.title.setStyleSheet("font-weight: 600;")
        self.detail = plain_label("", self, object_name=f"{name}Detail", wrap=True)
        words = QVBoxLayout()
        words.setSpacing(1)
        words.addWidget(self.title)
        words.addWidget(self.detail)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(14, 7, 12, 7)
        self.row.addLayout(words, 1)
        self.hide()


class HandoverBanner(_Strip):
    """Unread handovers at sign-in: who handed over and how much is left, until acknowledged."""

    open_requested = Signal(int)  # the first unread handover's id

    def __init__(self, desk: DeskLike, parent: QWidget | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__("handoverBanner", "#fff4e5", "#f5d3a3", "#8a4b00", parent)
        self._desk = desk
        self._clock = clock
        self.rows: list[HandoverRow] = []
        self.read_button = _button(self.tr("Read and acknowledge"), "handoverBannerRead", self, primary=True)
        self.row.addWidget(self.read_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.read_button.clicked.connect(self._on_read_button_clicked)
        self._coalesce = QTimer(self)  # a burst of handover notices (drafts autosaving) reads once
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(300)
        self._coalesce.timeout.connect(self.reload)

    def schedule_reload(self) -> None:
        if not self._coalesce.isActive():
            self._coalesce.start()

    def _on_read_button_clicked(self) -> None:
        if self.rows:
            self.open_requested.emit(self.rows[0].id)  # the newest

    def reload(self) -> None:
        self._coalesce.stop()
        self.rows = self._desk.unread_handovers() if self._desk.seat_id is not None else []
        if not self.rows:
            self.hide()
            return
        now = self._clock()
        self.title.setText(self.tr("{n} handover(s) waiting for you to acknowledge").format(n=len(self.rows)))
        self.detail.setText("；".join(
            self.tr("{author} at {time}: {todo} to do").format(
                author=r.author, time=clock_text(r.sent_at or r.created_at, now), todo=r.todo())
            for r in self.rows[:3]) + ("；…" if len(self.rows) > 3 else ""))
        self.show()


class ShiftEndBar(_Strip):
    """N minutes before my shift ends: write the handover, or hand over and release."""

    write_requested = Signal()
    release_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("shiftEndBar", "#eef4fd", "#cfe0f7", "#1f4f8f", parent)
        self.write_button = _button(self.tr("Write handover"), "shiftEndWrite", self, primary=True)
        self.release_button = _button(self.tr("Hand over and release my chats"), "shiftEndRelease", self)
        self.later_button = _button(self.tr("Later"), "shiftEndLater", self)
        for b in (self.write_button, self.release_button, self.later_button):
            self.row.addWidget(b, 0, Qt.AlignmentFlag.AlignVCenter)
        self.write_button.clicked.connect(self.write_requested)
        self.write_button.clicked.connect(self.hide)
        self.release_button.clicked.connect(self.release_requested)
        self.release_button.clicked.connect(self.hide)
        self.later_button.clicked.connect(self.hide)

    def show_for(self, shift: ShiftRow, end_ms: int, at_ms: int) -> None:
        minutes = max(0, (end_ms - at_ms + 59_999) // 60_000)
        self.title.setText(self.tr("{shift} ends at {time}, in {n} min").format(
            shift=shift.name, time=clock_text(end_ms, at_ms), n=minutes))
        self.detail.setText(self.tr("Hand over what is still open, so the next shift can pick it up."))
        self.show()


class HandoverReminders(QObject):
    """Every TICK_MS: follow-ups that came due (once each) and the end of my shift (once per
    shift, `remind_minutes` before it ends). The window shows them; tests call check()."""

    follow_up_due = Signal(object)  # FollowUpRow
    shift_ending = Signal(object, object)  # ShiftRow, its end (ms: too big for a C int)

    def __init__(self, desk: DeskLike, parent: QObject | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self._desk = desk
        self._clock = clock
        self.announced: set[int] = set()  # follow-up ids
        self.shift_reminded: set[tuple[int, int]] = set()  # (shift id, end)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.check)

    @property
    def remind_minutes(self) -> int:
        """The team's lead time (HandoverSettings.remind_minutes, set by a lead)."""
        return self._desk.handover_settings().remind_minutes

    def start(self) -> None:
        self.timer.start()
        self.check()

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> None:
        if self._desk.seat_id is None:
            return
        now = self._clock()
        me = self._desk.seat_name
        shift = self._desk.current_shift(at_ms=now)
        off_shift = shift is None and bool(self._desk.shifts())
        for row in self._desk.follow_ups(None, now, True):
            # one for the next shift rings for the seats at work, not for its author (it
            # is in their handover) nor for a seat off shift
            for_next = row.for_seat_id is None
            if row.id in self.announced or (for_next and (row.created_by == me or off_shift)):
                continue
            self.announced.add(row.id)
            self.follow_up_due.emit(row)
        run = self._desk.shift_window(shift.id, now) if shift is not None else None
        if shift is None or run is None:
            return
        end = run[1]
        key = (shift.id, end)
        if 0 < end - now <= self.remind_minutes * 60_000 and key not in self.shift_reminded:
            self.shift_reminded.add(key)
            self.shift_ending.emit(shift, end)

    def reminder_text(self, row: FollowUpRow, at_ms: int) -> tuple[str, str]:
        """Title and body of a due follow-up's reminder (tray pop-up, status bar)."""
        title = self.tr("Follow up: {buyer} · {shop}").format(buyer=truncate(row.buyer_nick, 24),
                                                              shop=row.shop_name)
        when = clock_text(row.due_at, at_ms)
        if row.note:
            return title, self.tr("Promised for {time}: {note}").format(time=when, note=truncate(row.note, 80))
        return title, self.tr("Promised for {time}").format(time=when)

