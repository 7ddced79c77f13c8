"""The orders tab (订单): every shop's orders in one table, filtered and sorted by the desk.

The model holds a window of rows (200, more as the view scrolls) read with
limit/offset; filtering and sorting happen in the desk, never in a proxy. Change
notices re-read the loaded window at most twice a second, and rows are re-placed
by order id so selection and scroll survive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, OrderFilter, OrderRow

from .bridge import Bridge, assert_gui_thread
from .deskapi import DeskLike
from .formatting import datetime_text, money_text, one_line, order_status_label
from .icons import dot_icon, flag_icon
from .tables import KeyedRowsModel, ModelIndex, RowOnFocus, setup_row_table
from .widgets import plain_label, plain_tooltip


STATUSES = ("unpaid", "paid", "shipped", "refunding", "completed", "closed")

_WAREHOUSE = {
    "waiting": QT_TRANSLATE_NOOP("OrdersModel", "Not printed"),
    "printed": QT_TRANSLATE_NOOP("OrdersModel", "Waybill printed"),
    "packed": QT_TRANSLATE_NOOP("OrdersModel", "Packed"),
}

# Unified flag colours (desktop.sdk.FlagColor values) by the glossary's names.
_FLAG_NAMES = {
    "red": QT_TRANSLATE_NOOP("OrdersView", "Red flag"),
    "yellow": QT_TRANSLATE_NOOP("OrdersView", "Yellow flag"),
    "green": QT_TRANSLATE_NOOP("OrdersView", "Green flag"),
    "blue": QT_TRANSLATE_NOOP("OrdersView", "Blue flag"),
    "purple": QT_TRANSLATE_NOOP("OrdersView", "Purple flag"),
    "gray": QT_TRANSLATE_NOOP("OrdersView", "Grey flag"),
    "pink": QT_TRANSLATE_NOOP("OrdersView", "Pink flag"),
    "cyan": QT_TRANSLATE_NOOP("OrdersView", "Cyan flag"),
    "orange": QT_TRANSLATE_NOOP("OrdersView", "Orange flag"),
}

_WARN = QColor("#c77700")
_MUTED = QColor("#8a9099")
_CASES = QColor("#c62828")

def flag_name(color: str) -> str:
    source = _FLAG_NAMES.get(color)
    return QCoreApplication.translate("OrdersView", source) if source else color


class OrdersModel(KeyedRowsModel):
    (SHOP, NUMBER, BUYER, STATUS, TOTAL, CREATED, FLAG, MEMO, SHIPPING, WAREHOUSE,
     CASES) = range(11)
    COLUMN_COUNT = 11
    # Columns the desk can sort by; the others' headers do nothing on click.
    SORT_OF_COLUMN = {SHOP: "shop", BUYER: "buyer", STATUS: "status", TOTAL: "total",
                      CREATED: "created_at"}

    WINDOW = 200
    COALESCE_MS = 500  # ≤ 2 re-reads a second

    def __init__(self, desk: DeskLike, parent: QObject | None = None, *,
                 coalesce_ms: int | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._filter = OrderFilter()
        self._more = False
        self.total = 0  # orders matching the filter in the desk, not just the window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.COALESCE_MS if coalesce_ms is None else coalesce_ms)
        self._timer.timeout.connect(self.reload)

    @property
    def filter(self) -> OrderFilter:
        return self._filter

    # -- Qt model API -----------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles()[section] if 0 <= section < self.COLUMN_COUNT else None
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (self.TOTAL, self.CASES):
            return int((Qt.AlignmentFlag.AlignRight if section == self.TOTAL else Qt.AlignmentFlag.AlignHCenter)
                       | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _titles(self) -> list[str]:
        return [self.tr("Shop"), self.tr("Order no."), self.tr("Buyer"), self.tr("Status"),
                self.tr("Total"), self.tr("Placed"), self.tr("Flag"), self.tr("Memo"),
                self.tr("Shipping"), self.tr("Warehouse"), self.tr("After-sale")]

    def _cell(self, o: OrderRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DecorationRole:
            if col == self.SHOP:
                return dot_icon(o.shop_color)
            if col == self.FLAG and o.flag_color not in ("", "none"):
                return flag_icon(o.flag_color)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(o, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == self.TOTAL:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == self.CASES:
                return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.WAREHOUSE and not o.memo_reaches_warehouse and o.status == "paid":
                return QBrush(_WARN)
            if col == self.CASES and o.open_cases:
                return QBrush(_CASES)
            if col == self.STATUS and o.status == "closed":
                return QBrush(_MUTED)
        return None

    def _text(self, o: OrderRow, col: int) -> str:
        if col == self.SHOP:
            return o.shop_name
        if col == self.NUMBER:
            return o.platform_order_id
        if col == self.BUYER:
            return o.buyer_nick
        if col == self.STATUS:
            return order_status_label(o.status)
        if col == self.TOTAL:
            return money_text(o.total, o.currency)
        if col == self.CREATED:
            return datetime_text(o.created_at)
        if col == self.FLAG:
            return o.flag_label if o.flag_color not in ("", "none") else ""
        if col == self.MEMO:
            return one_line(o.seller_memo, 160)
        if col == self.SHIPPING:
            return " ".join(p for p in (o.courier, o.waybill) if p)
        if col == self.WAREHOUSE:  # once shipped, the status and waybill tell it
            source = _WAREHOUSE.get(o.warehouse) if o.status in ("paid", "refunding") else None
            return QCoreApplication.translate("OrdersModel", source) if source else ""
        if col == self.CASES:
            return str(o.open_cases) if o.open_cases else ""
        return ""

    def _tooltip(self, o: OrderRow, col: int) -> str | None:
        if col == self.MEMO and (o.seller_memo or o.latest_remark):
            text = o.seller_memo
            remark = o.latest_remark
            if remark is not None and remark.state == "pending":
                text += "\n" + self.tr("(not on the platform yet: {memo})").format(memo=remark.memo)
            elif remark is not None and remark.state == "failed":
                text += "\n" + self.tr("(the latest remark failed to sync: {error})").format(error=remark.error)
            return plain_tooltip(text.strip())
        if col == self.SHIPPING and (o.courier or o.waybill):
            return plain_tooltip(" ".join(p for p in (o.courier, o.waybill) if p))
        if col == self.WAREHOUSE and not o.memo_reaches_warehouse and o.status == "paid":
            return plain_tooltip(self.tr("The waybill is printed or the parcel packed: a changed memo may "
                                         "no longer reach the packer. Tell the warehouse in person."))
        if col == self.STATUS and o.raw_status:
            return plain_tooltip(o.raw_status)
        if col == self.SHOP and o.shop_name:
            return plain_tooltip(o.shop_name)
        if col == self.BUYER and o.buyer_nick:
            return plain_tooltip(o.buyer_nick)
        return None

    # -- windowed reads -----------------------------------------------------------------
    def set_filter(self, flt: OrderFilter) -> None:
        """New filter or sort: the first window, from the top."""
        assert_gui_thread()
        self._timer.stop()  # the fresh read includes whatever was pending
        self._filter = flt
        rows = self._desk.orders(flt, self.WINDOW, 0)
        self._more = len(rows) >= self.WINDOW
        self.total = self._desk.count_orders(flt)
        self._reset(rows)
        self.reloaded.emit()

    def schedule_reload(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Run a pending re-read now."""
        if self._timer.isActive():
            self._timer.stop()
            self.reload()

    def reload(self) -> None:
        """Re-read as many rows as are loaded (at least a window), keeping their places."""
        assert_gui_thread()
        self._timer.stop()
        size = max(len(self._rows), self.WINDOW)
        rows = self._desk.orders(self._filter, size, 0)
        self._more = len(rows) >= size
        self.total = self._desk.count_orders(self._filter)
        self._place(_unique(rows))
        self.reloaded.emit()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        # Never while rows move: the view asks from inside endInsertRows.
        return not parent.isValid() and self._more and not self._restructuring

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        assert_gui_thread()
        if not self.canFetchMore(parent):
            return
        batch = self._desk.orders(self._filter, self.WINDOW, len(self._rows))
        self._more = len(batch) >= self.WINDOW
        added = [r for r in _unique(batch) if r.id not in self._pos]
        if not added:
            return
        n = len(self._rows)
        self._restructuring = True
        try:
            self.beginInsertRows(QModelIndex(), n, n + len(added) - 1)
            self._rows.extend(added)
            self._pos.update((r.id, n + i) for i, r in enumerate(added))
            self.endInsertRows()
        finally:
            self._restructuring = False


def _unique(rows: Sequence[OrderRow]) -> list[OrderRow]:
    seen: set[int] = set()
    out = []
    for r in rows:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out


class OrdersView(QWidget):
    conversation_requested = Signal(int)  # the order's buyer chat should open
    case_requested = Signal(int)  # register an after-sale case for this order id
    status_message = Signal(str)  # a short explanation for the status bar

    SEARCH_DELAY_MS = 300
    _NO_DATE = QDate(2000, 1, 1)  # the date edits' "any date" value

    def __init__(self, desk: DeskLike, bridge: Bridge | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ordersView")
        self._desk = desk
        self._bridge = bridge  # reads only today; kept for order actions that are commands

        self.shop_filter = self._combo("orderShopFilter")
        self.status_filter = self._combo("orderStatusFilter")
        self.flag_filter = self._combo("orderFlagFilter")
        self.date_from = self._date_edit("orderDateFrom")
        self.date_to = self._date_edit("orderDateTo")
        self.all_dates = QToolButton(self)
        self.all_dates.setObjectName("orderAllDates")
        self.all_dates.setAutoRaise(True)
        self.search = QLineEdit(self)
        self.search.setObjectName("orderSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self.count_label = plain_label("", self, object_name="ordersCount")
        self.case_button = QPushButton(self)
        self.case_button.setObjectName("registerCase")
        self.case_button.setEnabled(False)

        self.model = OrdersModel(desk, self)
        self.table = QTableView(self)
        self.table.setObjectName("ordersTable")
        self._setup_table()
        self.setFocusProxy(self.table)
        RowOnFocus(self.table)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_widgets)
        self._quiet = False  # widget changes we make ourselves do not re-query

        bar = QHBoxLayout()
        bar.setContentsMargins(10, 8, 10, 8)
        bar.setSpacing(6)
        self._to_label = plain_label("", self, object_name="dateDash")
        for w in (self.shop_filter, self.status_filter, self.flag_filter, self.date_from, self._to_label,
                  self.date_to, self.all_dates):
            bar.addWidget(w)
        bar.addSpacing(6)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.case_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        for combo in (self.shop_filter, self.status_filter, self.flag_filter):
            combo.currentIndexChanged.connect(self._on_filter_widget_changed)
        self.date_from.dateChanged.connect(self._on_filter_widget_changed)
        self.date_to.dateChanged.connect(self._on_filter_widget_changed)
        self.all_dates.clicked.connect(self._on_all_dates_clicked)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.case_button.clicked.connect(self._on_case_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.horizontalHeader().sectionClicked.connect(self._on_header_clicked)
        self.table.selectionModel().currentChanged.connect(self._on_selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.reloaded.connect(self._on_model_reloaded)
        self.retranslate()
        self._fill_statuses()

    # -- building ----------------------------------------------------------------------
    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(self._NO_DATE)
        edit.setDate(self._NO_DATE)
        # The popup opens on the shown date: at "any date" that would be January 2000.
        edit.calendarWidget().installEventFilter(self)
        return edit

    def _setup_table(self) -> None:
        h = setup_row_table(self.table, self.model, OrdersModel.MEMO, {
            OrdersModel.SHOP: 9, OrdersModel.NUMBER: 11, OrdersModel.BUYER: 7.5, OrdersModel.STATUS: 4.5,
            OrdersModel.TOTAL: 6, OrdersModel.CREATED: 9, OrdersModel.FLAG: 4.5,
            OrdersModel.SHIPPING: 13.5, OrdersModel.WAREHOUSE: 5, OrdersModel.CASES: 3.5})
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        h.setSectionsClickable(True)
        h.setSortIndicatorShown(True)
        h.setStretchLastSection(False)
        h.setMinimumSectionSize(36)
        self._show_sort_indicator()

    def retranslate(self) -> None:
        self.all_dates.setText(self.tr("All dates"))
        self.all_dates.setToolTip(self.tr("Show orders placed on any date"))
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("Any date"))
        self.date_from.setToolTip(self.tr("Placed on or after"))
        self.date_to.setToolTip(self.tr("Placed on or before"))
        self._to_label.setText(self.tr("to"))
        self.search.setPlaceholderText(self.tr("Order no. or buyer nick"))
        self.case_button.setText(self.tr("Register after-sale"))
        self.case_button.setToolTip(self.tr("Register an after-sale case (refund, return, exchange, resend) for the selected order"))

    # -- public ------------------------------------------------------------------------
    def load(self) -> None:
        """The first read (the main window defers it until the tab is first shown)."""
        self.reload_choices()
        self.model.set_filter(self._filter_from_widgets())

    def reload_choices(self) -> None:
        """Shops and flag colours for the filter boxes (after shops come and go)."""
        self._quiet = True
        try:
            keep = self.shop_filter.currentData()
            self.shop_filter.clear()
            self.shop_filter.addItem(self.tr("All shops"), None)
            for shop in self._desk.shops():
                self.shop_filter.addItem(dot_icon(shop.color), shop.name, frozenset({shop.id}))
                self.shop_filter.setItemData(self.shop_filter.count() - 1, shop.platform_name,
                                             Qt.ItemDataRole.ToolTipRole)
            _select_data(self.shop_filter, keep, self.tr("{n} shops").format(n=len(keep or ())))

            keep = self.flag_filter.currentData()
            self.flag_filter.clear()
            self.flag_filter.addItem(self.tr("Any flag"), None)
            self.flag_filter.addItem(flag_icon(None), self.tr("No flag"), frozenset({"none"}))
            for color in self._palette_colors():
                self.flag_filter.addItem(flag_icon(color), flag_name(color), frozenset({color}))
            _select_data(self.flag_filter, keep, self.tr("{n} flags").format(n=len(keep or ())))
        finally:
            self._quiet = False

    def set_filter(self, flt: OrderFilter) -> None:
        """Show `flt` (e.g. unpaid orders to chase); the filter boxes follow it."""
        self._quiet = True
        try:
            _select_data(self.shop_filter, flt.shop_ids, self.tr("{n} shops").format(n=len(flt.shop_ids or ())))
            _select_data(self.status_filter, flt.statuses,
                         self.tr("{n} statuses").format(n=len(flt.statuses or ())))
            _select_data(self.flag_filter, flt.flag_colors,
                         self.tr("{n} flags").format(n=len(flt.flag_colors or ())))
            self.date_from.setDate(_date_of(flt.created_from) if flt.created_from is not None else self._NO_DATE)
            to = _date_of(flt.created_to - 1) if flt.created_to is not None else self._NO_DATE
            self.date_to.setDate(to)
            self.search.setText(flt.text)
        finally:
            self._quiet = False
        self._search_timer.stop()
        self._apply(flt)

    def apply_notice(self, notice: ChangeNotice) -> None:
        if notice.shops:
            self.reload_choices()
        if notice.order_ids or notice.orders:
            self.model.schedule_reload()

    def current_order(self) -> OrderRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        row: OrderRow | None = self.model.row_at(index.row())
        return row

    def select_order(self, order_id: int) -> bool:
        row = self.model.row_of(order_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, OrdersModel.NUMBER))
        return True

    # -- internals ----------------------------------------------------------------------
    def _fill_statuses(self) -> None:
        self._quiet = True
        try:
            self.status_filter.clear()
            self.status_filter.addItem(self.tr("All statuses"), None)
            for status in STATUSES:
                self.status_filter.addItem(order_status_label(status), frozenset({status}))
        finally:
            self._quiet = False

    def _palette_colors(self) -> list[str]:
        """Unified colours of every loaded platform's flag palette, in the SDK's order."""
        from desktop.sdk import FlagColor  # late: desktop.sdk pulls httpx

        found: set[str] = set()
        for pid in {s.platform for s in self._desk.shops()}:
            info = self._desk.platform_info(pid)
            if info is not None:
                found.update(f.color.value for f in info.flags)
        return [c.value for c in FlagColor if c.value in found and c is not FlagColor.NONE]

    def _filter_from_widgets(self) -> OrderFilter:
        old = self.model.filter
        start = self.date_from.date()
        end = self.date_to.date()
        return OrderFilter(
            shop_ids=self.shop_filter.currentData(),
            statuses=self.status_filter.currentData(),
            flag_colors=self.flag_filter.currentData(),
            created_from=None if start == self._NO_DATE else start.startOfDay().toMSecsSinceEpoch(),
            created_to=None if end == self._NO_DATE else end.addDays(1).startOfDay().toMSecsSinceEpoch(),
            text=self.search.text().strip(),
            sort=old.sort,
            descending=old.descending,
        )

    def _apply(self, flt: OrderFilter) -> None:
        keep = self.current_order()
        self.model.set_filter(flt)
        self._show_sort_indicator()
        if keep is not None:
            self.select_order(keep.id)

    def _apply_widgets(self) -> None:
        self._search_timer.stop()
        flt = self._filter_from_widgets()
        if flt != self.model.filter:
            self._apply(flt)

    def _show_sort_indicator(self) -> None:
        flt = self.model.filter
        col = next((c for c, key in OrdersModel.SORT_OF_COLUMN.items() if key == flt.sort), -1)
        order = Qt.SortOrder.DescendingOrder if flt.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(col, order)
        header.blockSignals(False)

    def _open_conversation(self, order: OrderRow) -> None:
        if order.conversation_id is None:
            self.status_message.emit(self.tr(
                "Order {number}: {buyer} has no conversation with {shop} yet.").format(
                number=order.platform_order_id, buyer=order.buyer_nick or self.tr("the buyer"),
                shop=order.shop_name or self.tr("this shop")))
            return
        self.conversation_requested.emit(order.conversation_id)

    # -- slots ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and isinstance(watched, QCalendarWidget):
            for edit in (self.date_from, self.date_to):
                if edit.calendarWidget() is watched and edit.date() == self._NO_DATE:
                    today = QDate.currentDate()
                    watched.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def _on_filter_widget_changed(self, *_args: object) -> None:
        if not self._quiet:
            self._apply_widgets()

    def _on_all_dates_clicked(self) -> None:
        self._quiet = True
        try:
            self.date_from.setDate(self._NO_DATE)
            self.date_to.setDate(self._NO_DATE)
        finally:
            self._quiet = False
        self._apply_widgets()

    def _on_search_text_changed(self, _text: str) -> None:
        if not self._quiet:
            self._search_timer.start()  # restarts: typing "2601123" queries once

    def _on_header_clicked(self, section: int) -> None:
        key = OrdersModel.SORT_OF_COLUMN.get(section)
        if key is None:  # the desk cannot sort by it: keep the current order and arrow
            self._show_sort_indicator()
            return
        flt = self.model.filter
        if flt.sort == key:
            descending = not flt.descending
        else:  # newest, biggest first; names A→Z
            descending = key in ("created_at", "updated_at", "total")
        self._apply(replace(flt, sort=key, descending=descending))

    def _on_table_activated(self, index: QModelIndex) -> None:
        order = self.model.row_at(index.row())
        if order is not None:
            self._open_conversation(order)

    def _on_selection_changed(self, *_args: object) -> None:
        self.case_button.setEnabled(self.current_order() is not None)

    def _on_case_button_clicked(self) -> None:
        order = self.current_order()
        if order is not None:
            self.case_requested.emit(order.id)

    def _on_table_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        order = self.model.row_at(index.row()) if index.isValid() else None
        if order is None:
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        chat = menu.addAction(self.tr("Open conversation"))
        chat.setEnabled(order.conversation_id is not None)
        chat.triggered.connect(lambda: self._open_conversation(order))
        menu.addAction(self.tr("Register after-sale…")).triggered.connect(
            lambda: self.case_requested.emit(order.id))
        menu.addSeparator()
        menu.addAction(self.tr("Copy order no.")).triggered.connect(
            lambda: QGuiApplication.clipboard().setText(order.platform_order_id))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _on_model_reloaded(self) -> None:
        self.count_label.setText(self.tr("{n} orders").format(n=self.model.total))
        self._on_selection_changed()


def _date_of(ms: int) -> QDate:
    return QDateTime.fromMSecsSinceEpoch(ms).date()


_CUSTOM = Qt.ItemDataRole.UserRole + 1  # marks an item _select_data added


def _select_data(combo: QComboBox, value: object, custom_text: str) -> None:
    """Select the item carrying `value`; a value no item carries (several shops from
    set_filter) gets an item of its own so the box never shows a filter it does not apply."""
    for i in reversed(range(combo.count())):
        if combo.itemData(i, _CUSTOM) and combo.itemData(i) != value:
            combo.removeItem(i)
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return
    if value is None:
        combo.setCurrentIndex(0)
        return
    combo.addItem(custom_text, value)
    combo.setItemData(combo.count() - 1, True, _CUSTOM)
    combo.setCurrentIndex(combo.count() - 1)
