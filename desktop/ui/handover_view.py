"""The handover page (交接, Alt+6): writing my handover, the handovers addressed to me
(unread first, acknowledged, items ticked off), the searchable history, and — for
leads — who handed over, who acknowledged and which items are overdue.

No rival has a real handover (DOMAIN.md "Shift handover"): teams use paper or a
spreadsheet. Here it is a linked, acknowledged record kept in the store; the core
builds drafts, carries undone items over and writes the export text (core/handover.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, HandoverFilter, HandoverItemRow, HandoverRow

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import clock_text, now_ms
from .handover_detail import HandoverDetail, Names, acked_by, addressed_to
from .handover_editor import HandoverEditor
from .tables import KeyedRowsModel, RowOnFocus, setup_row_table
from .widgets import plain_label, plain_tooltip

INCOMING_DAYS = 3  # handovers I acknowledged stay in my incoming list this long
PERIODS = (1, 7, 30)
_RED = QColor("#c62828")
_MUTED = QColor("#8a9099")


def _day(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class HandoversModel(KeyedRowsModel):
    SENT, AUTHOR, TO, ITEMS, ACKS, OVERDUE = range(6)
    COLUMN_COUNT = 6

    def __init__(self, parent: QObject | None = None, *, clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self._clock = clock
        self.names: Names | None = None

    def set_rows(self, rows: Sequence[HandoverRow], names: Names) -> None:
        self.names = names
        self._place(rows)

    def overdue(self, r: HandoverRow) -> tuple[HandoverItemRow, ...]:
        """To do, sent more than the team's overdue hours ago, taken on by no later handover."""
        return r.overdue(self._clock(), self.names.overdue_hours if self.names else 4)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("Sent"), self.tr("From"), self.tr("To"), self.tr("To do"),
                  self.tr("Acknowledged by"), self.tr("Overdue")]
        return titles[section] if 0 <= section < len(titles) else None

    def _text(self, r: HandoverRow, col: int) -> str:
        if col == self.SENT:
            return clock_text(r.sent_at or r.created_at, self._clock())
        if col == self.AUTHOR:
            return self.names.from_text(r) if self.names else r.author
        if col == self.TO:
            return self.names.to_text(r) if self.names else ""
        if col == self.ITEMS:
            return self.tr("{todo} of {n}").format(todo=r.todo(), n=len(r.items))
        if col == self.ACKS:
            if not r.acks:
                return self.tr("Not acknowledged")
            return "、".join(f"{a.seat_name} {clock_text(a.at, self._clock())}" for a in r.acks)
        if col == self.OVERDUE:
            n = len(self.overdue(r))
            return str(n) if n else "—"
        return ""

    def _cell(self, r: HandoverRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.ACKS and not r.acks:
                return QBrush(_RED)
            if col == self.OVERDUE and self.overdue(r):
                return QBrush(_RED)
            if col == self.ITEMS and not r.todo():
                return QBrush(_MUTED)
        if role == Qt.ItemDataRole.ToolTipRole and col in (self.ACKS, self.TO):
            return plain_tooltip(self._text(r, col))
        return None

class IncomingPane(QWidget):
    """Handovers addressed to me: the unread ones first (bold), then those I acknowledged
    in the last days; the chosen one on the right."""

    def __init__(self, desk: DeskLike, detail: HandoverDetail, parent: QWidget | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self._desk = desk
        self._clock = clock
        self.detail = detail
        self.unread: list[HandoverRow] = []
        self.list = QListWidget(self)
        self.list.setObjectName("incomingList")
        self.list.setMinimumWidth(260)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.list)
        split.addWidget(detail)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 0, 8)
        layout.addWidget(split)
        self.list.currentItemChanged.connect(self._on_list_current_changed)

    def reload(self, names: Names, select: int | None = None) -> None:
        me = self._desk.seat_id
        keep = select if select is not None else self.current_id()
        self.unread = self._desk.unread_handovers() if me is not None else []
        unread_ids = {r.id for r in self.unread}
        since = self._clock() - INCOMING_DAYS * 86_400_000
        read = [r for r in self._desk.handovers(HandoverFilter(since=since), limit=100)
                if r.id not in unread_ids and r.state == "sent" and r.author_seat_id != me
                and (addressed_to(r, me, names.shifts) or acked_by(r, me))]
        rows = [*self.unread, *read]
        self.list.blockSignals(True)
        self.list.clear()
        for r in rows:
            item = QListWidgetItem(self.item_text(r, names, r.id in unread_ids), self.list)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            if r.id in unread_ids:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
        self.list.blockSignals(False)
        self._rows = {r.id: r for r in rows}
        self.detail.names = names
        ids = [r.id for r in rows]
        if keep in ids:
            self.list.setCurrentRow(ids.index(keep))
        elif ids:
            self.list.setCurrentRow(0)
        self._on_list_current_changed()

    def item_text(self, r: HandoverRow, names: Names, unread: bool) -> str:
        when = clock_text(r.sent_at or r.created_at, self._clock())
        state = self.tr("not acknowledged") if unread else self.tr("acknowledged")
        return self.tr("{who} · {time}\n{todo} to do · {state}").format(
            who=names.from_text(r), time=when, todo=r.todo(), state=state)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def select(self, handover_id: int) -> bool:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == handover_id:
                self.list.setCurrentRow(i)
                return True
        return False

    def _on_list_current_changed(self, *_args: object) -> None:
        cid = self.current_id()
        row = self._rows.get(cid) if cid is not None else None
        self.detail.show_row(row, empty_text=self.tr(
            "No handover is waiting for you. Handovers addressed to your shift or to you "
            "by name show here."))


class HistoryPane(QWidget):
    """Every handover, newest first, searchable and filtered (author, dates, with to-do);
    `report`: the leads' view of a period — who handed over, who acknowledged, what is overdue."""

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None, *,
                 report: bool = False, clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self._desk = desk
        self._clock = clock
        self.report = report
        self.loaded = False
        self.names: Names | None = None
        self.model = HandoversModel(self, clock=clock)
        self.table = QTableView(self)
        self.table.setObjectName("handoverReportTable" if report else "handoverHistoryTable")
        setup_row_table(self.table, self.model, HandoversModel.ACKS, {
            HandoversModel.SENT: 6, HandoversModel.AUTHOR: 8, HandoversModel.TO: 8,
            HandoversModel.ITEMS: 4, HandoversModel.OVERDUE: 4})
        RowOnFocus(self.table)
        self.detail = HandoverDetail(desk, bridge, self, clock=clock)

        bar = QHBoxLayout()
        bar.setContentsMargins(10, 6, 10, 4)
        self.search = QLineEdit(self)
        self.search.setObjectName("handoverSearch")
        self.search.setClearButtonEnabled(True)
        self.author = QComboBox(self)
        self.author.setObjectName("handoverAuthor")
        self.since = self._date_edit("handoverSince")
        self.until = self._date_edit("handoverUntil")
        self.with_todo = QCheckBox(self)
        self.with_todo.setObjectName("handoverWithTodo")
        self.period = QComboBox(self)
        self.period.setObjectName("handoverPeriod")
        self.summary = plain_label("", self, object_name="handoverSummary")
        self.summary.setStyleSheet("font-weight: 600;")
        if report:
            for w in (self.period, self.summary):
                bar.addWidget(w)
            bar.addStretch(1)
        else:
            bar.addWidget(self.search, 2)
            bar.addWidget(self.author)
            self.dash = plain_label("–", self)
            for widget in (self.since, self.dash, self.until, self.with_todo):
                bar.addWidget(widget)
            bar.addStretch(1)
        for field in (self.search, self.author, self.since, self.until, self.with_todo):
            field.setVisible(not report)
        for shown in (self.period, self.summary):
            shown.setVisible(report)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self.retranslate()
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.author, self.period):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.reload())
        self.with_todo.toggled.connect(lambda _on: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        today = datetime.fromtimestamp(self._clock() / 1000).date()
        start = today - timedelta(days=6) if name == "handoverSince" else today
        edit.setDate(QDate(start.year, start.month, start.day))
        return edit

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search the text, items and notes"))
        self.with_todo.setText(self.tr("With to-do items only"))
        self.period.blockSignals(True)
        keep = self.period.currentIndex()
        self.period.clear()
        for days in PERIODS:
            self.period.addItem(self.tr("Today") if days == 1 else self.tr("Last {n} days").format(n=days), days)
        self.period.setCurrentIndex(max(0, keep if keep >= 0 else 1))
        self.period.blockSignals(False)

    def load(self) -> None:
        self.loaded = True
        self.reload()

    def _reload_authors(self) -> None:
        keep = self.author.currentData()
        self.author.blockSignals(True)
        self.author.clear()
        self.author.addItem(self.tr("Everyone"), None)
        for seat in self._desk.seats(include_disabled=True):
            self.author.addItem(seat.profile.display_name, seat.id)
        self.author.setCurrentIndex(max(0, self.author.findData(keep)) if keep is not None else 0)
        self.author.blockSignals(False)

    def filter(self) -> HandoverFilter:
        since = datetime.combine(_day(self.since.date()), time())
        until = datetime.combine(_day(self.until.date()), time()) + timedelta(days=1)
        author = self.author.currentData()
        return HandoverFilter(text=self.search.text().strip(),
                              author_seat_id=int(author) if author is not None else None,
                              since=int(since.timestamp() * 1000), until=int(until.timestamp() * 1000),
                              with_todo=True if self.with_todo.isChecked() else None)

    def period_since(self) -> int:
        days = int(self.period.currentData() or 7)
        midnight = datetime.fromtimestamp(self._clock() / 1000).replace(
            hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
        return int(midnight.timestamp() * 1000)

    def reload(self) -> None:
        self._debounce.stop()
        self.names = Names(self._desk)
        if self.report:
            now = self._clock()
            rows = self._desk.handover_report(self.period_since(), now)
            self.model.names = self.names
            unacked = sum(1 for r in rows if not r.acks)
            overdue = sum(len(self.model.overdue(r)) for r in rows)
            late = len(self._desk.follow_ups(None, now, True))
            self.summary.setText(self.tr("{n} handovers · {unacked} not acknowledged · "
                                         "{overdue} items overdue · {late} follow-ups past due").format(
                n=len(rows), unacked=unacked, overdue=overdue, late=late))
        else:
            self._reload_authors()
            rows = [r for r in self._desk.handovers(self.filter(), limit=200) if r.state == "sent"]
        keep = self.current_id()
        self.model.set_rows(rows, self.names)
        self.detail.names = self.names
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.table.selectRow(row)
        self._on_current_row_changed()

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row.id if row is not None else None

    def _on_current_row_changed(self, *_args: QModelIndex) -> None:
        handover_id = self.current_id()
        row = self._desk.handover(handover_id) if handover_id is not None else None
        self.detail.show_row(row, self.names, empty_text=(
            self.tr("No handover in this period.") if self.report
            else self.tr("No handover matches the filter.")))


class HandoverView(QWidget):
    """The page: Mine | For me (n) | History | Team (leads)."""

    conversation_requested = Signal(int)
    order_requested = Signal(int)
    case_requested = Signal(int)
    status_message = Signal(str)
    unread_changed = Signal(int)  # handovers waiting for my acknowledgement

    MINE, INCOMING, HISTORY, TEAM = range(4)
    COALESCE_MS = 500

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self.setObjectName("handoverView")
        self._desk = desk
        self._bridge = bridge
        self._clock = clock
        self.loaded = False
        self.unread = 0

        self.modes = QTabBar(self)
        self.modes.setObjectName("handoverModes")
        self.modes.setDrawBase(False)
        for _ in range(4):
            self.modes.addTab("")
        self.shifts_button = QPushButton(self)
        self.shifts_button.setObjectName("handoverShifts")
        bar = QHBoxLayout()
        bar.setContentsMargins(10, 8, 10, 0)
        bar.addWidget(self.modes)
        bar.addStretch(1)
        bar.addWidget(self.shifts_button)

        self.editor = HandoverEditor(desk, bridge, self, clock=clock)
        self.incoming_detail = HandoverDetail(desk, bridge, self, clock=clock)
        self.incoming = IncomingPane(desk, self.incoming_detail, self, clock=clock)
        self.history = HistoryPane(desk, bridge, self, clock=clock)
        self.report = HistoryPane(desk, bridge, self, report=True, clock=clock)
        self.stack = QStackedWidget(self)
        for w in (self.editor, self.incoming, self.history, self.report):
            self.stack.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.editor.tree)

        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(self.COALESCE_MS)
        self._coalesce.timeout.connect(self.reload)

        self.retranslate()
        self.modes.currentChanged.connect(self._on_modes_current_changed)
        for source in (self.editor, self.incoming_detail, self.history.detail, self.report.detail):
            source.link_requested.connect(self._on_link_requested)
            source.status_message.connect(self.status_message)
        for detail in (self.incoming_detail, self.history.detail, self.report.detail):
            detail.changed.connect(lambda _id: self.schedule_reload())
        self.editor.sent.connect(lambda _id: self.schedule_reload())
        self.shifts_button.clicked.connect(self.show_shifts)
        self.set_lead(False)

    def retranslate(self) -> None:
        self.modes.setTabText(self.MINE, self.tr("My handover"))
        self.modes.setTabText(self.INCOMING, self.tr("For me"))
        self.modes.setTabText(self.HISTORY, self.tr("History"))
        self.modes.setTabText(self.TEAM, self.tr("Team overview"))
        self.shifts_button.setText(self.tr("Shifts and roster…"))

    def set_lead(self, lead: bool) -> None:
        """The team tab is a lead's: who handed over, who acknowledged, what is overdue."""
        if not lead and self.modes.currentIndex() == self.TEAM:
            self.modes.setCurrentIndex(self.MINE)
        self.modes.setTabVisible(self.TEAM, lead)

    # -- reading ----------------------------------------------------------------------------------
    def load(self) -> None:
        self.loaded = True
        self.editor.load()
        self.reload()

    def apply_notice(self, notice: ChangeNotice) -> None:
        if not self.loaded:
            return
        me = self._desk.seat_id
        if notice.handovers or notice.follow_ups or notice.shifts or (notice.seats and me in notice.seats):
            self.schedule_reload()

    def schedule_reload(self) -> None:
        if not self._coalesce.isActive():
            self._coalesce.start()

    def reload(self) -> None:
        """The lists (never the draft being written: that is the author's)."""
        self._coalesce.stop()
        row = self.editor.current_row()
        me = self._desk.seat_id
        if (row is None) != (me is None) or (row is not None and row.author_seat_id != me):
            self.editor.load()  # signed in (or as another seat) since: that seat's handover
        names = Names(self._desk)
        self.incoming.reload(names)
        self.set_unread(len(self.incoming.unread))
        mode = self.modes.currentIndex()
        if mode == self.HISTORY or self.history.loaded:
            self.history.load()
        if mode == self.TEAM or self.report.loaded:
            self.report.load()

    def set_unread(self, n: int) -> None:
        self.modes.setTabText(self.INCOMING, self.tr("For me ({n})").format(n=n) if n else self.tr("For me"))
        if n != self.unread:
            self.unread = n
            self.unread_changed.emit(n)

    def show_mode(self, mode: int) -> None:
        self.modes.setCurrentIndex(mode)

    def show_incoming(self, handover_id: int | None = None) -> None:
        self.show_mode(self.INCOMING)
        if handover_id is not None:
            self.incoming.select(handover_id)
        self.incoming.list.setFocus()

    def show_shifts(self) -> None:
        from .shifts_dialog import ShiftsDialog

        dialog = ShiftsDialog(self._desk, self._bridge, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.status_message.connect(self.status_message)
        dialog.finished.connect(self._on_shifts_finished)
        dialog.open()

    def _on_shifts_finished(self, _result: int) -> None:
        if self.loaded:  # the next shift, the roster and so the addressees may have changed
            self.editor.refresh_if_untouched()
            self.reload()

    # -- slots ----------------------------------------------------------------------------------------
    def _on_modes_current_changed(self, mode: int) -> None:
        self.stack.setCurrentIndex(mode)
        if not self.loaded:
            return
        if mode == self.HISTORY and not self.history.loaded:
            self.history.load()
        elif mode == self.TEAM and not self.report.loaded:
            self.report.load()
        elif mode == self.MINE:
            self.editor.refresh_if_untouched()
        self.setFocusProxy({self.MINE: self.editor.tree, self.INCOMING: self.incoming.list,
                            self.HISTORY: self.history.table, self.TEAM: self.report.table}[mode])

    def _on_link_requested(self, kind: str, target: int) -> None:
        {"chat": self.conversation_requested, "order": self.order_requested,
         "case": self.case_requested}[kind].emit(target)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.loaded and self.modes.currentIndex() == self.MINE:
            self.editor.refresh_if_untouched()
