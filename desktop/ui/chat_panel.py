"""The centre pane: who we talk to, who holds the chat, the message bubbles, and the composer."""

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

from desktop.core.redlines import RedLineRefused
from desktop.core.views import ChangeNotice, ConversationRow, MessageRow, TransferReport

from .bridge import Bridge
from .capabilities import can_reply
from .chat_delegate import BubbleDelegate
from .chat_model import MessageModel
from .composer import Composer
from .deskapi import DeskLike
from .formatting import clock_text, now_ms
from .keyhints import key
from .phrase_picker import QuickReplies
from .redline_guard import RedLineBar, RedLineGuard
from .transfer_dialog import refusal_text
from .widgets import Dot, plain_label

REVEAL_LIMIT = 2000  # how far back a search hit may load a chat's history

log = logging.getLogger("seatdesk.ui")

# Banner looks, by who holds the chat: handed to me / waiting in the queue / someone else's.
_BANNER_STYLE = {
    "note": ("#eef4fd", "#cfe0f7", "#1f4f8f"),
    "queue": ("#fff4e5", "#f5d3a3", "#8a4b00"),
    "other": ("#f1f2f4", "#e1e4e8", "#4a5059"),
}


class HolderBanner(QFrame):
    """At the top of the chat: why it was handed to me ("由 小王 转来：… · 14:05"),
    that it waits in the queue (with 接入), or that another seat holds it (接管 for a lead)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holderBanner")
        self.kind = ""
        self.title = plain_label("", self, object_name="holderTitle", wrap=True, selectable=True)
        self.detail = plain_label("", self, object_name="holderDetail", wrap=True)
        self.button = QPushButton(self)
        self.button.setObjectName("holderButton")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        text = QVBoxLayout()
        text.setSpacing(1)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 7, 12, 7)
        row.addLayout(text, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_state(self, kind: str, title: str, detail: str = "", button: str = "",
                   tooltip: str = "") -> None:
        back, border, ink = _BANNER_STYLE[kind]
        self.kind = kind
        self.setStyleSheet(
            f"#holderBanner {{ background: {back}; border-bottom: 1px solid {border}; }}"
            f"#holderTitle {{ color: {ink}; }}"
            f"#holderDetail {{ color: #c77700; font-weight: bold; }}"
            f"#holderButton {{ background: #1f6fd1; color: #ffffff; border: none; border-radius: 4px;"
            f" padding: 4px 14px; font-weight: bold; }}"
            f"#holderButton:hover {{ background: #1a63bd; }}")
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.button.setText(button)
        self.button.setToolTip(tooltip)
        self.button.setVisible(bool(button))
        self.show()

    def clear(self) -> None:
        self.kind = ""
        self.hide()


class ChatPanel(QWidget):
    status_message = Signal(str)  # a transient line for the status bar
    follow_up_requested = Signal(int)  # "remind me / the next shift" on this chat (issue 6)

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatPanel")
        self._desk = desk
        self._bridge = bridge
        self._cid: int | None = None
        self._conv: ConversationRow | None = None  # the open chat's row, as last read

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
        self.show_key_hints()

    def show_key_hints(self) -> None:
        self.follow_up_button.setToolTip(self.tr("Remind me or the next shift about this buyer ({key})")
                                         .format(key=key("follow_up", "Ctrl+L")))

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
        self.follow_up_button = QPushButton(self.tr("Follow up…"), header)
        self.follow_up_button.setObjectName("followUpButton")
        self.follow_up_button.setFlat(True)
        self.follow_up_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.follow_up_button.clicked.connect(self.request_follow_up)
        row.addWidget(self.follow_up_button)
        self.banner = HolderBanner(page)
        self.banner.button.clicked.connect(self.claim)

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
        # issue 5: "/" quick replies and Ctrl+1…9 favourites; the red-line check and override
        self.quick = QuickReplies(self._desk, self._bridge, self.composer, page)
        self.quick.status_message.connect(self.status_message)
        self.red_bar = RedLineBar(page)
        self.guard = RedLineGuard(self._desk, self.composer, self.red_bar)
        self.guard.override_requested.connect(self.send_overriding)
        self._placeholder = self.composer.placeholderText()
        self.send_button = QPushButton(self.tr("Send"), box)
        self.send_button.setObjectName("sendButton")
        self.send_button.setStyleSheet("#sendButton:disabled { background: #c5cad1; }")
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
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.red_bar)
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
        self.quick.set_conversation(cid)
        self.error_label.hide()
        self.delegate.clear_cache()
        self._refresh_header()
        self.model.replace(self._desk.messages(cid))
        self.stack.setCurrentIndex(1)
        self._scroll_to_end()
        self._bridge.when_done(self._desk.mark_read(cid), partial(self._log_failure, "mark read"))

    def reveal_message(self, message_id: int) -> bool:
        """Select and centre a message of the open chat (a search hit); one older than
        the newest 200 loads the history back to it (up to REVEAL_LIMIT) first."""
        if self._cid is None:
            return False
        row = self.model.row_of(message_id)
        if row is None:
            self.model.replace(self._desk.messages(self._cid, limit=REVEAL_LIMIT))
            row = self.model.row_of(message_id)
        if row is None:
            return False
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        center = QAbstractItemView.ScrollHint.PositionAtCenter
        self.view.scrollTo(index, center)
        # again after open_conversation's own scroll to the end, once laid out
        QTimer.singleShot(0, self.view, lambda: self.view.scrollTo(index, center))
        return True

    def close_conversation(self) -> None:
        self._cid = None
        self._conv = None
        self.quick.set_conversation(None)
        self.guard.set_platform(None)
        self.model.clear()
        self.stack.setCurrentIndex(0)

    def focus_composer(self) -> None:
        self.composer.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def send_current(self, override: bool = False) -> None:
        """Enter: send what is typed — unless it crosses a platform red line, which only
        `override` (Ctrl+Shift+Enter, "Send anyway") lets through, logged."""
        text = self.composer.text().strip()
        if not text or self._cid is None or self.composer.isReadOnly():
            return
        hits = self.guard.hits(text)
        if hits and not override:
            self.guard.stop(self.guard.check_now() or hits)
            self.status_message.emit(self.tr(
                "Not sent: the reply crosses a platform red line. Ctrl+Shift+Enter sends it anyway "
                "(the override is logged)."))
            return
        accepted = tuple(dict.fromkeys(h.rule for h in hits)) or None
        cid = self._cid
        self.composer.clear()
        self.error_label.hide()
        conv = self._conv
        if conv is not None and self._unheld(conv):
            # Answering a chat nobody holds takes it first, so no colleague answers too.
            future = self._desk.claim(cid, conv.assign_version)
            self._bridge.when_done(future, partial(self._on_claimed_to_send, cid, text, accepted))
            return
        self._send(cid, text, accepted)

    def send_overriding(self) -> None:
        """Ctrl+Shift+Enter: send despite the red-line hits shown (an explicit, logged override)."""
        self.send_current(override=True)

    def claim(self) -> None:
        """接入 (Ctrl+Shift+J): take the open chat from the queue — or, as a lead, from
        the seat that holds it (接管)."""
        conv = self._conv
        if conv is None or self._desk.seat_id is None:
            return
        if conv.seat_id == self._desk.seat_id:
            self.status_message.emit(self.tr("This conversation is already yours"))
            return
        if conv.seat_id is not None and not self._desk.is_lead():
            self.status_message.emit(self.tr("{seat} is serving this buyer; only a lead can take it over")
                                     .format(seat=conv.seat_name))
            return
        self.banner.button.setEnabled(False)
        self._bridge.when_done(self._desk.claim(conv.id, conv.assign_version),
                               partial(self._on_claimed, conv.id))

    def request_follow_up(self) -> None:
        """Ctrl+L / Follow up…: the window opens the follow-up dialog for the open chat."""
        if self._cid is not None:
            self.follow_up_requested.emit(self._cid)

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

    def refresh_holder(self) -> None:
        """Re-read who holds the open chat (after signing in as another seat)."""
        if self._cid is not None:
            self._refresh_header()

    # -- internals -----------------------------------------------------------------------
    def _refresh_header(self) -> ConversationRow | None:
        assert self._cid is not None
        conv = self._desk.conversation_rows([self._cid]).get(self._cid)
        self._conv = conv
        if conv is not None:
            self.buyer_label.setText(conv.buyer_nick)
            self.meta_label.setText(f"{conv.shop_name} · {conv.platform_name}")
            self.shop_dot.set_color(conv.shop_color)
            if conv.platform != self.guard.platform:
                self.guard.set_platform(conv.platform)
            self._show_holder(conv)
            self._follow_capabilities(conv)
        return conv

    def _unheld(self, conv: ConversationRow) -> bool:
        return self._desk.seat_id is not None and conv.seat_id is None and conv.state == "open"

    def _held_by_other(self, conv: ConversationRow) -> bool:
        me = self._desk.seat_id
        return me is not None and conv.seat_id is not None and conv.seat_id != me

    def _note_text(self, conv: ConversationRow, *, receiver: bool) -> tuple[str, str]:
        """(who handed it over and why, when it goes back unanswered) — "" when no note.
        The receiver reads "由 小王 转来：…"; anyone else "小王 转接：…"."""
        note = conv.transfer
        if note is None or not note.by:
            return "", ""
        if receiver and note.by == self._desk.seat_name:
            return "", ""  # I took it myself (a claim notes the claimer)
        at = now_ms()
        when = clock_text(note.at, at)
        if receiver and note.reason:
            title = self.tr("From {seat}: {reason} · {time}").format(
                seat=note.by, reason=note.reason, time=when)
        elif receiver:
            title = self.tr("Handed over by {seat} · {time}").format(seat=note.by, time=when)
        elif note.reason:
            title = self.tr("{seat} handed it over: {reason} · {time}").format(
                seat=note.by, reason=note.reason, time=when)
        else:
            return "", ""
        back = ""
        if receiver and note.return_at is not None:
            back = self.tr("Goes back unless answered by {time}").format(
                time=clock_text(note.return_at, at))
        return title, back

    def _show_holder(self, conv: ConversationRow) -> None:
        me = self._desk.seat_id
        self.banner.button.setEnabled(True)
        if me is None or conv.state != "open":
            self.banner.clear()
            return
        note, back = self._note_text(conv, receiver=conv.seat_id == me)
        key = QKeySequence("Ctrl+Shift+J").toString(QKeySequence.SequenceFormat.NativeText)
        if conv.seat_id == me:
            if note:
                self.banner.show_state("note", note, back)
            else:
                self.banner.clear()
        elif conv.seat_id is None:
            if conv.waiting_since is None and not note:
                self.banner.clear()  # nobody holds it, nobody waits: sending takes it
                return
            title = (self.tr("Waiting in the {group} queue for a seat").format(group=conv.queue_group)
                     if conv.queue_group else self.tr("Waiting in the queue for a seat"))
            self.banner.show_state("queue", f"{title}\n{note}" if note else title, "",
                                   self.tr("Take it"), self.tr("Take this conversation ({key})")
                                   .format(key=key))
        else:
            title = self.tr("{seat} is serving this buyer").format(seat=conv.seat_name)
            text = f"{title}\n{note}" if note else title
            if self._desk.is_lead():
                self.banner.show_state("other", text, "", self.tr("Take over"),
                                       self.tr("Take this conversation over ({key})").format(key=key))
            else:
                self.banner.show_state("other", text)

    def _follow_capabilities(self, conv: ConversationRow) -> None:
        """A platform whose open API cannot send (e.g. a read-only chat log) gets no
        live composer: it says so, instead of a Send that can only fail. Nor does a
        chat another seat holds: two agents answering one buyer is the mess seats prevent."""
        info = self._desk.platform_info(conv.platform)
        writable = can_reply(info)
        other = self._held_by_other(conv)
        self.composer.setReadOnly(not writable or other)
        self.send_button.setEnabled(writable and not other)
        if not writable:
            note = info.limits_note if info is not None and info.limits_note else ""
            self.composer.setPlaceholderText(self.tr(
                "Replies cannot be sent through {platform}'s open API: answer in the platform's "
                "own client. {note}").format(platform=conv.platform_name, note=note).strip())
        elif other:
            self.composer.setPlaceholderText(self.tr(
                "{seat} is serving this buyer: read only.").format(seat=conv.seat_name))
        else:
            self.composer.setPlaceholderText(self._placeholder)

    def _send(self, cid: int, text: str, accepted: tuple[str, ...] | None = None) -> None:
        future = (self._desk.send_overriding(cid, text, accepted) if accepted
                  else self._desk.send_message(cid, text))
        self._bridge.when_done(future, partial(self._on_sent, cid, text))
        if accepted:
            self.status_message.emit(self.tr("Sent despite the platform red line; the override is logged"))

    def _claim_problem(self, future: Future[TransferReport]) -> str:
        """Why a claim did not make the chat ours ("" = it did)."""
        error = future.exception()
        if error is not None:
            return str(error)
        report = future.result()
        if report.refused:
            _cid, code, detail = report.refused[0]
            return refusal_text(code, detail)
        return ""

    def _on_claimed(self, cid: int, future: Future[TransferReport]) -> None:
        problem = self._claim_problem(future)
        self.banner.button.setEnabled(True)
        if problem:
            self.status_message.emit(self.tr("Could not take the conversation: {reason}")
                                     .format(reason=problem))
        else:
            self.status_message.emit(self.tr("The conversation is yours now"))
        if cid == self._cid:
            self._refresh_header()
            if not problem:
                self.focus_composer()

    def _on_claimed_to_send(self, cid: int, text: str, accepted: tuple[str, ...] | None,
                            future: Future[TransferReport]) -> None:
        problem = self._claim_problem(future)
        if not problem or self._mine_now(cid):  # routing gave it to me meanwhile: just as good
            self._send(cid, text, accepted)
            return
        self.error_label.setText(self.tr("Not sent: could not take the conversation, {reason}")
                                 .format(reason=problem))
        self.error_label.show()
        if cid == self._cid:
            self._refresh_header()
            if not self.composer.text():
                self.composer.setPlainText(text)

    def _mine_now(self, cid: int) -> bool:
        """Whether this seat holds the chat now (the store, not the row read when it opened)."""
        row = self._desk.conversation_rows([cid]).get(cid)
        return row is not None and self._desk.seat_id is not None and row.seat_id == self._desk.seat_id

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
                if isinstance(error, RedLineRefused):
                    self.guard.stop(self.guard.check_now() or list(error.hits))
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
