"""The team-lead console's models: the board of seats and lists of chats, which drag out
and drop onto seats and groups as MIME data.

A dragged chat carries its id and the assign_version it was shown at, so a move made
from a stale row is refused by the desk ("moved") instead of undoing a colleague's move.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.core.routing import SeatStatus
from desktop.core.views import ConversationRow, SeatRow

from .bridge import assert_gui_thread
from .formatting import duration_text, now_ms, one_line
from .icons import dot_icon
from .seat_status import status_color, status_label
from .tables import KeyedRowsModel, ModelIndex
from .widgets import plain_tooltip

MIME = "application/x-seatdesk-chats"

SLOW_S = 180  # a buyer waiting longer than this shows in orange: most platforms count it as slow
_MUTED = QColor("#8a9099")
_WARN = QColor("#c77700")
_FULL = QColor("#c62828")


def seat_status_text(seat: SeatRow) -> str:
    """The chosen status, with a hint when its app has stopped answering: 在线（已断开）."""
    if not seat.enabled:
        return QCoreApplication.translate("SeatsModel", "Disabled")
    if seat.effective == SeatStatus.OFFLINE.value and seat.status != SeatStatus.OFFLINE.value:
        return QCoreApplication.translate("SeatsModel", "{status} (disconnected)").format(
            status=status_label(seat.status))
    return status_label(seat.status)


# -- chats as drag-and-drop data -------------------------------------------------------------
def encode_chats(rows: Sequence[ConversationRow]) -> QMimeData:
    """[[id, assign_version], ...] as JSON, plus the buyers' names as plain text."""
    mime = QMimeData()
    mime.setData(MIME, json.dumps([[r.id, r.assign_version] for r in rows]).encode())
    mime.setText("\n".join(r.buyer_nick for r in rows))
    return mime


def decode_chats(mime: QMimeData | None) -> dict[int, int]:
    """→ {conversation id: assign_version}, in the order dragged; {} for anything else."""
    if mime is None or not mime.hasFormat(MIME):
        return {}
    try:
        pairs = json.loads(bytes(mime.data(MIME).data()).decode())
        return {int(cid): int(version) for cid, version in pairs}
    except (ValueError, TypeError):
        return {}


class _LiveRows(KeyedRowsModel):
    """Rows with a waiting time that ticks every second from `clock`, without a re-read."""

    LIVE_COLUMN = -1

    def __init__(self, parent: QObject | None = None, *, clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self._clock = clock
        self.now = clock()

    def tick(self) -> None:
        self.now = self._clock()
        if self._rows:
            self.dataChanged.emit(self.index(0, self.LIVE_COLUMN),
                                  self.index(len(self._rows) - 1, self.LIVE_COLUMN),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole])

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.now = self._clock()
        self._place(rows)
        self.reloaded.emit()

    def _wait(self, since: int | None) -> str:
        return "—" if since is None else duration_text((self.now - since) // 1000)

    def _wait_color(self, since: int | None) -> QBrush | None:
        return QBrush(_WARN) if since is not None and self.now - since > SLOW_S * 1000 else None


class SeatsModel(_LiveRows):
    """The board: one row per seat; chats dropped on a row go to that seat."""

    (SEAT, STATUS, GROUPS, LOAD, WAITING, LONGEST, REPLIES) = range(7)
    COLUMN_COUNT = 7
    LIVE_COLUMN = LONGEST
    NUMBERS = (LOAD, WAITING, REPLIES)  # right-aligned, headers too

    chats_dropped = Signal(object, int)  # {conversation id: assign_version}, seat id

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            titles = [self.tr("Seat"), self.tr("Status"), self.tr("Groups"), self.tr("Chats"),
                      self.tr("Waiting"), self.tr("Longest wait"), self.tr("Replies (1 h)")]
            return titles[section] if 0 <= section < len(titles) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = {self.LOAD: self.tr("Open chats the seat holds / the most it takes at once"),
                    self.WAITING: self.tr("Of its chats, buyers waiting for an answer"),
                    self.LONGEST: self.tr("How long its longest-waiting buyer has waited"),
                    self.REPLIES: self.tr("Messages the seat sent in the last hour")}
            return tips.get(section)
        return None

    def _text(self, s: SeatRow, col: int) -> str:
        if col == self.SEAT:
            return self.tr("{name} (lead)").format(name=s.name) if s.is_lead else s.name
        if col == self.STATUS:
            return seat_status_text(s)
        if col == self.GROUPS:
            return "、".join(s.profile.groups)
        if col == self.LOAD:
            return f"{s.chats}/{s.profile.max_chats}"
        if col == self.WAITING:
            return str(s.waiting) if s.waiting else ""
        if col == self.LONGEST:
            return self._wait(s.longest_wait_since) if s.longest_wait_since is not None else ""
        if col == self.REPLIES:
            return str(s.replies_last_hour)
        return ""

    def _cell(self, s: SeatRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DecorationRole and col == self.SEAT:
            return dot_icon(status_color(s.effective if s.enabled else SeatStatus.OFFLINE.value), 10)
        full = s.chats >= s.profile.max_chats
        if role == Qt.ItemDataRole.ForegroundRole:
            if not s.enabled or (col == self.STATUS and s.effective == SeatStatus.OFFLINE.value):
                return QBrush(_MUTED)
            if col == self.LOAD and full:
                return QBrush(_FULL)
            if col == self.LONGEST:
                return self._wait_color(s.longest_wait_since)
            return None
        if role == Qt.ItemDataRole.FontRole and col == self.LOAD and full:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(s, col)
        return None

    def _tooltip(self, s: SeatRow, col: int) -> str | None:
        if col == self.STATUS and s.enabled and s.effective == SeatStatus.OFFLINE.value \
                and s.status != SeatStatus.OFFLINE.value:
            return plain_tooltip(self.tr("{name} chose “{status}”, but their app is not connected: "
                                         "routing treats the seat as offline.").format(
                name=s.name, status=status_label(s.status)))
        if col == self.LOAD and s.chats >= s.profile.max_chats:
            return plain_tooltip(self.tr("At the cap: routing gives this seat no new chats. "
                                         "A lead may still move chats to it."))
        if col == self.SEAT:
            shops = (self.tr("every shop") if s.profile.shop_ids is None
                     else self.tr("{n} shop(s)").format(n=len(s.profile.shop_ids)))
            return plain_tooltip(self.tr("Signs in as {login}; serves {shops}").format(
                login=s.profile.name, shops=shops))
        return None

    # -- drops ---------------------------------------------------------------------------
    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and row.enabled:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def _target(self, row: int, parent: ModelIndex) -> SeatRow | None:
        """Onto a seat's row (parent) — or, dropped between rows, the row below."""
        seat: SeatRow | None = self.row_at(parent.row() if parent.isValid() else row)
        return seat if seat is not None and seat.enabled else None

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: ModelIndex) -> bool:
        return bool(decode_chats(data)) and self._target(row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: ModelIndex) -> bool:
        versions, seat = decode_chats(data), self._target(row, parent)
        if action == Qt.DropAction.IgnoreAction or not versions or seat is None:
            return False
        self.chats_dropped.emit(versions, seat.id)
        return True


class ChatsModel(_LiveRows):
    """Chats of the queue or of one seat; rows drag out as MIME (id and row version)."""

    (BUYER, SHOP, WAITED, EXTRA) = range(4)
    COLUMN_COUNT = 4
    LIVE_COLUMN = WAITED

    def __init__(self, parent: QObject | None = None, *, queue: bool,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent, clock=clock)
        self.queue = queue  # the queue's last column is the group it waits for, else the preview

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("Buyer"), self.tr("Shop"), self.tr("Waiting"),
                  self.tr("For group") if self.queue else self.tr("Last message")]
        return titles[section] if 0 <= section < len(titles) else None

    def _text(self, c: ConversationRow, col: int) -> str:
        if col == self.BUYER:
            return c.buyer_nick
        if col == self.SHOP:
            return c.shop_name
        if col == self.WAITED:
            return self._wait(c.waiting_since) if c.waiting_since is not None else ""
        if col == self.EXTRA:
            if self.queue:
                return c.queue_group or self.tr("any")
            return one_line(c.preview, 80)
        return ""

    def _cell(self, c: ConversationRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DecorationRole and col == self.SHOP:
            return dot_icon(c.shop_color)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.WAITED:
                return self._wait_color(c.waiting_since)
            if col == self.EXTRA and self.queue and not c.queue_group:
                return QBrush(_MUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.EXTRA and not self.queue and c.preview:
                return plain_tooltip(c.preview)
            if col == self.BUYER and c.transfer is not None and c.transfer.reason:
                return plain_tooltip(self.tr("Handed over by {by}: {reason}").format(
                    by=c.transfer.by, reason=c.transfer.reason))
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_chats([self._rows[r] for r in rows if r < len(self._rows)])


class GroupsModel(QAbstractListModel):
    """The team's groups as drop targets: chats dropped here go to the group's freest seat."""

    chats_dropped = Signal(object, str)  # {conversation id: assign_version}, group

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, int, int]] = []  # (name, seats free to take chats, seats)

    def set_groups(self, names: Sequence[str], seats: Sequence[SeatRow]) -> None:
        assert_gui_thread()
        rows = []
        for name in names:
            members = [s for s in seats if name in s.profile.groups and s.enabled]
            free = [s for s in members if s.effective in (SeatStatus.ONLINE.value, SeatStatus.BUSY.value)
                    and s.chats < s.profile.max_chats]
            rows.append((name, len(free), len(members)))
        if [r[0] for r in rows] == [r[0] for r in self._groups]:
            self._groups = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
        else:
            self.beginResetModel()
            self._groups = rows
            self.endResetModel()

    def names(self) -> list[str]:
        return [r[0] for r in self._groups]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._groups)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._groups):
            return None
        name, free, members = self._groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("{group}  ·  {free}/{n} seats free").format(group=name, free=free, n=members)
        if role == Qt.ItemDataRole.UserRole:
            return name
        if role == Qt.ItemDataRole.DecorationRole:
            return dot_icon(status_color(SeatStatus.ONLINE.value if free else SeatStatus.OFFLINE.value), 10)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self.tr("Drop chats here: the least-loaded free seat of {group} gets "
                                         "them, or they wait in the queue for it.").format(group=name))
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDropEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: ModelIndex) -> bool:
        return bool(decode_chats(data)) and parent.isValid()

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: ModelIndex) -> bool:
        versions = decode_chats(data)
        if action == Qt.DropAction.IgnoreAction or not versions or not parent.isValid():
            return False
        self.chats_dropped.emit(versions, self._groups[parent.row()][0])
        return True
