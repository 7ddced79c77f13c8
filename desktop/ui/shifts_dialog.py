"""Shifts and the roster (班次与排班): each shift's name, times (overlaps and shifts past
midnight allowed), weekdays, and which seats work it. Handovers are addressed to the next
shift, and the end-of-shift reminder rings for the seats on the roster."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import QTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import HandoverSettings, ShiftRow

from .bridge import Bridge
from .deskapi import DeskLike
from .shift_labels import span_text, weekday_label, weekdays_text
from .widgets import plain_label

NEW = -1  # the list row of a shift not saved yet
# Offered in the time-zone box (any IANA name may be typed): China first, then where
# cross-border teams often sit.
TIMEZONES = ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo",
             "Europe/London", "America/Los_Angeles", "UTC")


class ShiftsDialog(QDialog):
    status_message = Signal(str)

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftsDialog")
        self.setWindowTitle(self.tr("Shifts and roster"))
        self._desk = desk
        self._bridge = bridge
        self._shifts: dict[int, ShiftRow] = {}
        self.confirm: Callable[[str], bool] = self._confirm

        self.list = QListWidget(self)
        self.list.setObjectName("shiftList")
        self.new_button = QPushButton(self.tr("New shift"), self)
        self.new_button.setObjectName("newShift")
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("deleteShift")
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        left.addLayout(buttons)

        self.name = QLineEdit(self)
        self.name.setObjectName("shiftName")
        self.name.setPlaceholderText(self.tr("e.g. Early shift"))
        self.name.setMaxLength(40)
        self.start = self._time_edit("shiftStart")
        self.end = self._time_edit("shiftEnd")
        self.overnight = plain_label("", self, object_name="shiftOvernight")
        self.overnight.setStyleSheet("color: #c77700;")
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(plain_label("–", self))
        times.addWidget(self.end)
        times.addWidget(self.overnight, 1)
        self.days: list[QCheckBox] = []
        days = QHBoxLayout()
        for d in range(7):
            box = QCheckBox(weekday_label(d), self)
            box.setObjectName(f"shiftDay{d}")
            self.days.append(box)
            days.addWidget(box)
        days.addStretch(1)
        self.seats = QListWidget(self)
        self.seats.setObjectName("shiftSeats")
        self.error = plain_label("", self, object_name="shiftError", wrap=True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.save_button = QPushButton(self.tr("Save shift"), self)
        self.save_button.setObjectName("saveShift")
        self.save_button.setDefault(True)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Time"), times)
        form.addRow(self.tr("Days"), days)
        form.addRow(self.tr("Seats on it"), self.seats)
        right = QVBoxLayout()
        right.addLayout(form, 1)
        right.addWidget(self.error)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        right.addLayout(save_row)

        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        self.rules = self._build_rules()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr(
            "Handovers go to the next shift's seats; each seat is reminded before its shift "
            "ends. Shifts may overlap, and a shift may end after midnight."), self, wrap=True))
        self.lead_only = plain_label(self.tr("Only a lead can change shifts and the roster."), self,
                                     object_name="shiftsLeadOnly")
        self.lead_only.setStyleSheet("color: #c77700;")
        self.lead_only.hide()
        layout.addLayout(body, 1)
        layout.addWidget(self.lead_only)
        layout.addWidget(self.rules)
        layout.addWidget(close)

        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.new_button.clicked.connect(self.new_shift)
        self.delete_button.clicked.connect(lambda: self.delete_current())
        self.save_button.clicked.connect(lambda: self.save())
        self.start.timeChanged.connect(self._update_overnight)
        self.end.timeChanged.connect(self._update_overnight)
        self.save_rules_button.clicked.connect(lambda: self.save_rules())
        self.resize(780, 560)
        self.reload()
        self.show_rules(desk.handover_settings())
        # in team mode the roster is the lead's to set; everyone may read it
        self.editable = desk.is_lead() or not desk.team_mode
        for w in (self.new_button, self.delete_button, self.save_button, self.name, self.start,
                  self.end, self.seats, *self.days, self.rules):
            w.setEnabled(self.editable and (w is not self.delete_button or self.current_id() is not None))
        self.lead_only.setVisible(not self.editable)

    def _build_rules(self) -> QGroupBox:
        """The team's handover settings (a lead's): reminder lead time, overdue hours, the
        follow-up tag whose buyers go into drafts, the time zone shift times are in."""
        box = QGroupBox(self.tr("Team handover settings"), self)
        box.setObjectName("handoverRules")
        self.remind_minutes = QSpinBox(box)
        self.remind_minutes.setObjectName("remindMinutes")
        self.remind_minutes.setRange(1, 240)
        self.remind_minutes.setSuffix(self.tr(" min"))
        self.overdue_hours = QSpinBox(box)
        self.overdue_hours.setObjectName("overdueHours")
        self.overdue_hours.setRange(1, 24 * 7)
        self.overdue_hours.setSuffix(self.tr(" h"))
        self.follow_up_tag = QLineEdit(box)
        self.follow_up_tag.setObjectName("followUpTag")
        self.follow_up_tag.setMaxLength(20)
        self.timezone = QComboBox(box)
        self.timezone.setObjectName("shiftTimezone")
        self.timezone.setEditable(True)
        self.timezone.addItems(TIMEZONES)
        self.save_rules_button = QPushButton(self.tr("Save settings"), box)
        self.save_rules_button.setObjectName("saveHandoverRules")
        self.rules_message = plain_label("", box, object_name="handoverRulesMessage", wrap=True)
        self.rules_message.hide()
        grid = QGridLayout(box)
        grid.addWidget(plain_label(self.tr("Remind before a shift ends"), box), 0, 0)
        grid.addWidget(self.remind_minutes, 0, 1)
        grid.addWidget(plain_label(self.tr("To-do items overdue after"), box), 0, 2)
        grid.addWidget(self.overdue_hours, 0, 3)
        grid.addWidget(plain_label(self.tr("Follow-up tag"), box), 1, 0)
        grid.addWidget(self.follow_up_tag, 1, 1)
        grid.addWidget(plain_label(self.tr("Shift times in"), box), 1, 2)
        grid.addWidget(self.timezone, 1, 3)
        grid.addWidget(self.save_rules_button, 1, 4)
        grid.addWidget(self.rules_message, 2, 0, 1, 5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.follow_up_tag.setToolTip(self.tr("Buyers with this tag go into the handover draft"))
        return box

    def show_rules(self, rules: HandoverSettings) -> None:
        self.remind_minutes.setValue(rules.remind_minutes)
        self.overdue_hours.setValue(rules.overdue_hours)
        self.follow_up_tag.setText(rules.follow_up_tag)
        self.timezone.setCurrentText(rules.timezone)

    def save_rules(self) -> Future[HandoverSettings]:
        rules = HandoverSettings(follow_up_tag=self.follow_up_tag.text().strip(),
                                 timezone=self.timezone.currentText().strip(),
                                 remind_minutes=self.remind_minutes.value(),
                                 overdue_hours=self.overdue_hours.value())
        future = self._desk.set_handover_settings(rules)
        self._bridge.when_done(future, self._on_rules_saved)
        return future

    def _on_rules_saved(self, future: Future[HandoverSettings]) -> None:
        error = future.exception()
        if error is not None:
            self.rules_message.setStyleSheet("color: #c62828;")
            self.rules_message.setText(self.tr("Could not save the settings: {error}").format(error=error))
        else:
            self.rules_message.setStyleSheet("color: #2e7d32;")
            self.rules_message.setText(self.tr("Saved: every seat uses them from now on"))
            self.show_rules(future.result())
        self.rules_message.show()

    def _time_edit(self, name: str) -> QTimeEdit:
        edit = QTimeEdit(self)
        edit.setObjectName(name)
        edit.setDisplayFormat("HH:mm")
        return edit

    # -- reading -------------------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        keep = select if select is not None else self.current_id()
        self._shifts = {s.id: s for s in self._desk.shifts()}
        self.seats.clear()
        for seat in self._desk.seats():
            item = QListWidgetItem(seat.profile.display_name, self.seats)
            item.setData(Qt.ItemDataRole.UserRole, seat.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.list.blockSignals(True)
        self.list.clear()
        for shift in self._shifts.values():
            item = QListWidgetItem(self.row_text(shift), self.list)
            item.setData(Qt.ItemDataRole.UserRole, shift.id)
        self.list.blockSignals(False)
        rows = [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]
        if keep in rows:
            self.list.setCurrentRow(rows.index(keep))
        elif rows:
            self.list.setCurrentRow(0)
        else:
            self.new_shift()
        self._on_list_current_changed()

    def row_text(self, shift: ShiftRow) -> str:
        names = {s.id: s.profile.display_name for s in self._desk.seats()}
        people = "、".join(names[i] for i in sorted(shift.seat_ids) if i in names)
        text = f"{shift.name}  {span_text(shift)} · {weekdays_text(shift.weekdays)}"
        return f"{text}\n{people}" if people else f"{text}\n" + self.tr("nobody on the roster")

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None and value != NEW else None

    def show_shift(self, shift: ShiftRow | None) -> None:
        self.error.hide()
        self.name.setText(shift.name if shift else "")
        self.start.setTime(QTime.fromString(shift.start if shift else "08:30", "HH:mm"))
        self.end.setTime(QTime.fromString(shift.end if shift else "17:30", "HH:mm"))
        days = shift.weekdays if shift else frozenset(range(7))
        for d, box in enumerate(self.days):
            box.setChecked(d in days)
        roster = shift.seat_ids if shift else frozenset()
        for i in range(self.seats.count()):
            item = self.seats.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in roster
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.delete_button.setEnabled(shift is not None and getattr(self, "editable", True))
        self._update_overnight()

    # -- editing --------------------------------------------------------------------------------
    def new_shift(self) -> None:
        item = QListWidgetItem(self.tr("New shift"), self.list)
        item.setData(Qt.ItemDataRole.UserRole, NEW)
        self.list.setCurrentItem(item)
        self.show_shift(None)
        self.name.setFocus()

    def chosen_seats(self) -> frozenset[int]:
        return frozenset(int(self.seats.item(i).data(Qt.ItemDataRole.UserRole))
                         for i in range(self.seats.count())
                         if self.seats.item(i).checkState() == Qt.CheckState.Checked)

    def save(self) -> Future[int] | None:
        name = self.name.text().strip()
        if not name:
            self._show_error(self.tr("Give the shift a name"))
            return None
        days = frozenset(d for d, box in enumerate(self.days) if box.isChecked())
        if not days:
            self._show_error(self.tr("Pick the days the shift runs"))
            return None
        start, end = self.start.time().toString("HH:mm"), self.end.time().toString("HH:mm")
        future = self._desk.save_shift(name, start, end, days, self.chosen_seats(), self.current_id())
        self.save_button.setEnabled(False)
        self._bridge.when_done(future, self._on_saved)
        return future

    def delete_current(self) -> Future[None] | None:
        shift = self._shifts.get(self.current_id() or 0)
        if shift is None:
            return None
        if not self.confirm(self.tr("Delete the shift {name}? Handovers already written keep "
                                    "their text.").format(name=shift.name)):
            return None
        future = self._desk.delete_shift(shift.id)
        self._bridge.when_done(future, self._on_deleted)
        return future

    def _on_saved(self, future: Future[int]) -> None:
        self.save_button.setEnabled(True)
        error = future.exception()
        if error is not None:
            self._show_error(self.tr("Could not save the shift: {error}").format(error=error))
            return
        self.status_message.emit(self.tr("Shift saved"))
        self.reload(select=future.result())

    def _on_deleted(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            self._show_error(self.tr("Could not delete the shift: {error}").format(error=error))
            return
        self.reload()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Delete shift"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # -- slots ------------------------------------------------------------------------------------
    def _on_list_current_changed(self, *_args: object) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        if item.data(Qt.ItemDataRole.UserRole) != NEW:
            for i in reversed(range(self.list.count())):  # leave an unsaved new row behind
                if self.list.item(i).data(Qt.ItemDataRole.UserRole) == NEW:
                    self.list.takeItem(i)
            self.show_shift(self._shifts.get(int(item.data(Qt.ItemDataRole.UserRole))))

    def _update_overnight(self, *_args: object) -> None:
        past_midnight = self.end.time() <= self.start.time()
        self.overnight.setText(self.tr("ends the next day") if past_midnight else "")
