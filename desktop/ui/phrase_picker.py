"""The quick-reply picker: "/" in the reply box opens it over the composer, what follows
the "/" searches (title, shortcut, pinyin initials, stage, text), ↑↓ choose, Enter or Tab
insert with the chat's variables filled; Ctrl+1…9 insert favourites without it.

A "/" opens it only where a word starts (the box's start or after whitespace), so
"1/2" or a link's "://" never do. The library is read once per opening (one short
query); searching is in memory (desktop.core.phrases.search), so typing stays instant.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from functools import partial

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QListView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.phrases import render, search
from desktop.core.views import PhraseRow

from .bridge import Bridge
from .deskapi import DeskLike
from .theme import Colors
from .widgets import plain_label

log = logging.getLogger("seatdesk.ui")

def stage_label(stage: str) -> str:
    """A stage's name in the UI language."""
    labels = {
        "greeting": QCoreApplication.translate("PhraseStage", "Greeting"),
        "product": QCoreApplication.translate("PhraseStage", "Product"),
        "bargain": QCoreApplication.translate("PhraseStage", "Bargaining"),
        "payment": QCoreApplication.translate("PhraseStage", "Payment"),
        "logistics": QCoreApplication.translate("PhraseStage", "Logistics"),
        "farewell_sale": QCoreApplication.translate("PhraseStage", "Farewell (sale)"),
        "farewell_no_sale": QCoreApplication.translate("PhraseStage", "Farewell (no sale)"),
        "dunning": QCoreApplication.translate("PhraseStage", "Dunning"),
        "aftersale": QCoreApplication.translate("PhraseStage", "After-sale"),
        "other": QCoreApplication.translate("PhraseStage", "Other"),
    }
    return labels.get(stage, stage)


def scope_label(row: PhraseRow) -> str:
    if row.shop_id is not None:
        return QCoreApplication.translate("PhraseStage", "{shop} only").format(shop=row.shop_name)
    return (QCoreApplication.translate("PhraseStage", "Team") if row.team
            else QCoreApplication.translate("PhraseStage", "Mine"))


class PhraseModel(QAbstractListModel):
    """The picker's rows: matching phrases, each with the answer it would insert now."""

    PhraseRole = Qt.ItemDataRole.UserRole + 1
    PreviewRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PhraseRow] = []
        self._values: dict[str, str] = {}

    def set_rows(self, rows: list[PhraseRow], values: dict[str, str]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._values = values
        self.endResetModel()

    def row_at(self, row: int) -> PhraseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        phrase = self.row_at(index.row()) if index.isValid() else None
        if phrase is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return phrase.title
        if role == self.PhraseRole:
            return phrase
        if role == self.PreviewRole:
            return render(phrase.answers[phrase.next_answer], self._values)[0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return phrase.text
        return None


class PhraseDelegate(QStyledItemDelegate):
    """Two lines per phrase: title, stage, shortcut, scope, favourite key, escalation step;
    then the text it would insert, variables filled."""

    HEIGHT = 48

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(option.rect.width(), self.HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        phrase = index.data(PhraseModel.PhraseRole)
        if not isinstance(phrase, PhraseRow):
            return
        preview = str(index.data(PhraseModel.PreviewRole) or "")
        painter.save()
        rect = option.rect  # type: ignore[attr-defined]
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            painter.fillRect(rect, Colors.ROW_SELECTED)
        elif option.state & QStyle.StateFlag.State_MouseOver:  # type: ignore[attr-defined]
            painter.fillRect(rect, Colors.ROW_HOVER)
        base = QFont(option.font)  # type: ignore[attr-defined]
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1.5))
        x, top = rect.left() + 12, rect.top() + 5
        line = QFontMetrics(base).height()
        right = rect.right() - 10

        # the right-hand tags first, so the title knows its room
        tags = []
        if phrase.slot is not None:
            tags.append(f"Ctrl+{phrase.slot}")
        if len(phrase.answers) > 1:
            tags.append(f"{phrase.next_answer + 1}/{len(phrase.answers)}")
        painter.setFont(small)
        sm = QFontMetrics(small)
        for tag in reversed(tags):
            w = sm.horizontalAdvance(tag) + 10
            box = QRect(right - w, top + 1, w, line - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#fff1e0") if "/" in tag else QColor("#e8f0fe"))
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QColor("#a35a00") if "/" in tag else Colors.ACCENT)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, tag)
            right -= w + 6

        painter.setFont(bold)
        bm = QFontMetrics(bold)
        title = bm.elidedText(phrase.title, Qt.TextElideMode.ElideRight, max(40, (right - x) // 2))
        painter.setPen(Colors.TEXT)
        painter.drawText(QRect(x, top, right - x, line), Qt.AlignmentFlag.AlignVCenter, title)
        x2 = x + bm.horizontalAdvance(title) + 10
        meta = " · ".join(p for p in (stage_label(phrase.stage),
                                      f"/{phrase.shortcut}" if phrase.shortcut else "",
                                      scope_label(phrase)) if p)
        painter.setFont(small)
        painter.setPen(Colors.MUTED)
        painter.drawText(QRect(x2, top, max(0, right - x2), line), Qt.AlignmentFlag.AlignVCenter,
                         sm.elidedText(meta, Qt.TextElideMode.ElideRight, max(0, right - x2)))

        painter.setFont(base)
        painter.setPen(QColor("#4a5059"))
        text = " ".join(preview.split())
        fm = QFontMetrics(base)
        painter.drawText(QRect(x, top + line + 3, rect.right() - 10 - x, line),
                         Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.right() - 10 - x))
        painter.setPen(Colors.DIVIDER)
        painter.drawLine(rect.left() + 8, rect.bottom(), rect.right() - 8, rect.bottom())
        painter.restore()


class PhrasePicker(QFrame):
    """The list over the composer. It never takes focus: the agent keeps typing the query
    into the reply box, and the box hands it ↑↓, Enter, Tab and Esc."""

    chosen = Signal(object)  # PhraseRow
    MAX_ROWS = 7

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("phrasePicker")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(
            "#phrasePicker { background: #ffffff; border: 1px solid #c9d3e0; border-radius: 6px; }"
            "#pickerHint { color: #7a8089; padding: 4px 10px; border-bottom: 1px solid #eceef1; }"
            "#pickerEmpty { color: #7a8089; padding: 14px 12px; }"
            "#phraseList { border: none; background: transparent; }")
        self.hint = plain_label("", self, object_name="pickerHint")
        self.empty = plain_label("", self, object_name="pickerEmpty", wrap=True)
        self.model = PhraseModel(self)
        self.view = QListView(self)
        self.view.setObjectName("phraseList")
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setModel(self.model)
        self.view.setItemDelegate(PhraseDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setMouseTracking(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.clicked.connect(self._on_view_clicked)
        col = QVBoxLayout(self)
        col.setContentsMargins(1, 1, 1, 1)
        col.setSpacing(0)
        col.addWidget(self.hint)
        col.addWidget(self.empty)
        col.addWidget(self.view, 1)
        self._rows: list[PhraseRow] = []
        self._values: dict[str, str] = {}
        self.query = ""
        self.hide()

    def open_with(self, rows: list[PhraseRow], values: dict[str, str]) -> None:
        self._rows = rows
        self._values = values

    def set_query(self, query: str) -> None:
        self.query = query
        found = search(query, self._rows)
        self.model.set_rows(found, self._values)
        self.view.setVisible(bool(found))
        self.empty.setVisible(not found)
        if not self._rows:
            self.empty.setText(self.tr("No quick replies yet: add some in the library (Tools → Quick-reply library…)."))
        else:
            self.empty.setText(self.tr("No quick reply matches “{query}”").format(query=query))
        self.hint.setText(self.tr("Quick replies · {count} · ↑↓ choose · Enter insert · Esc close")
                          .format(count=len(found)))
        if found:
            self.view.setCurrentIndex(self.model.index(0))

    def current(self) -> PhraseRow | None:
        return self.model.row_at(self.view.currentIndex().row())

    def move_selection(self, delta: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        row = self.view.currentIndex().row()
        row = max(0, min(count - 1, (row if row >= 0 else 0) + delta))
        self.view.setCurrentIndex(self.model.index(row))

    def place_over(self, anchor: QWidget) -> None:
        """Show just above `anchor` (the composer), as wide as it, up to MAX_ROWS tall."""
        host = self.parentWidget()
        assert host is not None
        top_left = anchor.mapTo(host, QPoint(0, 0))
        rows = max(1, min(self.MAX_ROWS, self.model.rowCount()))
        height = self.hint.sizeHint().height() + (
            rows * PhraseDelegate.HEIGHT + 4 if self.model.rowCount() else self.empty.sizeHint().height()) + 2
        width = min(anchor.width(), 640)
        y = max(0, top_left.y() - height - 4)
        self.setGeometry(top_left.x(), y, width, min(height, top_left.y() - 4 if top_left.y() > 60 else height))
        self.show()
        self.raise_()

    def _on_view_clicked(self, index: QModelIndex) -> None:
        phrase = self.model.row_at(index.row())
        if phrase is not None:
            self.chosen.emit(phrase)


def slash_token(edit: QPlainTextEdit) -> tuple[int, str] | None:
    """(where the "/" is, what follows it up to the cursor) when the cursor is in a
    "/…" word: the "/" starts a line or follows whitespace, and no space came since."""
    cursor = edit.textCursor()
    if cursor.hasSelection():
        return None
    block = cursor.block()
    line, at = block.text(), cursor.positionInBlock()
    start = line.rfind("/", 0, at)
    if start < 0 or (start > 0 and not line[start - 1].isspace()):
        return None
    query = line[start + 1:at]
    if len(query) > 24 or any(ch.isspace() or ch == "/" for ch in query):
        return None
    return block.position() + start, query


_PICKER_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Escape}
_DIGITS = {Qt.Key(Qt.Key.Key_1.value + i): i + 1 for i in range(9)}


class QuickReplies(QObject):
    """The composer's quick replies for the open chat: follows the "/" word as the agent
    types, hands the picker the keys it needs while open, Ctrl+1…9 favourites, fills
    variables, and records each pick (the next pick of a phrase in the chat escalates).

    Works through an event filter and the box's own signals, so the composer itself
    knows nothing of phrases; while the picker is open its keys (↑↓ Enter Tab Esc)
    win over the window's shortcuts (Esc would leave the chat)."""

    status_message = Signal(str)

    def __init__(self, desk: DeskLike, bridge: Bridge, composer: QPlainTextEdit, host: QWidget) -> None:
        super().__init__(host)
        self._desk = desk
        self._bridge = bridge
        self.composer = composer
        self.picker = PhrasePicker(host)
        self.picker.chosen.connect(self.insert)
        self._cid: int | None = None
        self._token: tuple[int, str] | None = None
        self._dismissed: int | None = None  # the "/" whose picker the agent closed with Esc
        self._started: int | None = None  # a "/" that Ctrl+/ typed (removed again on Esc)
        composer.textChanged.connect(self._follow)
        composer.cursorPositionChanged.connect(self._follow)
        composer.installEventFilter(self)

    def set_conversation(self, cid: int | None) -> None:
        self._cid = cid
        self._close()

    # -- commands --------------------------------------------------------------------------
    def open_picker(self) -> None:
        """Ctrl+/ (Insert quick reply): start a "/" word at the cursor, which opens the picker."""
        if self._cid is None or self.composer.isReadOnly():
            return
        self.composer.setFocus(Qt.FocusReason.ShortcutFocusReason)
        cursor = self.composer.textCursor()
        cursor.clearSelection()
        before = self.composer.toPlainText()[:cursor.position()]
        lead = " " if before and not before[-1].isspace() else ""
        self._started = cursor.position() + len(lead)
        self._dismissed = None
        cursor.insertText(lead + "/")
        self.composer.setTextCursor(cursor)

    def insert(self, phrase: PhraseRow) -> None:
        """Put the phrase's next answer in the box (in place of the "/query"), variables
        filled; the first one the chat cannot fill is selected, to type over."""
        cid = self._cid
        if cid is None or self.composer.isReadOnly():
            return
        text, missing = render(phrase.answers[phrase.next_answer], self._desk.phrase_values(cid))
        cursor = self.composer.textCursor()
        token = slash_token(self.composer) if self.picker.isVisible() else None
        if token is not None:
            cursor.setPosition(token[0])
            cursor.setPosition(token[0] + 1 + len(token[1]), QTextCursor.MoveMode.KeepAnchor)
        start = min(cursor.position(), cursor.anchor())
        self._close()
        cursor.insertText(text)
        self.composer.setTextCursor(cursor)
        if missing:
            at = text.find(missing[0])
            select = self.composer.textCursor()
            select.setPosition(start + at)
            select.setPosition(start + at + len(missing[0]), QTextCursor.MoveMode.KeepAnchor)
            self.composer.setTextCursor(select)
            self.status_message.emit(self.tr("Fill in {names}: this chat does not know them")
                                     .format(names=" ".join(missing)))
        elif len(phrase.answers) > 1:
            self.status_message.emit(self.tr("{title}: answer {n} of {count}; pick it again for the next")
                                     .format(title=phrase.title, n=phrase.next_answer + 1,
                                             count=len(phrase.answers)))
        self.composer.setFocus(Qt.FocusReason.OtherFocusReason)
        done = partial(self._log_failure, "record phrase use")
        self._bridge.when_done(self._desk.record_phrase_use(phrase.id, cid), done)

    def insert_favorite(self, slot: int) -> None:
        """Ctrl+slot in the reply box: the favourite's next answer, without the picker."""
        if self._cid is None or self.composer.isReadOnly():
            return
        phrase = next((p for p in self._desk.phrases(self._cid) if p.slot == slot), None)
        if phrase is None:
            self.status_message.emit(self.tr(
                "Nothing on Ctrl+{slot}: pin a phrase to it in the quick-reply library").format(slot=slot))
            return
        self.insert(phrase)

    # -- internals -------------------------------------------------------------------------
    def _follow(self) -> None:
        """After each edit or cursor move: open, narrow or close the picker."""
        token = slash_token(self.composer)
        if token is None or self._cid is None or self.composer.isReadOnly():
            self._close()
            return
        if token[0] == self._dismissed:
            return
        if token == self._token and self.picker.isVisible():
            return
        opening = not self.picker.isVisible() or self._token is None or token[0] != self._token[0]
        self._token = token
        if opening:  # read the library and the chat once per opening
            self.picker.open_with(self._desk.phrases(self._cid), self._desk.phrase_values(self._cid))
        self.picker.set_query(token[1])
        self.picker.place_over(self.composer)

    def _close(self) -> None:
        self._token = None
        self.picker.hide()
        if slash_token(self.composer) is None:
            self._dismissed = None
            self._started = None

    def _dismiss(self) -> None:
        """Esc: close; a "/" that Ctrl+/ typed and nothing followed goes again."""
        token = slash_token(self.composer)
        self._token = None
        self.picker.hide()
        if token is not None and token[0] == self._started and not token[1]:
            cursor = self.composer.textCursor()
            cursor.setPosition(token[0])
            cursor.setPosition(token[0] + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            self._started = None
            return
        self._dismissed = token[0] if token is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.composer or not isinstance(event, QKeyEvent):
            return False
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key = Qt.Key(event.key())
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        picker_key = self.picker.isVisible() and key in _PICKER_KEYS and (
            mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
            or key in (Qt.Key.Key_Return, Qt.Key.Key_Enter))
        favorite = (mods == Qt.KeyboardModifier.ControlModifier and key in _DIGITS
                    and not self.composer.isReadOnly() and self._cid is not None)
        if not (picker_key or favorite):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # ours, not the window's (Esc, Ctrl+1…6 elsewhere)
            return True
        if favorite:
            self.insert_favorite(_DIGITS[key])
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.picker.move_selection(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.picker.move_selection(-PhrasePicker.MAX_ROWS if key == Qt.Key.Key_PageUp
                                       else PhrasePicker.MAX_ROWS)
        elif key == Qt.Key.Key_Escape:
            self._dismiss()
        else:  # Enter, Tab
            phrase = self.picker.current()
            if phrase is not None:
                self.insert(phrase)
        return True

    def _log_failure(self, what: str, future: Future[object]) -> None:
        error = future.exception()
        if error is not None:
            log.warning("%s failed: %s", what, error)
