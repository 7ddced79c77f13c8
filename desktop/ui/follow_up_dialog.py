"""“Remind me / the next shift at T” on a chat (跟进提醒): a quick time (in 30 minutes,
before the shift ends, tomorrow morning) or any time, a note, and who is reminded. The
promise shows up as a reminder when due and in the next handover draft."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ConversationRow, FollowUpRow, ShiftRow

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import clock_text, now_ms
from .shift_labels import shift_text
from .widgets import plain_label

SOON_MIN = 30
BEFORE_END_MIN = 15  # "before the shift ends": this long before its end
MORNING = (9, 0)  # "tomorrow morning"


class FollowUpDialog(QDialog):
    status_message = Signal(str)

    SOON, BEFORE_END, TOMORROW, CUSTOM = range(4)

    def __init__(self, desk: DeskLike, bridge: Bridge, conversation: ConversationRow,
                 parent: QWidget | None = None, *, clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self.setObjectName("followUpDialog")
        self._desk = desk
        self._bridge = bridge
        self._conv = conversation
        self._clock = clock
        self._opened_at = clock()
        self.shift: ShiftRow | None = desk.current_shift(at_ms=self._opened_at) \
            if desk.seat_id is not None else None
        run = desk.shift_window(self.shift.id, self._opened_at) if self.shift is not None else None
        self.shift_end: int | None = run[1] if run is not None else None
        self.next_shift: ShiftRow | None = desk.next_shift(None, self._opened_at)
        self.setWindowTitle(self.tr("Follow up later"))

        heading = plain_label(self.tr("Follow up with {buyer} · {shop}").format(
            buyer=conversation.buyer_nick, shop=conversation.shop_name), self,
            object_name="followUpHeading", wrap=True)
        heading.setStyleSheet("font-weight: 600;")

        when = QGroupBox(self.tr("When"), self)
        self.times = QButtonGroup(self)
        self.soon = QRadioButton(self.tr("In {n} minutes").format(n=SOON_MIN), when)
        self.before_end = QRadioButton(self.tr("Before my shift ends"), when)
        self.tomorrow = QRadioButton(self.tr("Tomorrow morning"), when)
        self.custom = QRadioButton(self.tr("At"), when)
        self.custom_time = QDateTimeEdit(when)
        self.custom_time.setObjectName("followUpCustomTime")
        self.custom_time.setCalendarPopup(True)
        self.custom_time.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.custom_time.setDateTime(QDateTime.fromMSecsSinceEpoch(self._opened_at + 2 * 3600_000))
        self.hints: list[QLabel] = []
        grid = QGridLayout(when)
        for row, (button, key) in enumerate(((self.soon, self.SOON), (self.before_end, self.BEFORE_END),
                                             (self.tomorrow, self.TOMORROW))):
            self.times.addButton(button, key)
            hint = plain_label("", when, object_name=f"followUpHint{key}")
            hint.setStyleSheet("color: #5f6670;")
            self.hints.append(hint)
            grid.addWidget(button, row, 0)
            grid.addWidget(hint, row, 1)
        self.times.addButton(self.custom, self.CUSTOM)
        grid.addWidget(self.custom, 3, 0)
        grid.addWidget(self.custom_time, 3, 1)
        grid.setColumnStretch(1, 1)

        self.note = QLineEdit(self)
        self.note.setObjectName("followUpNote")
        self.note.setPlaceholderText(self.tr("What to follow up, e.g. call back about the new address"))
        self.note.setMaxLength(200)

        who = QGroupBox(self.tr("Remind"), self)
        self.me = QRadioButton(self.tr("Me ({seat})").format(seat=desk.seat_name), who)
        self.next_seat = QRadioButton(
            self.tr("Whoever works the next shift ({shift})").format(shift=shift_text(self.next_shift))
            if self.next_shift is not None else self.tr("Whoever works the next shift"), who)
        self.whom = QButtonGroup(self)
        self.whom.addButton(self.me)
        self.whom.addButton(self.next_seat)
        who_row = QHBoxLayout(who)
        who_row.addWidget(self.me)
        who_row.addWidget(self.next_seat)
        who_row.addStretch(1)
        signed_in = desk.seat_id is not None
        self.me.setEnabled(signed_in)
        (self.me if signed_in else self.next_seat).setChecked(True)

        self.existing = QListWidget(self)
        self.existing.setObjectName("followUpExisting")
        self.existing_label = plain_label(self.tr("Already promised to this buyer"), self)
        self.done_button = QPushButton(self.tr("Mark done"), self)
        self.done_button.setObjectName("followUpDone")
        self.done_button.clicked.connect(self.complete_selected)
        existing_row = QHBoxLayout()
        existing_row.addWidget(self.existing, 1)
        existing_row.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignTop)

        self.error = plain_label("", self, object_name="followUpError", wrap=True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Set reminder"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(when)
        layout.addWidget(plain_label(self.tr("Note"), self))
        layout.addWidget(self.note)
        layout.addWidget(who)
        layout.addWidget(self.existing_label)
        layout.addLayout(existing_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.custom_time.dateTimeChanged.connect(lambda _dt: self.custom.setChecked(True))
        self._fill_hints()
        self.reload_existing()
        self.soon.setChecked(True)
        self.note.setFocus()
        self.resize(460, self.sizeHint().height())

    # -- times ---------------------------------------------------------------------------------
    def due_for(self, choice: int) -> int | None:
        """When a choice would remind (ms); None when it cannot (no shift on now)."""
        now = self._opened_at
        if choice == self.SOON:
            return now + SOON_MIN * 60_000
        if choice == self.BEFORE_END:
            if self.shift_end is None:
                return None
            end = self.shift_end
            return max(end - BEFORE_END_MIN * 60_000, min(now + 5 * 60_000, end))
        if choice == self.TOMORROW:
            day = datetime.fromtimestamp(now / 1000) + timedelta(days=1)
            return int(day.replace(hour=MORNING[0], minute=MORNING[1], second=0,
                                   microsecond=0).timestamp() * 1000)
        return int(self.custom_time.dateTime().toMSecsSinceEpoch()) // 60_000 * 60_000

    def due_at(self) -> int | None:
        return self.due_for(self.times.checkedId())

    def _fill_hints(self) -> None:
        for key, hint in zip((self.SOON, self.BEFORE_END, self.TOMORROW), self.hints):
            due = self.due_for(key)
            hint.setText(clock_text(due, self._opened_at) if due is not None
                         else self.tr("no shift on now"))
        self.before_end.setEnabled(self.shift_end is not None)
        if self.shift is not None:
            self.before_end.setText(self.tr("Before my shift ends ({shift})").format(shift=self.shift.name))

    # -- existing promises -----------------------------------------------------------------------
    def reload_existing(self) -> None:
        rows = [r for r in self._desk.follow_ups(None, None, True)
                if r.conversation_id == self._conv.id] if self._desk.seat_id is not None else []
        self.existing.clear()
        for r in rows:
            item = QListWidgetItem(self.existing_text(r), self.existing)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
        visible = bool(rows)
        self.existing_label.setVisible(visible)
        self.existing.setVisible(visible)
        self.done_button.setVisible(visible)
        if rows:
            self.existing.setCurrentRow(0)
            self.existing.setFixedHeight(min(4, len(rows)) * (self.existing.sizeHintForRow(0) + 2) + 6)

    def existing_text(self, r: FollowUpRow) -> str:
        who = self.tr("the next shift") if r.for_seat_id is None else r.created_by
        text = self.tr("{time} · for {who}").format(time=clock_text(r.due_at, self._clock()), who=who)
        return f"{text}: {r.note}" if r.note else text

    def complete_selected(self) -> Future[None] | None:
        item = self.existing.currentItem()
        if item is None:
            return None
        future = self._desk.complete_follow_up(int(item.data(Qt.ItemDataRole.UserRole)))
        self._bridge.when_done(future, self._on_completed)
        return future

    def _on_completed(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            self._show_error(str(error))
            return
        self.status_message.emit(self.tr("Follow-up done"))
        self.reload_existing()

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> Future[int] | None:
        due = self.due_at()
        if due is None:
            self._show_error(self.tr("Pick when to be reminded"))
            return None
        if due <= self._clock():
            self._show_error(self.tr("That time has passed: pick a later one"))
            return None
        for_seat = self._desk.seat_id if self.me.isChecked() else None
        self.buttons.setEnabled(False)
        future = self._desk.add_follow_up(self._conv.id, due, self.note.text().strip(), for_seat)
        self._bridge.when_done(future, lambda f: self._on_saved(f, due))
        return future

    def _on_saved(self, future: Future[int], due: int) -> None:
        self.buttons.setEnabled(True)
        error = future.exception()
        if error is not None:
            self._show_error(self.tr("Could not set the reminder: {error}").format(error=error))
            return
        whom = self.tr("you") if self.me.isChecked() else self.tr("the next shift")
        self.status_message.emit(self.tr("Reminder set for {who} at {time}").format(
            who=whom, time=clock_text(due, self._clock())))
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
