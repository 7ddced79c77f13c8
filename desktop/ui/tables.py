"""Table plumbing shared by the orders and after-sale views: a model of rows keyed
by id that re-places rows (selection and scroll follow them), and a focus helper."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .bridge import assert_gui_thread

ModelIndex = QModelIndex | QPersistentModelIndex


class KeyedRowsModel(QAbstractTableModel):
    """Rows with an `id`, re-placed by id when re-read: removes, one append and a
    layout change, so persistent indexes (selection, current) follow their rows."""

    RowRole = Qt.ItemDataRole.UserRole + 1  # the row dataclass
    IdRole = Qt.ItemDataRole.UserRole + 2

    reloaded = Signal()  # after a (coalesced) re-read; counts may have changed

    COLUMN_COUNT = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._pos: dict[int, int] = {}
        self._restructuring = False

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == self.RowRole:
            return row
        if role == self.IdRole:
            return row.id
        return self._cell(row, index.column(), role)

    def _text(self, row: Any, col: int) -> str:
        """The cell's display text (plain: views never render markup)."""
        return ""

    def _cell(self, row: Any, col: int, role: int) -> object:
        """Any other role of a cell (decoration, colours, tooltips, alignment)."""
        return None

    @property
    def restructuring(self) -> bool:
        return self._restructuring

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: int) -> int | None:
        return self._pos.get(key)

    def rows(self) -> list[Any]:
        return list(self._rows)

    def _reset(self, rows: Sequence[Any]) -> None:
        self._restructuring = True
        try:
            self.beginResetModel()
            self._rows = list(rows)
            self._pos = {r.id: i for i, r in enumerate(self._rows)}
            self.endResetModel()
        finally:
            self._restructuring = False

    def _place(self, new_rows: Sequence[Any]) -> None:
        assert_gui_thread()
        new_ids = [r.id for r in new_rows]
        self._restructuring = True
        try:
            keep = set(new_ids)
            gone = [i for i, r in enumerate(self._rows) if r.id not in keep]
            for first, last in reversed(_runs(gone)):
                self.beginRemoveRows(QModelIndex(), first, last)
                del self._rows[first:last + 1]
                self.endRemoveRows()
            present = {r.id for r in self._rows}
            added = [r for r in new_rows if r.id not in present]
            if added:
                n = len(self._rows)
                self.beginInsertRows(QModelIndex(), n, n + len(added) - 1)
                self._rows.extend(added)
                self.endInsertRows()
            if [r.id for r in self._rows] != new_ids:
                self.layoutAboutToBeChanged.emit()
                old_ids = [r.id for r in self._rows]
                new_pos = {k: i for i, k in enumerate(new_ids)}
                before = self.persistentIndexList()
                after = [self.index(new_pos[old_ids[p.row()]], p.column()) for p in before]
                self._rows = list(new_rows)
                self.changePersistentIndexList(before, after)
                self.layoutChanged.emit()
            else:
                self._rows = list(new_rows)
            self._pos = {k: i for i, k in enumerate(new_ids)}
        finally:
            self._restructuring = False
        if self._rows:
            corner = self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            self.dataChanged.emit(self.index(0, 0), corner, [])


class RowOnFocus(QObject):
    """Selects the current (or first) row when a row-selecting table gains focus, so
    the keyboard's Enter and the selection-driven buttons act on the same visible row
    (Qt otherwise sets a current cell without selecting it)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and watched is self._table:
            model, sel = self._table.model(), self._table.selectionModel()
            if model is not None and model.rowCount() and not sel.hasSelection():
                current = self._table.currentIndex()
                self._table.selectRow(current.row() if current.isValid() else 0)
        return False


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs



def setup_row_table(table: QTableView, model: KeyedRowsModel, stretch: int,
                    widths_em: dict[int, float]) -> QHeaderView:
    """A read-only table of whole-row selection, fixed row heights (the view never
    measures rows), plain left-aligned headers, column `stretch` taking the rest and
    the others `widths_em` CJK characters wide. → the horizontal header."""
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(max(26, table.fontMetrics().height() + 10))
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    em = table.fontMetrics().horizontalAdvance("中")
    for col, ems in widths_em.items():
        header.resizeSection(col, int(ems * em) + 16)
    return header
