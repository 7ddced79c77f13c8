"""The merged inbox as a list model: conversation ids in desk order plus a lazy row cache.

Costs this model is built around (research/performance-limits.md §4, F4):
- `data()` is O(1) on a cache hit; a miss fetches the whole page of ~100 ids
  around it with one `desk.conversation_rows` call.
- Every structural change makes the view walk all rows (~1.5 µs/row, ~30 ms at
  20k), so notices that move or add rows are coalesced and applied at most
  about four times a second; notices that only change a row's content emit
  `dataChanged` for that row alone.
- Sorting and filtering happen in the desk (SQL), never in a proxy model.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from desktop.core.views import ChangeNotice, ConversationRow, InboxFilter, InboxState

from .bridge import assert_gui_thread
from .deskapi import DeskLike

ModelIndex = QModelIndex | QPersistentModelIndex


class InboxModel(QAbstractListModel):
    RowRole = Qt.ItemDataRole.UserRole + 1  # the ConversationRow (or None if it vanished)
    IdRole = Qt.ItemDataRole.UserRole + 2  # the conversation id

    PAGE = 100
    # Ids are loaded a window at a time (QTreeView asks for more as it scrolls
    # to the end): first paint and every structural change then cost O(window),
    # not O(all conversations) — research/performance-limits.md F4.
    WINDOW = 500
    COALESCE_MS = 250  # ≤ 4 structural updates per second

    structure_applied = Signal()  # after a coalesced re-placement (counts may have changed)

    def __init__(
        self,
        desk: DeskLike,
        parent: QObject | None = None,
        *,
        flt: InboxFilter | None = None,
        coalesce_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._filter = flt or InboxFilter(state=InboxState.ALL)
        self._ids: list[int] = []
        self._more = False  # the desk holds ids beyond the loaded window
        self._pos: dict[int, int] = {}
        self._cache: dict[int, ConversationRow | None] = {}
        self._restructuring = False
        self.fetch_held = False  # True: no next window yet (InboxPanel, until its first paint)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.COALESCE_MS if coalesce_ms is None else coalesce_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    # -- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's API)
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row()
        if not index.isValid() or row >= len(self._ids):
            return None
        cid = self._ids[row]
        if role == self.IdRole:
            return cid
        if role not in (self.RowRole, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        conv = self._cache[cid] if cid in self._cache else self._fetch_page(row, cid)
        if conv is None:
            return None
        if role == self.RowRole:
            return conv
        return conv.buyer_nick  # plain text; the delegate paints the rest

    # No flags() override: QAbstractListModel's C++ default (enabled, selectable,
    # never has children) is what we want, and a Python override is called twice
    # per row on every layout (1.4 s at 100k rows, bench_inbox).

    # -- reads for the panel ------------------------------------------------------------
    @property
    def filter(self) -> InboxFilter:
        return self._filter

    @property
    def restructuring(self) -> bool:
        """True while rows move: selection changes then are the model's, not the user's."""
        return self._restructuring

    def row_of(self, conversation_id: int) -> int | None:
        return self._pos.get(conversation_id)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def cached_row(self, conversation_id: int) -> ConversationRow | None:
        return self._cache.get(conversation_id)

    # -- commands ----------------------------------------------------------------------
    def set_filter(self, flt: InboxFilter) -> None:
        """A user switched tabs or shops: a reset is right, the view starts at the top."""
        assert_gui_thread()
        self._timer.stop()  # the fresh query below already includes what was pending
        self._filter = flt
        ids = self._desk.conversation_ids(flt, self.WINDOW)
        self._more = len(ids) >= self.WINDOW
        self._restructuring = True
        try:
            self.beginResetModel()
            self._ids = ids
            self._pos = {cid: i for i, cid in enumerate(ids)}
            self.endResetModel()
        finally:
            self._restructuring = False
        self.structure_applied.emit()

    def reload(self) -> None:
        """F5: drop the cache and re-place every row, keeping selection and scroll."""
        assert_gui_thread()
        self._timer.stop()
        self._cache.clear()
        self._apply_order(self._window_ids())
        if self._ids:
            self.dataChanged.emit(self.index(0), self.index(len(self._ids) - 1), [])
        self.structure_applied.emit()

    def apply_notice(self, notice: ChangeNotice) -> None:
        """Refresh the named rows now; re-place rows later, coalesced."""
        assert_gui_thread()
        if notice.labels:  # renamed, recoloured, merged or deleted: chips and filters may change
            self.reload()
            return
        touched = notice.conversations | notice.new_conversations
        if notice.buyers:  # tags, groups: every loaded row of those buyers repaints
            touched = touched | {cid for cid, row in self._cache.items()
                                 if row is not None and row.buyer_id in notice.buyers}
        if not touched:
            return
        # a label filter may now include or drop a buyer: only the desk knows
        moved = bool(notice.new_conversations) or bool(
            notice.buyers and (self._filter.tag_id is not None or self._filter.group_id is not None))
        cached = [cid for cid in touched if cid in self._cache]
        fresh = self._desk.conversation_rows(cached) if cached else {}
        for cid in cached:
            old, new = self._cache[cid], fresh.get(cid)
            self._cache[cid] = new
            row = self._pos.get(cid)
            if row is not None:
                idx = self.index(row)
                self.dataChanged.emit(idx, idx, [])
            if (old is None or new is None or old.sort_key != new.sort_key or old.state != new.state
                    or old.seat_id != new.seat_id):  # a hand-over leaves "mine" / the queue
                moved = True
        # An uncached id may have changed its sort position or its filter membership,
        # and only the desk knows: let the coalesced query decide.
        if not moved and any(cid not in self._cache for cid in touched):
            moved = True
        if moved and not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Apply a pending re-placement now (tests, and before a keyboard jump)."""
        if self._timer.isActive():
            self._timer.stop()
            self._on_timer_timeout()

    # -- internals ----------------------------------------------------------------------
    def _fetch_page(self, row: int, cid: int) -> ConversationRow | None:
        start = row - row % self.PAGE
        want = [i for i in self._ids[start : start + self.PAGE] if i not in self._cache]
        got = self._desk.conversation_rows(want)
        for i in want:
            self._cache[i] = got.get(i)
        return self._cache.get(cid)

    def _on_timer_timeout(self) -> None:
        self._apply_order(self._window_ids())
        self.structure_applied.emit()

    def _window_ids(self) -> list[int]:
        """The loaded window, re-read: as many ids as are shown now (at least WINDOW)."""
        size = max(len(self._ids), self.WINDOW)
        ids = self._desk.conversation_ids(self._filter, size)
        self._more = len(ids) >= size
        return ids

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        # Never while rows move: the view asks from inside endInsertRows, and a
        # nested insert would corrupt the change in flight (qtmodeltester caught it).
        return not parent.isValid() and self._more and not self._restructuring and not self.fetch_held

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        assert_gui_thread()
        if not self.canFetchMore(parent):
            return
        present = set(self._ids)
        batch = self._desk.conversation_ids(self._filter, self.WINDOW, len(self._ids))
        self._more = len(batch) >= self.WINDOW
        added = [cid for cid in batch if cid not in present]
        if not added:
            return
        n = len(self._ids)
        self._restructuring = True
        try:
            self.beginInsertRows(QModelIndex(), n, n + len(added) - 1)
            self._ids.extend(added)
            self._pos.update((cid, n + i) for i, cid in enumerate(added))
            self.endInsertRows()
        finally:
            self._restructuring = False

    def _apply_order(self, new_ids: Sequence[int]) -> None:
        """Turn the current id list into `new_ids` with removes, one append and a
        layout change — persistent indexes (selection, current) follow their ids."""
        assert_gui_thread()
        if list(new_ids) == self._ids:
            return
        self._restructuring = True
        try:
            self._remove_missing(set(new_ids))
            present = set(self._ids)
            added = [cid for cid in new_ids if cid not in present]
            if added:
                n = len(self._ids)
                self.beginInsertRows(QModelIndex(), n, n + len(added) - 1)
                self._ids.extend(added)
                self.endInsertRows()
            if self._ids != list(new_ids):
                self._reorder(list(new_ids))
            self._pos = {cid: i for i, cid in enumerate(self._ids)}
        finally:
            self._restructuring = False

    def _remove_missing(self, keep: set[int]) -> None:
        gone = [row for row, cid in enumerate(self._ids) if cid not in keep]
        # Contiguous runs, bottom-up so earlier row numbers stay valid.
        runs: list[tuple[int, int]] = []
        for row in gone:
            if runs and runs[-1][1] == row - 1:
                runs[-1] = (runs[-1][0], row)
            else:
                runs.append((row, row))
        for first, last in reversed(runs):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._ids[first : last + 1]
            self.endRemoveRows()

    def _reorder(self, new_ids: list[int]) -> None:
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        new_pos = {cid: i for i, cid in enumerate(new_ids)}
        before = self.persistentIndexList()
        after = [self.index(new_pos[old_ids[p.row()]], 0) for p in before]
        self._ids = new_ids
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
