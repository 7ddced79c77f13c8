"""The buyer panel (right, above the orders): who this is to the team.

Nick, platform and shop; tags and groups as chips (add by typing, remove with
one click); the team's shared note; and the buyer's history in this shop and
the team's other shops of the same platform — conversations, orders and
after-sale cases. One desk read fills it all (`Desk.buyer_profile`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import BuyerProfile, ChangeNotice, LabelKind

from .bridge import Bridge
from .chips import ChipEditor
from .deskapi import DeskLike
from .keyhints import key
from .formatting import clock_text, datetime_text, money_text, now_ms, one_line, order_status_label
from .widgets import plain_label, plain_tooltip

NOTE_SAVE_MS = 1200  # the note saves itself this long after the last keystroke


class NoteEdit(QPlainTextEdit):
    """The shared note; saves on leaving it and on Ctrl+Enter as well as when idle."""

    commit = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.commit.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.commit.emit()
            return
        super().keyPressEvent(event)


class BuyerPanel(QWidget):
    conversation_requested = Signal(int)  # open another of this buyer's chats
    case_requested = Signal(int)  # open an after-sale case (its id)
    status_message = Signal(str)

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buyerPanel")
        self._desk = desk
        self._bridge = bridge
        self._cid: int | None = None
        self.profile: BuyerProfile | None = None
        self._saved_note = ""

        self.title = plain_label(self.tr("Buyer"), self, object_name="paneTitle")
        self.nick = plain_label("", self, object_name="buyerNick", selectable=True)
        self.where = plain_label("", self, object_name="buyerWhere")
        self.tags = ChipEditor("", parent=self)
        self.groups = ChipEditor("", outlined=True, parent=self)
        self.note = NoteEdit(self)
        self.note.setObjectName("buyerNote")
        self.note.setPlaceholderText(self.tr("Team note on this buyer (everyone sees it)"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(58)
        self.note_state = plain_label("", self, object_name="noteState")
        # tag changes not yet on a platform that keeps buyer tags (Shopify)
        self.tag_sync = plain_label("", self, object_name="tagSyncState", wrap=True)
        self.tag_retry = QPushButton(self)
        self.tag_retry.setObjectName("tagSyncRetry")
        self.tag_retry.setFlat(True)
        self.tag_retry.setCursor(Qt.CursorShape.PointingHandCursor)
        self.history = QTabWidget(self)
        self.history.setObjectName("buyerHistory")
        self.history.setDocumentMode(True)
        self.chats = QListWidget(self)
        self.orders = QListWidget(self)
        self.cases = QListWidget(self)
        for lst in (self.chats, self.orders, self.cases):
            lst.setObjectName("historyList")
            lst.setUniformItemSizes(True)
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            lst.setTextElideMode(Qt.TextElideMode.ElideRight)
            self.history.addTab(lst, "")

        body = QFrame(self)
        body.setObjectName("buyerBody")
        grid = QGridLayout(body)
        grid.setContentsMargins(12, 4, 12, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(5)
        head = QHBoxLayout()
        head.addWidget(self.nick)
        head.addStretch(1)
        head.addWidget(self.where)
        grid.addLayout(head, 0, 0, 1, 2)
        self._tag_caption = plain_label("", body, object_name="factName")
        self._group_caption = plain_label("", body, object_name="factName")
        self._note_caption = plain_label("", body, object_name="factName")
        grid.addWidget(self._tag_caption, 1, 0, Qt.AlignmentFlag.AlignTop)
        tag_col = QVBoxLayout()
        tag_col.setSpacing(1)
        tag_col.addWidget(self.tags)
        sync_row = QHBoxLayout()
        sync_row.setSpacing(4)
        sync_row.addWidget(self.tag_sync, 1)
        sync_row.addWidget(self.tag_retry, 0, Qt.AlignmentFlag.AlignTop)
        tag_col.addLayout(sync_row)
        grid.addLayout(tag_col, 1, 1)
        grid.addWidget(self._group_caption, 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.groups, 2, 1)
        grid.addWidget(self._note_caption, 3, 0, Qt.AlignmentFlag.AlignTop)
        note_col = QVBoxLayout()
        note_col.setSpacing(1)
        note_col.addWidget(self.note)
        note_col.addWidget(self.note_state)
        grid.addLayout(note_col, 3, 1)
        grid.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(body)
        layout.addWidget(self.history, 1)

        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self.save_note)
        self._reload_timer = QTimer(self)  # coalesces notices: ≤ 3 reloads a second
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(300)
        self._reload_timer.timeout.connect(self.reload)

        self.tags.add_requested.connect(lambda name: self._add(LabelKind.TAG.value, name))
        self.groups.add_requested.connect(lambda name: self._add(LabelKind.GROUP.value, name))
        self.tags.remove_requested.connect(self._remove)
        self.groups.remove_requested.connect(self._remove)
        self.note.textChanged.connect(self._on_note_text_changed)
        self.note.commit.connect(self.save_note)
        self.chats.itemActivated.connect(self._on_chats_item_activated)
        self.orders.itemActivated.connect(self._on_orders_item_activated)
        self.cases.itemActivated.connect(self._on_cases_item_activated)
        self.tag_retry.clicked.connect(self.retry_tag_sync)
        self.retranslate()
        self.show_conversation(None)

    def retranslate(self) -> None:
        self._tag_caption.setText(self.tr("Tags"))
        self._group_caption.setText(self.tr("Groups"))
        self._note_caption.setText(self.tr("Note"))
        self.tag_retry.setText(self.tr("Retry"))
        self.show_key_hints()
        self._set_tab_titles()
        self._show_tag_sync()

    def show_key_hints(self) -> None:
        self.tags.input.setPlaceholderText(self.tr("+ Tag ({key})").format(key=key("tag_buyer", "Ctrl+T")))
        self.groups.input.setPlaceholderText(
            self.tr("+ Group ({key})").format(key=key("group_buyer", "Ctrl+G")))

    # -- commands ---------------------------------------------------------------------------
    def show_conversation(self, cid: int | None) -> None:
        if cid != self._cid:
            self.save_note()  # typing then switching chats loses nothing
        self._cid = cid
        self.reload()

    def reload(self) -> None:
        self._reload_timer.stop()
        profile = self._desk.buyer_profile(self._cid) if self._cid is not None else None
        self.profile = profile
        enabled = profile is not None
        for w in (self.tags, self.groups, self.note, self.history):
            w.setEnabled(enabled)
        if profile is None:
            self.nick.setText(self.tr("No conversation open") if self._cid is None else "")
            self.where.setText("")
            self.tags.set_chips(())
            self.groups.set_chips(())
            self._show_note("", "")
            for lst in (self.chats, self.orders, self.cases):
                lst.clear()
            self._set_tab_titles()
            self._show_tag_sync()
            return
        self.nick.setText(profile.nick)
        self.where.setText(f"{profile.platform_name} · {profile.shop_name}")
        self.tags.set_chips(profile.tags)
        self.groups.set_chips(profile.groups)
        catalogue = self._desk.labels()
        self.tags.set_catalogue([r.name for r in catalogue if r.kind == LabelKind.TAG.value])
        self.groups.set_catalogue([r.name for r in catalogue if r.kind == LabelKind.GROUP.value])
        if not self._note_dirty():  # never overwrite what the agent is typing
            self._show_note(profile.note, profile.note_by, profile.note_at)
        self._fill_history(profile)
        self._show_tag_sync()

    def _show_tag_sync(self) -> None:
        """Say when the buyer's tags have not reached their platform, with a retry."""
        p = self.profile
        sync = p.tag_sync if p is not None else None
        if sync is None:
            self.tag_sync.setText("")
            self.tag_sync.setVisible(False)
            self.tag_retry.setVisible(False)
            return
        if sync.failed:
            text = self.tr("Tags not saved on {platform}: {error}").format(
                platform=p.platform_name if p else "", error=sync.error or "?")
            color = "#c62828"
        else:
            text = self.tr("Saving tags on {platform}…").format(platform=p.platform_name if p else "")
            if sync.error:
                text += " " + self.tr("(retrying: {error})").format(error=sync.error)
            color = "#8a6d00"
        self.tag_sync.setText(text)
        self.tag_sync.setToolTip(plain_tooltip(sync.error))
        self.tag_sync.setStyleSheet(f"color: {color};")
        self.tag_sync.setVisible(True)
        self.tag_retry.setVisible(bool(sync.failed))

    def retry_tag_sync(self) -> None:
        p = self.profile
        if p is None or p.tag_sync is None:
            return
        for outbox_id in p.tag_sync.outbox_ids:
            self._bridge.when_done(self._desk.retry_outbox(outbox_id), self._after_change)
        self.tag_retry.setVisible(False)

    def apply_notice(self, notice: ChangeNotice) -> None:
        p = self.profile
        if p is None:
            return
        if (p.buyer_id in notice.buyers or notice.labels or self._cid in notice.orders
                or self._cid in notice.conversations
                or notice.order_ids & {o.id for o in p.orders}
                or notice.new_conversations) and not self._reload_timer.isActive():
            self._reload_timer.start()

    def focus_tags(self) -> None:
        self.tags.input.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_groups(self) -> None:
        self.groups.input.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save_note(self) -> None:
        self._note_timer.stop()
        p = self.profile
        if p is None or not self._note_dirty():
            return
        text = self.note.toPlainText()
        self._saved_note = text
        self.note_state.setText(self.tr("Saving…"))
        self._bridge.when_done(self._desk.set_buyer_note(p.buyer_id, text),
                               lambda f: self._on_note_saved(f, text))

    # -- internals ----------------------------------------------------------------------------
    def _note_dirty(self) -> bool:
        return self.note.toPlainText() != self._saved_note

    def _show_note(self, text: str, by: str, at: int | None = None) -> None:
        self._saved_note = text
        self.note.blockSignals(True)
        self.note.setPlainText(text)
        self.note.blockSignals(False)
        self.note_state.setText(
            self.tr("{who}, {when}").format(who=by, when=datetime_text(at)) if by and at else "")

    def _on_note_saved(self, future: object, text: str) -> None:
        error = future.exception()  # type: ignore[attr-defined]
        if error is not None:
            self._saved_note = ""  # still dirty: the next commit tries again
            self.note_state.setText(self.tr("Not saved: {error}").format(error=error))
            return
        self.note_state.setText(self.tr("Saved"))

    def _on_note_text_changed(self) -> None:
        if self.profile is not None:
            self._note_timer.start()

    def _add(self, kind: str, name: str) -> None:
        p = self.profile
        if p is None:
            return
        self._bridge.when_done(self._desk.add_labels([p.buyer_id], kind, [name]), self._after_change)

    def _remove(self, label_id: int) -> None:
        p = self.profile
        if p is None:
            return
        self._bridge.when_done(self._desk.remove_label([p.buyer_id], label_id), self._after_change)

    def _after_change(self, future: object) -> None:
        error = future.exception()  # type: ignore[attr-defined]
        if error is not None:
            self.status_message.emit(self.tr("Could not change the tags: {error}").format(error=error))
        self.reload()  # the notice will come too; the agent sees the chip at once

    def _set_tab_titles(self) -> None:
        self.history.setTabText(0, self.tr("Chats {n}").format(n=self.chats.count()))
        self.history.setTabText(1, self.tr("Orders {n}").format(n=self.orders.count()))
        self.history.setTabText(2, self.tr("After-sale {n}").format(n=self.cases.count()))

    def _fill_history(self, p: BuyerProfile) -> None:
        at = now_ms()
        self.chats.clear()
        for h in p.history:
            here = h.conversation_id == self._cid
            text = f"{h.shop_name} · {clock_text(h.last_message_at, at)} · {one_line(h.preview, 60)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, h.conversation_id)
            item.setToolTip(self.tr("{n} messages").format(n=h.messages))
            item.setForeground(QColor(h.shop_color) if QColor.isValidColorName(h.shop_color)
                               else QColor("#1f2329"))
            if here:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.chats.addItem(item)
        self.orders.clear()
        for o in p.orders:
            text = (f"{o.shop_name} · {order_status_label(o.status)} · "
                    f"{money_text(o.total, o.currency)} · {datetime_text(o.created_at)}")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, o.conversation_id)
            item.setToolTip(self.tr("Order {id}").format(id=o.platform_order_id))
            self.orders.addItem(item)
        self.cases.clear()
        from .case_labels import case_kind_label, case_state_label

        for c in p.cases:
            text = f"{case_kind_label(c.kind)} · {case_state_label(c.state)} · {one_line(c.reason, 40)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setToolTip(self.tr("Order {id}").format(id=c.platform_order_id))
            self.cases.addItem(item)
        self._set_tab_titles()

    def _on_chats_item_activated(self, item: QListWidgetItem) -> None:
        cid = item.data(Qt.ItemDataRole.UserRole)
        if cid is not None and cid != self._cid:
            self.conversation_requested.emit(int(cid))

    def _on_orders_item_activated(self, item: QListWidgetItem) -> None:
        cid = item.data(Qt.ItemDataRole.UserRole)
        if cid is None:
            self.status_message.emit(self.tr("The buyer has no chat in that order's shop"))
        elif cid != self._cid:
            self.conversation_requested.emit(int(cid))

    def _on_cases_item_activated(self, item: QListWidgetItem) -> None:
        self.case_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
