"""The left pane: whose chats (mine / the queue / everyone's), state tabs, shop and
label filters, and the merged conversation list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QMenu,
    QTabBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, ConversationRow, InboxFilter, InboxState, LabelKind

from . import prefs
from .deskapi import DeskLike
from .icons import dot_icon
from .keyhints import key
from .inbox_delegate import InboxDelegate
from .inbox_model import InboxModel
from .widgets import plain_label

STATES = (InboxState.WAITING, InboxState.ALL, InboxState.CLOSED)
SCOPES = ("mine", "queue", "all")  # chats I hold / nobody holds while a buyer waits / everyone's
SORTS = ("wait", "deadline")  # InboxFilter.sort

_SCOPE_STYLE = """
#inboxScopes { background: #ffffff; }
#scopeButton {
    border: 1px solid #d9dde2; background: #ffffff; color: #5f6670; padding: 3px 12px; margin: 0;
}
#scopeButton:checked { background: #e6effc; border-color: #1f6fd1; color: #1f6fd1; font-weight: bold; }
#scopeButton:hover:!checked { color: #1f2329; }
#scopeButton[first="true"] { border-top-left-radius: 5px; border-bottom-left-radius: 5px; }
#scopeButton[last="true"] { border-top-right-radius: 5px; border-bottom-right-radius: 5px; }
#scopeButton[queued="true"]:!checked { color: #c77700; }
"""


class InboxPanel(QWidget):
    conversation_activated = Signal(int)  # the user opened a conversation
    # (buyer ids, "tag" | "group"): the agent asked to label the selected buyers
    label_selected_requested = Signal(list, str)
    transfer_requested = Signal(list)  # the ConversationRows selected, to hand over
    scope_changed = Signal(str)  # "mine" | "queue" | "all"
    sort_changed = Signal(str)  # "wait" | "deadline"

    def __init__(self, desk: DeskLike, parent: QWidget | None = None, *, autoload: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("inboxPanel")
        self._desk = desk
        self._open_id: int | None = None
        self._quiet = False  # selection changes we make ourselves do not open anything
        self._scope = prefs.get_str(prefs.INBOX_SCOPE, SCOPES)
        self._sort = prefs.get_str(prefs.INBOX_SORT, SORTS)
        self._count_timer = QTimer(self)  # tab and scope counts, one event-loop turn late
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._update_count)

        # Whose chats: a segmented control, shown once the app is signed in as a seat.
        self.scope_bar = QWidget(self)
        self.scope_bar.setObjectName("inboxScopes")
        self.scope_bar.setStyleSheet(_SCOPE_STYLE)
        self.scope_group = QButtonGroup(self)
        self.scope_buttons: dict[str, QToolButton] = {}
        scopes = QHBoxLayout(self.scope_bar)
        scopes.setContentsMargins(10, 8, 10, 2)
        scopes.setSpacing(0)
        for i, scope in enumerate(SCOPES):
            button = QToolButton(self.scope_bar)
            button.setObjectName("scopeButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("first", i == 0)
            button.setProperty("last", i == len(SCOPES) - 1)
            self.scope_group.addButton(button, i)
            self.scope_buttons[scope] = button
            scopes.addWidget(button)
        scopes.addStretch(1)
        self.scope_bar.hide()

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
        # the reply deadline that runs out first on top, instead of the longest wait
        self.sort_button = QToolButton(self)
        self.sort_button.setObjectName("deadlineSort")
        self.sort_button.setCheckable(True)
        self.sort_button.setChecked(self._sort == "deadline")
        self.sort_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sort_button.setAutoRaise(True)

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
        # Shown for the first time, the view asks for the next window before it has a
        # scroll range (5 ms at 20k chats, on the first paint: bench_inbox). The first
        # window holds far more rows than fit; fetching starts once it has painted.
        self.model.fetch_held = True
        self.view.viewport().installEventFilter(self)

        filters = QHBoxLayout()
        filters.setContentsMargins(10, 6, 10, 6)
        filters.setSpacing(8)
        filters.addWidget(self.shop_filter, 3)
        filters.addWidget(self.label_filter, 2)
        filters.addWidget(self.sort_button)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scope_bar)
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
        self.scope_group.idClicked.connect(lambda i: self.set_scope(SCOPES[i]))
        self.shop_filter.currentIndexChanged.connect(self._on_shop_filter_changed)
        self.label_filter.currentIndexChanged.connect(self._on_shop_filter_changed)
        self.sort_button.toggled.connect(
            lambda on: self.set_sort("deadline" if on else "wait"))
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.model.structure_applied.connect(self._on_model_structure_applied)
        self.model.modelReset.connect(self._on_model_structure_applied)
        self.retranslate()
        if autoload:
            self.load()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and watched is self.view.viewport() and self.model.fetch_held:
            self.model.fetch_held = False
            watched.removeEventFilter(self)
        return False

    # -- commands ----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Waiting"))
        self.tabs.setTabText(1, self.tr("All open"))
        self.tabs.setTabText(2, self.tr("Closed"))
        for i, key in enumerate(("Ctrl+1", "Ctrl+2", "Ctrl+3")):
            self.tabs.setTabToolTip(i, key)
        self._scope_texts(None)
        self.sort_button.setText(self.tr("By deadline"))
        self.show_key_hints()

    def show_key_hints(self) -> None:
        self.scope_buttons["mine"].setToolTip(
            self.tr("Conversations I serve ({key})").format(key=key("scope_mine", "Ctrl+4")))
        self.scope_buttons["queue"].setToolTip(self.tr(
            "Buyers waiting for a seat: nobody serves them yet ({key})").format(key=key("scope_queue", "Ctrl+5")))
        self.scope_buttons["all"].setToolTip(
            self.tr("Every seat's conversations ({key})").format(key=key("scope_all", "Ctrl+6")))
        self.shop_filter.setToolTip(self.tr("Filter by shop ({key})").format(key=key("filter_shop", "Ctrl+F")))
        self.sort_button.setToolTip(self.tr(
            "Sort by the platform's reply deadline: the buyer about to breach it on top "
            "({key}). Off: the longest wait on top.").format(key=key("deadline_sort", "Ctrl+Shift+D")))
        self.label_filter.setToolTip(
            self.tr("Filter by tag or group ({key})").format(key=key("filter_label", "Ctrl+Shift+F")))

    def load(self) -> None:
        """The first read of the store (the main window defers it past the first paint)."""
        self.reload_shops()
        self.reload_labels()
        self._follow_seat()
        self.model.set_filter(self._current_filter())

    @property
    def scope_choice(self) -> str:
        """The scope the agent chose (remembered), whether or not a seat is signed in."""
        return self._scope

    @property
    def scope(self) -> str:
        """Whose chats the list shows; "all" whenever no seat is signed in."""
        return self._scope if self._desk.seat_id is not None else "all"

    def set_scope(self, scope: str) -> None:
        """Mine / the queue / everyone's (Ctrl+4/5/6); remembered for the next start."""
        if scope not in SCOPES:
            return
        changed = scope != self._scope
        self._scope = scope
        prefs.set_value(prefs.INBOX_SCOPE, scope)
        self._follow_seat()
        if changed:
            self.model.set_filter(self._current_filter())
            self.scope_changed.emit(scope)

    @property
    def sort(self) -> str:
        """"wait" (longest wait first) or "deadline" (reply deadline first)."""
        return self._sort

    def set_sort(self, sort: str) -> None:
        """Ctrl+Shift+D toggles it; remembered for the next start."""
        if sort not in SORTS or sort == self._sort:
            return
        self._sort = sort
        prefs.set_value(prefs.INBOX_SORT, sort)
        self.sort_button.blockSignals(True)
        self.sort_button.setChecked(sort == "deadline")
        self.sort_button.blockSignals(False)
        self.model.set_filter(self._current_filter())
        self.sort_changed.emit(sort)

    def toggle_sort(self) -> None:
        self.set_sort("wait" if self._sort == "deadline" else "deadline")

    def seat_changed(self) -> None:
        """Signed in (or out, or as another seat): "mine" means someone else now."""
        self._follow_seat()
        self.model.set_filter(self._current_filter())
        self.view.viewport().update()

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
    def _current_filter(self) -> InboxFilter:
        shop = self.shop_filter.currentData()
        label = self.label_filter.currentData()
        kind, label_id = label if label is not None else (None, None)
        scope = self.scope
        state = STATES[max(0, self.tabs.currentIndex())]
        return InboxFilter(
            state=state,
            shop_ids=None if shop is None else frozenset({int(shop)}),
            tag_id=label_id if kind == LabelKind.TAG.value else None,
            group_id=label_id if kind == LabelKind.GROUP.value else None,
            # an ended chat belongs to no seat (the buyer's next message routes it again)
            seat_id=self._desk.seat_id if scope == "mine" and state is not InboxState.CLOSED else None,
            queue=scope == "queue",
            sort=self._sort,
        )

    def _follow_seat(self) -> None:
        """Scope control, delegate labels and tabs as the signed-in seat and scope say."""
        signed_in = self._desk.seat_id is not None
        scope = self.scope
        self.scope_bar.setVisible(signed_in)
        self.scope_buttons[self._scope].setChecked(True)
        self.delegate.set_seat(self._desk.seat_id, show_holders=scope != "mine",
                               queue_only=scope == "queue")
        # The queue is open chats only: 已结束 means nothing there.
        queue = scope == "queue"
        self.tabs.setTabEnabled(STATES.index(InboxState.CLOSED), not queue)
        if queue and STATES[self.tabs.currentIndex()] is InboxState.CLOSED:
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(STATES.index(InboxState.ALL))
            self.tabs.blockSignals(False)

    def _scope_texts(self, queued: int | None) -> None:
        self.scope_buttons["mine"].setText(self.tr("Mine"))
        self.scope_buttons["queue"].setText(self.tr("Unassigned ({n})").format(n=queued) if queued
                                            else self.tr("Unassigned"))
        self.scope_buttons["all"].setText(self.tr("Everyone"))
        button = self.scope_buttons["queue"]
        if button.property("queued") != bool(queued):
            button.setProperty("queued", bool(queued))
            button.style().unpolish(button)
            button.style().polish(button)

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
        rows = [r for r in self.selected_rows() if r.state == "open"]
        menu = QMenu(self)
        n = len(buyers)
        tag = menu.addAction(self.tr("Tag {n} buyer(s)…").format(n=n))
        group = menu.addAction(self.tr("Add {n} buyer(s) to a group…").format(n=n))
        tag.triggered.connect(lambda: self.label_selected_requested.emit(buyers, LabelKind.TAG.value))
        group.triggered.connect(lambda: self.label_selected_requested.emit(buyers, LabelKind.GROUP.value))
        if rows and self._desk.seat_id is not None:
            menu.addSeparator()
            text = (self.tr("Transfer…") if len(rows) == 1
                    else self.tr("Transfer {n} conversations…").format(n=len(rows)))
            transfer = menu.addAction(text)
            transfer.setShortcut("Ctrl+Shift+T")
            transfer.triggered.connect(lambda: self.transfer_requested.emit(rows))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _on_model_structure_applied(self) -> None:
        self._select_open()
        # the counts are two or three COUNT queries: after this turn's paint, coalesced
        if not self._count_timer.isActive():
            self._count_timer.start()

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
            waiting = self._desk.count_conversations(replace(flt, state=InboxState.WAITING))
        self.tabs.setTabText(0, self.tr("Waiting ({n})").format(n=waiting) if waiting else self.tr("Waiting"))
        self.count_label.setText(self.tr("{n} conversations").format(n=n))
        if self._desk.seat_id is not None:
            queued = n if flt.queue else self._desk.count_conversations(
                replace(flt, state=InboxState.ALL, seat_id=None, queue=True))
            self._scope_texts(queued)
