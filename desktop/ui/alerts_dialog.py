"""Notification settings: the master switches, each shop's pop-up, sound and tone, and
the mute schedule (quiet hours, "mute outside my shift"), with what it means right now.

Everything is edited on a copy and applied on Save; the notifier keeps it in the
UI prefs. Keyboard: arrows and Space in the shop table, Tab between parts.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTime, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from .alert_rules import (
    QUIET,
    SHIFT,
    TONES,
    WORK_DAYS,
    MuteRange,
    Schedule,
    ShopAlert,
    days_text,
    hhmm,
)
from .deskapi import DeskLike
from .icons import dot_icon
from .notifier import Notifier
from .widgets import plain_label

ON = Qt.CheckState.Checked
OFF = Qt.CheckState.Unchecked


def _button(text: str, parent: QWidget, name: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    return button


class AlertsDialog(QDialog):
    def __init__(self, desk: DeskLike, notifier: Notifier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertsDialog")
        self.setWindowTitle(self.tr("Notification settings"))
        self._notifier = notifier
        self.shops = desk.shops()
        self.alerts: dict[int, ShopAlert] = {s.id: notifier.shop_alert(s.id) for s in self.shops}
        self.ranges: list[MuteRange] = list(notifier.schedule.ranges)
        self._loading = False

        self.tray_box = QCheckBox(self.tr("&Pop-up in the tray when a buyer writes"), self)
        self.tray_box.setChecked(not notifier.tray_muted)
        self.sound_box = QCheckBox(self.tr("S&ound when a buyer writes"), self)
        self.sound_box.setChecked(not notifier.sound_muted)
        scope = plain_label(self.tr(
            "Only your own buyers and the unassigned queue alert you, and a pop-up only shows "
            "while SeatDesk is not the window in front. Ctrl+M mutes everything at once."),
            self, wrap=True)
        scope.setStyleSheet("color: #5f6670;")

        # -- per shop ------------------------------------------------------------------------
        self.table = QTableWidget(len(self.shops), 3, self)
        self.table.setObjectName("shopAlerts")
        self.table.setHorizontalHeaderLabels([self.tr("Shop"), self.tr("Pop-up"), self.tr("Sound")])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 12)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for row, shop in enumerate(self.shops):
            name = QTableWidgetItem(dot_icon(shop.color), f"{shop.name} · {shop.platform_name}")
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, 0, name)
            for column in (1, 2):
                item = QTableWidgetItem("")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
                self.table.setItem(row, column, item)
        self.tone_label = plain_label("", self, object_name="toneLabel")
        self.tone = QComboBox(self)
        self.tone.setObjectName("toneChoice")
        names = {"chime": self.tr("Chime"), "ding": self.tr("Ding"), "bubble": self.tr("Bubble")}
        for tone in TONES:
            self.tone.addItem(names[tone], tone)
        self.play = _button(self.tr("P&lay"), self, "playTone")
        tone_row = QHBoxLayout()
        tone_row.addWidget(self.tone_label)
        tone_row.addWidget(self.tone)
        tone_row.addWidget(self.play)
        tone_row.addStretch(1)
        shops_box = QGroupBox(self.tr("Per shop"), self)
        shops_layout = QVBoxLayout(shops_box)
        shops_layout.addWidget(self.table)
        shops_layout.addLayout(tone_row)

        # -- the schedule -------------------------------------------------------------------
        self.range_list = QListWidget(self)
        self.range_list.setObjectName("muteRanges")
        self.range_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)  # a few ranges
        self.add_quiet = _button(self.tr("Add &quiet hours"), self, "addQuiet")
        self.add_shift = _button(self.tr("Add my s&hift"), self, "addShift")
        self.remove = _button(self.tr("&Remove"), self, "removeRange")
        range_buttons = QVBoxLayout()
        for b in (self.add_quiet, self.add_shift, self.remove):
            range_buttons.addWidget(b)
        range_buttons.addStretch(1)
        ranges_row = QHBoxLayout()
        ranges_row.addWidget(self.range_list, 1)
        ranges_row.addLayout(range_buttons)
        self.kind = QComboBox(self)
        self.kind.setObjectName("rangeKind")
        self.kind.addItem(self.tr("Quiet hours: muted inside"), QUIET)
        self.kind.addItem(self.tr("My shift: muted outside"), SHIFT)
        self.start = QTimeEdit(self)
        self.start.setObjectName("rangeStart")
        self.end = QTimeEdit(self)
        self.end.setObjectName("rangeEnd")
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.day_names = [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"),
                          self.tr("Fri"), self.tr("Sat"), self.tr("Sun")]
        self.days = [QCheckBox(name, self) for name in self.day_names]
        editor = QHBoxLayout()
        editor.addWidget(self.kind)
        editor.addWidget(self.start)
        editor.addWidget(plain_label("–", self))
        editor.addWidget(self.end)
        for box in self.days:
            editor.addWidget(box)
        editor.addStretch(1)
        self.editor = QWidget(self)
        self.editor.setLayout(editor)
        editor.setContentsMargins(0, 0, 0, 0)
        self.state_label = plain_label("", self, object_name="muteState", wrap=True)
        schedule_box = QGroupBox(self.tr("Mute schedule"), self)
        schedule_layout = QVBoxLayout(schedule_box)
        schedule_layout.addLayout(ranges_row)
        schedule_layout.addWidget(self.editor)
        schedule_layout.addWidget(self.state_label)

        self.save_button = _button(self.tr("&Save"), self, "saveButton")
        cancel = _button(self.tr("Cancel"), self, "cancelButton")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tray_box)
        layout.addWidget(self.sound_box)
        layout.addWidget(scope)
        layout.addWidget(shops_box, 1)
        layout.addWidget(schedule_box)
        layout.addLayout(buttons)

        self._fill_table()
        self._fill_ranges()
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.table.currentCellChanged.connect(lambda *_args: self._show_tone())
        self.tone.currentIndexChanged.connect(self._on_tone_changed)
        self.play.clicked.connect(lambda: self._notifier.sound.play(self.tone.currentData()))
        self.range_list.currentRowChanged.connect(lambda _row: self._show_range())
        self.add_quiet.clicked.connect(lambda: self.add_range(MuteRange(QUIET, 12 * 60, 13 * 60)))
        self.add_shift.clicked.connect(lambda: self.add_range(MuteRange(SHIFT, 8 * 60 + 30, 17 * 60 + 30,
                                                                        WORK_DAYS)))
        self.remove.clicked.connect(self.remove_range)
        self.kind.currentIndexChanged.connect(lambda _i: self._on_editor_changed())
        self.start.timeChanged.connect(lambda _t: self._on_editor_changed())
        self.end.timeChanged.connect(lambda _t: self._on_editor_changed())
        for box in self.days:
            box.toggled.connect(lambda _on: self._on_editor_changed())
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        if self.shops:
            self.table.setCurrentCell(0, 1)
        self._show_tone()
        self.table.setFocus()
        self.resize(640, 660)

    # -- commands -------------------------------------------------------------------------
    def add_range(self, rng: MuteRange) -> None:
        self.ranges.append(rng)
        self._fill_ranges()
        self.range_list.setCurrentRow(len(self.ranges) - 1)
        self.start.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_range(self) -> None:
        row = self.range_list.currentRow()
        if 0 <= row < len(self.ranges):
            del self.ranges[row]
            self._fill_ranges()
            self.range_list.setCurrentRow(min(row, len(self.ranges) - 1))

    def schedule(self) -> Schedule:
        return Schedule(tuple(self.ranges))

    def save(self) -> None:
        n = self._notifier
        n.set_tray_muted(not self.tray_box.isChecked())
        n.set_sound_muted(not self.sound_box.isChecked())
        n.set_shop_alerts(self.alerts)
        n.set_schedule(self.schedule())
        self.accept()

    def range_text(self, rng: MuteRange) -> str:
        kind = self.tr("Quiet hours") if rng.kind == QUIET else self.tr("My shift")
        days = days_text(rng.days, self.day_names, self.tr("every day"), self.tr("Mon–Fri"),
                         self.tr(", ")) or self.tr("no day")
        if rng.start == rng.end:
            when = self.tr("all day")
        else:
            when = (self.tr("{start}–{end} (into the next day)") if rng.end < rng.start
                    else "{start}–{end}").format(start=hhmm(rng.start), end=hhmm(rng.end))
        return f"{kind} · {days} · {when}"

    def state_text(self, now: datetime | None = None) -> str:
        """What the schedule means now: muted or not, and until when."""
        now = now or datetime.now()
        schedule = self.schedule()
        if not schedule.ranges:
            return self.tr("No schedule: alerts ring at any time.")
        muted = schedule.muted_at(now)
        change = schedule.next_change(now)
        if change is None:
            return self.tr("Muted at all times.") if muted else self.tr("Never muted by the schedule.")
        day = "" if change.date() == now.date() else self.day_names[change.weekday()] + " "
        at = day + change.strftime("%H:%M")
        if muted:
            return self.tr("Muted now, until {time}.").format(time=at)
        return self.tr("Alerts on now; muted from {time}.").format(time=at)

    # -- internals ---------------------------------------------------------------------------
    def _fill_table(self) -> None:
        self._loading = True
        for row, shop in enumerate(self.shops):
            alert = self.alerts[shop.id]
            self.table.item(row, 1).setCheckState(ON if alert.tray else OFF)
            self.table.item(row, 2).setCheckState(ON if alert.sound else OFF)
        self._loading = False

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() not in (1, 2):
            return
        shop = self.shops[item.row()]
        old = self.alerts[shop.id]
        on = item.checkState() == ON
        self.alerts[shop.id] = (ShopAlert(on, old.sound, old.tone) if item.column() == 1
                                else ShopAlert(old.tray, on, old.tone))

    def _current_shop(self) -> int | None:
        row = self.table.currentRow()
        return self.shops[row].id if 0 <= row < len(self.shops) else None

    def _show_tone(self) -> None:
        shop_id = self._current_shop()
        enabled = shop_id is not None
        for widget in (self.tone, self.play):
            widget.setEnabled(enabled)
        if shop_id is None:
            self.tone_label.setText(self.tr("Sound:"))
            return
        shop = next(s for s in self.shops if s.id == shop_id)
        self.tone_label.setText(self.tr("Sound of {shop}:").format(shop=shop.name))
        self.tone.blockSignals(True)
        self.tone.setCurrentIndex(max(0, self.tone.findData(self.alerts[shop_id].tone)))
        self.tone.blockSignals(False)

    def _on_tone_changed(self, _index: int) -> None:
        shop_id = self._current_shop()
        if shop_id is not None:
            old = self.alerts[shop_id]
            self.alerts[shop_id] = ShopAlert(old.tray, old.sound, str(self.tone.currentData()))

    def _fill_ranges(self) -> None:
        keep = self.range_list.currentRow()
        self.range_list.blockSignals(True)
        self.range_list.clear()
        for rng in self.ranges:
            self.range_list.addItem(self.range_text(rng))
        self.range_list.setCurrentRow(min(max(keep, 0), len(self.ranges) - 1))
        self.range_list.blockSignals(False)
        self._show_range()

    def _show_range(self) -> None:
        row = self.range_list.currentRow()
        has = 0 <= row < len(self.ranges)
        self.editor.setEnabled(has)
        self.remove.setEnabled(has)
        if has:
            rng = self.ranges[row]
            self._loading = True
            self.kind.setCurrentIndex(max(0, self.kind.findData(rng.kind)))
            self.start.setTime(QTime(rng.start // 60, rng.start % 60))
            self.end.setTime(QTime(rng.end // 60, rng.end % 60))
            for d, box in enumerate(self.days):
                box.setChecked(d in rng.days)
            self._loading = False
        self.state_label.setText(self.state_text())

    def _on_editor_changed(self) -> None:
        row = self.range_list.currentRow()
        if self._loading or not 0 <= row < len(self.ranges):
            return
        days = frozenset(d for d, box in enumerate(self.days) if box.isChecked())
        start, end = self.start.time(), self.end.time()
        self.ranges[row] = MuteRange(str(self.kind.currentData()), start.hour() * 60 + start.minute(),
                                     end.hour() * 60 + end.minute(), days)
        item = self.range_list.item(row)
        if item is not None:
            item.setText(self.range_text(self.ranges[row]))
        self.state_label.setText(self.state_text())
