"""The dunning page (催付): every shop's unpaid orders with the time since each was placed,
dunning one or many buyers (a batch asks first), and the dunned orders with what became
of them — paid, and the amount recovered.

Reads through the desk (core/dunning.py decides who may be dunned and with which
template); dunning is a command on the engine thread, its refusals are spelt out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import (
    ChangeNotice,
    DunnedRow,
    DunningSummary,
    DunRefusal,
    DunReport,
    UnpaidRow,
)

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import datetime_text, duration_text, money_text, now_ms, order_status_label
from .icons import dot_icon
from .keyhints import key
from .tables import KeyedRowsModel, RowOnFocus, setup_row_table
from .widgets import plain_label, plain_tooltip

_MUTED = QColor("#8a9099")
_GOOD = QColor("#2e7d32")
_WARN = QColor("#c77700")
PERIODS = (1, 7, 30)  # days the dunned list and the summary look back


def _clock(ms: int) -> str:
    """14:05 today, else 12-06 14:05."""
    when, today = datetime.fromtimestamp(ms / 1000), datetime.now()
    return when.strftime("%H:%M") if when.date() == today.date() else when.strftime("%m-%d %H:%M")


class UnpaidModel(KeyedRowsModel):
    SHOP, NUMBER, BUYER, ITEM, TOTAL, AGE, KIND, DUNNING = range(8)
    COLUMN_COUNT = 8

    def __init__(self, parent: QObject | None = None, *, clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self._clock = clock

    def set_rows(self, rows: Sequence[UnpaidRow]) -> None:
        self._place(rows)

    def tick(self) -> None:
        """The time since each order, and who may be dunned again, move on."""
        if self._rows:
            self.dataChanged.emit(self.index(0, self.AGE), self.index(len(self._rows) - 1, self.DUNNING))

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("Shop"), self.tr("Order no."), self.tr("Buyer"), self.tr("Item"),
                  self.tr("Total"), self.tr("Unpaid for"), self.tr("Buyer type"), self.tr("Dunning")]
        return titles[section] if 0 <= section < len(titles) else None

    def may_dun(self, r: UnpaidRow) -> bool:
        return r.next_allowed_at is None or r.next_allowed_at <= self._clock()

    def _text(self, r: UnpaidRow, col: int) -> str:
        if col == self.SHOP:
            return r.shop_name
        if col == self.NUMBER:
            return r.platform_order_id
        if col == self.BUYER:
            return r.buyer_nick
        if col == self.ITEM:
            return r.item
        if col == self.TOTAL:
            return money_text(r.total, r.currency)
        if col == self.AGE:
            return duration_text((self._clock() - r.created_at) // 1000)
        if col == self.KIND:
            return self.tr("Asked first") if r.asked else self.tr("Ordered silently")
        if col == self.DUNNING:
            if r.last_dunned_at is not None and not self.may_dun(r):
                assert r.next_allowed_at is not None
                return self.tr("Dunned {time} by {seat} · again from {next}").format(
                    time=_clock(r.last_dunned_at), seat=r.last_dunned_by,
                    next=_clock(r.next_allowed_at))
            if r.order_dunned_at is not None:
                return self.tr("Dunned {time} · may dun again").format(time=_clock(r.order_dunned_at))
            return self.tr("Not dunned yet")
        return ""

    def _cell(self, r: UnpaidRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DecorationRole and col == self.SHOP:
            return dot_icon(r.shop_color)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.DUNNING:
            return QBrush(_MUTED if not self.may_dun(r) else _WARN if r.order_dunned_at else _GOOD)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.KIND:
                return plain_tooltip(self.tr(
                    "Asked first: the buyer wrote in this shop before ordering (the "
                    "“asked” template). Ordered silently: no message before the order.")
                    if r.asked else self.tr(
                    "No message from this buyer before the order: the “silent” template."))
            if col in (self.ITEM, self.BUYER):
                return plain_tooltip(self._text(r, col))
            if col == self.AGE:
                return plain_tooltip(self.tr("Placed {time}").format(time=datetime_text(r.created_at)))
        return None


class DunnedModel(KeyedRowsModel):
    SHOP, NUMBER, BUYER, TOTAL, DUNNED, BY, KIND, STATUS, OUTCOME = range(9)
    COLUMN_COUNT = 9

    def set_rows(self, rows: Sequence[DunnedRow]) -> None:
        self._place(rows)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("Shop"), self.tr("Order no."), self.tr("Buyer"), self.tr("Total"),
                  self.tr("Dunned"), self.tr("By"), self.tr("Buyer type"), self.tr("Status"),
                  self.tr("Outcome")]
        return titles[section] if 0 <= section < len(titles) else None

    def _text(self, r: DunnedRow, col: int) -> str:
        if col == self.SHOP:
            return r.shop_name
        if col == self.NUMBER:
            return r.platform_order_id
        if col == self.BUYER:
            return r.buyer_nick
        if col == self.TOTAL:
            return money_text(r.total, r.currency)
        if col == self.DUNNED:
            text = datetime_text(r.dunned_at)
            return text if r.times == 1 else self.tr("{time} (×{n})").format(time=text, n=r.times)
        if col == self.BY:
            return r.dunned_by
        if col == self.KIND:
            return self.tr("Asked first") if r.variant == "asked" else self.tr("Ordered silently")
        if col == self.STATUS:
            return order_status_label(r.status)
        if col == self.OUTCOME:
            if r.recovered:
                return self.tr("Paid · recovered")
            return self.tr("Closed unpaid") if r.status == "closed" else self.tr("Waiting")
        return ""

    def _cell(self, r: DunnedRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DecorationRole and col == self.SHOP:
            return dot_icon(r.shop_color)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.OUTCOME:
            return QBrush(_GOOD if r.recovered else _MUTED)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.OUTCOME and r.paid_at is not None:
            return plain_tooltip(self.tr("Paid {time}").format(time=datetime_text(r.paid_at)))
        return None


class DunningView(QWidget):
    conversation_requested = Signal(int)  # open the buyer's chat
    settings_requested = Signal()  # the dunning settings dialog
    status_message = Signal(str)

    COALESCE_MS = 500
    TICK_MS = 15_000  # "unpaid for" and "again from" move on
    MESSAGE_LINES = 6

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self.setObjectName("dunningView")
        self._desk = desk
        self._bridge = bridge
        self._clock = clock
        self.loaded = False
        self._nicks: dict[int, str] = {}  # order id → buyer, for refusal lines

        self.modes = QTabBar(self)
        self.modes.setObjectName("dunningModes")
        self.modes.setDrawBase(False)
        self.modes.addTab("")
        self.modes.addTab("")
        self.shop_filter = QComboBox(self)
        self.shop_filter.setObjectName("dunningShopFilter")
        self.period = QComboBox(self)
        self.period.setObjectName("dunningPeriod")
        self.summary = plain_label("", self, object_name="dunningSummary")
        self.summary.setStyleSheet("font-weight: 600;")
        self.dun_button = QPushButton(self)
        self.dun_button.setObjectName("dunButton")
        self.dun_button.setEnabled(False)
        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("dunningSettingsButton")
        self.message = plain_label("", self, object_name="dunningMessage", wrap=True)
        self.message.hide()

        self.unpaid = UnpaidModel(self, clock=clock)
        self.dunned = DunnedModel(self)
        self.unpaid_table = self._table("unpaidTable", self.unpaid, UnpaidModel.DUNNING, {
            UnpaidModel.SHOP: 8, UnpaidModel.NUMBER: 11, UnpaidModel.BUYER: 7,
            UnpaidModel.ITEM: 11, UnpaidModel.TOTAL: 6, UnpaidModel.AGE: 6, UnpaidModel.KIND: 6})
        self.unpaid_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.dunned_table = self._table("dunnedTable", self.dunned, DunnedModel.OUTCOME, {
            DunnedModel.SHOP: 7, DunnedModel.NUMBER: 11, DunnedModel.BUYER: 7,
            DunnedModel.TOTAL: 6, DunnedModel.DUNNED: 9, DunnedModel.BY: 5, DunnedModel.KIND: 6,
            DunnedModel.STATUS: 5})
        self.empty = plain_label("", self, object_name="dunningEmpty", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #8a9099; padding: 24px;")
        self.stack = QStackedWidget(self)
        for w in (self.unpaid_table, self.dunned_table, self.empty):
            self.stack.addWidget(w)

        bar = QHBoxLayout()
        bar.setContentsMargins(10, 8, 10, 4)
        bar.setSpacing(8)
        bar.addWidget(self.modes)
        bar.addWidget(self.shop_filter)
        bar.addWidget(self.period)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        bar.addSpacing(8)
        bar.addWidget(self.dun_button)
        bar.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        message_row = QHBoxLayout()
        message_row.setContentsMargins(10, 0, 10, 4)
        message_row.addWidget(self.message)
        layout.addLayout(message_row)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.unpaid_table)

        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(self.COALESCE_MS)
        self._coalesce.timeout.connect(self.reload)
        self._ticker = QTimer(self)
        self._ticker.setInterval(self.TICK_MS)
        self._ticker.timeout.connect(self._on_ticker_timeout)

        self.retranslate()
        self.modes.currentChanged.connect(self._on_modes_current_changed)
        self.shop_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.period.currentIndexChanged.connect(lambda _i: self.reload())
        self.dun_button.clicked.connect(lambda: self.dun_selected())
        self.settings_button.clicked.connect(self.settings_requested.emit)
        self.unpaid_table.selectionModel().selectionChanged.connect(self._update_buttons)
        for table in (self.unpaid_table, self.dunned_table):
            table.activated.connect(self._on_table_activated)
            table.customContextMenuRequested.connect(
                lambda pos, t=table: self._on_table_context_menu(t, pos))

    def _table(self, name: str, model: KeyedRowsModel, stretch: int,
               widths: dict[int, float]) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        setup_row_table(table, model, stretch, widths)
        RowOnFocus(table)
        return table

    def show_key_hints(self) -> None:
        self.dun_button.setText(self.tr("Dun ({key})").format(key=key("dun", "Ctrl+D")))

    def retranslate(self) -> None:
        self.modes.setTabText(0, self.tr("Unpaid"))
        self.modes.setTabText(1, self.tr("Dunned → paid"))
        self.show_key_hints()
        self.dun_button.setToolTip(self.tr(
            "Send the selected buyers the dunning template that fits them: one for buyers who "
            "asked before ordering, one for buyers who ordered silently. Several at once are "
            "confirmed first."))
        self.settings_button.setText(self.tr("Dunning settings…"))
        self.period.blockSignals(True)
        keep = self.period.currentIndex()
        self.period.clear()
        for days in PERIODS:
            self.period.addItem(self.tr("Today") if days == 1 else
                                self.tr("Last {n} days").format(n=days), days)
        self.period.setCurrentIndex(max(0, keep if keep >= 0 else 1))
        self.period.blockSignals(False)

    # -- reading -------------------------------------------------------------------------
    def load(self) -> None:
        self.loaded = True
        self.reload_shops()
        self.reload()

    def reload_shops(self) -> None:
        keep = self.shop_filter.currentData()
        self.shop_filter.blockSignals(True)
        self.shop_filter.clear()
        self.shop_filter.addItem(self.tr("All shops"), None)
        for shop in self._desk.shops():
            self.shop_filter.addItem(dot_icon(shop.color), shop.name, shop.id)
        self.shop_filter.setCurrentIndex(max(0, self.shop_filter.findData(keep)) if keep else 0)
        self.shop_filter.blockSignals(False)

    def apply_notice(self, notice: ChangeNotice) -> None:
        if not self.loaded:
            return
        if notice.shops:
            self.reload_shops()
        if notice.order_ids or notice.orders or notice.shops:
            self.schedule_reload()

    def schedule_reload(self) -> None:
        if not self._coalesce.isActive():
            self._coalesce.start()

    def since(self) -> int:
        """The start of the period the dunned list and the summary cover."""
        days = int(self.period.currentData() or 7)
        midnight = datetime.fromtimestamp(self._clock() / 1000).replace(
            hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
        return int(midnight.timestamp() * 1000)

    def reload(self) -> None:
        self._coalesce.stop()
        shop = self.shop_filter.currentData()
        shops = None if shop is None else frozenset({int(shop)})
        unpaid = self._desk.unpaid_orders(shops)
        dunned = self._desk.dunned_orders(self.since(), None, shops)
        self._nicks.update((r.id, r.buyer_nick) for r in unpaid)
        self.unpaid.set_rows(unpaid)
        self.dunned.set_rows(dunned)
        self.modes.setTabText(0, self.tr("Unpaid ({n})").format(n=len(unpaid)) if unpaid
                              else self.tr("Unpaid"))
        self.summary.setText(self.summary_text(DunningSummary.of(dunned)))
        self._show_mode()
        self._update_buttons()

    def summary_text(self, s: DunningSummary) -> str:
        amount = " + ".join(money_text(v, c) for c, v in s.recovered) or money_text(Decimal(0), "CNY")
        return self.tr("{period}: {dunned} dunned · {paid} paid · {amount} recovered").format(
            period=self.period.currentText(), dunned=s.dunned, paid=s.paid, amount=amount)

    def _show_mode(self) -> None:
        unpaid = self.modes.currentIndex() == 0
        model = self.unpaid if unpaid else self.dunned
        if model.rowCount():
            self.stack.setCurrentWidget(self.unpaid_table if unpaid else self.dunned_table)
        else:
            self.empty.setText(self.tr("No unpaid orders: every buyer has paid or the order was "
                                       "closed.") if unpaid else
                               self.tr("Nobody was dunned in this period."))
            self.stack.setCurrentWidget(self.empty)
        self.dun_button.setVisible(unpaid)
        self.setFocusProxy(self.unpaid_table if unpaid else self.dunned_table)

    # -- dunning ---------------------------------------------------------------------------
    def selected_unpaid(self) -> list[UnpaidRow]:
        rows = []
        for index in sorted(self.unpaid_table.selectionModel().selectedRows(), key=lambda i: i.row()):
            row = self.unpaid.row_at(index.row())
            if row is not None:
                rows.append(row)
        return rows

    def dun_selected(self, *, confirm: Callable[[str], bool] | None = None) -> Future[DunReport] | None:
        """Ctrl+D: dun the selected buyers; several at once only after a confirmation.
        → the command's future (None: nothing selected, or not confirmed)."""
        if self.modes.currentIndex() != 0:
            self.modes.setCurrentIndex(0)
            return None
        rows = self.selected_unpaid()
        if not rows:
            self.say(self.tr("Select the unpaid orders to dun first."), error=True)
            return None
        if len(rows) > 1:
            ask = confirm or self._confirm
            if not ask(self.confirm_text(rows)):
                return None
        future = self._desk.dun([r.id for r in rows])
        self._bridge.when_done(future, self._on_dunned)
        return future

    def confirm_text(self, rows: Sequence[UnpaidRow]) -> str:
        asked = sum(1 for r in rows if r.asked)
        waiting = sum(1 for r in rows if not self.unpaid.may_dun(r))
        buyers = len({(r.shop_id, r.buyer_id) for r in rows})
        text = self.tr("Send the dunning message for {n} orders ({buyers} buyers)? {asked} asked "
                       "before ordering, {silent} ordered silently.").format(
            n=len(rows), buyers=buyers, asked=asked, silent=len(rows) - asked)
        if waiting:
            text += "\n" + self.tr("{n} of them were dunned too recently and will be skipped.").format(
                n=waiting)
        return text

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Batch dunning"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def refusal_text(self, refusal: DunRefusal) -> str:
        buyer = self._nicks.get(refusal.order_id, str(refusal.order_id))
        if refusal.code == "too_soon":
            assert refusal.at is not None and refusal.next_at is not None
            return self.tr(
                "{buyer}: already dunned in this shop by {seat} at {time}; the platform allows "
                "one dunning per buyer and shop every {hours} h — next from {next}.").format(
                buyer=buyer, seat=refusal.by, time=_clock(refusal.at), hours=refusal.hours,
                next=_clock(refusal.next_at))
        if refusal.code == "not_unpaid":
            return self.tr("{buyer}: the order is no longer unpaid ({status}).").format(
                buyer=buyer, status=order_status_label(refusal.detail))
        if refusal.code == "cannot_send":
            return self.tr("{buyer}: {platform} cannot send messages.").format(
                buyer=buyer, platform=refusal.detail)
        if refusal.code == "no_chat":
            return self.tr("{buyer}: there is no chat with this buyer to send to.").format(buyer=buyer)
        if refusal.code == "template":
            return self.tr("{buyer}: the template needs {names}, which this order has not got.").format(
                buyer=buyer, names=refusal.detail)
        return self.tr("{buyer}: the order is gone.").format(buyer=buyer)

    def report_text(self, report: DunReport) -> str:
        lines = []
        if report.sent:
            lines.append(self.tr("Dunned {n} buyer(s).").format(n=len(report.sent)))
        if report.refused:
            lines.append(self.tr("Not dunned: {n}").format(n=len(report.refused)))
            shown = [self.refusal_text(r) for r in report.refused[:self.MESSAGE_LINES]]
            lines.extend(shown)
            if len(report.refused) > self.MESSAGE_LINES:
                lines.append(self.tr("… and {n} more").format(
                    n=len(report.refused) - self.MESSAGE_LINES))
        return "\n".join(lines)

    def _on_dunned(self, future: Future[DunReport]) -> None:
        error = future.exception()
        if error is not None:
            self.say(self.tr("Dunning failed: {error}").format(error=error), error=True)
            return
        report = future.result()
        text = self.report_text(report)
        self.say(text, error=bool(report.refused) and not report.sent)
        # the status bar: how many went out, or why the one that did not
        lines = text.splitlines()
        self.status_message.emit(lines[0] if report.sent or len(lines) < 2 else lines[1])
        self.reload()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c62828;" if error else "color: #1f2329;")
        self.message.setVisible(bool(text))

    # -- slots ---------------------------------------------------------------------------------
    def _update_buttons(self, *_args: object) -> None:
        self.dun_button.setEnabled(bool(self.selected_unpaid()))

    def _on_modes_current_changed(self, _index: int) -> None:
        self._show_mode()
        self._update_buttons()

    def _row_of(self, table: QTableView, index: QModelIndex) -> Any:
        model = table.model()
        assert isinstance(model, KeyedRowsModel)
        return model.row_at(index.row())

    def _on_table_activated(self, index: QModelIndex) -> None:
        unpaid = self.stack.currentWidget() is self.unpaid_table
        table = self.unpaid_table if unpaid else self.dunned_table
        row = self._row_of(table, index)
        if row is not None and row.conversation_id is not None:
            self.conversation_requested.emit(row.conversation_id)
        elif row is not None:
            self.status_message.emit(self.tr("This buyer has no chat in the shop yet."))

    def _on_table_context_menu(self, table: QTableView, pos: QPoint) -> None:
        index = table.indexAt(pos)
        if not index.isValid():
            return
        if not table.selectionModel().isSelected(index):
            table.selectRow(index.row())
        menu = QMenu(self)
        row = self._row_of(table, index)
        if row is not None and row.conversation_id is not None:
            menu.addAction(self.tr("Open the chat")).triggered.connect(
                lambda: self.conversation_requested.emit(row.conversation_id))
        if table is self.unpaid_table:
            n = len(self.selected_unpaid())
            dun = menu.addAction(self.tr("Dun {n} buyer(s)…").format(n=n) if n > 1 else self.tr("Dun"))
            dun.setShortcut("Ctrl+D")
            dun.triggered.connect(lambda: self.dun_selected())
        menu.exec(table.viewport().mapToGlobal(pos))

    def _on_ticker_timeout(self) -> None:
        self.unpaid.tick()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ticker.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._ticker.stop()
