"""The team-lead console (团队): a live board of seats, the waiting queue and any seat's
chats (read-only); moving one or many chats onto a seat or a group by drag and drop or
from the keyboard; a seat's status, release and profile; the team's routing rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.routing import SeatStatus
from desktop.core.views import ChangeNotice, ConversationRow, InboxFilter, SeatRow, TransferReport

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import now_ms
from .icons import dot_icon
from .seat_status import status_color, status_label
from .tables import KeyedRowsModel, RowOnFocus, setup_row_table
from .team_models import ChatsModel, GroupsModel, SeatsModel, seat_status_text
from .transfer_dialog import report_lines
from .widgets import plain_label

# What a lead may set from the board (offline is what an app that quit is).
SETTABLE = (SeatStatus.ONLINE, SeatStatus.BUSY, SeatStatus.SUSPENDED, SeatStatus.AWAY)


class MoveTargetDialog(QDialog):
    """Ctrl+Shift+M: pick a seat or a group for the selected chats by typing a few letters."""

    def __init__(self, seats: Sequence[SeatRow], groups: Sequence[str], count: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moveTargetDialog")
        self.setWindowTitle(self.tr("Move chats"))
        self.filter = QLineEdit(self)
        self.filter.setObjectName("moveTargetFilter")
        self.filter.setPlaceholderText(self.tr("Type a seat or group name"))
        self.list = QListWidget(self)
        self.list.setObjectName("moveTargets")
        for seat in seats:
            if not seat.enabled:
                continue
            text = self.tr("{name} · {status} · {chats}/{cap}").format(
                name=seat.name, status=seat_status_text(seat), chats=seat.chats, cap=seat.profile.max_chats)
            item = QListWidgetItem(dot_icon(status_color(seat.effective), 10), text)
            item.setData(Qt.ItemDataRole.UserRole, ("seat", seat.id))
            self.list.addItem(item)
        for group in groups:
            free = any(group in s.profile.groups and s.enabled and s.chats < s.profile.max_chats
                       and s.effective in (SeatStatus.ONLINE.value, SeatStatus.BUSY.value) for s in seats)
            icon = dot_icon(status_color(SeatStatus.ONLINE.value if free else SeatStatus.OFFLINE.value), 10)
            item = QListWidgetItem(icon, self.tr("Group {group} (its freest seat)").format(group=group))
            item.setData(Qt.ItemDataRole.UserRole, ("group", group))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr("Move {n} chat(s) to:").format(n=count), self))
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.resize(360, 380)

    def target(self) -> tuple[str, int | str] | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None and not item.isHidden() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Up/Down in the filter walk the list, so the keyboard never has to leave the line
        if watched is self.filter and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            visible = [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]
            if visible:
                at = visible.index(self.list.currentRow()) if self.list.currentRow() in visible else -1
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                self.list.setCurrentRow(visible[max(0, min(len(visible) - 1, at + step))])
            return True
        return False

    def _on_filter_text_changed(self, text: str) -> None:
        needle = text.strip().lower()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hide = bool(needle) and needle not in item.text().lower()
            item.setHidden(hide)
            if not hide and first is None:
                first = i
        if first is not None:
            self.list.setCurrentRow(first)


def _start_of_today_ms() -> int:
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return int(today.timestamp() * 1000)


def _fit_titles(table: QTableView) -> None:
    """Widen a column to its title where the title is longer than its cells (English)."""
    header, model = table.horizontalHeader(), table.model()
    for col in range(model.columnCount()):
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        header.resizeSection(col, max(header.sectionSize(col),
                                      header.fontMetrics().horizontalAdvance(title) + 24))


class TeamConsole(QWidget):
    conversation_requested = Signal(int)  # open this chat in the chat page
    status_message = Signal(str)
    response_times_requested = Signal()  # the response-time report (response_report.py)

    REPORT_LINES = 6
    WINDOW = 300  # queue / seat chats shown at once; the header counts them all
    COALESCE_MS = 300
    SEATS_EVERY_MS = 5000  # heartbeats go stale without any change notice

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self.setObjectName("teamConsole")
        self._desk = desk
        self._bridge = bridge
        self.loaded = False
        self._names: dict[int, ConversationRow] = {}  # chats last shown, for messages
        self.move_dialog: MoveTargetDialog | None = None
        # open chats the selected seat holds, quiet ones too (the board's load leaves
        # out chats idle past the rules' idle time; a release moves them all)
        self.seat_total = 0

        self.seats = SeatsModel(self, clock=clock)
        self.queue = ChatsModel(self, queue=True, clock=clock)
        self.seat_chats = ChatsModel(self, queue=False, clock=clock)
        self.groups = GroupsModel(self)

        # -- the bar: seat actions, then the team's settings
        self.status_button = QPushButton(self.tr("Status"), self)
        self.status_button.setObjectName("teamStatusButton")
        self.status_menu = QMenu(self)
        for status in SETTABLE:
            action = self.status_menu.addAction(dot_icon(status_color(status.value), 10), status_label(status.value))
            action.setData(status.value)
            action.triggered.connect(lambda _=False, s=status: self.set_status(s))
        self.status_button.setMenu(self.status_menu)
        self.release_button = QPushButton(self.tr("Release all chats…"), self)
        self.release_button.setObjectName("releaseSeatButton")
        self.move_button = QPushButton(self.tr("Move chats to…"), self)
        self.move_button.setObjectName("moveChatsButton")
        self.new_button = QPushButton(self.tr("New seat…"), self)
        self.new_button.setObjectName("newSeatButton")
        self.edit_button = QPushButton(self.tr("Edit seat…"), self)
        self.edit_button.setObjectName("editSeatButton")
        self.enable_button = QPushButton(self.tr("Disable seat"), self)
        self.enable_button.setObjectName("enableSeatButton")
        self.show_disabled = QCheckBox(self.tr("Show disabled"), self)
        self.show_disabled.setObjectName("showDisabledSeats")
        self.rules_button = QPushButton(self.tr("Routing rules…"), self)
        self.rules_button.setObjectName("routingRulesButton")
        self.report_button = QPushButton(self.tr("Response times…"), self)
        self.report_button.setObjectName("responseTimesButton")
        self.message = plain_label("", self, object_name="teamMessage", wrap=True)
        self.message.hide()

        # -- the board
        self.board = QTableView(self)
        self.board.setObjectName("seatBoard")
        setup_row_table(self.board, self.seats, SeatsModel.GROUPS, {
            SeatsModel.SEAT: 8, SeatsModel.STATUS: 10, SeatsModel.LOAD: 4.5, SeatsModel.WAITING: 4,
            SeatsModel.LONGEST: 5.5, SeatsModel.REPLIES: 6})
        _fit_titles(self.board)
        self.board.setAcceptDrops(True)
        self.board.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.board.setDragDropOverwriteMode(True)  # onto a seat, never between two
        self.board.setDropIndicatorShown(True)
        RowOnFocus(self.board)
        self.board_hint = plain_label(self.tr(
            "Drag chats from the queue or from a seat's list onto a seat or a group; "
            "or select them and press Ctrl+Shift+M."), self, object_name="teamHint", wrap=True)
        self.board_hint.setStyleSheet("color: #8a9099;")

        # -- the selected seat's chats and today's status changes
        self.seat_title = plain_label("", self, object_name="seatChatsTitle")
        self.seat_title.setStyleSheet("font-weight: 600;")
        self.seat_table = self._chats_table("seatChats", self.seat_chats, ChatsModel.EXTRA)
        self.seat_empty = self._empty_label("seatChatsEmpty")
        self.timeline = plain_label("", self, object_name="seatTimeline", wrap=True)
        self.timeline.setStyleSheet("color: #5f6670;")

        # -- the queue and the groups
        self.queue_title = plain_label("", self, object_name="queueTitle")
        self.queue_title.setStyleSheet("font-weight: 600;")
        self.queue_table = self._chats_table("queueTable", self.queue, ChatsModel.BUYER)
        self.queue_empty = self._empty_label("queueEmpty")
        self.queue_empty.setText(self.tr("Nobody is waiting for a seat: every open chat has one."))
        self.groups_title = plain_label(self.tr("Groups (drop chats here)"), self, object_name="groupsTitle")
        self.groups_title.setStyleSheet("font-weight: 600;")
        self.group_list = QListView(self)
        self.group_list.setObjectName("groupTargets")
        self.group_list.setModel(self.groups)
        self.group_list.setAcceptDrops(True)
        self.group_list.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.group_list.setDragDropOverwriteMode(True)
        self.group_list.setDropIndicatorShown(True)
        self.group_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.group_list.setUniformItemSizes(True)
        self.group_list.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.group_list.setMaximumHeight(self.fontMetrics().height() * 9)
        self.groups_empty = self._empty_label("groupsEmpty")
        self.groups_empty.setText(self.tr("No groups yet: give seats a group (售前, 售后…) in their profile."))

        self._lay_out()
        self._wire()
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(self.COALESCE_MS)
        self._coalesce.timeout.connect(self.reload)
        self._seats_timer = QTimer(self)
        self._seats_timer.setInterval(self.SEATS_EVERY_MS)
        self._seats_timer.timeout.connect(self.reload_seats)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._on_ticker_timeout)
        self._update_buttons()

    def _chats_table(self, name: str, model: ChatsModel, stretch: int) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        widths: dict[int, float] = {ChatsModel.BUYER: 8, ChatsModel.SHOP: 9.5, ChatsModel.WAITED: 5,
                                    ChatsModel.EXTRA: 4.5}
        del widths[stretch]
        setup_row_table(table, model, stretch, widths)
        _fit_titles(table)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # move many at once
        table.setDragEnabled(True)
        table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        table.setDefaultDropAction(Qt.DropAction.MoveAction)
        RowOnFocus(table)
        return table

    def _empty_label(self, name: str) -> QLabel:
        label = plain_label("", self, object_name=name, wrap=True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #8a9099; padding: 16px;")
        label.hide()
        return label

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(10, 8, 10, 4)
        bar.setSpacing(6)
        for w in (self.status_button, self.release_button, self.move_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        for button in (self.new_button, self.edit_button, self.enable_button):
            bar.addWidget(button)
        bar.addWidget(self.show_disabled)
        bar.addStretch(1)
        bar.addWidget(self.report_button)
        bar.addWidget(self.rules_button)

        top = QWidget(self)
        column = QVBoxLayout(top)
        column.setContentsMargins(10, 0, 4, 4)
        column.setSpacing(4)
        column.addWidget(self.board, 1)
        column.addWidget(self.board_hint)
        below = QWidget(self)
        column = QVBoxLayout(below)
        column.setContentsMargins(10, 4, 4, 8)
        column.setSpacing(4)
        column.addWidget(self.seat_title)
        column.addWidget(self.seat_table, 1)
        column.addWidget(self.seat_empty, 1)
        column.addWidget(self.timeline)
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.setObjectName("teamBoardAndChats")
        left.setChildrenCollapsible(False)
        left.addWidget(top)
        left.addWidget(below)
        left.setSizes([320, 380])

        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(4, 0, 10, 8)
        side.setSpacing(4)
        side.addWidget(self.queue_title)
        side.addWidget(self.queue_table, 1)
        side.addWidget(self.queue_empty, 1)
        side.addSpacing(6)
        side.addWidget(self.groups_title)
        side.addWidget(self.group_list)
        side.addWidget(self.groups_empty)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("teamPanes")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        message_row = QHBoxLayout()
        message_row.setContentsMargins(10, 0, 10, 4)
        message_row.addWidget(self.message)
        layout.addLayout(message_row)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.board)

    def _wire(self) -> None:
        self.release_button.clicked.connect(self.release_seat)
        self.move_button.clicked.connect(self.move_selected)
        self.new_button.clicked.connect(self.new_seat)
        self.edit_button.clicked.connect(self.edit_seat)
        self.enable_button.clicked.connect(self.toggle_enabled)
        self.show_disabled.toggled.connect(lambda _on: self.reload_seats())
        self.rules_button.clicked.connect(self.edit_rules)
        self.report_button.clicked.connect(self.response_times_requested.emit)
        self.seats.chats_dropped.connect(self._on_seats_chats_dropped)
        self.groups.chats_dropped.connect(self._on_groups_chats_dropped)
        self.board.selectionModel().selectionChanged.connect(self._on_board_selection_changed)
        self.board.activated.connect(lambda _index: self.edit_seat())
        self.board.customContextMenuRequested.connect(self._on_board_context_menu)
        for table in (self.queue_table, self.seat_table):
            table.activated.connect(self._on_chats_activated)
            table.customContextMenuRequested.connect(
                lambda pos, t=table: self._on_chats_context_menu(t, pos))
            table.selectionModel().selectionChanged.connect(self._update_buttons)

    # -- reading -------------------------------------------------------------------------
    def load(self) -> None:
        """The first read; afterwards reload() (coalesced on notices) keeps it live."""
        self.loaded = True
        self.reload()
        if self.board.currentIndex().row() < 0 and self.seats.rowCount():
            self.board.selectRow(0)

    def apply_notice(self, notice: ChangeNotice) -> None:
        if self.loaded and (notice.seats or notice.conversations or notice.new_conversations):
            self.schedule_reload()

    def schedule_reload(self) -> None:
        if not self._coalesce.isActive():
            self._coalesce.start()

    def reload(self) -> None:
        self._coalesce.stop()
        self.reload_seats()
        self._reload_queue()
        self._reload_seat_chats()

    def reload_seats(self) -> None:
        rows = self._desk.seats(include_disabled=self.show_disabled.isChecked())
        self.seats.set_rows(rows)
        self.groups.set_groups(self._desk.team_groups(), rows)
        has_groups = self.groups.rowCount() > 0
        self.group_list.setVisible(has_groups)
        self.groups_empty.setVisible(not has_groups)
        self._update_buttons()

    def _read_chats(self, flt: InboxFilter) -> tuple[list[ConversationRow], int]:
        ids = self._desk.conversation_ids(flt, limit=self.WINDOW)
        found = self._desk.conversation_rows(ids)
        rows = [found[i] for i in ids if i in found]
        total = len(ids) if len(ids) < self.WINDOW else self._desk.count_conversations(flt)
        self._names.update({r.id: r for r in rows})
        return rows, total

    def _reload_queue(self) -> None:
        rows, total = self._read_chats(InboxFilter(queue=True))
        self.queue.set_rows(rows)
        self.queue_title.setText(self.tr("Waiting for a seat ({n})").format(n=total))
        self.queue_table.setVisible(bool(rows))
        self.queue_empty.setVisible(not rows)

    def _reload_seat_chats(self) -> None:
        seat = self.current_seat()
        if seat is None:
            self.seat_chats.set_rows([])
            self.seat_total = 0
            self.seat_title.setText(self.tr("Chats of a seat"))
            self.seat_empty.setText(self.tr("Pick a seat on the board to see the chats it holds."))
            self.timeline.setText("")
        else:
            rows, total = self._read_chats(InboxFilter(seat_id=seat.id))
            self.seat_chats.set_rows(rows)
            self.seat_total = total
            self.seat_title.setText(self.tr("Chats of {name} ({n})").format(name=seat.name, n=total))
            self.seat_empty.setText(self.tr("{name} holds no open chat.").format(name=seat.name))
            self.timeline.setText(self._timeline_text(seat))
        has_rows = self.seat_chats.rowCount() > 0
        self.seat_table.setVisible(has_rows)
        self.seat_empty.setVisible(not has_rows)
        self._update_buttons()

    def _timeline_text(self, seat: SeatRow) -> str:
        events = self._desk.status_timeline(seat.id, since=_start_of_today_ms())
        if not events:
            return self.tr("Today: no status change yet.")
        parts = []
        for e in events[-12:]:
            at = datetime.fromtimestamp(e.at / 1000).strftime("%H:%M")
            part = f"{at} {status_label(e.status)}"
            if e.by and e.by not in (seat.name, seat.profile.name):
                part += self.tr(" (by {who})").format(who=e.by)
            parts.append(part)
        return self.tr("Today: {events}").format(events=" → ".join(parts))

    # -- selection -----------------------------------------------------------------------
    def current_seat(self) -> SeatRow | None:
        sel = self.board.selectionModel()
        rows = sel.selectedRows() if sel is not None else []
        seat: SeatRow | None = self.seats.row_at(rows[0].row()) if rows else None
        return seat

    def select_seat(self, seat_id: int) -> None:
        row = self.seats.row_of(seat_id)
        if row is not None:
            self.board.selectRow(row)

    def selected_chats(self) -> list[ConversationRow]:
        """The selected chats of the list that has focus, else of the one with a selection
        (the queue first)."""
        tables = [self.queue_table, self.seat_table]
        focused = [t for t in tables if t.hasFocus()]
        for table in focused + tables:
            rows = table.selectionModel().selectedRows()
            if rows:
                model = table.model()
                assert isinstance(model, ChatsModel)
                return [model.row_at(i.row()) for i in sorted(rows, key=lambda i: i.row())]
        return []

    # -- commands ------------------------------------------------------------------------
    def move_chats(self, versions: dict[int, int], *, to_seat_id: int | None = None, to_group: str = "") -> None:
        """A lead's move: no reason asked; the desk refuses rows moved meanwhile."""
        if not versions:
            return
        target = to_group
        if to_seat_id is not None:
            seat_row = self.seats.row_of(to_seat_id)
            seat = self.seats.row_at(seat_row) if seat_row is not None else None
            target = seat.name if seat is not None else str(to_seat_id)
        try:
            future = self._desk.transfer(versions, to_seat_id=to_seat_id, to_group=to_group)
        except Exception as exc:  # noqa: BLE001 - a refused command is shown, never fatal
            self.say(self.tr("Could not move: {error}").format(error=exc), error=True)
            return
        self._bridge.when_done(future, lambda f: self._on_moved(f, target, to_group))

    def move_selected(self, target: tuple[str, int | str] | None = None) -> None:
        """Ctrl+Shift+M: the selected chats to a seat or group picked from a short list."""
        chats = self.selected_chats()
        if not chats:
            self.say(self.tr("Select chats in the queue or in a seat's list first."), error=True)
            return
        versions = {c.id: c.assign_version for c in chats}
        if target is not None:
            self._move_to(versions, target)
            return
        dialog = MoveTargetDialog(self.seats.rows(), self.groups.names(), len(chats), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._move_to(versions, dialog.target()))
        dialog.destroyed.connect(lambda: setattr(self, "move_dialog", None))
        self.move_dialog = dialog
        dialog.open()

    def _move_to(self, versions: dict[int, int], target: tuple[str, int | str] | None) -> None:
        if target is None:
            return
        kind, value = target
        if kind == "seat":
            self.move_chats(versions, to_seat_id=int(value))
        else:
            self.move_chats(versions, to_group=str(value))

    def set_status(self, status: SeatStatus, seat: SeatRow | None = None) -> None:
        seat = seat or self.current_seat()
        if seat is None:
            return
        self._run(self._desk.set_seat_status(seat.id, status),
                  self.tr("{name} is now {status}.").format(name=seat.name, status=status_label(status.value)))

    def show_status_menu(self) -> None:
        """Ctrl+Shift+U: the status menu under the selected seat's row."""
        seat = self.current_seat()
        if seat is None:
            return
        rect = self.board.visualRect(self.seats.index(self.seats.row_of(seat.id) or 0, SeatsModel.STATUS))
        self.status_menu.popup(self.board.viewport().mapToGlobal(rect.bottomLeft()))

    def release_seat(self) -> None:
        seat = self.current_seat()
        if seat is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Release all chats"),
            self.tr("Hand all {n} open chats of {name} back to routing?\n\n"
                    "{name} is suspended afterwards and gets no new chats until you (or another lead) "
                    "set the seat online again.").format(n=self.seat_total, name=seat.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._run(self._desk.release_seat(seat.id),
                  self.tr("The chats of {name} went back to routing; the seat is suspended.").format(
                      name=seat.name))

    def toggle_enabled(self) -> None:
        seat = self.current_seat()
        if seat is None:
            return
        if seat.enabled:
            answer = QMessageBox.question(
                self, self.tr("Disable seat"),
                self.tr("Disable {name}? The seat can no longer sign in or get chats; its profile and "
                        "history stay. Release its chats first if it holds any ({n}).").format(
                    name=seat.name, n=self.seat_total))
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._run(self._desk.set_seat_enabled(seat.id, False),
                      self.tr("{name} is disabled.").format(name=seat.name))
        else:
            self._run(self._desk.set_seat_enabled(seat.id, True),
                      self.tr("{name} is enabled again.").format(name=seat.name))

    def new_seat(self) -> None:
        from .seat_dialog import SeatDialog

        self._open(SeatDialog(self._desk, self._bridge, None, self))

    def edit_seat(self) -> None:
        from .seat_dialog import SeatDialog

        seat = self.current_seat()
        if seat is not None:
            self._open(SeatDialog(self._desk, self._bridge, seat, self))

    def edit_rules(self) -> None:
        from .routing_dialog import RoutingDialog

        self._open(RoutingDialog(self._desk, self._bridge, self))

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.schedule_reload)
        dialog.open()

    def say(self, text: str, *, error: bool = False) -> None:
        """Results in grey, problems in red, in one line above the board (and the status bar)."""
        self.message.setStyleSheet("color: #c62828;" if error else "color: #5f6670;")
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            self.status_message.emit(text.splitlines()[0])

    def _run(self, future: Future[Any], done_text: str) -> None:
        def finished(f: Future[Any]) -> None:
            if f.exception() is not None:
                self.say(str(f.exception()), error=True)
            else:
                self.say(done_text)
            self.schedule_reload()
        self._bridge.when_done(future, finished)

    def report_text(self, report: TransferReport, target: str, group: str = "") -> str:
        lines = report_lines(report, self._names, target, group)
        if len(lines) > self.REPORT_LINES:  # a big move: the first refusals, then a count
            more = len(lines) - self.REPORT_LINES + 1
            lines = lines[:self.REPORT_LINES - 1] + [self.tr("…and {n} more not moved").format(n=more)]
        return "\n".join(lines)

    def _on_moved(self, future: Future[TransferReport], target: str, group: str) -> None:
        if future.exception() is not None:
            self.say(self.tr("Could not move: {error}").format(error=future.exception()), error=True)
            return
        report = future.result()
        self.say(self.report_text(report, target, group), error=bool(report.refused))
        self.schedule_reload()

    # -- slots ---------------------------------------------------------------------------
    def _on_seats_chats_dropped(self, versions: dict[int, int], seat_id: int) -> None:
        self.move_chats(versions, to_seat_id=seat_id)

    def _on_groups_chats_dropped(self, versions: dict[int, int], group: str) -> None:
        self.move_chats(versions, to_group=group)

    def _on_board_selection_changed(self, *_args: object) -> None:
        if not self.seats.restructuring:
            self._reload_seat_chats()
        self._update_buttons()

    def _on_chats_activated(self, index: QModelIndex) -> None:
        model = index.model()
        row = model.data(index, KeyedRowsModel.RowRole) if model is not None else None
        if row is not None:
            self.conversation_requested.emit(row.id)

    def _on_board_context_menu(self, pos: QPoint) -> None:
        index = self.board.indexAt(pos)
        seat: SeatRow | None = self.seats.row_at(index.row()) if index.isValid() else None
        menu = QMenu(self)
        if seat is not None:
            self.board.selectRow(index.row())
            status = menu.addMenu(self.tr("Status"))
            for s in SETTABLE:
                action = status.addAction(dot_icon(status_color(s.value), 10), status_label(s.value))
                action.setCheckable(True)
                action.setChecked(seat.status == s.value)
                action.triggered.connect(lambda _=False, st=s, row=seat: self.set_status(st, row))
            menu.addAction(self.tr("Release all chats…")).triggered.connect(self.release_seat)
            menu.addSeparator()
            menu.addAction(self.tr("Edit seat…")).triggered.connect(self.edit_seat)
            menu.addAction(self.tr("Disable seat") if seat.enabled else self.tr("Enable seat")
                           ).triggered.connect(self.toggle_enabled)
            menu.addSeparator()
        menu.addAction(self.tr("New seat…")).triggered.connect(self.new_seat)
        menu.addAction(self.tr("Routing rules…")).triggered.connect(self.edit_rules)
        menu.popup(self.board.viewport().mapToGlobal(pos))

    def _on_chats_context_menu(self, table: QTableView, pos: QPoint) -> None:
        index = table.indexAt(pos)
        if not index.isValid():
            return
        if not table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            table.selectRow(index.row())
        table.setFocus()
        row = table.model().data(index, KeyedRowsModel.RowRole)
        menu = QMenu(self)
        menu.addAction(self.tr("Open chat")).triggered.connect(
            lambda: self.conversation_requested.emit(row.id))
        menu.addAction(self.tr("Move chats to…")).triggered.connect(lambda: self.move_selected())
        menu.popup(table.viewport().mapToGlobal(pos))

    def _on_ticker_timeout(self) -> None:
        for model in (self.seats, self.queue, self.seat_chats):
            model.tick()

    def _update_buttons(self, *_args: object) -> None:
        seat = self.current_seat()
        for button in (self.status_button, self.release_button, self.edit_button, self.enable_button):
            button.setEnabled(seat is not None)
        self.status_button.setEnabled(seat is not None and seat.enabled)
        self.release_button.setEnabled(seat is not None and self.seat_total > 0)
        self.enable_button.setText(self.tr("Enable seat") if seat is not None and not seat.enabled
                                   else self.tr("Disable seat"))
        self.move_button.setEnabled(bool(self.selected_chats()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._seats_timer.start()
        self._ticker.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._seats_timer.stop()
        self._ticker.stop()

