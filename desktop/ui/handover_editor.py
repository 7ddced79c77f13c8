"""Writing my handover (交接): the draft the core builds from what is open, grouped by
kind; the author ticks off what needs nothing, annotates, adds free items and text,
addresses it to the next shift and/or named seats, saves, and sends — optionally
handing every open chat of theirs to the next shift's seats at the same time."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import HandoverItemKind, HandoverItemRow, HandoverRow, ItemState, ShiftRow

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import clock_text, now_ms
from .handover_export import HandoverExporter
from .handover_items import HandoverItemsTree
from .shift_labels import shift_text
from .widgets import plain_label

NO_SHIFT = -1  # the addressee combo's "no shift" entry


def item_key(it: HandoverItemRow) -> tuple[object, ...]:
    """Two items are the same matter when they are of one kind and link to the same things."""
    if HandoverItemKind(it.kind) is HandoverItemKind.NOTE:
        return ("note", it.id or id(it))
    return (HandoverItemKind(it.kind).value, it.conversation_id, it.order_id, it.case_id,
            it.buyer_id, it.due_at)


def merge_items(kept: list[HandoverItemRow], fresh: list[HandoverItemRow]) -> list[HandoverItemRow]:
    """A rebuilt draft: what is open now (with the author's notes and choices kept), the
    author's free items, and annotated items no longer open (the author meant them)."""
    by_key = {item_key(k): k for k in kept}
    out = []
    for f in fresh:
        old = by_key.pop(item_key(f), None)
        out.append(replace(f, id=old.id, note=old.note, state=old.state) if old is not None else f)
    out += [k for k in by_key.values()
            if HandoverItemKind(k.kind) is HandoverItemKind.NOTE or k.note]
    return out


class HandoverEditor(QWidget):
    link_requested = Signal(str, int)
    status_message = Signal(str)
    sent = Signal(int)  # handover id

    AUTOSAVE_MS = 4000

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self.setObjectName("handoverEditor")
        self._desk = desk
        self._bridge = bridge
        self._clock = clock
        self._row: HandoverRow | None = None
        self._shifts: dict[int, ShiftRow] = {}
        self._filling = False
        self._edits = 0  # bumped on every edit: a save result applies only if none came since
        self.dirty = False
        self.busy = False
        self.confirm: Callable[[str], bool] = self._confirm

        self.heading = plain_label("", self, object_name="handoverHeading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.saved_label = plain_label("", self, object_name="handoverSaved")
        self.saved_label.setStyleSheet("color: #5f6670;")
        self.rebuild_button = QPushButton(self)
        self.rebuild_button.setObjectName("handoverRebuild")
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(8)
        top.addWidget(self.saved_label, 1)
        top.addWidget(self.rebuild_button)

        self.to_label = plain_label("", self)
        self.to_shift = QComboBox(self)
        self.to_shift.setObjectName("handoverToShift")
        self.to_seats_button = QPushButton(self)  # a menu button: the arrow beside the text
        self.to_seats_button.setObjectName("handoverToSeats")
        self.seat_menu = QMenu(self.to_seats_button)
        self.to_seats_button.setMenu(self.seat_menu)
        self.to_seats_text = plain_label("", self, object_name="handoverToSeatsText")
        to_row = QHBoxLayout()
        to_row.addWidget(self.to_label)
        to_row.addWidget(self.to_shift)
        to_row.addWidget(self.to_seats_button)
        to_row.addWidget(self.to_seats_text, 1)

        self.tree = HandoverItemsTree(self, editing=True, object_name="draftItems")
        self.new_item = QLineEdit(self)
        self.new_item.setObjectName("handoverNewItem")
        self.new_item.setMaxLength(200)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("handoverAddItem")
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("handoverOpenItem")
        self.note_button = QPushButton(self)
        self.note_button.setObjectName("handoverNoteItem")
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("handoverRemoveItem")
        item_row = QHBoxLayout()
        item_row.addWidget(self.new_item, 1)
        item_row.addWidget(self.add_button)
        item_row.addSpacing(12)
        item_row.addWidget(self.open_button)
        item_row.addWidget(self.note_button)
        item_row.addWidget(self.remove_button)

        self.text = QPlainTextEdit(self)
        self.text.setObjectName("handoverText")
        self.text.setTabChangesFocus(True)
        items_box = QWidget(self)
        items_layout = QVBoxLayout(items_box)
        items_layout.setContentsMargins(0, 0, 0, 0)
        items_layout.addWidget(self.tree, 1)
        items_layout.addLayout(item_row)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(items_box)
        split.addWidget(self.text)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([480, 100])

        self.error = plain_label("", self, object_name="handoverError", wrap=True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.exporter = HandoverExporter(desk, self.current_row, self)
        self.exporter.status_message.connect(self.status_message)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("handoverSave")
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("handoverSend")
        self.release_button = QPushButton(self)
        self.release_button.setObjectName("handoverSendRelease")
        self.send_button.setStyleSheet(
            "#handoverSend { background: #1f6fd1; color: #ffffff; border: none; border-radius: 4px;"
            " padding: 5px 16px; font-weight: bold; } #handoverSend:disabled { background: #c5cad1; }")
        bottom = QHBoxLayout()
        bottom.addWidget(self.exporter.button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.release_button)
        bottom.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addLayout(top)
        layout.addLayout(to_row)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

        save = QAction(self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(lambda: self.save())
        self.addAction(save)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(self.AUTOSAVE_MS)
        self._autosave.timeout.connect(lambda: self.dirty and not self.busy and self.save())

        self.retranslate()
        self.tree.items_edited.connect(self._on_edited)
        self.tree.link_requested.connect(self.link_requested)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.text.textChanged.connect(self._on_edited)
        self.to_shift.currentIndexChanged.connect(self._on_edited)
        self.seat_menu.triggered.connect(self._on_seat_menu_triggered)
        self.new_item.returnPressed.connect(self.add_note_item)
        self.add_button.clicked.connect(self.add_note_item)
        self.open_button.clicked.connect(self.tree.open_current)
        self.note_button.clicked.connect(self.annotate_current)
        self.remove_button.clicked.connect(self.remove_selected)
        self.rebuild_button.clicked.connect(self.rebuild)
        self.save_button.clicked.connect(lambda: self.save())
        self.send_button.clicked.connect(lambda: self.send())
        self.release_button.clicked.connect(lambda: self.send(release=True))

    def retranslate(self) -> None:
        self.rebuild_button.setText(self.tr("Refresh from what is open"))
        self.rebuild_button.setToolTip(self.tr(
            "Add what is open now (chats waiting, unpaid orders, cases, follow-ups…); your "
            "notes, choices and own items stay"))
        self.to_label.setText(self.tr("Hand over to"))
        self.to_seats_button.setText(self.tr("Named seats"))
        self.new_item.setPlaceholderText(self.tr("Add an item of your own, e.g. the courier "
                                                 "comes at 10 tomorrow"))
        self.add_button.setText(self.tr("Add"))
        self.open_button.setText(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open the chat, order or case of the selected item (Enter)"))
        self.note_button.setText(self.tr("Note…"))
        self.note_button.setToolTip(self.tr("Annotate the selected item (or double-click its note)"))
        self.remove_button.setText(self.tr("Remove"))
        self.text.setPlaceholderText(self.tr("Anything else the next shift should know…"))
        self.save_button.setText(self.tr("Save draft"))
        self.save_button.setToolTip(self.tr("Save the draft (Ctrl+S); it is also saved as you write"))
        self.send_button.setText(self.tr("Send"))
        self.release_button.setText(self.tr("Send and release my chats"))
        self.release_button.setToolTip(self.tr(
            "Send the handover and hand every open chat of yours to the next shift's seats, "
            "with your note"))

    # -- reading ---------------------------------------------------------------------------------
    def load(self) -> None:
        """My saved draft if there is one, else a fresh one from what is open."""
        self._shifts = {s.id: s for s in self._desk.shifts()}
        self._fill_seat_menu()
        me = self._desk.seat_id
        if me is None:
            self._show(None)
            return
        from desktop.core.views import HandoverFilter

        saved = next((h for h in self._desk.handovers(HandoverFilter(author_seat_id=me), limit=20)
                      if h.state == "draft"), None)
        self._show(saved or self._desk.draft_handover())

    def refresh_if_untouched(self) -> None:
        """On showing the page: an untouched fresh draft follows what is open now."""
        if self._row is None or (self._row.id == 0 and not self.dirty and not self.busy):
            self.load()

    def rebuild(self) -> None:
        """Refresh from what is open: new matters join, closed ones leave; the author's
        notes, choices and own items stay."""
        if self._row is None:
            self.load()
            return
        fresh = self._desk.draft_handover()
        items = merge_items(self.tree.items(), list(fresh.items))
        self.tree.set_items(items)
        self._on_edited()
        self.status_message.emit(self.tr("Draft refreshed: {n} items").format(n=len(items)))

    def current_row(self) -> HandoverRow | None:
        if self._row is None:
            return None
        shift = self.to_shift.currentData()
        return replace(self._row, items=tuple(self.tree.items()), text=self.text.toPlainText().strip(),
                       to_shift_id=None if shift in (None, NO_SHIFT) else int(shift),
                       to_seat_ids=self.chosen_seats())

    def chosen_seats(self) -> frozenset[int]:
        return frozenset(int(a.data()) for a in self.seat_menu.actions() if a.isChecked())

    def _show(self, row: HandoverRow | None) -> None:
        self._row = row
        self._filling = True
        try:
            self.tree.set_items(row.items if row is not None else ())
            self.text.setPlainText(row.text if row is not None else "")
            self._fill_shift_combo(row)
            for action in self.seat_menu.actions():
                action.setChecked(row is not None and int(action.data()) in row.to_seat_ids)
        finally:
            self._filling = False
        self.dirty = False
        self.error.hide()
        self._update_texts()
        self._update_buttons()

    def _fill_shift_combo(self, row: HandoverRow | None) -> None:
        self.to_shift.clear()
        mine = self._desk.current_shift() if self._desk.seat_id is not None else None
        nxt = self._desk.next_shift(mine.id if mine is not None else None)
        if nxt is not None:
            self.to_shift.addItem(self.tr("Next shift: {shift}").format(shift=shift_text(nxt)), nxt.id)
        for shift in self._shifts.values():
            if nxt is None or shift.id != nxt.id:
                self.to_shift.addItem(shift_text(shift), shift.id)
        self.to_shift.addItem(self.tr("No shift (named seats only)"), NO_SHIFT)
        wanted = row.to_shift_id if row is not None and row.id else (nxt.id if nxt else None)
        if row is not None and row.id and row.to_shift_id is None:
            wanted = NO_SHIFT
        self.to_shift.setCurrentIndex(max(0, self.to_shift.findData(wanted if wanted is not None else NO_SHIFT)))

    def _fill_seat_menu(self) -> None:
        self.seat_menu.clear()
        for seat in self._desk.seats():
            if seat.id == self._desk.seat_id:
                continue
            action = self.seat_menu.addAction(seat.profile.display_name)
            action.setCheckable(True)
            action.setData(seat.id)

    def _update_texts(self) -> None:
        row = self._row
        if row is None:
            self.heading.setText(self.tr("Sign in as a seat to write a handover"))
            self.saved_label.setText("")
            return
        mine = self._desk.current_shift()
        self.heading.setText(self.tr("My handover · {shift}").format(shift=shift_text(mine))
                             if mine is not None else self.tr("My handover"))
        if row.id == 0:
            self.saved_label.setText(self.tr("New draft, built from what is open") if not self.dirty
                                     else self.tr("Not saved yet"))
        else:
            saved = clock_text(row.created_at, self._clock()) if row.created_at else ""
            self.saved_label.setText(self.tr("Draft saved {time}").format(time=saved) if not self.dirty
                                     else self.tr("Changed since saved"))
        names = {int(a.data()): a.text() for a in self.seat_menu.actions()}
        chosen = sorted(names[i] for i in self.chosen_seats() if i in names)
        self.to_seats_text.setText(self.tr("and {names}").format(names="、".join(chosen)) if chosen else "")

    # -- editing -----------------------------------------------------------------------------------
    def add_note_item(self) -> None:
        title = " ".join(self.new_item.text().split())
        if not title or self._row is None:
            return
        item = HandoverItemRow(0, HandoverItemKind.NOTE, title, "", ItemState.TODO)
        self.tree.set_items([*self.tree.items(), item])
        self.new_item.clear()
        self._on_edited()

    def remove_selected(self) -> None:
        gone = set(self.tree.selected_positions())
        if not gone:
            return
        self.tree.set_items([it for p, it in enumerate(self.tree.items()) if p not in gone])
        self._on_edited()

    def annotate_current(self) -> None:
        p = self.tree.current_position()
        child = self.tree.tree_item(p) if p is not None else None
        if child is not None:
            self.tree.setFocus()
            self.tree.editItem(child, HandoverItemsTree.NOTE)

    # -- saving and sending ---------------------------------------------------------------------------
    def save(self) -> Future[int] | None:
        row = self.current_row()
        if row is None or self.busy:
            return None
        self._autosave.stop()
        self.busy = True
        edits = self._edits
        future = self._desk.save_handover(row)
        self._bridge.when_done(future, lambda f: self._on_saved(f, edits))
        return future

    def send(self, release: bool = False) -> Future[int] | None:
        """Save, then send (with `release`: my open chats go to the next shift's seats)."""
        row = self.current_row()
        if row is None or self.busy:
            return None
        if row.to_shift_id is None and not row.to_seat_ids:
            self._show_error(self.tr("Choose who takes over: the next shift or named seats"))
            return None
        if release and not self.confirm(self.tr(
                "Send the handover and hand all your open chats to the next shift's seats? "
                "Each chat carries your note.")):
            return None
        self._autosave.stop()
        self.busy = True
        self._update_buttons()
        saving = self._desk.save_handover(row)
        out: Future[int] = Future()
        self._bridge.when_done(saving, lambda f: self._on_saved_to_send(f, release, out))
        return out

    def _on_saved(self, future: Future[int], edits: int) -> None:
        self.busy = False
        error = future.exception()
        if error is not None:
            self._show_error(self.tr("Could not save the draft: {error}").format(error=error))
            return
        self.error.hide()
        saved = self._desk.handover(future.result())
        if saved is not None and edits == self._edits and self.tree.refresh_items(saved.items):
            self._row = saved  # the items have ids now; the tree keeps its place
            self.dirty = False
            self._update_texts()
        elif saved is not None and edits == self._edits:
            self._show(saved)
        elif saved is not None and self._row is not None:
            self._row = replace(self._row, id=saved.id, created_at=saved.created_at)
            self._update_texts()
        self._update_buttons()

    def _on_saved_to_send(self, future: Future[int], release: bool, out: Future[int]) -> None:
        error = future.exception()
        if error is not None:
            self.busy = False
            self._show_error(self.tr("Could not save the handover: {error}").format(error=error))
            self._update_buttons()
            out.set_exception(error)
            return
        handover_id = future.result()
        if self._row is not None and self._row.id != handover_id:
            self._row = replace(self._row, id=handover_id)  # a failed send must not save it twice
        sending = self._desk.send_handover(handover_id, release)
        self._bridge.when_done(sending, lambda f: self._on_sent(f, handover_id, release, out))

    def _on_sent(self, future: Future[int], handover_id: int, release: bool, out: Future[int]) -> None:
        self.busy = False
        error = future.exception()
        if error is not None:
            self._show_error(self.tr("Could not send the handover: {error}").format(error=error))
            self._update_buttons()
            out.set_exception(error)
            return
        moved = future.result()
        text = self.tr("Handover sent")
        if release:
            text = self.tr("Handover sent; {n} chats handed to the next shift").format(n=moved)
        self.status_message.emit(text)
        self._show(self._desk.draft_handover())  # a fresh draft for whatever comes next
        self.sent.emit(handover_id)
        out.set_result(handover_id)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Hand over and release"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # -- slots ------------------------------------------------------------------------------------------
    def _on_edited(self, *_args: object) -> None:
        if self._filling or self._row is None:
            return
        self._edits += 1
        self.dirty = True
        self._update_texts()
        self._update_buttons()
        self._autosave.start()

    def _on_seat_menu_triggered(self, _action: QAction) -> None:
        self._on_edited()
        self._update_texts()

    def _update_buttons(self) -> None:
        ready = self._row is not None and not self.busy
        for w in (self.save_button, self.send_button, self.release_button, self.rebuild_button,
                  self.add_button, self.new_item):
            w.setEnabled(ready)
        selected = bool(self.tree.selected_positions())
        self.remove_button.setEnabled(ready and selected)
        current = self.tree.current_position() is not None
        self.note_button.setEnabled(ready and current)
        self.open_button.setEnabled(current)
        self.exporter.button.setEnabled(self._row is not None)
