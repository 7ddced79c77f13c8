"""Paints chat bubbles: buyer on the left, shop on the right, send state, retry link.

Text is laid out with `QTextLayout` from the raw string, so it is always plain
text (markup is never parsed). Layouts are cached per (message, width): a 10k
character message is laid out once, not on every repaint. Wrapping breaks at
word boundaries, or anywhere for a long URL or a run of digits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent, QPainter, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.core.views import MessageRow

from .chat_model import MessageModel
from .formatting import clock_text, now_ms
from .theme import Colors, scaled

DISPLAY_LIMIT = 20_000  # characters painted; the copy action still copies everything
_MARGIN_X = 16
_MARGIN_Y = 5
_PAD_X = 11
_PAD_Y = 7
_GAP = 3


@dataclass(frozen=True, slots=True)
class BubbleGeometry:
    height: int
    bubble: QRect
    meta: QRect  # the sender · time line above the bubble
    status: QRect | None  # the failed-send line below the bubble
    retry: QRect | None  # the clickable "Retry" inside `status`


class BubbleDelegate(QStyledItemDelegate):
    retry_requested = Signal(int)  # outbox id of a failed message

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        base = view.font()
        self._text_font = scaled(base, 0.5)
        self._meta_font = scaled(base, -1.0)
        self._meta_fm = QFontMetrics(self._meta_font)
        self._layouts: dict[tuple[int, int, str], tuple[QTextLayout, float, float]] = {}
        self._labels = {
            "pending": self.tr("◷ Sending"),
            "sent": self.tr("✓ Sent"),
            "failed": self.tr("⚠ Failed to send"),
        }
        self._retry = self.tr("Retry")
        # what sent a message no person typed (messages.origin): shown, never an answer
        self._origins = {
            "welcome": self.tr("Auto-reply · welcome"),
            "busy": self.tr("Auto-reply · busy"),
            "away": self.tr("Auto-reply · after hours"),
            "dunning": self.tr("Dunning"),
        }
        self._kinds = {
            "image": self.tr("[Image] "),
            "order_card": self.tr("[Order] "),
            "product_card": self.tr("[Product] "),
        }

    def clear_cache(self) -> None:
        self._layouts.clear()

    def display_text(self, msg: MessageRow) -> str:
        """What the bubble shows, character for character (tests read it)."""
        text = msg.text
        if len(text) > DISPLAY_LIMIT:
            cut = self.tr("… ({n} more characters; right-click → Copy text)")
            text = text[:DISPLAY_LIMIT] + cut.format(n=len(text) - DISPLAY_LIMIT)
        return self._kinds.get(msg.kind, "") + text

    def meta_text(self, msg: MessageRow) -> str:
        when = clock_text(msg.sent_at, now_ms())
        if msg.direction == "in":
            return f"{msg.sender}  {when}"
        parts = [self._origins.get(msg.origin, ""), self._labels.get(msg.state, "")]
        head = " · ".join(p for p in parts if p)
        who = f"{msg.sender}  {when}" if msg.sender else when
        return f"{head} · {who}" if head else who

    # -- geometry ------------------------------------------------------------------------
    def _text_layout(self, msg: MessageRow, width: int) -> tuple[QTextLayout, float, float]:
        key = (msg.id, width, msg.text)
        hit = self._layouts.get(key)
        if hit is not None:
            return hit
        if len(self._layouts) > 1500:  # resizes leave stale widths behind
            self._layouts.clear()
        # QTextLayout breaks lines only at U+2028, not at "\n".
        text = self.display_text(msg).replace("\r\n", "\n").replace("\n", "\u2028")
        layout = QTextLayout(text, self._text_font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.setCacheEnabled(True)
        layout.beginLayout()
        y = natural = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            y += line.height()
            natural = max(natural, line.naturalTextWidth())
        layout.endLayout()
        result = (layout, natural, y)
        self._layouts[key] = result
        return result

    def geometry(self, msg: MessageRow, rect: QRect) -> BubbleGeometry:
        width = rect.width()
        _layout, natural, text_h = self._text_layout(msg, self._max_text_width(rect))
        meta_h = self._meta_fm.height()
        outgoing = msg.direction != "in"
        bw = max(44, math.ceil(natural) + 2 * _PAD_X)
        bh = math.ceil(text_h) + 2 * _PAD_Y
        x = rect.right() - _MARGIN_X - bw + 1 if outgoing else rect.left() + _MARGIN_X
        top = rect.top() + _MARGIN_Y
        meta = QRect(rect.left() + _MARGIN_X, top, width - 2 * _MARGIN_X, meta_h)
        bubble = QRect(x, top + meta_h + _GAP, bw, bh)
        height = _MARGIN_Y + meta_h + _GAP + bh + _MARGIN_Y
        status = retry = None
        if outgoing and msg.state == "failed":
            status = QRect(meta.left(), bubble.bottom() + 1 + _GAP, meta.width(), meta_h)
            retry_w = self._meta_fm.horizontalAdvance(self._retry) + 8
            retry = QRect(status.right() - retry_w + 1, status.top(), retry_w, meta_h)
            height += _GAP + meta_h
        return BubbleGeometry(height, bubble, meta, status, retry)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        msg = index.data(MessageModel.RowRole)
        width = self._view.viewport().width()
        if msg is None:
            return QSize(width, 0)
        return QSize(width, self.geometry(msg, QRect(0, 0, width, 10)).height)

    # -- painting ------------------------------------------------------------------------
    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        msg = index.data(MessageModel.RowRole)
        if msg is None:
            return
        rect = QRect(option.rect)
        rect.setWidth(self._view.viewport().width())
        geo = self.geometry(msg, rect)
        outgoing = msg.direction != "in"
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

        painter.setFont(self._meta_font)
        failed = outgoing and msg.state == "failed"
        painter.setPen(Colors.ERROR if failed else Colors.SUBTLE)
        align = Qt.AlignmentFlag.AlignRight if outgoing else Qt.AlignmentFlag.AlignLeft
        painter.drawText(geo.meta, align | Qt.AlignmentFlag.AlignVCenter, self.meta_text(msg))

        fill = Colors.BUBBLE_OUT if outgoing else Colors.BUBBLE_IN
        if failed:
            border = Colors.BUBBLE_FAILED_BORDER
        else:
            border = Colors.BUBBLE_OUT if outgoing else Colors.BUBBLE_IN_BORDER
        if option.state & QStyle.StateFlag.State_Selected:
            border = Colors.ACCENT
        painter.setBrush(fill)
        painter.setPen(QPen(border, 1))
        painter.drawRoundedRect(QRectF(geo.bubble).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)

        layout, _natural, _h = self._text_layout(msg, max(1, self._max_text_width(rect)))
        painter.setPen(Colors.TEXT)
        layout.draw(painter, QPointF(geo.bubble.left() + _PAD_X, geo.bubble.top() + _PAD_Y))

        if geo.status is not None and geo.retry is not None:
            painter.setFont(self._meta_font)
            painter.setPen(Colors.ERROR)
            err_rect = QRect(geo.status)
            err_rect.setRight(geo.retry.left() - 6)
            error = self._meta_fm.elidedText(msg.error or "", Qt.TextElideMode.ElideMiddle, err_rect.width())
            painter.drawText(err_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, error)
            link = QFont(self._meta_font)
            link.setUnderline(True)
            link.setBold(True)
            painter.setFont(link)
            painter.setPen(Colors.ACCENT)
            painter.drawText(geo.retry, Qt.AlignmentFlag.AlignCenter, self._retry)
        painter.restore()

    def _max_text_width(self, rect: QRect) -> int:
        return max(160, min(int((rect.width() - 2 * _MARGIN_X) * 0.72), 680)) - 2 * _PAD_X

    # -- clicks ----------------------------------------------------------------------------
    def editorEvent(
        self,
        event: QEvent,
        model: object,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            msg = index.data(MessageModel.RowRole)
            if msg is not None and msg.state == "failed" and msg.outbox_id is not None:
                rect = QRect(option.rect)
                rect.setWidth(self._view.viewport().width())
                retry = self.geometry(msg, rect).retry
                if retry is not None and retry.contains(event.position().toPoint()):
                    self.retry_requested.emit(msg.outbox_id)
                    return True
        return False
