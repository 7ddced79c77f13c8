"""The after-sale case dialog (售后登记): register a case for an order, or follow one
through its states with a note at each step. Commands go through the bridge;
their errors are shown in the dialog, never lost."""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import CaseItemRow, CaseKind, CaseRow, CaseState, OrderRow, next_case_states

from .bridge import Bridge
from .case_labels import STATE_COLOR, case_kind_label, case_state_label
from .deskapi import DeskLike
from .formatting import datetime_text, money_text
from .widgets import plain_label

# What buyers most often give; the box stays editable for anything else.
REASONS = (
    QT_TRANSLATE_NOOP("CaseDialog", "Wrong size"),
    QT_TRANSLATE_NOOP("CaseDialog", "Quality problem"),
    QT_TRANSLATE_NOOP("CaseDialog", "Wrong item sent"),
    QT_TRANSLATE_NOOP("CaseDialog", "Missing item"),
    QT_TRANSLATE_NOOP("CaseDialog", "Changed mind (7-day no-reason return)"),
    QT_TRANSLATE_NOOP("CaseDialog", "Damaged in transit"),
)
_RETURNS = (CaseKind.RETURN_REFUND.value, CaseKind.EXCHANGE.value)  # kinds where a parcel comes back


def mnemonic_safe(text: str) -> str:
    """Button and check-box texts treat '&' as a shortcut marker; show it literally."""
    return text.replace("&", "&&")


class StepPrompt(QDialog):
    """Asks for the optional note of one state change (and confirms an early close).
    One per case dialog, re-used for every step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseStepPrompt")
        self.state = ""  # the state the case moves to once accepted
        self.question = plain_label("", self, object_name="stepQuestion", wrap=True)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("stepNote")
        self.note_edit.setPlaceholderText(self.tr("Note for this step (optional)"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, parent=self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # The question wraps: never let the dialog be shorter than its contents.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.question)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def ask(self, state: str, title: str, question: str, confirm: str, note: str = "") -> None:
        """Show it window-modal (no nested event loop) for a move to `state`."""
        self.state = state
        self.setWindowTitle(title)
        self.question.setText(question)
        self.note_edit.setPlainText(note)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(mnemonic_safe(confirm))
        self.note_edit.setFocus()
        self.adjustSize()
        self.open()

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()


class CaseDialog(QDialog):
    case_saved = Signal(int)  # a case was registered or changed (its id)

    # Built by _build_new (for_order) ...
    kind_combo: QComboBox
    items_box: QWidget
    # ... or by _build_existing (for_case).
    state_label: QLabel
    items_list: QLabel
    history: QTreeWidget
    steps_done: QLabel
    save_button: QPushButton  # "Register" or "Save changes"

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None, *,
                 order: OrderRow | None = None, case_id: int | None = None) -> None:
        """Use for_order() or for_case()."""
        super().__init__(parent)
        self.setObjectName("caseDialog")
        self._desk = desk
        self._bridge = bridge
        self.order = order
        self.case_id = case_id
        self.case: CaseRow | None = None
        self.step_prompt: StepPrompt | None = None
        self.step_buttons: dict[str, QPushButton] = {}
        self._busy = False

        self.header = plain_label("", self, object_name="caseHeader", wrap=True, selectable=True)
        self.subheader = plain_label("", self, object_name="caseSubheader", wrap=True, selectable=True)
        self.reason_combo = QComboBox(self)
        self.reason_combo.setObjectName("caseReason")
        self.reason_combo.setEditable(True)
        self.reason_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for source in REASONS:
            self.reason_combo.addItem(QCoreApplication.translate("CaseDialog", source))
        self.reason_combo.addItem(self.tr("Other…"), "other")
        reason_edit = self.reason_combo.lineEdit()
        if reason_edit is not None:
            reason_edit.setPlaceholderText(self.tr("Choose or type a reason"))
        self.reason_combo.setCurrentIndex(-1)
        self.waybill_edit = QLineEdit(self)
        self.waybill_edit.setObjectName("caseWaybill")
        self.waybill_edit.setPlaceholderText(self.tr("The buyer's return tracking number"))
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("caseNote")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 3 + 12)
        self.error_label = plain_label("", self, object_name="caseError", wrap=True, selectable=True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.buttons = QDialogButtonBox(self)
        self.item_checks: list[QCheckBox] = []
        self.item_spins: list[QSpinBox] = []
        self.steps_row = QHBoxLayout()
        self.steps_row.setSpacing(6)
        self.reason_combo.activated.connect(self._on_reason_activated)
        if order is not None:
            self._build_new(order)
        else:
            self._build_existing()
            self._load_case(keep_edits=False)

    @classmethod
    def for_order(cls, desk: DeskLike, bridge: Bridge, order: OrderRow,
                  parent: QWidget | None = None) -> CaseDialog:
        """Register a new case for `order` (Save → desk.open_case)."""
        return cls(desk, bridge, parent, order=order)

    @classmethod
    def for_case(cls, desk: DeskLike, bridge: Bridge, case_id: int,
                 parent: QWidget | None = None) -> CaseDialog:
        """Follow an existing case: its items, history and the next states it allows."""
        return cls(desk, bridge, parent, case_id=case_id)

    # -- new case ------------------------------------------------------------------------
    def _build_new(self, order: OrderRow) -> None:
        self.setWindowTitle(self.tr("Register after-sale · order {number}").format(number=order.platform_order_id))
        self.header.setText(self.tr("Order {number}").format(number=order.platform_order_id))
        parts = [order.shop_name, order.buyer_nick, money_text(order.total, order.currency),
                 datetime_text(order.created_at)]
        self.subheader.setText(" · ".join(p for p in parts if p))
        self.already = plain_label("", self, object_name="caseAlreadyOpen", wrap=True)
        self.already.setStyleSheet("color: #c77700;")
        if order.open_cases:  # a second case for the same parcel is usually a mistake
            self.already.setText(self.tr("This order already has {n} open after-sale case(s).")
                                 .format(n=order.open_cases))
        self.already.setVisible(bool(order.open_cases))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("caseKind")
        for kind in CaseKind:
            self.kind_combo.addItem(case_kind_label(kind.value), kind.value)
        self.items_box = QWidget(self)
        self.items_box.setObjectName("caseItems")
        grid = QGridLayout(self.items_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        for i, item in enumerate(order.items):
            check = QCheckBox(mnemonic_safe(item.title), self.items_box)
            check.setObjectName("caseItemCheck")
            spin = QSpinBox(self.items_box)
            spin.setObjectName("caseItemQuantity")
            spin.setRange(1, max(1, item.quantity))
            spin.setValue(max(1, item.quantity))
            spin.setSuffix(self.tr(" of {n}").format(n=item.quantity))
            spin.setEnabled(False)
            check.toggled.connect(spin.setEnabled)
            check.setChecked(len(order.items) == 1)  # one item: it is the one
            grid.addWidget(check, i, 0)
            grid.addWidget(spin, i, 1)
            self.item_checks.append(check)
            self.item_spins.append(spin)
        grid.setColumnStretch(0, 1)
        if not order.items:
            grid.addWidget(plain_label(self.tr("The platform sent no items for this order."), self.items_box,
                                       object_name="caseNoItems"), 0, 0)
        self.form.addRow(plain_label(self.tr("Type"), self), self.kind_combo)
        self.form.addRow(plain_label(self.tr("Reason"), self), self.reason_combo)
        self.form.addRow(plain_label(self.tr("Items"), self), self.items_box)
        self.form.addRow(plain_label(self.tr("Return waybill"), self), self.waybill_edit)
        self.form.addRow(plain_label(self.tr("Note"), self), self.note_edit)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Register"))
        self.save_button.setObjectName("caseSave")
        self.buttons.accepted.connect(self._on_register_clicked)
        self.buttons.rejected.connect(self.reject)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(CaseKind.RETURN_REFUND.value))
        self._on_kind_changed()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.subheader)
        layout.addWidget(self.already)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.header.setStyleSheet("font-weight: bold;")
        self.subheader.setStyleSheet("color: #7a8089;")
        self.resize(520, self.sizeHint().height())

    def chosen_items(self) -> list[CaseItemRow]:
        assert self.order is not None
        return [CaseItemRow(item.title, spin.value())
                for item, check, spin in zip(self.order.items, self.item_checks, self.item_spins, strict=True)
                if check.isChecked()]

    def _on_kind_changed(self, *_args: object) -> None:
        returns = self.kind_combo.currentData() in _RETURNS
        self.waybill_edit.setEnabled(returns)
        if not returns:
            self.waybill_edit.setPlaceholderText(self.tr("No parcel comes back for this type"))
        else:
            self.waybill_edit.setPlaceholderText(self.tr("The buyer's return tracking number"))

    def _on_register_clicked(self) -> None:
        assert self.order is not None
        reason = self.reason_combo.currentText().strip()
        if not reason:
            self.show_error(self.tr("Choose or type the reason."))
            self.reason_combo.setFocus()
            return
        items = self.chosen_items()
        if self.order.items and not items:
            self.show_error(self.tr("Tick the items the case is about."))
            return
        kind = self.kind_combo.currentData()
        waybill = self.waybill_edit.text().strip() if kind in _RETURNS else ""
        self._set_busy(True)
        future = self._desk.open_case(self.order.id, kind, reason, items, waybill,
                                      self.note_edit.toPlainText().strip())
        self._bridge.when_done(future, self._on_case_opened)

    def _on_case_opened(self, future: Future[int]) -> None:
        self._set_busy(False)
        error = future.exception()
        if error is not None:
            self.show_error(self.tr("The case was not registered: {error}").format(error=error))
            return
        self.case_id = future.result()
        self.case_saved.emit(self.case_id)
        self.accept()

    # -- existing case -----------------------------------------------------------------
    def _build_existing(self) -> None:
        self.setWindowTitle(self.tr("After-sale case"))
        self.header.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.subheader.setStyleSheet("color: #7a8089;")
        self.state_label = plain_label("", self, object_name="caseState")
        self.items_list = plain_label("", self, object_name="caseItemsText", wrap=True, selectable=True)
        self.form.addRow(plain_label(self.tr("Items"), self), self.items_list)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("caseSave")
        self.form.addRow(plain_label(self.tr("Reason"), self), self.reason_combo)
        self.form.addRow(plain_label(self.tr("Return waybill"), self), self.waybill_edit)
        self.form.addRow(plain_label(self.tr("Note"), self), self.note_edit)
        self.save_button.setText(self.tr("Save changes"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._on_save_clicked)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)

        self.history = QTreeWidget(self)
        self.history.setObjectName("caseHistory")
        self.history.setRootIsDecorated(False)
        self.history.setUniformRowHeights(True)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("Change"), self.tr("Note")])
        self.history.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.header().setStretchLastSection(True)
        self.history.setMinimumHeight(120)

        steps = QFrame(self)
        steps.setObjectName("caseSteps")
        steps_layout = QHBoxLayout(steps)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        steps_layout.addWidget(plain_label(self.tr("Next step:"), steps, object_name="caseStepsTitle"))
        steps_layout.addLayout(self.steps_row)
        # One button per state, shown as the flow allows: no widget churn on every step.
        self._step_pool: dict[str, QPushButton] = {}
        for state in CaseState:
            if state is CaseState.OPEN:
                continue
            button = QPushButton(steps)
            button.setObjectName("caseStep")
            button.setProperty("state", state.value)
            button.clicked.connect(lambda _=False, s=state.value: self.ask_step(s))
            button.hide()
            self.steps_row.addWidget(button)
            self._step_pool[state.value] = button
        self.steps_done = plain_label(self.tr("Closed — nothing more to do."), steps, object_name="caseStepsDone")
        self.steps_done.hide()
        self.steps_row.addWidget(self.steps_done)
        steps_layout.addStretch(1)

        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        for edit_signal in (self.reason_combo.editTextChanged, self.waybill_edit.textChanged,
                            self.note_edit.textChanged):
            edit_signal.connect(self._on_edited)

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.subheader)
        layout.addLayout(self.form)
        layout.addLayout(save_row)
        layout.addWidget(plain_label(self.tr("History"), self, object_name="caseHistoryTitle"))
        layout.addWidget(self.history, 1)
        layout.addWidget(steps)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(640, 560)

    def _load_case(self, *, keep_edits: bool) -> None:
        """Show the stored case; unsaved edits survive unless `keep_edits` is False."""
        assert self.case_id is not None
        case = self._desk.case(self.case_id)
        dirty = keep_edits and self._dirty()
        self.case = case
        if case is None:
            self.header.setText(self.tr("After-sale case {id}").format(id=self.case_id))
            self.show_error(self.tr("This case no longer exists."))
            self._rebuild_steps(())
            for w in (self.reason_combo, self.waybill_edit, self.note_edit, self.save_button):
                w.setEnabled(False)
            return
        self.setWindowTitle(self.tr("After-sale case · order {number}").format(number=case.platform_order_id))
        self.header.setText(self.tr("{kind} · order {number}").format(
            kind=case_kind_label(case.kind), number=case.platform_order_id))
        self.state_label.setText(case_state_label(case.state, case.kind))
        color = STATE_COLOR.get(case.state, "#5f6670")
        self.state_label.setStyleSheet(f"color: {color}; border: 1px solid {color}; border-radius: 4px;"
                                       " padding: 1px 8px; font-weight: bold;")
        self.subheader.setText(self.tr("{shop} · {buyer} · registered by {author} at {when}").format(
            shop=case.shop_name, buyer=case.buyer_nick, author=case.author, when=datetime_text(case.created_at)))
        self.items_list.setText("\n".join(f"{i.title} × {i.quantity}" for i in case.items) or "—")
        if not dirty:
            for w in (self.reason_combo, self.waybill_edit, self.note_edit):
                w.blockSignals(True)
            self.reason_combo.setEditText(case.reason)
            self.waybill_edit.setText(case.return_waybill)
            self.note_edit.setPlainText(case.note)
            for w in (self.reason_combo, self.waybill_edit, self.note_edit):
                w.blockSignals(False)
        closed = case.state == "closed"
        for w in (self.reason_combo, self.waybill_edit, self.note_edit):
            w.setEnabled(not closed)
        self._fill_history(case)
        self._rebuild_steps(next_case_states(case.kind, case.state))
        self._on_edited()

    def _fill_history(self, case: CaseRow) -> None:
        self.history.clear()
        for event in case.history:
            if event.from_state:
                change = (f"{case_state_label(event.from_state, case.kind)} → "
                          f"{case_state_label(event.to_state, case.kind)}")
            else:
                opened = case_state_label(event.to_state, case.kind)
                change = self.tr("Registered ({state})").format(state=opened)
            item = QTreeWidgetItem([datetime_text(event.at), event.author, change, event.note])
            item.setToolTip(3, "")
            self.history.addTopLevelItem(item)

    def _rebuild_steps(self, states: tuple[str, ...]) -> None:
        """Show the buttons of exactly the states the case may move to."""
        self.step_buttons = {}
        kind = self.case.kind if self.case is not None else None
        for state, button in self._step_pool.items():
            button.setVisible(state in states)
            if state in states:
                text = (self.tr("Close case") if state == "closed"
                        else self.tr("Mark as {state}").format(state=case_state_label(state, kind)))
                button.setText(mnemonic_safe(text))
                button.setEnabled(not self._busy)
                self.step_buttons[state] = button
        self.steps_done.setVisible(not states and self.case is not None)

    def _dirty(self) -> bool:
        case = self.case
        if case is None:
            return False
        return (self.reason_combo.currentText().strip() != case.reason
                or self.waybill_edit.text().strip() != case.return_waybill
                or self.note_edit.toPlainText().strip() != case.note)

    def _changes(self) -> dict[str, str]:
        """The edited fields, as update_case keywords."""
        case = self.case
        assert case is not None
        out = {}
        if self.reason_combo.currentText().strip() != case.reason:
            out["reason"] = self.reason_combo.currentText().strip()
        if self.waybill_edit.text().strip() != case.return_waybill:
            out["return_waybill"] = self.waybill_edit.text().strip()
        if self.note_edit.toPlainText().strip() != case.note:
            out["note"] = self.note_edit.toPlainText().strip()
        return out

    def ask_step(self, state: str) -> StepPrompt | None:
        """Open the note prompt for moving the case to `state` (window-modal, no
        nested event loop); accepting it sends the change."""
        case = self.case
        if case is None or self._busy:
            return None
        early = state == "closed" and len(next_case_states(case.kind, case.state)) > 1
        if early:
            title = self.tr("Close case")
            question = self.tr("This case is not finished: it is {state}. Close it anyway? "
                               "Say why in the note.").format(state=case_state_label(case.state, case.kind))
            confirm = self.tr("Close case")
        else:
            title = (self.tr("Close case") if state == "closed"
                     else self.tr("Mark as {state}").format(state=case_state_label(state, case.kind)))
            question = self.tr("Move this case from {old} to {new}.").format(
                old=case_state_label(case.state, case.kind), new=case_state_label(state, case.kind))
            confirm = title
        if self.step_prompt is None:
            self.step_prompt = StepPrompt(self)
            self.step_prompt.accepted.connect(self._on_step_prompt_accepted)
        self.step_prompt.ask(state, title, question, confirm, self._changes().get("note", ""))
        return self.step_prompt

    def _on_step_prompt_accepted(self) -> None:
        assert self.step_prompt is not None
        self._send_step(self.step_prompt.state, self.step_prompt.note())

    def _send_step(self, state: str, note: str) -> None:
        assert self.case_id is not None
        edits = self._changes()  # a waybill typed before "received" goes with the step
        self._set_busy(True)
        # The step's note is recorded with it and becomes the case's latest note.
        future = self._desk.update_case(self.case_id, state=state, note=note or None,
                                        return_waybill=edits.get("return_waybill"), reason=edits.get("reason"))
        self._bridge.when_done(future, self._on_case_updated)

    def _on_save_clicked(self) -> None:
        changes = self._changes() if self.case is not None else {}
        if not changes or self.case_id is None:
            return
        self._set_busy(True)
        future = self._desk.update_case(self.case_id, note=changes.get("note"),
                                        return_waybill=changes.get("return_waybill"), reason=changes.get("reason"))
        self._bridge.when_done(future, self._on_case_updated)

    def _on_case_updated(self, future: Future[int]) -> None:
        self._set_busy(False)
        error = future.exception()
        if isinstance(error, ValueError):
            # Most likely another seat moved the case first: show why, then the truth.
            self._load_case(keep_edits=False)
            self.show_error(self.tr("Not changed: {error}. Another seat may have changed this case "
                                    "first; it now shows what is stored.").format(error=error))
            return
        if error is not None:
            self.show_error(self.tr("Not saved: {error}").format(error=error))
            return
        self.show_error("")
        self._load_case(keep_edits=False)
        assert self.case_id is not None
        self.case_saved.emit(self.case_id)

    def _on_edited(self, *_args: object) -> None:
        if self.order is None:
            self.save_button.setEnabled(not self._busy and self._dirty())

    def show_case(self, case_id: int) -> None:
        """Switch a for_case() dialog to another case (the cases tab re-uses one dialog)."""
        assert self.order is None
        if self.step_prompt is not None:
            self.step_prompt.reject()
        self.case_id = case_id
        self.case = None
        self.show_error("")
        self._load_case(keep_edits=False)

    def refresh(self) -> None:
        """The case may have changed elsewhere (a change notice): show it, keeping edits."""
        if self.case_id is not None and self.order is None and not self._busy:
            self._load_case(keep_edits=True)

    # -- shared ------------------------------------------------------------------------
    def _on_reason_activated(self, index: int) -> None:
        if self.reason_combo.itemData(index) == "other":
            self.reason_combo.setEditText("")
            self.reason_combo.setFocus()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in self.step_buttons.values():
            button.setEnabled(not busy)
        if self.order is not None:
            self.save_button.setEnabled(not busy)
        else:
            self._on_edited()
