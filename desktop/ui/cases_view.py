"""The after-sale tab (售后): every shop's cases in one table, open ones by default."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import CaseFilter, CaseKind, CaseRow, CaseState, ChangeNotice

from .bridge import Bridge, assert_gui_thread
from .case_dialog import CaseDialog
from .case_labels import STATE_COLOR, case_kind_label, case_state_label
from .deskapi import DeskLike
from .formatting import datetime_text, one_line
from .icons import dot_icon
from .tables import KeyedRowsModel, RowOnFocus, setup_row_table
from .widgets import plain_label, plain_tooltip


_ALL = "*"  # the state filter's "every state, closed too"


def items_summary(case: CaseRow) -> str:
    return "；".join(f"{i.title} ×{i.quantity}" for i in case.items)


class CasesModel(KeyedRowsModel):
    (SHOP, NUMBER, BUYER, KIND, STATE, REASON, WAYBILL, ITEMS, AUTHOR, UPDATED) = range(10)
    COLUMN_COUNT = 10
    COALESCE_MS = 500

    def __init__(self, desk: DeskLike, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._filter = CaseFilter()
        self.shop_colors: dict[int, str] = {}  # CaseRow carries no shop colour
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.COALESCE_MS)
        self._timer.timeout.connect(self.reload)

    @property
    def filter(self) -> CaseFilter:
        return self._filter

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("Shop"), self.tr("Order no."), self.tr("Buyer"), self.tr("Type"), self.tr("State"),
                  self.tr("Reason"), self.tr("Return waybill"), self.tr("Items"), self.tr("Registered by"),
                  self.tr("Updated")]
        return titles[section] if 0 <= section < len(titles) else None

    def _cell(self, c: CaseRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DecorationRole and col == self.SHOP:
            return dot_icon(self.shop_colors.get(c.shop_id, ""))
        if role == Qt.ItemDataRole.ForegroundRole and col == self.STATE:
            return QBrush(QColor(STATE_COLOR.get(c.state, "#5f6670")))
        if role == Qt.ItemDataRole.ToolTipRole:
            full = {self.REASON: c.reason, self.ITEMS: "\n".join(f"{i.title} × {i.quantity}" for i in c.items),
                    self.BUYER: c.buyer_nick, self.WAYBILL: c.return_waybill}.get(col, "")
            if col == self.STATE and c.note:
                full = c.note
            return plain_tooltip(full) or None
        return None

    def _text(self, c: CaseRow, col: int) -> str:
        return {
            self.SHOP: c.shop_name,
            self.NUMBER: c.platform_order_id,
            self.BUYER: c.buyer_nick,
            self.KIND: case_kind_label(c.kind),
            self.STATE: case_state_label(c.state, c.kind),
            self.REASON: one_line(c.reason, 80),
            self.WAYBILL: c.return_waybill,
            self.ITEMS: one_line(items_summary(c), 120),
            self.AUTHOR: c.author,
            self.UPDATED: datetime_text(c.updated_at),
        }.get(col, "")

    def set_filter(self, flt: CaseFilter) -> None:
        assert_gui_thread()
        self._timer.stop()
        self._filter = flt
        self._reset(self._desk.cases(flt))
        self.reloaded.emit()

    def schedule_reload(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive():
            self.reload()

    def reload(self) -> None:
        assert_gui_thread()
        self._timer.stop()
        self._place(self._desk.cases(self._filter))
        self.reloaded.emit()


class CasesView(QWidget):
    conversation_requested = Signal(int)  # open the case's buyer chat

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("casesView")
        self._desk = desk
        self._bridge = bridge
        self.dialog: CaseDialog | None = None  # created on the first open_case, then re-used

        self.state_filter = QComboBox(self)
        self.state_filter.setObjectName("caseStateFilter")
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("caseKindFilter")
        self.shop_filter = QComboBox(self)
        self.shop_filter.setObjectName("caseShopFilter")
        for combo in (self.state_filter, self.kind_filter, self.shop_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count_label = plain_label("", self, object_name="casesCount")
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openCase")
        self.open_button.setEnabled(False)
        self.open_button.setText(self.tr("Open case"))

        self.model = CasesModel(desk, self)
        self.table = QTableView(self)
        self.table.setObjectName("casesTable")
        self._setup_table()
        self.setFocusProxy(self.table)
        RowOnFocus(self.table)

        bar = QHBoxLayout()
        bar.setContentsMargins(10, 8, 10, 8)
        bar.setSpacing(6)
        for w in (self.state_filter, self.kind_filter, self.shop_filter):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.empty_label = plain_label(self.tr(
            "No after-sale cases here. Register one on an order: the After-sale button on its "
            "card, or Ctrl+Shift+A."), self, object_name="casesEmpty", wrap=True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #8a9099; padding: 24px;")
        layout.addWidget(self.empty_label)
        self.empty_label.hide()

        self._fill_fixed_filters()
        for combo in (self.state_filter, self.kind_filter, self.shop_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.selectionModel().currentChanged.connect(self._on_selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.reloaded.connect(self._on_model_reloaded)

    def _setup_table(self) -> None:
        setup_row_table(self.table, self.model, CasesModel.ITEMS, {
            CasesModel.SHOP: 9, CasesModel.NUMBER: 11, CasesModel.BUYER: 7.5, CasesModel.KIND: 5,
            CasesModel.STATE: 5.5, CasesModel.REASON: 8, CasesModel.WAYBILL: 9, CasesModel.AUTHOR: 5,
            CasesModel.UPDATED: 9})

    def _fill_fixed_filters(self) -> None:
        self.state_filter.blockSignals(True)
        self.state_filter.addItem(self.tr("Not closed"), None)
        self.state_filter.addItem(self.tr("All states"), _ALL)
        for state in CaseState:
            self.state_filter.addItem(case_state_label(state.value), state.value)
        self.state_filter.blockSignals(False)
        self.kind_filter.blockSignals(True)
        self.kind_filter.addItem(self.tr("All types"), None)
        for kind in CaseKind:
            self.kind_filter.addItem(case_kind_label(kind.value), kind.value)
        self.kind_filter.blockSignals(False)

    # -- public ------------------------------------------------------------------------
    def load(self) -> None:
        self.reload_shops()
        self.model.set_filter(self._current_filter())

    def reload_shops(self) -> None:
        shops = self._desk.shops()
        self.model.shop_colors = {s.id: s.color for s in shops}
        keep = self.shop_filter.currentData()
        self.shop_filter.blockSignals(True)
        self.shop_filter.clear()
        self.shop_filter.addItem(self.tr("All shops"), None)
        for shop in shops:
            self.shop_filter.addItem(dot_icon(shop.color), shop.name, shop.id)
        self.shop_filter.setCurrentIndex(max(0, self.shop_filter.findData(keep)) if keep is not None else 0)
        self.shop_filter.blockSignals(False)

    def apply_notice(self, notice: ChangeNotice) -> None:
        if notice.shops:
            self.reload_shops()
        if notice.order_ids:
            self.model.schedule_reload()
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.refresh()

    def current_case(self) -> CaseRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        row: CaseRow | None = self.model.row_at(index.row())
        return row

    def open_case(self, case_id: int) -> CaseDialog:
        """Show the case dialog — not modal: the agent may need the chat beside it.
        One dialog, re-used for the next case."""
        if self.dialog is None:
            self.dialog = CaseDialog.for_case(self._desk, self._bridge, case_id, self)
        else:
            self.dialog.show_case(case_id)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    # -- internals ----------------------------------------------------------------------
    def _current_filter(self) -> CaseFilter:
        state = self.state_filter.currentData()
        kind = self.kind_filter.currentData()
        shop = self.shop_filter.currentData()
        return CaseFilter(
            open_only=state is None,
            states=frozenset({state}) if state not in (None, _ALL) else None,
            kinds=frozenset({kind}) if kind else None,
            shop_ids=frozenset({shop}) if shop is not None else None,
        )

    def _on_filter_changed(self, _index: int) -> None:
        self.model.set_filter(self._current_filter())

    def _on_table_activated(self, index: QModelIndex) -> None:
        case = self.model.row_at(index.row())
        if case is not None:
            self.open_case(case.id)

    def _on_open_button_clicked(self) -> None:
        case = self.current_case()
        if case is not None:
            self.open_case(case.id)

    def _on_selection_changed(self, *_args: object) -> None:
        self.open_button.setEnabled(self.current_case() is not None)

    def _on_table_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        case: CaseRow | None = self.model.row_at(index.row()) if index.isValid() else None
        if case is None:
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction(self.tr("Open case…")).triggered.connect(lambda: self.open_case(case.id))
        chat = menu.addAction(self.tr("Open conversation"))
        chat.setEnabled(case.conversation_id is not None)
        if case.conversation_id is not None:
            cid = case.conversation_id
            chat.triggered.connect(lambda: self.conversation_requested.emit(cid))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _on_model_reloaded(self) -> None:
        self.count_label.setText(self.tr("{n} cases").format(n=self.model.rowCount()))
        self.empty_label.setVisible(self.model.rowCount() == 0)
        self._on_selection_changed()
