"""Paints one inbox row in a fixed 64 px: shop chip, platform, buyer, preview, wait, unread,
and who holds the chat when it is not mine (a colleague's name, or 待分配 for the queue).

Where the shop's platform sets a reply deadline (core/clocks.py) the wait gives way to the
clock: "breaches in N s", "overdue N s", or "due 08:03" while the platform's hours are
closed; the row escalates as the deadline nears (bold, then tinted amber, then red).

Fixed height so the view never asks Python for per-row size hints (uniform rows).
All text goes through `QPainter.drawText`, which never interprets markup: a buyer
who writes `<b>x</b>` sees exactly that in the preview. Fonts, metrics and colours
are prepared once; paint() allocates little, as the scroll budget is ~0.6 ms/row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.core.views import ClockState, ConversationRow, clock_state

from .formatting import clock_text, deadline_text, now_ms, one_line, waiting_text
from .inbox_model import InboxModel
from .theme import Colors, scaled

ROW_HEIGHT = 64
_PAD_X = 12
_PAD_Y = 5


class RowTexts(NamedTuple):
    """Exactly the strings a row paints (tests read them; paint uses them)."""

    shop: str
    platform: str
    buyer: str
    preview: str
    time: str
    waiting: bool
    unread: str
    labels: tuple[tuple[str, str, bool], ...] = ()  # (name, colour, is_group): tags, then groups
    holder: str = ""  # who holds it when not me: a seat's name, or the queue
    queued: bool = False  # `holder` is the queue (painted amber)
    clock: ClockState = ClockState.NONE  # how near the reply deadline (`time` then says so)


class InboxDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self._clock = clock
        base = parent.font() if parent is not None else QFont()
        self._buyer_font = scaled(base, 0.5, bold=True)
        self._text_font = QFont(base)
        self._small_font = scaled(base, -1.0)
        self._late_font = scaled(base, -1.0, bold=True)
        self._chip_font = scaled(base, -1.0, bold=True)
        self._badge_font = scaled(base, -1.5, bold=True)
        self._buyer_fm = QFontMetrics(self._buyer_font)
        self._text_fm = QFontMetrics(self._text_font)
        self._small_fm = QFontMetrics(self._small_font)
        self._late_fm = QFontMetrics(self._late_font)
        self._chip_fm = QFontMetrics(self._chip_font)
        self._badge_fm = QFontMetrics(self._badge_font)
        self._colors: dict[str, tuple[QColor, QColor]] = {}  # shop colour → (fill, text)
        self._seat_id: int | None = None  # the signed-in seat: its chats need no holder label
        self._show_holders = False
        self._queue_text = ""

    def set_seat(self, seat_id: int | None, *, show_holders: bool, queue_only: bool = False) -> None:
        """Label rows held by other seats (and the queue) — not when the list shows only
        mine, nor without a signed-in seat; in a list of the queue alone, only the group
        a chat waits for. Text prepared here, not per paint."""
        self._seat_id = seat_id
        self._show_holders = show_holders and seat_id is not None
        self._queue_text = "" if queue_only else self.tr("Unassigned")

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(240, ROW_HEIGHT)

    def row_texts(self, conv: ConversationRow, at_ms: int | None = None) -> RowTexts:
        at = self._clock() if at_ms is None else at_ms
        waiting = conv.waiting_since is not None and conv.state != "closed"
        state = clock_state(conv.reply_due_at, conv.reply_window_s, at) if waiting else ClockState.NONE
        if state is not ClockState.NONE:
            assert conv.reply_due_at is not None
            when = deadline_text(conv.reply_due_at, at, pending=state is ClockState.PENDING)
        elif waiting:
            assert conv.waiting_since is not None
            when = waiting_text(conv.waiting_since, at)
        else:
            when = clock_text(conv.last_message_at, at)
        unread = "" if conv.unread <= 0 else ("99+" if conv.unread > 99 else str(conv.unread))
        labels = tuple((t.name, t.color, False) for t in conv.tags) + tuple(
            (g.name, g.color, True) for g in conv.groups)
        holder, queued = "", False
        if self._show_holders and conv.state == "open":
            if conv.seat_id is None:
                if waiting:
                    queued = True
                    holder = " · ".join(t for t in (self._queue_text, conv.queue_group) if t)
            elif conv.seat_id != self._seat_id:
                holder = conv.seat_name
        return RowTexts(
            conv.shop_name, conv.platform_name, conv.buyer_nick, one_line(conv.preview), when, waiting,
            unread, labels, holder, queued, state,
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        conv = index.data(InboxModel.RowRole)
        rect = QRect(option.rect)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        tint = self._tint(conv)
        if selected:
            painter.fillRect(rect, Colors.ROW_SELECTED)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), Colors.ACCENT)
        elif tint is not None:
            painter.fillRect(rect, tint)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, Colors.ROW_HOVER)
        if tint is not None:  # the deadline's mark stays visible on a selected row too
            painter.fillRect(QRect(rect.right() - 3, rect.top(), 4, rect.height()),
                             Colors.WAIT_LATE if tint is Colors.ROW_OVERDUE else Colors.WAIT_SOFT)
        painter.fillRect(QRect(rect.left() + _PAD_X, rect.bottom(), rect.width() - _PAD_X, 1), Colors.DIVIDER)
        if conv is not None:
            self._paint_row(painter, rect, conv)
        painter.restore()

    def _paint_row(self, painter: QPainter, rect: QRect, conv: ConversationRow) -> None:
        t = self.row_texts(conv)
        left, right = rect.left() + _PAD_X, rect.right() - _PAD_X
        line_h = (rect.height() - 2 * _PAD_Y) // 3
        y1, y2, y3 = rect.top() + _PAD_Y, rect.top() + _PAD_Y + line_h, rect.top() + _PAD_Y + 2 * line_h
        dim = conv.state == "closed"
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

        # Line 1: shop chip, platform name … waiting time (or last-message time).
        painter.setFont(self._small_font)
        time_w = self._small_fm.horizontalAdvance(t.time)
        if t.clock is ClockState.PENDING or not t.waiting:
            painter.setPen(Colors.SUBTLE)  # answered, or the platform's hours are closed
        else:
            late = t.clock in (ClockState.URGENT, ClockState.OVERDUE)
            painter.setPen(Colors.WAIT_LATE if late else Colors.WAIT_SOFT)
            if late or t.clock is ClockState.SOON:
                painter.setFont(self._late_font)
                time_w = self._late_fm.horizontalAdvance(t.time)
        painter.drawText(QRect(right - time_w, y1, time_w, line_h), Qt.AlignmentFlag.AlignVCenter, t.time)
        chip_max = right - time_w - 120  # leave the platform name some room
        chip_right = self._paint_chip(painter, left, y1, line_h, conv.shop_color, t.shop, chip_max)
        painter.setFont(self._small_font)
        painter.setPen(Colors.SUBTLE)
        avail = right - time_w - 8 - (chip_right + 6)
        if avail > 12:
            platform = self._small_fm.elidedText(t.platform, Qt.TextElideMode.ElideRight, avail)
            box = QRect(chip_right + 6, y1, avail, line_h)
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, platform)

        # Line 2: buyer nick (bold), the buyer's first tags and groups … unread badge.
        badge_w = 0
        if t.unread:
            badge_w = self._paint_badge(painter, right, y2, line_h, t.unread)
        painter.setFont(self._buyer_font)
        painter.setPen(Colors.MUTED if dim else Colors.TEXT)
        avail = right - left - (badge_w + 8 if badge_w else 0)
        nick_w = avail
        if t.labels:  # the nick keeps at least half the line; the chips get what is left
            nick_w = min(avail, max(avail // 2, self._buyer_fm.horizontalAdvance(t.buyer)))
        buyer = self._buyer_fm.elidedText(t.buyer, Qt.TextElideMode.ElideRight, nick_w)
        painter.drawText(QRect(left, y2, nick_w, line_h), Qt.AlignmentFlag.AlignVCenter, buyer)
        if t.labels:
            x = left + self._buyer_fm.horizontalAdvance(buyer) + 6
            self._paint_labels(painter, x, left + avail, y2, line_h, t.labels)

        # Line 3: the last message, one line, elided, plain … who holds it, if not me.
        end = right
        if t.holder:
            painter.setFont(self._late_font if t.queued else self._small_font)
            fm = self._late_fm if t.queued else self._small_fm
            holder = fm.elidedText(t.holder, Qt.TextElideMode.ElideRight, (right - left) // 3)
            holder_w = fm.horizontalAdvance(holder)
            painter.setPen(Colors.WAIT_SOFT if t.queued else Colors.SUBTLE)
            painter.drawText(QRect(right - holder_w, y3, holder_w, line_h), Qt.AlignmentFlag.AlignVCenter,
                             holder)
            end = right - holder_w - 8
        painter.setFont(self._text_font)
        painter.setPen(Colors.SUBTLE if dim else Colors.MUTED)
        preview = self._text_fm.elidedText(t.preview, Qt.TextElideMode.ElideRight, end - left)
        painter.drawText(QRect(left, y3, end - left, line_h), Qt.AlignmentFlag.AlignVCenter, preview)

    def _tint(self, conv: ConversationRow | None) -> QColor | None:
        """The row's background as its deadline nears: amber in the last sixth, red past it."""
        if conv is None or conv.reply_due_at is None or conv.state != "open":
            return None
        state = clock_state(conv.reply_due_at, conv.reply_window_s, self._clock())
        return {ClockState.URGENT: Colors.ROW_URGENT,
                ClockState.OVERDUE: Colors.ROW_OVERDUE}.get(state)

    def _shop_colors(self, color: str) -> tuple[QColor, QColor]:
        pair = self._colors.get(color)
        if pair is None:
            base = QColor(color) if QColor.isValidColorName(color) else QColor("#607d8b")
            fill = QColor(base)
            fill.setAlpha(36)
            # Same hue, lightness capped: a yellow shop colour still gives readable text.
            h, s, l, _a = base.getHslF()
            ink = QColor.fromHslF(max(h, 0.0), min(s, 0.85), min(l, 0.34))
            pair = (fill, ink)
            self._colors[color] = pair
        return pair

    def _paint_chip(
        self, painter: QPainter, x: int, y: int, h: int, color: str, text: str, max_w: int
    ) -> int:
        """A tinted rounded rect with the shop name; returns its right edge."""
        fill, ink = self._shop_colors(color)
        label = self._chip_fm.elidedText(text, Qt.TextElideMode.ElideRight, max(40, max_w))
        w = self._chip_fm.horizontalAdvance(label) + 12
        chip_h = min(h, self._chip_fm.height() + 2)
        chip = QRect(x, y + (h - chip_h) // 2, w, chip_h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, 4, 4)
        painter.setFont(self._chip_font)
        painter.setPen(ink)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)
        return chip.right()

    def _paint_labels(self, painter: QPainter, x: int, end: int, y: int, h: int,
                      labels: tuple[tuple[str, str, bool], ...]) -> None:
        """Small chips from x while they fit before `end`; "+N" for the rest."""
        chip_h = min(h, self._chip_fm.height() + 2)
        top = y + (h - chip_h) // 2
        painter.setFont(self._chip_font)
        for i, (name, color, is_group) in enumerate(labels):
            rest = f"+{len(labels) - i}"
            rest_w = self._chip_fm.horizontalAdvance(rest) + 4
            w = self._chip_fm.horizontalAdvance(name) + 10
            last = i == len(labels) - 1
            if x + w > end - (0 if last else rest_w):
                if x + rest_w <= end:
                    painter.setPen(Colors.SUBTLE)
                    painter.drawText(QRect(x, top, rest_w, chip_h), Qt.AlignmentFlag.AlignVCenter, rest)
                return
            fill, ink = self._shop_colors(color)
            chip = QRect(x, top, w, chip_h)
            if is_group:  # groups are outlined, tags filled: as in the buyer panel
                painter.setPen(ink)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(chip.adjusted(0, 0, -1, -1), chip_h / 2, chip_h / 2)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRoundedRect(chip, chip_h / 2, chip_h / 2)
            painter.setPen(ink)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, name)
            x += w + 4

    def _paint_badge(self, painter: QPainter, right: int, y: int, h: int, text: str) -> int:
        """The red unread pill, right-aligned; returns its width."""
        bh = self._badge_fm.height()
        w = max(bh, self._badge_fm.horizontalAdvance(text) + 10)
        pill = QRect(right - w, y + (h - bh) // 2, w, bh)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(Colors.BADGE)
        painter.drawRoundedRect(pill, bh / 2, bh / 2)
        painter.setFont(self._badge_font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        return w
