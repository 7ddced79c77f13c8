"""The open conversation's messages (≤ 200, oldest first) as a list model.

Reloads diff against what is shown: appended messages become row inserts and
state changes (pending → sent/failed) a `dataChanged` of that row, so the view
keeps its scroll position and the bubble updates in place.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.core.views import MessageRow

from .bridge import assert_gui_thread

ModelIndex = QModelIndex | QPersistentModelIndex


class MessageModel(QAbstractListModel):
    RowRole = Qt.ItemDataRole.UserRole + 1  # the MessageRow

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MessageRow] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's API)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row()
        if not index.isValid() or row >= len(self._rows):
            return None
        msg = self._rows[row]
        if role == self.RowRole:
            return msg
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return msg.text  # plain; the delegate lays it out with QTextLayout
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def rows(self) -> list[MessageRow]:
        return list(self._rows)

    def row_at(self, row: int) -> MessageRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, message_id: int) -> int | None:
        return next((i for i, m in enumerate(self._rows) if m.id == message_id), None)

    def clear(self) -> None:
        self.replace([])

    def replace(self, rows: Sequence[MessageRow]) -> None:
        """Another conversation: start over."""
        assert_gui_thread()
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update(self, rows: Sequence[MessageRow]) -> int:
        """Same conversation, newer snapshot; returns how many rows were appended."""
        assert_gui_thread()
        new = list(rows)
        old_ids = [m.id for m in self._rows]
        new_ids = [m.id for m in new]
        # The window is "the newest 200": old rows may have scrolled off the front.
        start = old_ids.index(new_ids[0]) if new_ids and new_ids[0] in old_ids else -1
        kept = len(old_ids) - start
        if start < 0 or old_ids[start:] != new_ids[:kept]:
            self.replace(new)
            return len(new)
        if start:
            self.beginRemoveRows(QModelIndex(), 0, start - 1)
            del self._rows[:start]
            self.endRemoveRows()
        for i in range(kept):
            if self._rows[i] != new[i]:
                self._rows[i] = new[i]
                idx = self.index(i)
                self.dataChanged.emit(idx, idx, [])
        added = new[kept:]
        if added:
            self.beginInsertRows(QModelIndex(), kept, kept + len(added) - 1)
            self._rows.extend(added)
            self.endInsertRows()
        return len(added)
