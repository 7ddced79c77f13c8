"""A handover's items as a tree grouped by kind: the author's draft (include or drop each
item, annotate it) and the reader's copy (tick items done, mark them as needing nothing),
each item linking to its chat, order or after-sale case."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from desktop.core.views import HandoverItemKind, HandoverItemRow, ItemState

from .formatting import clock_text, now_ms
from .widgets import plain_tooltip

_CTX = "HandoverLabels"

# As the core orders drafts and the export: buyers waiting first, free notes last.
KIND_ORDER = tuple(HandoverItemKind)
_KINDS = {
    HandoverItemKind.CHAT: QT_TRANSLATE_NOOP("HandoverLabels", "Chats waiting for a reply"),
    HandoverItemKind.FOLLOW_UP: QT_TRANSLATE_NOOP("HandoverLabels", "Follow-ups promised"),
    HandoverItemKind.CASE: QT_TRANSLATE_NOOP("HandoverLabels", "After-sale cases in progress"),
    HandoverItemKind.UNPAID: QT_TRANSLATE_NOOP("HandoverLabels", "Unpaid orders not dunned yet"),
    HandoverItemKind.REMARK: QT_TRANSLATE_NOOP("HandoverLabels",
                                               "Remarks this shift on orders not shipped"),
    HandoverItemKind.TAGGED: QT_TRANSLATE_NOOP("HandoverLabels", "Buyers tagged for follow-up"),
    HandoverItemKind.NOTE: QT_TRANSLATE_NOOP("HandoverLabels", "Other matters"),
}
_STATES = {
    ItemState.TODO: QT_TRANSLATE_NOOP("HandoverLabels", "To do"),
    ItemState.DONE: QT_TRANSLATE_NOOP("HandoverLabels", "Done"),
    ItemState.DROPPED: QT_TRANSLATE_NOOP("HandoverLabels", "Needs nothing"),
}
_MUTED = QColor("#8a9099")
_DONE = QColor("#2e7d32")
_LATE = QColor("#c62828")


def kind_label(kind: HandoverItemKind | str) -> str:
    return QCoreApplication.translate(_CTX, str(_KINDS.get(HandoverItemKind(kind), kind)))


def state_label(state: ItemState | str) -> str:
    return QCoreApplication.translate(_CTX, str(_STATES.get(ItemState(state), state)))


def primary_link(item: HandoverItemRow) -> tuple[str, int] | None:
    """What a double-click opens: a case its case, an order item its order, anything
    about a buyer their chat; else whichever link the item has."""
    kind = HandoverItemKind(item.kind)
    order = [("case", item.case_id), ("order", item.order_id), ("chat", item.conversation_id)]
    if kind in (HandoverItemKind.CHAT, HandoverItemKind.FOLLOW_UP, HandoverItemKind.TAGGED):
        order = [order[2], order[0], order[1]]
    elif kind in (HandoverItemKind.UNPAID, HandoverItemKind.REMARK):
        order = [order[1], order[0], order[2]]
    return next(((name, value) for name, value in order if value is not None), None)


class HandoverItemsTree(QTreeWidget):
    """Items grouped under their kind. `editing` (the author's draft): the checkbox says
    whether the item is handed over (unticked = needs nothing) and the note column is
    editable. Reading: the checkbox says done; a context menu offers the rest.
    Rows point into `items()` by position (a draft's items have no ids yet)."""

    link_requested = Signal(str, int)  # "chat" | "order" | "case", id
    state_requested = Signal(int, object)  # item position, ItemState (reading)
    note_requested = Signal(int)  # item position: annotate it (reading)
    items_edited = Signal()  # the author ticked, unticked or annotated (editing)

    TITLE, NOTE, STATE = range(3)
    PosRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2  # a group row's kind

    def __init__(self, parent: QWidget | None = None, *, editing: bool = False,
                 object_name: str = "handoverItems") -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.editing = editing
        self.read_only = False  # reading another seat's handover: look, do not tick
        self._items: list[HandoverItemRow] = []
        self._filling = False
        self._clock = now_ms
        self.setColumnCount(3)
        self.setRootIsDecorated(True)  # a long group (20 chats) folds away
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Editors open from _on_item_activated: a double-click on a title opens the link.
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.NOTE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.STATE, QHeaderView.ResizeMode.Interactive)
        em = self.fontMetrics().horizontalAdvance("中")
        header.resizeSection(self.NOTE, 16 * em)
        header.resizeSection(self.STATE, 8 * em)
        self.retranslate()
        self.itemChanged.connect(self._on_item_changed)
        self.itemActivated.connect(self._on_item_activated)
        self.customContextMenuRequested.connect(self._on_context_menu)

    def retranslate(self) -> None:
        self.setHeaderLabels([self.tr("Item"), self.tr("Note"), self.tr("State")])

    # -- content ---------------------------------------------------------------------------
    def items(self) -> list[HandoverItemRow]:
        return list(self._items)

    def set_items(self, items: Sequence[HandoverItemRow]) -> None:
        """Show these items (grouped, in KIND_ORDER); the selection follows positions."""
        keep = {self.position(i) for i in self.selectedItems()} - {None}
        self._items = list(items)
        self._filling = True
        try:
            self.clear()
            for kind in KIND_ORDER:
                positions = [p for p, it in enumerate(self._items) if HandoverItemKind(it.kind) is kind]
                if not positions:
                    continue
                group = QTreeWidgetItem(self)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = QFont(group.font(0))
                font.setBold(True)
                group.setFont(0, font)
                group.setData(0, self.PosRole, None)
                group.setData(0, self.KindRole, kind.value)
                group.setFirstColumnSpanned(True)
                for p in positions:
                    child = QTreeWidgetItem(group)
                    self._fill(child, p)
                    if p in keep:
                        child.setSelected(True)
                group.setExpanded(True)
            self._title_groups()
            top = self.topLevelItem(0)
            first = top.child(0) if top is not None and top.childCount() else None
            if first is not None:  # current without selecting: Enter and Open act on it
                self.setCurrentItem(first, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._filling = False

    def open_current(self) -> bool:
        """Enter / Open: what the current item links to (its chat, order or case)."""
        p = self.current_position()
        link = primary_link(self._items[p]) if p is not None else None
        if link is not None:
            self.link_requested.emit(*link)
        return link is not None

    def _title_groups(self) -> None:
        """"待回复会话（3）", or（2/3）while some of them are not to do."""
        for g in range(self.topLevelItemCount()):
            group = self.topLevelItem(g)
            if group is None:
                continue
            kind = HandoverItemKind(group.data(0, self.KindRole))
            mine = [it for it in self._items if HandoverItemKind(it.kind) is kind]
            todo = sum(1 for it in mine if ItemState(it.state) is ItemState.TODO)
            group.setText(0, self.tr("{kind} ({todo}/{n})").format(
                kind=kind_label(kind), todo=todo, n=len(mine)) if todo != len(mine)
                else self.tr("{kind} ({n})").format(kind=kind_label(kind), n=len(mine)))

    def position(self, item: QTreeWidgetItem | None) -> int | None:
        if item is None:
            return None
        value = item.data(0, self.PosRole)
        return int(value) if value is not None else None

    def selected_positions(self) -> list[int]:
        return sorted(p for p in (self.position(i) for i in self.selectedItems()) if p is not None)

    def current_position(self) -> int | None:
        return self.position(self.currentItem())

    def tree_item(self, position: int) -> QTreeWidgetItem | None:
        for g in range(self.topLevelItemCount()):
            group = self.topLevelItem(g)
            for c in range(group.childCount() if group is not None else 0):
                child = group.child(c) if group is not None else None
                if child is not None and self.position(child) == position:
                    return child
        return None

    def _fill(self, child: QTreeWidgetItem, p: int) -> None:
        it = self._items[p]
        state = ItemState(it.state)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if self.editing:
            flags |= Qt.ItemFlag.ItemIsEditable
        child.setFlags(flags)
        child.setData(0, self.PosRole, p)
        child.setText(self.TITLE, it.title)
        child.setText(self.NOTE, it.note)
        child.setText(self.STATE, self._state_text(it))
        checked = state is not ItemState.DROPPED if self.editing else state is ItemState.DONE
        child.setCheckState(self.TITLE, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        tip = [it.title]
        if it.shop_name:
            tip.append(self.tr("Shop: {shop}").format(shop=it.shop_name))
        if it.carried_from is not None:
            tip.append(self.tr("Carried over from an earlier handover"))
        link = primary_link(it)
        if link is not None:
            tip.append({"chat": self.tr("Double-click to open the chat"),
                        "order": self.tr("Double-click to show the order"),
                        "case": self.tr("Double-click to open the after-sale case")}[link[0]])
        child.setToolTip(self.TITLE, plain_tooltip("\n".join(tip)))
        if it.note:
            child.setToolTip(self.NOTE, plain_tooltip(it.note))
        muted = state is ItemState.DROPPED or (not self.editing and state is ItemState.DONE)
        font = QFont(child.font(self.TITLE))
        font.setStrikeOut(not self.editing and state is not ItemState.TODO)
        child.setFont(self.TITLE, font)
        for col in (self.TITLE, self.NOTE):
            child.setForeground(col, QBrush(_MUTED) if muted else QBrush())
        late = state is ItemState.TODO and it.due_at is not None and it.due_at <= self._clock()
        child.setForeground(self.STATE, QBrush(_DONE if state is ItemState.DONE
                                               else _LATE if late else _MUTED))

    def _state_text(self, it: HandoverItemRow) -> str:
        state = ItemState(it.state)
        if state is ItemState.DONE and it.done_by:
            when = clock_text(it.done_at, self._clock()) if it.done_at else ""
            return self.tr("Done by {seat} {time}").format(seat=it.done_by, time=when).strip()
        if state is ItemState.TODO and it.due_at is not None:
            return self.tr("Due {time}").format(time=clock_text(it.due_at, self._clock()))
        if state is ItemState.TODO and it.carried_from is not None:
            return self.tr("Carried over")
        return state_label(state)

    # -- slots ----------------------------------------------------------------------------
    def _on_item_changed(self, child: QTreeWidgetItem, column: int) -> None:
        if self._filling:
            return
        p = self.position(child)
        if p is None:
            return
        it = self._items[p]
        if self.editing:
            if column == self.TITLE:
                checked = child.checkState(self.TITLE) == Qt.CheckState.Checked
                state = ItemState.TODO if checked else ItemState.DROPPED
                title = child.text(self.TITLE).strip() or it.title
                self._set(p, state=state, title=title if HandoverItemKind(it.kind) is HandoverItemKind.NOTE
                          else it.title)
            elif column == self.NOTE:
                self._set(p, note=child.text(self.NOTE).strip())
            self.items_edited.emit()
            return
        if column == self.TITLE:
            checked = child.checkState(self.TITLE) == Qt.CheckState.Checked
            wanted = ItemState.DONE if checked else ItemState.TODO
            if wanted is not ItemState(it.state):
                self.state_requested.emit(p, wanted)

    def _set(self, p: int, **changes: object) -> None:
        from dataclasses import replace

        self._items[p] = replace(self._items[p], **changes)  # type: ignore[arg-type]
        child = self.tree_item(p)
        if child is not None:
            self._filling = True
            try:
                self._fill(child, p)
                self._title_groups()
            finally:
                self._filling = False

    def refresh_items(self, items: Sequence[HandoverItemRow]) -> bool:
        """The same items as saved (ids given, references filled): refreshed in place, so the
        scroll position, folds and the current row stay. False (nothing done) when they are
        not the same items in the same order."""
        if [HandoverItemKind(x.kind) for x in items] != [HandoverItemKind(x.kind) for x in self._items]:
            return False
        self._items = list(items)
        self._filling = True
        try:
            for p in range(len(self._items)):
                child = self.tree_item(p)
                if child is not None:
                    self._fill(child, p)
            self._title_groups()
        finally:
            self._filling = False
        return True

    def update_item(self, p: int, **changes: object) -> None:
        """Change one item in place (the editor's own edits) without rebuilding."""
        self._set(p, **changes)

    def _on_item_activated(self, child: QTreeWidgetItem, column: int) -> None:
        p = self.position(child)
        if p is None:
            return
        note = HandoverItemKind(self._items[p].kind) is HandoverItemKind.NOTE
        if self.editing and (column == self.NOTE or (column == self.TITLE and note)):
            self.editItem(child, column)  # the author annotates (or rewords a free item)
            return
        link = primary_link(self._items[p])
        if link is not None:
            self.link_requested.emit(*link)

    def _on_context_menu(self, pos: QPoint) -> None:
        child = self.itemAt(pos)
        p = self.position(child)
        if p is None or child is None:
            return
        if not child.isSelected():
            self.setCurrentItem(child)
        it = self._items[p]
        menu = QMenu(self)
        for name, value, text in (("chat", it.conversation_id, self.tr("Open the chat")),
                                  ("order", it.order_id, self.tr("Show the order")),
                                  ("case", it.case_id, self.tr("Open the after-sale case"))):
            if value is not None:
                menu.addAction(text).triggered.connect(
                    lambda _=False, n=name, v=value: self.link_requested.emit(n, v))
        if not self.editing and not self.read_only:
            menu.addSeparator()
            state = ItemState(it.state)
            for target, text in ((ItemState.DONE, self.tr("Mark done")),
                                 (ItemState.DROPPED, self.tr("Needs nothing")),
                                 (ItemState.TODO, self.tr("Back to to-do"))):
                if target is not state:
                    menu.addAction(text).triggered.connect(
                        lambda _=False, t=target: self.state_requested.emit(p, t))
            menu.addAction(self.tr("Note…")).triggered.connect(lambda: self.note_requested.emit(p))
        elif self.editing:
            menu.addSeparator()
            menu.addAction(self.tr("Edit note")).triggered.connect(
                lambda: self.editItem(child, self.NOTE))
        if not menu.isEmpty():
            menu.exec(self.viewport().mapToGlobal(pos))
