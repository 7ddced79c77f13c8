"""The centre pane: who we talk to, the message bubbles, and the composer."""

from __future__ import annotations

import logging
from concurrent.futures import Future
from functools import partial

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, ConversationRow, MessageRow

from .bridge import Bridge
from .capabilities import can_reply
from .chat_delegate import BubbleDelegate
from .chat_model import MessageModel
from .composer import Composer
from .deskapi import DeskLike
from .widgets import Dot, plain_label

log = logging.getLogger("seatdesk.ui")


class ChatPanel(QWidget):
    status_message = Signal(str)  # a transient line for the status bar

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatPanel")
        self._desk = desk
        self._bridge = bridge
        self._cid: int | None = None

        self.stack = QStackedWidget(self)
        self.empty_label = plain_label(
            self.tr("Pick a conversation on the left to reply"), object_name="chatEmpty"
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self._build_chat_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _build_chat_page(self) -> QWidget:
        page = QWidget(self)
        header = QFrame(page)
        header.setObjectName("chatHeader")
        self.shop_dot = Dot("#607d8b", 10, header)
        self.buyer_label = plain_label("", header, object_name="chatBuyer", selectable=True)
        self.meta_label = plain_label("", header, object_name="chatMeta")
        row = QHBoxLayout(header)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(8)
        row.addWidget(self.buyer_label)
        row.addSpacing(6)
        row.addWidget(self.shop_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.meta_label, 1)

        self.model = MessageModel(self)
        self.view = QListView(page)
        self.view.setObjectName("messageList")
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap bubbles on resize
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.delegate = BubbleDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu)
        self.delegate.retry_requested.connect(self.retry)
        copy = QAction(self.tr("Copy text"), self.view)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self._copy_selected)
        self.view.addAction(copy)

        self.error_label = plain_label("", page, object_name="sendError", wrap=True)
        self.error_label.hide()
        box = QFrame(page)
        box.setObjectName("composerBox")
        self.composer = Composer(box)
        self.composer.submitted.connect(self.send_current)
        self._placeholder = self.composer.placeholderText()
        self.send_button = QPushButton(self.tr("Send"), box)
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip(self.tr("Send (Enter / Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send_current)
        hint = plain_label(
            self.tr("Enter send · Shift+Enter new line · Esc back to inbox"), box, object_name="hint"
        )
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.send_button)
        col = QVBoxLayout(box)
        col.setContentsMargins(12, 8, 12, 10)
        col.setSpacing(6)
        col.addWidget(self.composer)
        col.addLayout(bottom)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(box)
        return page

    # -- reads ---------------------------------------------------------------------------
    @property
    def conversation_id(self) -> int | None:
        return self._cid

    # -- commands ------------------------------------------------------------------------
    def open_conversation(self, cid: int) -> None:
        if cid != self._cid:
            self.composer.clear()
        self._cid = cid
        self.error_label.hide()
        self.delegate.clear_cache()
        self._refresh_header()
        self.model.replace(self._desk.messages(cid))
        self.stack.setCurrentIndex(1)
        self._scroll_to_end()
        self._bridge.when_done(self._desk.mark_read(cid), partial(self._log_failure, "mark read"))

    def close_conversation(self) -> None:
        self._cid = None
        self.model.clear()
        self.stack.setCurrentIndex(0)

    def focus_composer(self) -> None:
        self.composer.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def send_current(self) -> None:
        text = self.composer.text().strip()
        if not text or self._cid is None or self.composer.isReadOnly():
            return
        cid = self._cid
        self.composer.clear()
        self.error_label.hide()
        self._bridge.when_done(self._desk.send_message(cid, text), partial(self._on_sent, cid, text))

    def retry(self, outbox_id: int) -> None:
        self.status_message.emit(self.tr("Retrying…"))
        self._bridge.when_done(self._desk.retry_outbox(outbox_id), partial(self._log_failure, "retry"))

    def apply_notice(self, notice: ChangeNotice) -> None:
        if self._cid is None:
            return
        if self._cid in notice.conversations:
            conv = self._refresh_header()
            # The agent is looking at it: new buyer messages are read, not unread.
            if conv is not None and conv.unread and self.isVisible() and self.window().isActiveWindow():
                done = partial(self._log_failure, "mark read")
                self._bridge.when_done(self._desk.mark_read(self._cid), done)
        if self._cid in notice.messages:
            self._reload_messages()

    # -- internals -----------------------------------------------------------------------
    def _refresh_header(self) -> ConversationRow | None:
        assert self._cid is not None
        conv = self._desk.conversation_rows([self._cid]).get(self._cid)
        if conv is not None:
            self.buyer_label.setText(conv.buyer_nick)
            self.meta_label.setText(f"{conv.shop_name} · {conv.platform_name}")
            self.shop_dot.set_color(conv.shop_color)
            self._follow_capabilities(conv)
        return conv

    def _follow_capabilities(self, conv: ConversationRow) -> None:
        """A platform whose open API cannot send (e.g. a read-only chat log) gets no
        live composer: it says so, instead of a Send that can only fail."""
        info = self._desk.platform_info(conv.platform)
        writable = can_reply(info)
        self.composer.setReadOnly(not writable)
        self.send_button.setEnabled(writable)
        if writable:
            self.composer.setPlaceholderText(self._placeholder)
        else:
            note = info.limits_note if info is not None and info.limits_note else ""
            self.composer.setPlaceholderText(self.tr(
                "Replies cannot be sent through {platform}'s open API: answer in the platform's "
                "own client. {note}").format(platform=conv.platform_name, note=note).strip())

    def _reload_messages(self) -> None:
        assert self._cid is not None
        bar = self.view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 8
        rows = self._desk.messages(self._cid)
        added = self.model.update(rows)
        if added and (at_end or rows[-1].direction != "in"):
            self._scroll_to_end()

    def _scroll_to_end(self) -> None:
        self.view.scrollToBottom()
        QTimer.singleShot(0, self.view.scrollToBottom)  # again once the view has laid out

    def _on_sent(self, cid: int, text: str, future: Future[int]) -> None:
        error = future.exception()
        if error is not None:
            self.error_label.setText(self.tr("Could not send: {error}").format(error=error))
            self.error_label.show()
            if cid == self._cid and not self.composer.text():
                self.composer.setPlainText(text)  # nothing typed since: give the text back
            return
        if cid == self._cid:
            self._reload_messages()  # do not wait for the notice to show the pending bubble

    def _log_failure(self, what: str, future: Future[object]) -> None:
        error = future.exception()
        if error is not None:
            log.warning("%s failed: %s", what, error)
            self.status_message.emit(self.tr("Failed: {error}").format(error=error))

    def _selected(self) -> MessageRow | None:
        return self.model.row_at(self.view.currentIndex().row())

    def _copy_selected(self) -> None:
        msg = self._selected()
        if msg is not None:
            QGuiApplication.clipboard().setText(msg.text)

    def _on_view_context_menu(self, pos: QPoint) -> None:
        msg = self.model.row_at(self.view.indexAt(pos).row())
        if msg is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Copy text"), lambda: QGuiApplication.clipboard().setText(msg.text))
        if msg.state == "failed" and msg.outbox_id is not None:
            outbox_id = msg.outbox_id
            menu.addAction(self.tr("Retry"), lambda: self.retry(outbox_id))
        menu.exec(self.view.viewport().mapToGlobal(pos))
