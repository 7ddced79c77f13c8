"""The left pane: state tabs, shop filter and the merged conversation list."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QMenu,
    QTabBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, ConversationRow, InboxFilter, InboxState, LabelKind

from .deskapi import DeskLike
from .icons import dot_icon
from .inbox_delegate import InboxDelegate
from .inbox_model import InboxModel
from .widgets import plain_label

STATES = (InboxState.WAITING, InboxState.ALL, InboxState.CLOSED)


class InboxPanel(QWidget):
    conversation_activated = Signal(int)  # the user opened a conversation
    # (buyer ids, "tag" | "group"): the agent asked to label the selected buyers
    label_selected_requested = Signal(list, str)

    def __init__(self, desk: DeskLike, parent: QWidget | None = None, *, autoload: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("inboxPanel")
        self._desk = desk
        self._open_id: int | None = None
        self._quiet = False  # selection changes we make ourselves do not open anything

        self.tabs = QTabBar(self)
        self.tabs.setObjectName("inboxTabs")
        self.tabs.setExpanding(True)
        self.tabs.setDrawBase(False)
        for _ in STATES:
            self.tabs.addTab("")
        self.shop_filter = QComboBox(self)
        self.shop_filter.setObjectName("shopFilter")
        self.shop_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.shop_filter.setMinimumContentsLength(8)
        self.label_filter = QComboBox(self)
        self.label_filter.setObjectName("labelFilter")
        self.label_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.label_filter.setMinimumContentsLength(6)
        self.count_label = plain_label("", self, object_name="inboxCount")

        self.model = InboxModel(desk, self)
        self.view = QTreeView(self)
        self.view.setObjectName("inboxList")
        # QTreeView, not QListView: QListView re-lays out all rows on every dataChanged.
        self.view.setUniformRowHeights(True)
        self.view.setRootIsDecorated(False)
        self.view.setHeaderHidden(True)
        self.view.setItemsExpandable(False)
        self.view.setAllColumnsShowFocus(True)
        self.view.setMouseTracking(True)
        # Ctrl/Shift+click select many buyers, to tag or group them at once
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate = InboxDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)

        filters = QHBoxLayout()
        filters.setContentsMargins(10, 6, 10, 6)
        filters.setSpacing(8)
        filters.addWidget(self.shop_filter, 3)
        filters.addWidget(self.label_filter, 2)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)

        # Waiting times tick every second: repaint only what is visible, no dataChanged.
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.view.viewport().update)
        self._ticker.start()

        self.tabs.setCurrentIndex(STATES.index(InboxState.ALL))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.shop_filter.currentIndexChanged.connect(self._on_shop_filter_changed)
        self.label_filter.currentIndexChanged.connect(self._on_shop_filter_changed)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.model.structure_applied.connect(self._on_model_structure_applied)
        self.model.modelReset.connect(self._on_model_structure_applied)
        self.retranslate()
        if autoload:
            self.load()

    # -- commands ----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Waiting"))
        self.tabs.setTabText(1, self.tr("All open"))
        self.tabs.setTabText(2, self.tr("Closed"))
        for i, key in enumerate(("Ctrl+1", "Ctrl+2", "Ctrl+3")):
            self.tabs.setTabToolTip(i, key)
        self.shop_filter.setToolTip(self.tr("Filter by shop (Ctrl+F)"))
        self.label_filter.setToolTip(self.tr("Filter by tag or group (Ctrl+Shift+F)"))

    def load(self) -> None:
        """The first read of the store (the main window defers it past the first paint)."""
        self.reload_shops()
        self.reload_labels()
        self.model.set_filter(self._current_filter())

    def reload_labels(self) -> None:
        """The tag/group filter's choices, with how many buyers carry each."""
        keep = self.label_filter.currentData()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem(self.tr("All tags"), None)
        for row in self._desk.labels():
            kind = self.tr("Tag") if row.kind == LabelKind.TAG.value else self.tr("Group")
            self.label_filter.addItem(dot_icon(row.color), f"{kind}: {row.name} ({row.buyers})",
                                      (row.kind, row.id))
        found = self.label_filter.findData(keep) if keep is not None else 0
        self.label_filter.setCurrentIndex(max(0, found))
        self.label_filter.blockSignals(False)
        if keep is not None and found < 0:  # merged or deleted: show all
            self.model.set_filter(self._current_filter())

    def set_label_filter(self, kind: str | None, label_id: int | None) -> None:
        found = self.label_filter.findData((kind, label_id)) if label_id is not None else 0
        self.label_filter.setCurrentIndex(max(0, found))

    def focus_label_filter(self) -> None:
        self.label_filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.label_filter.showPopup()

    def selected_rows(self) -> list[ConversationRow]:
        rows = []
        for index in sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row()):
            row = index.data(self.model.RowRole)
            if row is not None:
                rows.append(row)
        return rows

    def selected_buyer_ids(self) -> list[int]:
        return sorted({row.buyer_id for row in self.selected_rows()})

    def set_state(self, state: InboxState) -> None:
        self.tabs.setCurrentIndex(STATES.index(state))

    def focus_shop_filter(self) -> None:
        self.shop_filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.shop_filter.showPopup()

    def focus_list(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step(self, delta: int) -> None:
        """Open the previous (-1) or next (+1) conversation in list order."""
        self.model.flush()
        n = self.model.rowCount()
        if n == 0:
            return
        current = self.model.row_of(self._open_id) if self._open_id is not None else None
        row = (0 if delta > 0 else n - 1) if current is None else max(0, min(n - 1, current + delta))
        self.view.setCurrentIndex(self.model.index(row))

    def refresh(self) -> None:
        self.reload_shops()
        self.model.reload()

    def apply_notice(self, notice: ChangeNotice) -> None:
        if notice.shops:
            self.reload_shops()
        if notice.labels or notice.buyers:
            self.reload_labels()  # names and counts
        self.model.apply_notice(notice)

    def reload_shops(self) -> None:
        shops = self._desk.shops()
        self.delegate.set_reply_deadlines(self._reply_deadlines({s.platform for s in shops}))
        keep = self.shop_filter.currentData()
        self.shop_filter.blockSignals(True)
        self.shop_filter.clear()
        self.shop_filter.addItem(self.tr("All shops"), None)
        for shop in shops:
            self.shop_filter.addItem(f"{shop.name} · {shop.platform_name}", shop.id)
        found = self.shop_filter.findData(keep) if keep is not None else 0
        self.shop_filter.setCurrentIndex(max(0, found))
        self.shop_filter.blockSignals(False)
        if keep is not None and found < 0:  # the shop went away: show all
            self.model.set_filter(self._current_filter())

    def mark_open(self, conversation_id: int | None) -> None:
        """Highlight the conversation the chat shows, without re-opening it."""
        self._open_id = conversation_id
        self._select_open()

    # -- internals ----------------------------------------------------------------------
    def _reply_deadlines(self, platforms: set[str]) -> dict[str, int]:
        deadlines: dict[str, int] = {}
        for pid in platforms:
            info = self._desk.platform_info(pid)
            if info is not None and info.reply_deadline is not None:
                deadlines[pid] = info.reply_deadline.seconds
        return deadlines

    def _current_filter(self) -> InboxFilter:
        shop = self.shop_filter.currentData()
        label = self.label_filter.currentData()
        kind, label_id = label if label is not None else (None, None)
        return InboxFilter(
            state=STATES[max(0, self.tabs.currentIndex())],
            shop_ids=None if shop is None else frozenset({int(shop)}),
            tag_id=label_id if kind == LabelKind.TAG.value else None,
            group_id=label_id if kind == LabelKind.GROUP.value else None,
        )

    def _on_tabs_current_changed(self, _index: int) -> None:
        self.model.set_filter(self._current_filter())

    def _on_shop_filter_changed(self, _index: int) -> None:
        self.model.set_filter(self._current_filter())

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or self.model.restructuring or not current.isValid():
            return
        cid = self.model.id_at(current.row())
        if cid is not None and cid != self._open_id:
            self._open_id = cid
            self.conversation_activated.emit(cid)

    def _on_view_context_menu_requested(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        buyers = self.selected_buyer_ids()
        if not buyers:
            return
        menu = QMenu(self)
        n = len(buyers)
        tag = menu.addAction(self.tr("Tag {n} buyer(s)…").format(n=n))
        group = menu.addAction(self.tr("Add {n} buyer(s) to a group…").format(n=n))
        tag.triggered.connect(lambda: self.label_selected_requested.emit(buyers, LabelKind.TAG.value))
        group.triggered.connect(lambda: self.label_selected_requested.emit(buyers, LabelKind.GROUP.value))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _on_model_structure_applied(self) -> None:
        self._select_open()
        self._update_count()

    def _select_open(self) -> None:
        row = self.model.row_of(self._open_id) if self._open_id is not None else None
        sel = self.view.selectionModel()
        self._quiet = True
        try:
            if len(sel.selectedRows()) > 1:
                return  # the agent is picking buyers to tag: leave their selection alone
            if row is None:
                sel.clear()
            else:
                flag = QItemSelectionModel.SelectionFlag
                flags = flag.ClearAndSelect | flag.Rows
                sel.setCurrentIndex(self.model.index(row), flags)
        finally:
            self._quiet = False

    def _update_count(self) -> None:
        flt = self.model.filter
        n = self._desk.count_conversations(flt)  # the model holds a window of them
        if flt.state is InboxState.WAITING:
            waiting = n
        else:
            waiting = self._desk.count_conversations(InboxFilter(
                InboxState.WAITING, flt.shop_ids, flt.tag_id, flt.group_id))
        self.tabs.setTabText(0, self.tr("Waiting ({n})").format(n=waiting) if waiting else self.tr("Waiting"))
        self.count_label.setText(self.tr("{n} conversations").format(n=n))
