"""转接: hand one or many chats to a seat or a group, with a one-line reason the receiver reads.

The dialog passes back the row versions the agent saw, so a chat someone else moved
meanwhile is refused (and said so) instead of being yanked from its new holder.
An agent cannot pick a seat that is away, offline, suspended or full — the row
says why; a lead may (the core lets a lead's move through).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.routing import SeatStatus
from desktop.core.views import ChangeNotice, ConversationRow, SeatRow, TransferReport

from .bridge import Bridge
from .deskapi import DeskLike
from .icons import dot_icon
from .seat_status import status_color, status_label
from .widgets import plain_label

_CTX = "Transfer"
ASSIGNABLE = (SeatStatus.ONLINE.value, SeatStatus.BUSY.value)
DEFAULT_RETURN_MINUTES = 10

# Quick picks for the reason: the hand-overs agents make every day.
PRESET_REASONS = (
    QT_TRANSLATE_NOOP("Transfer", "After-sale issue, to after-sale"),
    QT_TRANSLATE_NOOP("Transfer", "Price needs the lead's approval"),
    QT_TRANSLATE_NOOP("Transfer", "Specialist to follow up"),
)

_REFUSALS = {
    "full": QT_TRANSLATE_NOOP("Transfer", "the seat is full ({detail})"),
    "not_served": QT_TRANSLATE_NOOP("Transfer", "the seat does not serve this shop"),
    "same_seat": QT_TRANSLATE_NOOP("Transfer", "that seat already holds it"),
    "closed": QT_TRANSLATE_NOOP("Transfer", "the conversation has ended"),
    "disabled": QT_TRANSLATE_NOOP("Transfer", "the seat is disabled"),
    "missing": QT_TRANSLATE_NOOP("Transfer", "the conversation no longer exists"),
}


def _tr(text: str) -> str:
    """A QT_TRANSLATE_NOOP-marked source, translated now."""
    return QCoreApplication.translate(_CTX, text)


def refusal_text(code: str, detail: str) -> str:
    """Why one chat did not move, in words (TransferReport.refused codes)."""
    if code == "moved":
        if detail:
            return QCoreApplication.translate("Transfer", "{who} moved it first").format(who=detail)
        return QCoreApplication.translate("Transfer", "someone else moved it first")
    if code == "unavailable":
        return QCoreApplication.translate("Transfer", "the seat is {status}").format(
            status=status_label(detail))
    source = _REFUSALS.get(code)
    return _tr(source).format(detail=detail) if source else code


def report_lines(report: TransferReport, rows: Mapping[int, ConversationRow], target: str,
                 group: str = "") -> list[str]:
    """The outcome: how many moved or queue, then each refusal with the buyer's name."""
    lines = []
    if report.moved:
        lines.append(QCoreApplication.translate(
            "Transfer", "{n} conversation(s) handed to {target}").format(n=len(report.moved),
                                                                          target=target))
    if report.queued:
        lines.append(QCoreApplication.translate(
            "Transfer", "{n} conversation(s) wait in the {group} queue: no free seat there").format(
                n=len(report.queued), group=group or target))
    for cid, code, detail in report.refused:
        row = rows.get(cid)
        who = row.buyer_nick if row is not None else f"#{cid}"
        lines.append(QCoreApplication.translate("Transfer", "{buyer}: not moved, {reason}").format(
            buyer=who, reason=refusal_text(code, detail)))
    return lines


def seat_problem(seat: SeatRow, rows: Sequence[ConversationRow]) -> str:
    """Why this seat cannot take these chats now ("" = it can)."""
    if not seat.enabled:
        return QCoreApplication.translate("Transfer", "disabled")
    if seat.effective not in ASSIGNABLE:
        return status_label(seat.effective)
    if rows and all(r.seat_id == seat.id for r in rows):
        return QCoreApplication.translate("Transfer", "holds it already")
    shops = seat.profile.shop_ids
    if shops is not None and rows and all(r.shop_id not in shops for r in rows):
        return QCoreApplication.translate("Transfer", "does not serve this shop")
    if seat.chats >= seat.profile.max_chats:
        return QCoreApplication.translate("Transfer", "full")
    return ""


class TransferDialog(QDialog):
    transferred = Signal(object)  # the TransferReport, once the engine has done it
    status_message = Signal(str)  # the outcome in one line, for the status bar

    TargetRole = Qt.ItemDataRole.UserRole + 1  # ("seat", id) | ("group", name)

    def __init__(self, desk: DeskLike, bridge: Bridge, rows: Sequence[ConversationRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferDialog")
        self.setWindowTitle(self.tr("Transfer conversation"))
        self._desk = desk
        self._bridge = bridge
        self._rows = {r.id: r for r in rows}
        self._lead = desk.is_lead()
        self._busy = False
        self._target_name = ""
        self._group = ""

        if len(rows) == 1:
            heading = self.tr("Transfer {buyer} ({shop}) to:").format(
                buyer=rows[0].buyer_nick, shop=rows[0].shop_name)
        else:
            heading = self.tr("Transfer {n} conversations to:").format(n=len(rows))
        self.heading = plain_label(heading, self, object_name="transferHeading")
        self.filter = QLineEdit(self)
        self.filter.setObjectName("transferFilter")
        self.filter.setPlaceholderText(self.tr("Type to find a seat or group…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.installEventFilter(self)

        self.targets = QTreeWidget(self)
        self.targets.setObjectName("transferTargets")
        self.targets.setHeaderLabels([self.tr("Seat or group"), self.tr("Groups"), self.tr("Chats"),
                                      self.tr("Status")])
        self.targets.setRootIsDecorated(False)
        self.targets.setUniformRowHeights(True)
        self.targets.setItemsExpandable(False)
        self.targets.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.targets.setStyleSheet("#transferTargets { selection-background-color: #e6effc; "
                                   "selection-color: #1f2329; }")
        header = self.targets.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.targets.itemDoubleClicked.connect(lambda _item, _col: self.submit())

        self.reason = QLineEdit(self)
        self.reason.setObjectName("transferReason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("Reason, one line — the receiver reads it first"))
        self.reason.returnPressed.connect(self.submit)
        presets = QHBoxLayout()
        presets.setSpacing(6)
        self.preset_buttons: list[QPushButton] = []
        for source in PRESET_REASONS:
            text = _tr(source)
            button = QPushButton(text, self)
            button.setObjectName("reasonPreset")
            button.setFlat(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setStyleSheet("#reasonPreset { border: 1px solid #d9dde2; border-radius: 10px; "
                                 "padding: 2px 10px; color: #5f6670; background: #ffffff; }"
                                 "#reasonPreset:hover { border-color: #1f6fd1; color: #1f6fd1; }")
            button.clicked.connect(lambda _=False, t=text: self._use_preset(t))
            self.preset_buttons.append(button)
            presets.addWidget(button)
        presets.addStretch(1)

        self.return_check = QCheckBox(self.tr("Give it back if not answered within"), self)
        self.return_minutes = QSpinBox(self)
        self.return_minutes.setRange(1, 240)
        self.return_minutes.setValue(DEFAULT_RETURN_MINUTES)
        self.return_minutes.setSuffix(self.tr(" min"))
        self.return_minutes.setEnabled(False)
        self.return_check.toggled.connect(self.return_minutes.setEnabled)
        timer = QHBoxLayout()
        timer.addWidget(self.return_check)
        timer.addWidget(self.return_minutes)
        timer.addStretch(1)

        self.error = plain_label("", self, object_name="dialogError", wrap=True)
        self.error.setStyleSheet("#dialogError { color: #c62828; }")
        self.error.hide()
        self.result_label = plain_label("", self, object_name="transferResult", wrap=True,
                                        selectable=True)
        self.result_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, parent=self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Transfer"))
        self.ok_button.setAutoDefault(False)
        self.ok_button.setDefault(False)  # Enter is handled by the filter and reason lines
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.filter)
        layout.addWidget(self.targets, 1)
        layout.addSpacing(4)
        layout.addWidget(plain_label(self.tr("Reason"), self))
        layout.addWidget(self.reason)
        layout.addLayout(presets)
        layout.addLayout(timer)
        layout.addWidget(self.error)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.resize(560, 520)

        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.reload()
        self.filter.setFocus()

    # -- reads --------------------------------------------------------------------------------
    def target(self) -> tuple[str, object] | None:
        item = self.targets.currentItem()
        if item is None or not item.isSelected() or not (item.flags() & Qt.ItemFlag.ItemIsEnabled):
            return None
        data = item.data(0, self.TargetRole)
        return None if data is None else (str(data[0]), data[1])

    def seat_item(self, seat_id: int) -> QTreeWidgetItem | None:
        return self._find(("seat", seat_id))

    def group_item(self, name: str) -> QTreeWidgetItem | None:
        return self._find(("group", name))

    # -- commands -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Seats and groups as they are now (again on ChangeNotice.seats), keeping the choice."""
        keep = self.target()
        self.targets.clear()
        seats = self._desk.seats()
        rows = list(self._rows.values())
        self._seat_section = self._section(self.tr("Seats"))
        for seat in seats:
            problem = seat_problem(seat, rows)
            name = seat.name + (self.tr(" (me)") if seat.id == self._desk.seat_id else "")
            item = QTreeWidgetItem(self._seat_section, [
                name, " · ".join(seat.profile.groups), f"{seat.chats}/{seat.profile.max_chats}",
                problem or status_label(seat.effective)])
            item.setIcon(0, dot_icon(status_color(seat.effective)))
            item.setData(0, self.TargetRole, ("seat", seat.id))
            item.setData(1, self.TargetRole, f"{seat.name} {seat.profile.name} "
                                             f"{' '.join(seat.profile.groups)}".lower())
            if problem:
                # a lead's move overrides status and cap, never "disabled" or "holds it already"
                hard = not seat.enabled or all(r.seat_id == seat.id for r in rows)
                blocked = hard or not self._lead
                item.setForeground(3, QBrush(QColor("#a3a8b0" if blocked else "#c77700")))
                if blocked:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                    item.setToolTip(0, self.tr("Cannot take it now: {why}").format(why=problem))
                else:
                    item.setToolTip(0, self.tr("{why} — as a lead you may still move it here").format(
                        why=problem))
        self._group_section = self._section(self.tr("Groups"))
        for group in self._desk.team_groups():
            members = [s for s in seats if group in s.profile.groups]
            free = sum(1 for s in members if s.enabled and s.effective in ASSIGNABLE
                       and s.chats < s.profile.max_chats)
            held = sum(s.chats for s in members)
            cap = sum(s.profile.max_chats for s in members)
            note = (self.tr("{n} free seat(s): the least busy gets it").format(n=free) if free
                    else self.tr("no free seat: it waits in the group's queue"))
            item = QTreeWidgetItem(self._group_section, [group, self.tr("{n} seat(s)").format(
                n=len(members)), f"{held}/{cap}" if cap else "—", note])
            item.setData(0, self.TargetRole, ("group", group))
            item.setData(1, self.TargetRole, group.lower())
            if not free:
                item.setForeground(3, QBrush(QColor("#c77700")))
        self.targets.expandAll()
        self._apply_filter(self.filter.text())
        if keep is not None:
            found = self._find(keep)
            if found is not None and not found.isHidden():
                self.targets.setCurrentItem(found)

    def choose_seat(self, seat_id: int) -> bool:
        item = self.seat_item(seat_id)
        return self._choose(item)

    def choose_group(self, name: str) -> bool:
        return self._choose(self.group_item(name))

    def apply_notice(self, notice: ChangeNotice) -> None:
        if notice.seats and not self._busy and self.result_label.isHidden():
            self.reload()

    def submit(self) -> None:
        """Enter / OK: check the choice and the reason, then hand the chats over."""
        if self._busy or not self.result_label.isHidden():
            return
        target = self.target()
        reason = " ".join(self.reason.text().split())
        if target is None:
            self._show_error(self.tr("Choose a seat or a group"))
            self.targets.setFocus()
            return
        if not reason:
            self._show_error(self.tr("Write a reason: the receiver reads it first"))
            self.reason.setFocus()
            return
        kind, value = target
        versions = {cid: row.assign_version for cid, row in self._rows.items()}
        minutes = self.return_minutes.value() if self.return_check.isChecked() else None
        item = self.targets.currentItem()
        self._target_name = item.text(0) if item is not None else ""
        self._group = str(value) if kind == "group" else ""
        self._set_busy(True)
        if kind == "seat":
            future = self._desk.transfer(versions, to_seat_id=int(str(value)), reason=reason,
                                         return_minutes=minutes)
        else:
            future = self._desk.transfer(versions, to_group=str(value), reason=reason,
                                         return_minutes=minutes)
        self._bridge.when_done(future, self._on_transferred)

    # -- internals ----------------------------------------------------------------------------
    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.targets, [title])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable
        font = QFont(self.targets.font())
        font.setBold(True)
        item.setFont(0, font)
        item.setForeground(0, QBrush(QColor("#7a8089")))
        item.setFirstColumnSpanned(True)
        return item

    def _children(self, section: QTreeWidgetItem | None = None) -> list[QTreeWidgetItem]:
        sections = (self._seat_section, self._group_section) if section is None else (section,)
        return [child for s in sections for i in range(s.childCount())
                if (child := s.child(i)) is not None]

    def _find(self, key: tuple[str, object]) -> QTreeWidgetItem | None:
        for item in self._children():
            data = item.data(0, self.TargetRole)
            if data is not None and (data[0], data[1]) == tuple(key):
                return item
        return None

    def _choose(self, item: QTreeWidgetItem | None) -> bool:
        if item is None or not (item.flags() & Qt.ItemFlag.ItemIsEnabled):
            return False
        self.targets.setCurrentItem(item)
        item.setSelected(True)
        return True

    def _selectable(self) -> list[QTreeWidgetItem]:
        return [i for i in self._children()
                if not i.isHidden() and i.flags() & Qt.ItemFlag.ItemIsEnabled]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for section in (self._seat_section, self._group_section):
            shown = 0
            for child in self._children(section):
                hay = f"{child.text(0).lower()} {child.data(1, self.TargetRole) or ''}"
                child.setHidden(bool(needle) and needle not in hay)
                shown += not child.isHidden()
            section.setHidden(shown == 0)

    def _on_filter_text_changed(self, text: str) -> None:
        self._apply_filter(text)
        current = self.targets.currentItem()
        if current is None or current.isHidden() or not text.strip():
            choices = self._selectable()
            if text.strip() and choices:
                self._choose(choices[0])
            elif current is not None and current.isHidden():
                self.targets.clearSelection()

    def _step(self, delta: int) -> None:
        choices = self._selectable()
        if not choices:
            return
        current = self.targets.currentItem()
        i = choices.index(current) if current in choices else (-1 if delta > 0 else len(choices))
        self._choose(choices[max(0, min(len(choices) - 1, i + delta))])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The filter line steers the list: Up/Down pick, Enter confirms (or moves on to
        the reason when it is still empty)."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._step(-1 if key == Qt.Key.Key_Up else +1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.target() is not None and not self.reason.text().strip():
                    self.reason.setFocus()
                else:
                    self.submit()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.result_label.isHidden():
            self.submit()  # never QDialog's default-button accept: it would skip the checks
            return
        super().keyPressEvent(event)

    def _use_preset(self, text: str) -> None:
        self.reason.setText(text)
        self.reason.setFocus()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.filter, self.targets, self.reason, self.return_check, self.ok_button,
                       *self.preset_buttons):
            widget.setEnabled(not busy)
        self.return_minutes.setEnabled(not busy and self.return_check.isChecked())
        if busy:
            self.error.hide()

    def _on_transferred(self, future: Future[TransferReport]) -> None:
        error = future.exception()
        if error is not None:
            self._set_busy(False)
            self._show_error(self.tr("Could not transfer: {error}").format(error=error))
            return
        self._busy = False
        report = future.result()
        lines = report_lines(report, self._rows, self._target_name, self._group)
        self.transferred.emit(report)
        self.status_message.emit(lines[0] if lines else "")
        if not report.refused:
            self.accept()
            return
        # Something did not move: say what, and let the agent read it before closing.
        self.result_label.setText("\n".join(lines))
        self.result_label.setStyleSheet("#transferResult { color: #b3261e; background: #fdecea; "
                                        "border: 1px solid #f6c7c2; border-radius: 4px; padding: 6px; }")
        self.result_label.show()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
