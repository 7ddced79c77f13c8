"""Search (Ctrl+K): one box over every shop's messages, buyers, order numbers and remarks.

Rivals cap search at ten results or three months, or search one chat list at a
time (research/feature-anchors.md row 6 and "Instant local search over all
shops"); this box searches every shop's local store at once.

Typing searches after a short pause (`DEBOUNCE_MS`). The query runs on one
worker thread — a rare word over a million messages may take tens of ms, and
the GUI thread never waits on it; what the worker finds comes back through the
bridge, and a result for text that has changed since is dropped. While a search
runs, newer keystrokes only replace the one waiting to run next.

Keyboard only: the box keeps the focus; ↑/↓, PgUp/PgDn move through the hits
(group headers are skipped), Enter or a double-click opens one, Esc closes.
Text is painted with `drawText`, never as markup: a buyer's `<b>` shows as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import NamedTuple

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import SearchHit, SearchResults

from .bridge import Bridge, assert_gui_thread
from .deskapi import DeskLike
from .formatting import clock_text, now_ms
from .theme import Colors, scaled
from .widgets import plain_label

ModelIndex = QModelIndex | QPersistentModelIndex
DEBOUNCE_MS = 150
HIT_HEIGHT = 50
HEADER_HEIGHT = 26
HIGHLIGHT = QColor("#ffe58f")

_CTX = "Search"
GROUP_TITLES = {
    "messages": QT_TRANSLATE_NOOP("Search", "Messages"),
    "buyers": QT_TRANSLATE_NOOP("Search", "Buyers"),
    "orders": QT_TRANSLATE_NOOP("Search", "Orders"),
    "remarks": QT_TRANSLATE_NOOP("Search", "Remarks"),
}


def group_title(group: str, shown: int, more: bool) -> str:
    """消息 · 50+ : the group's name and how many hits it shows."""
    name = QCoreApplication.translate(_CTX, GROUP_TITLES.get(group, group))
    return f"{name} · {shown}{'+' if more else ''}"


class Entry(NamedTuple):
    """A row of the list: a group header (hit None) or a hit."""

    group: str
    hit: SearchHit | None
    title: str = ""


class SearchResultsModel(QAbstractListModel):
    """The groups' headers and hits, flat; headers are shown but not selectable."""

    HitRole = Qt.ItemDataRole.UserRole + 1  # the SearchHit, None on a header

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Entry] = []
        self.results: SearchResults | None = None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == self.HitRole:
            return entry.hit
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if entry.hit is None:
                return entry.title
            return " · ".join(t for t in (entry.hit.shop_name, entry.hit.title, entry.hit.text) if t)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].hit is None:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def set_results(self, results: SearchResults | None) -> None:
        assert_gui_thread()
        self.beginResetModel()
        self.results = results
        self._rows = []
        for group, hits in results.groups if results is not None else ():
            self._rows.append(Entry(group, None, group_title(group, len(hits), group in results.more)))
            self._rows.extend(Entry(group, hit) for hit in hits)
        self.endResetModel()

    def hit_at(self, row: int) -> SearchHit | None:
        return self._rows[row].hit if 0 <= row < len(self._rows) else None

    def hit_rows(self) -> list[int]:
        return [i for i, entry in enumerate(self._rows) if entry.hit is not None]

    def hits(self) -> list[SearchHit]:
        return [entry.hit for entry in self._rows if entry.hit is not None]

    def headers(self) -> list[str]:
        return [entry.title for entry in self._rows if entry.hit is None]


class SearchDelegate(QStyledItemDelegate):
    """A header: the group's name. A hit, two lines: shop · who · when, then the
    text around the match with the match marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        base = parent.font() if parent is not None else QFont()
        self._header_font = scaled(base, -1.0, bold=True)
        self._small_font = scaled(base, -1.0)
        self._text_font = QFont(base)
        self._match_font = scaled(base, 0.0, bold=True)
        self._small_fm = QFontMetrics(self._small_font)
        self._text_fm = QFontMetrics(self._text_font)
        self._match_fm = QFontMetrics(self._match_font)
        self._out_mark = self.tr("Me: ")

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802
        header = index.data(SearchResultsModel.HitRole) is None
        return QSize(300, HEADER_HEIGHT if header else HIT_HEIGHT)

    def line_texts(self, hit: SearchHit, at_ms: int | None = None) -> tuple[str, str]:
        """(first line, time): what a hit's top line says (tests read these)."""
        top = " · ".join(t for t in (hit.shop_name, hit.title) if t)
        return top, clock_text(hit.at, now_ms() if at_ms is None else at_ms)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        hit: SearchHit | None = index.data(SearchResultsModel.HitRole)
        rect = QRect(option.rect)
        painter.save()
        if hit is None:
            painter.fillRect(rect, Colors.CHAT_BG)
            painter.setFont(self._header_font)
            painter.setPen(Colors.MUTED)
            painter.drawText(rect.adjusted(12, 0, -12, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(index.data(Qt.ItemDataRole.DisplayRole)))
            painter.restore()
            return
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, Colors.ROW_SELECTED)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), Colors.ACCENT)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, Colors.ROW_HOVER)
        painter.fillRect(QRect(rect.left() + 12, rect.bottom(), rect.width() - 12, 1), Colors.DIVIDER)
        left, right = rect.left() + 12, rect.right() - 12
        half = rect.height() // 2
        top, when = self.line_texts(hit)
        # line 1: shop dot, shop · buyer (or order number) … time
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(hit.shop_color))
        painter.drawEllipse(left, rect.top() + half // 2 - 1, 8, 8)
        painter.setFont(self._small_font)
        painter.setPen(Colors.MUTED)
        when_w = self._small_fm.horizontalAdvance(when)
        line1 = QRect(left + 14, rect.top() + 3, right - left - 14, half - 3)
        painter.drawText(line1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
        painter.drawText(line1.adjusted(0, 0, -when_w - 12, 0),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self._small_fm.elidedText(top, Qt.TextElideMode.ElideRight,
                                                   max(0, line1.width() - when_w - 12)))
        # line 2: the text around the match, the match marked
        pieces: Sequence[tuple[str, bool]] = hit.snippet
        if hit.direction == "out":
            pieces = ((self._out_mark, False), *pieces)
        self._paint_pieces(painter, QRect(left, rect.top() + half, right - left, half - 3), pieces)
        painter.restore()

    def _paint_pieces(self, painter: QPainter, box: QRect, pieces: Sequence[tuple[str, bool]]) -> None:
        x = box.left()
        for piece, match in pieces:
            fm = self._match_fm if match else self._text_fm
            room = box.right() - x
            if room <= 0:
                break
            shown = piece if fm.horizontalAdvance(piece) <= room else fm.elidedText(
                piece, Qt.TextElideMode.ElideRight, room)
            width = fm.horizontalAdvance(shown)
            cell = QRect(x, box.top(), width, box.height())
            if match:
                painter.fillRect(cell.adjusted(-1, 3, 1, -3), HIGHLIGHT)
            painter.setFont(self._match_font if match else self._text_font)
            painter.setPen(Colors.TEXT)
            painter.drawText(cell, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            x += width
            if shown != piece:
                break


class SearchDialog(QDialog):
    hit_activated = Signal(object)  # the SearchHit to open

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self._desk = desk
        self._bridge = bridge
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seatdesk-search")
        self._running: str | None = None  # the query the worker runs now
        self._queued: str | None = None  # the newest query typed while it runs
        self._shown_query = ""
        self._open_when_ready = False  # Enter came before the results for the text

        self.box = QLineEdit(self)
        self.box.setObjectName("searchBox")
        self.box.setClearButtonEnabled(True)
        self.box.installEventFilter(self)
        self.status = plain_label("", self, object_name="searchStatus")
        self.model = SearchResultsModel(self)
        self.view = QListView(self)
        self.view.setObjectName("searchResults")
        self.view.setModel(self.model)
        self.view.setItemDelegate(SearchDelegate(self.view))
        self.view.setUniformItemSizes(False)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the box keeps the keyboard
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.setMouseTracking(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.box.textChanged.connect(self._on_box_text_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self.box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.retranslate()
        self.resize(720, 540)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Search every shop"))
        self.box.setPlaceholderText(self.tr("Messages, buyer nicks, order or waybill numbers, remarks"))
        self._show_status()

    # -- commands --------------------------------------------------------------------------
    def open_search(self) -> None:
        """Ctrl+K: show with the focus in the box and the last query selected."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def search_now(self) -> None:
        """Run the typed query at once (Enter before the pause ran out)."""
        self._timer.stop()
        self._submit(self.box.text())

    def step(self, delta: int) -> None:
        """Move the selection `delta` hits down (negative: up), skipping headers."""
        rows = self.model.hit_rows()
        if not rows:
            return
        current = self.view.currentIndex().row() if self.view.currentIndex().isValid() else -1
        if current in rows:
            pos = max(0, min(len(rows) - 1, rows.index(current) + delta))
        else:
            pos = 0 if delta >= 0 else len(rows) - 1
        self._select(rows[pos])

    def current_hit(self) -> SearchHit | None:
        index = self.view.currentIndex()
        return self.model.hit_at(index.row()) if index.isValid() else None

    def activate_current(self) -> None:
        hit = self.current_hit()
        if hit is None:
            return
        self.hit_activated.emit(hit)
        self.accept()

    @property
    def busy(self) -> bool:
        return self._running is not None

    # -- the worker --------------------------------------------------------------------------
    def _submit(self, text: str) -> None:
        query = " ".join(text.split())
        if not query:
            self._queued = None
            self._shown_query = ""
            self.model.set_results(None)
            self._show_status()
            return
        if self._running is not None:
            self._queued = query  # replaces any older one still waiting
            return
        self._running = query
        self._show_status()
        future = self._worker.submit(self._desk.search, query)
        self._bridge.when_done(future, partial(self._on_worker_done, query))

    def _on_worker_done(self, query: str, future: Future[SearchResults]) -> None:
        self._running = None
        current = " ".join(self.box.text().split())
        if query == current:  # else the text changed meanwhile: drop what was found
            error = future.exception()
            if error is not None:
                self._open_when_ready = False
                self.status.setText(self.tr("Search failed: {error}").format(error=error))
                return
            self._show_results(future.result())
            if self._open_when_ready:
                self._open_when_ready = False
                self.activate_current()
                return
        queued, self._queued = self._queued, None
        if queued is not None and queued == current and not self._timer.isActive():
            self._submit(queued)  # the newest text, typed while this one ran
        else:
            self._show_status()

    def _show_results(self, results: SearchResults) -> None:
        self._shown_query = results.query
        self.model.set_results(results)
        rows = self.model.hit_rows()
        if rows:
            self._select(rows[0])
        self._show_status()

    def _show_status(self) -> None:
        results = self.model.results
        if self._running is not None:
            text = self.tr("Searching…")
        elif not self.box.text().strip():
            text = self.tr("Type to search every shop. ↑↓ choose · Enter open · Esc close")
        elif results is None or results.query != " ".join(self.box.text().split()):
            text = ""
        elif not len(results):
            text = self.tr("Nothing found for “{query}”").format(query=results.query)
        else:
            text = self.tr("{n} results in {ms} ms · Enter opens").format(
                n=len(results), ms=f"{results.elapsed_ms:.0f}")
        self.status.setText(text)

    def _select(self, row: int) -> None:
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    # -- events ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            page = max(1, self.view.viewport().height() // HIT_HEIGHT)
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                     Qt.Key.Key_PageDown: page, Qt.Key.Key_PageUp: -page}
            if key in steps:
                self.step(steps[Qt.Key(key)])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive() or self.busy or \
                        " ".join(self.box.text().split()) != self._shown_query:
                    self._open_when_ready = True  # the first hit, once found
                    if not self.busy:
                        self.search_now()
                else:
                    self.activate_current()
                return True
        return super().eventFilter(watched, event)

    def _on_box_text_changed(self, _text: str) -> None:
        self._open_when_ready = False
        self._timer.start()  # restarts: a word typed fast is searched once
        self._show_status()

    def _on_timer_timeout(self) -> None:
        self._submit(self.box.text())

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        if self.model.hit_at(index.row()) is not None:
            self._select(index.row())
            self.activate_current()

    def done(self, result: int) -> None:
        self._timer.stop()
        super().done(result)

    def shutdown(self) -> None:
        """The window closes: no new searches; a running one ends on its own."""
        self._timer.stop()
        self._worker.shutdown(wait=False, cancel_futures=True)
