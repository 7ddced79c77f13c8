"""The remark dialog: an order remark (备注) with the platform's own flag palette, the
memo exactly as the warehouse will read it, and the order's remark history."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, OrderRow, RemarkRow

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import datetime_text, order_status_label
from .icons import flag_hex, flag_icon
from .widgets import Dot, FlagGlyph, plain_label, plain_tooltip

if TYPE_CHECKING:
    from desktop.sdk import FlagOption, PlatformInfo

log = logging.getLogger("seatdesk.ui")

_PER_ROW = 7  # flag buttons per palette row

# Local to the dialog so it looks right wherever it is opened from.
_STYLE = """
#remarkHeader { background: #ffffff; border: 1px solid #e3e6ea; border-radius: 6px; }
#remarkShop { font-weight: bold; color: #1f2329; }
#remarkOrderId, #remarkCurrent, #fieldHint, #remarkMeta { color: #7a8089; }
#remarkStatus { border-radius: 4px; padding: 1px 6px; font-weight: bold; }
#warehouseWarning, #pluginMissing {
    background: #fdecea; color: #b3261e; border: 1px solid #f6c7c2; border-radius: 6px; padding: 7px 10px;
}
#pluginMissing { background: #fff4e5; color: #8a4b00; border-color: #f5d3a3; }
#flagHint { color: #8a4b00; }
#remarkScroll, #remarkScroll > #qt_scrollarea_viewport, #remarkHistory { background: transparent; }
QToolButton#flagButton {
    background: #ffffff; border: 1px solid #d9dde2; border-radius: 5px; padding: 3px 8px 3px 6px;
}
QToolButton#flagButton:hover { background: #f4f6f9; }
QToolButton#flagButton:checked { background: #e6effc; border: 2px solid #1f6fd1; font-weight: bold; }
QToolButton#flagButton:focus { border-style: dashed; }
#remarkText { background: #ffffff; border: 1px solid #d9dde2; border-radius: 6px; padding: 3px 5px; }
#remarkText:focus { border-color: #1f6fd1; }
#memoPreview { background: #fff8f0; border: 1px solid #f5dcc0; border-radius: 6px; padding: 6px 8px; color: #1f2329; }
#memoPreview[empty="true"] { color: #a3a8b0; }
#memoCounter { color: #7a8089; }
#memoCounter[over="true"], #limitMessage, #remarkError, #remarkErrorText { color: #c62828; }
#remarkEntry { background: #ffffff; border: 1px solid #e3e6ea; border-radius: 6px; }
#remarkEntry[state="failed"] { border-color: #f0a8a2; }
#remarkState { border-radius: 4px; padding: 0 5px; }
#remarkState[state="pending"] { color: #c77700; background: #fff4e5; }
#remarkState[state="synced"] { color: #2e7d32; background: #e8f5e9; }
#remarkState[state="failed"] { color: #c62828; background: #fdecea; }
#remarkState[state="platform"] { color: #5f6670; background: #eceef1; }
#remarkEntryText { color: #1f2329; }
#historyEmpty { color: #a3a8b0; padding: 8px; }
#sectionTitle { font-weight: bold; color: #1f2329; }
#remarkSave { background: #1f6fd1; color: #ffffff; border: none; border-radius: 5px; padding: 5px 18px; font-weight: bold; }
#remarkSave:disabled { background: #a9c4ea; }
#remarkRetry { color: #1f6fd1; background: transparent; border: 1px solid #b8cff0; border-radius: 4px; padding: 1px 8px; }
"""


@dataclass(frozen=True, slots=True)
class MemoUsage:
    """How much of the platform's memo limit a memo uses, in the unit it counts."""

    used: int
    limit: int | None  # None: the platform declares no limit (or is not loaded)
    unit: str  # "chars" | "bytes" (UTF-8)

    @property
    def over(self) -> int:
        return max(0, self.used - self.limit) if self.limit is not None else 0


def memo_usage(info: PlatformInfo | None, memo: str) -> MemoUsage:
    """The tighter of the platform's limits (it may declare characters, bytes or both)."""
    chars = MemoUsage(len(memo), info.memo_max_chars if info else None, "chars")
    if info is None or info.memo_max_bytes is None:
        return chars
    size = MemoUsage(len(memo.encode("utf-8")), info.memo_max_bytes, "bytes")
    if chars.limit is None:
        return size
    return max(chars, size, key=lambda u: u.used / max(1, u.limit or 1))


class FlagPalette(QWidget):
    """The platform's flags as exclusive toggle buttons, "no flag" first.

    With a button focused: 0 = no flag, 1…9 = the n-th flag, arrow keys step.
    """

    flag_chosen = Signal(object)  # int | None: the agent picked a flag

    def __init__(self, options: Sequence[FlagOption], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flagPalette")
        self._values: list[int | None] = [None, *(o.value for o in options)]
        entries: list[tuple[str, str | None]] = [(self.tr("No flag"), None)]
        entries += [(o.label, o.color.value) for o in options]
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.buttons: list[QToolButton] = []
        for i, (label, color) in enumerate(entries):
            button = QToolButton(self)
            button.setObjectName("flagButton")
            button.setCheckable(True)
            button.setText(label.replace("&", "&&"))  # a platform label is text, not a mnemonic
            button.setIcon(flag_icon(color))
            button.setIconSize(QSize(14, 16))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            tip = self.tr("{flag} (key {key})").format(flag=label, key=i) if i < 10 else label
            button.setToolTip(plain_tooltip(tip))
            button.setProperty("flagColor", flag_hex(color) if color else "")
            button.installEventFilter(self)
            self._group.addButton(button, i)
            grid.addWidget(button, i // _PER_ROW, i % _PER_ROW)
            self.buttons.append(button)
        grid.setColumnStretch(min(len(entries), _PER_ROW), 1)
        self._group.idClicked.connect(self._on_group_id_clicked)
        self._group.buttonToggled.connect(self._on_group_button_toggled)
        self._on_group_button_toggled(None, True)

    def value(self) -> int | None:
        index = self._group.checkedId()
        return self._values[index] if index >= 0 else None

    def set_value(self, value: int | None) -> None:
        """Select without emitting flag_chosen (the agent did not pick it)."""
        if value in self._values:
            self.buttons[self._values.index(value)].setChecked(True)

    def button_for(self, value: int | None) -> QToolButton:
        return self.buttons[self._values.index(value)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            index = self._key_index(event)
            if index is not None:
                if 0 <= index < len(self.buttons):
                    self._pick(index)
                return True
        return super().eventFilter(watched, event)

    def _key_index(self, event: QKeyEvent) -> int | None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods != Qt.KeyboardModifier.NoModifier:
            return None
        digit = key - Qt.Key.Key_0.value
        if 0 <= digit <= 9:
            return digit
        current = max(0, self._group.checkedId())
        if key in (Qt.Key.Key_Left.value, Qt.Key.Key_Up.value):
            return (current - 1) % len(self.buttons)
        if key in (Qt.Key.Key_Right.value, Qt.Key.Key_Down.value):
            return (current + 1) % len(self.buttons)
        return None

    def _pick(self, index: int) -> None:
        button = self.buttons[index]
        button.setChecked(True)
        button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.flag_chosen.emit(self._values[index])

    def _on_group_id_clicked(self, index: int) -> None:
        self.flag_chosen.emit(self._values[index])

    def _on_group_button_toggled(self, _button: object, checked: bool) -> None:
        # Like a radio group: Tab (and the label's Alt+F) reaches only the chosen flag;
        # digits and arrows move between them.
        if not checked:
            return
        chosen = self._group.checkedButton() or self.buttons[0]
        for button in self.buttons:
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if button is chosen else Qt.FocusPolicy.ClickFocus)
        self.setFocusProxy(chosen)


class RemarkEntry(QFrame):
    """One remark of the history: flag, text, author and time, sync state, retry."""

    retry_requested = Signal(int)  # outbox id

    def __init__(self, remark: RemarkRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remarkEntry")
        self.setProperty("state", remark.state)
        self.remark = remark
        states = {
            "pending": self.tr("◷ Waiting to sync"),
            "synced": self.tr("✓ Synced"),
            "failed": self.tr("⚠ Sync failed"),
            "platform": self.tr("Changed on the platform"),
        }
        col = QVBoxLayout(self)
        col.setContentsMargins(10, 7, 10, 7)
        col.setSpacing(3)
        top = QHBoxLayout()
        top.setSpacing(6)
        if remark.flag_color not in ("", "none"):
            top.addWidget(FlagGlyph(flag_hex(remark.flag_color), self))
            top.addWidget(plain_label(remark.flag_label, self, object_name="flagLabel"))
        else:
            top.addWidget(plain_label(self.tr("No flag"), self, object_name="remarkMeta"))
        author = remark.author or (self.tr("Platform") if remark.source == "platform" else "—")
        self.meta_label = plain_label(f"{author} · {datetime_text(remark.created_at)}", self,
                                      object_name="remarkMeta")
        top.addWidget(self.meta_label)
        top.addStretch(1)
        self.state_label = plain_label(states.get(remark.state, remark.state), self, object_name="remarkState")
        self.state_label.setProperty("state", remark.state)
        top.addWidget(self.state_label)
        col.addLayout(top)
        self.text_label = plain_label(remark.text or remark.memo, self, object_name="remarkEntryText",
                                      selectable=True, wrap=True)
        if remark.memo and remark.memo != remark.text:
            self.text_label.setToolTip(plain_tooltip(self.tr("Pushed as: {memo}").format(memo=remark.memo)))
        col.addWidget(self.text_label)
        self.error_label: QLabel | None = None
        self.retry_button: QPushButton | None = None
        if remark.state == "failed":
            row = QHBoxLayout()
            self.error_label = plain_label(remark.error or self.tr("The platform gave no reason"), self,
                                           object_name="remarkErrorText", selectable=True, wrap=True)
            row.addWidget(self.error_label, 1)
            if remark.outbox_id is not None:
                self.retry_button = QPushButton(self.tr("Retry"), self)
                self.retry_button.setObjectName("remarkRetry")
                self.retry_button.setAutoDefault(False)
                self.retry_button.setToolTip(self.tr("Push this memo to the platform again"))
                outbox_id = remark.outbox_id
                self.retry_button.clicked.connect(lambda: self._on_retry_clicked(outbox_id))
                row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
            col.addLayout(row)

    def _on_retry_clicked(self, outbox_id: int) -> None:
        if self.retry_button is not None:
            self.retry_button.setEnabled(False)
            self.retry_button.setText(self.tr("Retrying…"))
        self.retry_requested.emit(outbox_id)


class RemarkDialog(QDialog):
    """Write a remark on one order. Save (Ctrl+Enter) closes only once the desk kept it;
    an error stays in the dialog with the text, so nothing typed is lost."""

    remark_saved = Signal(int)  # the new remark's id

    def __init__(self, desk: DeskLike, bridge: Bridge, order: OrderRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remarkDialog")
        self.setStyleSheet(_STYLE)
        self.setWindowTitle(self.tr("Remark · order {id}").format(id=order.platform_order_id))
        self._desk = desk
        self._bridge = bridge
        self.order = order
        self.info: PlatformInfo | None = desk.platform_info(order.platform) if order.platform else None
        self._saving = False
        self.entries: list[RemarkEntry] = []

        col = QVBoxLayout(self)
        col.setContentsMargins(16, 14, 16, 14)
        col.setSpacing(8)
        col.addWidget(self._build_header())
        self.warning_label = plain_label("", self, object_name="warehouseWarning", wrap=True)
        col.addWidget(self.warning_label)
        self._show_order()
        col.addLayout(self._build_flags())
        col.addLayout(self._build_editor())
        col.addLayout(self._build_history(), 1)
        col.addLayout(self._build_buttons())

        self.flag_palette.flag_chosen.connect(self._on_palette_flag_chosen)
        self.text_edit.textChanged.connect(self._update)
        self.text_edit.installEventFilter(self)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)
        bridge.notice_arrived.connect(self.apply_notice)
        self.reload_history()
        self._update()
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        layout = self.layout()
        self.resize(620, min(760, max(520, layout.totalHeightForWidth(620) if layout else 0)))
        self._fit()

    # -- building --------------------------------------------------------------------------
    def _build_header(self) -> QFrame:
        order = self.order
        header = QFrame(self)
        header.setObjectName("remarkHeader")
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(Dot(order.shop_color or "#607d8b", 9, header), 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(plain_label(order.shop_name or "—", header, object_name="remarkShop"))
        top.addWidget(plain_label(self.tr("Order {id}").format(id=order.platform_order_id), header,
                                  object_name="remarkOrderId", selectable=True))
        top.addStretch(1)
        self.status_label = plain_label("", header, object_name="remarkStatus")
        self.status_label.setStyleSheet("color: #5f6670; border: 1px solid #c4c8ce;")
        top.addWidget(self.status_label)
        box = QVBoxLayout(header)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(4)
        box.addLayout(top)
        current = QHBoxLayout()
        current.setSpacing(6)
        current.addWidget(plain_label(self.tr("On the platform now:"), header, object_name="remarkCurrent"),
                          0, Qt.AlignmentFlag.AlignTop)
        self.current_flag = plain_label("", header, object_name="currentFlag")  # shows a pennant pixmap
        self.current_flag_label = plain_label("", header, object_name="flagLabel")
        current.addWidget(self.current_flag, 0, Qt.AlignmentFlag.AlignTop)
        current.addWidget(self.current_flag_label, 0, Qt.AlignmentFlag.AlignTop)
        self.current_memo_label = plain_label("", header, object_name="remarkCurrent", selectable=True, wrap=True)
        current.addWidget(self.current_memo_label, 1)
        box.addLayout(current)
        return header

    def _build_flags(self) -> QVBoxLayout:
        options = self.info.flags if self.info is not None else ()
        section = QVBoxLayout()
        section.setSpacing(5)
        self.plugin_label = plain_label(
            self.tr("The {platform} plugin is not loaded, so its flags and memo limit are unknown: "
                    "the remark can be saved without a flag only.").format(platform=self.order.platform or "?"),
            self, object_name="pluginMissing", wrap=True)
        self.plugin_label.setVisible(self.info is None)
        section.addWidget(self.plugin_label)
        title = plain_label(self.tr("&Flag"), self, object_name="sectionTitle")
        self.flag_palette = FlagPalette(options, self)
        keys = plain_label(self.tr("With a flag focused: keys 0–{last} or arrows choose").format(
            last=min(9, len(self.flag_palette.buttons) - 1)), self, object_name="fieldHint")
        keys.setVisible(len(self.flag_palette.buttons) > 1)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(keys)
        section.addLayout(head)
        section.addWidget(self.flag_palette)
        value, red = self._initial_flag(options)
        self.flag_palette.set_value(value)
        title.setBuddy(self.flag_palette)  # its focus proxy: the chosen flag
        self.flag_hint = plain_label("", self, object_name="flagHint", wrap=True)
        if red is not None:
            self.flag_hint.setText(self.tr(
                "{flag} preselected: the team's sign for \u201cchanged, read the memo\u201d. "
                "Pick another flag if this change needs none.").format(flag=red.label))
        self.flag_hint.setVisible(red is not None)
        section.addWidget(self.flag_hint)
        return section

    def _build_editor(self) -> QVBoxLayout:
        section = QVBoxLayout()
        section.setSpacing(5)
        title = plain_label(self.tr("&Remark"), self, object_name="sectionTitle")
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("remarkText")
        self.text_edit.setPlaceholderText(self.tr("What changed, e.g. buyer asks to ship to a new address: …"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.text_edit.fontMetrics().lineSpacing() * 4 + 16)
        title.setBuddy(self.text_edit)
        section.addWidget(title)
        section.addWidget(self.text_edit)
        head = QHBoxLayout()
        head.addWidget(plain_label(self.tr("The memo as the warehouse will read it"), self,
                                   object_name="fieldHint"))
        head.addStretch(1)
        self.counter_label = plain_label("", self, object_name="memoCounter")
        head.addWidget(self.counter_label)
        section.addLayout(head)
        self.preview_label = plain_label("", self, object_name="memoPreview", selectable=True, wrap=True)
        section.addWidget(self.preview_label)
        self.limit_label = plain_label("", self, object_name="limitMessage", wrap=True)
        self.limit_label.hide()
        section.addWidget(self.limit_label)
        self.error_label = plain_label("", self, object_name="remarkError", wrap=True, selectable=True)
        self.error_label.hide()
        section.addWidget(self.error_label)
        return section

    def _build_history(self) -> QVBoxLayout:
        section = QVBoxLayout()
        section.setSpacing(5)
        section.addWidget(plain_label(self.tr("Remark history"), self, object_name="sectionTitle"))
        self._history = QWidget(self)
        self._history.setObjectName("remarkHistory")
        self._history_list = QVBoxLayout(self._history)
        self._history_list.setContentsMargins(0, 0, 4, 0)
        self._history_list.setSpacing(6)
        scroll = QScrollArea(self)
        scroll.setObjectName("remarkScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._history)
        scroll.setMinimumHeight(110)
        self._scroll = scroll
        section.addWidget(scroll, 1)
        return section

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("remarkSave")
        self.save_button.setAutoDefault(False)  # Enter in the palette must not save
        self.save_button.setToolTip(self.tr("Save the remark and push it to the platform (Ctrl+Enter)"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        return row

    def _show_order(self) -> None:
        order = self.order
        self.status_label.setText(order_status_label(order.status))
        flagged = order.flag_color not in ("", "none")
        if flagged:
            self.current_flag.setPixmap(flag_icon(order.flag_color).pixmap(QSize(14, 16)))
        self.current_flag.setVisible(flagged)
        self.current_flag_label.setText(order.flag_label if flagged else "")
        self.current_flag_label.setVisible(flagged)
        self.current_memo_label.setText(order.seller_memo or self.tr("(no memo)"))
        self.warning_label.setText(self._warehouse_warning())
        self.warning_label.setVisible(not order.memo_reaches_warehouse)

    def _initial_flag(self, options: Sequence[FlagOption]) -> tuple[int | None, FlagOption | None]:
        """The order's flag; red instead of none/grey when the palette has one (a new remark
        means "changed, read me"). → (value, the red option if it was put in)."""
        current = next((o for o in options if o.value == self.order.flag_value), None)
        if current is not None and current.color.value not in ("none", "gray"):
            return current.value, None
        red = next((o for o in options if o.color.value == "red"), None)
        if red is not None:
            return red.value, red
        return (current.value if current is not None else None), None

    def _warehouse_warning(self) -> str:
        order = self.order
        if order.status in ("shipped", "completed"):
            return self.tr("⚠ This order has shipped: a changed remark reaches nobody in the warehouse. "
                           "Ask the courier to intercept the parcel, or register an after-sale case.")
        if order.warehouse == "packed":
            return self.tr("⚠ This order is packed: the warehouse may not see a changed remark. Tell the "
                           "warehouse in person or by phone to pull the parcel and its waybill.")
        return self.tr("⚠ The waybill of this order is printed: the warehouse may not see a changed "
                       "remark. Tell the warehouse in person or by phone to take the waybill back.")

    # -- reads -------------------------------------------------------------------------------
    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def selected_flag(self) -> int | None:
        return self.flag_palette.value()

    def can_save(self) -> bool:
        return bool(self.text()) and not self._over_limit() and not self._saving

    # -- commands ----------------------------------------------------------------------------
    def select_flag(self, value: int | None) -> None:
        self.flag_palette.set_value(value)
        self.flag_hint.hide()

    def save(self) -> None:
        if not self.can_save():
            return
        self._saving = True
        self.error_label.hide()
        self.save_button.setText(self.tr("Saving…"))
        self._update()
        future = self._desk.add_remark(self.order.id, self.text(), self.flag_palette.value())
        self._bridge.when_done(future, self._on_saved)

    def reload_history(self) -> None:
        while self._history_list.count():
            item = self._history_list.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        remarks = self._desk.remarks(self.order.id)
        self.entries = [RemarkEntry(r, self._history) for r in remarks]
        for entry in self.entries:
            entry.retry_requested.connect(self.retry)
            self._history_list.addWidget(entry)
        if not remarks:
            self._history_list.addWidget(plain_label(self.tr("No remarks on this order yet"), self._history,
                                                     object_name="historyEmpty"))
        self._history_list.addStretch(1)

    def retry(self, outbox_id: int) -> None:
        self._bridge.when_done(self._desk.retry_outbox(outbox_id), self._on_retried)

    def apply_notice(self, notice: ChangeNotice) -> None:
        """The order's remarks, memo or warehouse stage changed (the waybill may have been
        printed while the agent types: the warning must show then)."""
        if self.order.id in notice.order_ids:
            fresh = self._desk.order(self.order.id)
            if fresh is not None:
                self.order = fresh
                self._show_order()
                self._fit()
            self.reload_history()

    # -- internals -----------------------------------------------------------------------------
    def _over_limit(self) -> bool:
        text = self.text()
        return bool(text) and self.info is not None and self.info.memo_problem(self._desk.compose_memo(text)) is not None

    def _update(self) -> None:
        text = self.text()
        memo = self._desk.compose_memo(text) if text else ""
        self.preview_label.setText(memo or self.tr("Your text, then your name and the time"))
        self._set_property(self.preview_label, "empty", not memo)
        usage = memo_usage(self.info, memo)
        over = bool(memo) and self.info is not None and self.info.memo_problem(memo) is not None
        self.counter_label.setText(self._counter_text(usage))
        self._set_property(self.counter_label, "over", over)
        if over:
            self.limit_label.setText(self._limit_text(usage))
        self.limit_label.setVisible(over)
        self.save_button.setEnabled(bool(text) and not over and not self._saving)
        self._fit()

    def _counter_text(self, usage: MemoUsage) -> str:
        if usage.limit is None:
            return self.tr("{used} characters").format(used=usage.used)
        if usage.unit == "bytes":
            return self.tr("Used {used}/{limit} bytes").format(used=usage.used, limit=usage.limit)
        return self.tr("Used {used}/{limit} characters").format(used=usage.used, limit=usage.limit)

    def _limit_text(self, usage: MemoUsage) -> str:
        platform = self.info.display_name if self.info is not None else self.order.platform
        if usage.unit == "bytes":
            return self.tr("Too long for {platform}: {over} bytes over its limit of {limit} (UTF-8; a "
                           "Chinese character counts 3, your name and the time count too). Shorten it "
                           "to save.").format(platform=platform, over=usage.over, limit=usage.limit)
        if usage.over:
            return self.tr("Too long for {platform}: {over} characters over its limit of {limit} (your "
                           "name and the time count too). Shorten it to save.").format(
                               platform=platform, over=usage.over, limit=usage.limit)
        return self.tr("{platform} would refuse this memo. Shorten it to save.").format(platform=platform)

    def _fit(self) -> None:
        """Keep the window tall enough that nothing overlaps: Qt sizes a top-level window
        without height-for-width, so wrapped labels (the warning, the limit message) would
        be squeezed over their neighbours. The history scrolls; everything else shows."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        full = layout.totalHeightForWidth(self.width())
        self.setMinimumHeight(full - self._scroll.sizeHint().height() + self._scroll.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    @staticmethod
    def _set_property(widget: QWidget, name: str, value: bool) -> None:
        if widget.property(name) != value:
            widget.setProperty(name, value)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window shortcut covers Ctrl+Enter everywhere; this catches it in the editor
        # when the shortcut map does not run (a dialog that is not the active window).
        if watched is self.text_edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            enter = event.key() in (Qt.Key.Key_Return.value, Qt.Key.Key_Enter.value)
            if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.save()
                return True
        return super().eventFilter(watched, event)

    def _on_palette_flag_chosen(self, _value: object) -> None:
        self.flag_hint.hide()  # the agent chose: the red-flag note has done its job

    def _on_saved(self, future: Future[int]) -> None:
        self._saving = False
        self.save_button.setText(self.tr("Save"))
        error = future.exception()
        if error is not None:
            self.error_label.setText(self.tr("Could not save the remark: {error}").format(error=error))
            self.error_label.show()
            self._update()  # and _fit() for the error line
            return
        self.remark_saved.emit(future.result())
        self.accept()

    def _on_retried(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            log.warning("remark retry failed: %s", error)
            self.error_label.setText(self.tr("Could not retry: {error}").format(error=error))
            self.error_label.show()
            self._fit()
        self.reload_history()
