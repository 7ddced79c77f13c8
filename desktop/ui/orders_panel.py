"""The right pane: the buyer's orders in this shop, one card each, all plain text."""

from __future__ import annotations

import logging
from concurrent.futures import Future

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, OrderRow, RemarkRow

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import clock_text, datetime_text, money_text, now_ms, order_status_label
from .icons import flag_hex
from .remark_dialog import RemarkDialog
from .widgets import FlagGlyph, plain_label, plain_tooltip

log = logging.getLogger("seatdesk.ui")

# Normalized status → chip colour: what needs the agent's eye stands out.
_STATUS_COLOR = {
    "unpaid": "#c77700",
    "paid": "#1f6fd1",
    "shipped": "#00838f",
    "refunding": "#c62828",
    "completed": "#2e7d32",
    "closed": "#8a9099",
}

# The card's newer parts; set on the pane so they look the same in any window.
_STYLE = """
#stageChip { color: #8a4b00; background: #fff4e5; border: 1px solid #f5d3a3; border-radius: 4px; padding: 0 5px; }
#casesChip { color: #c62828; background: #fdecea; border-radius: 4px; padding: 0 5px; }
#remarkSync { color: #7a8089; }
#remarkSync[state="pending"] { color: #c77700; }
#remarkSync[state="synced"] { color: #2e7d32; }
#remarkSync[state="failed"] { color: #c62828; }
QPushButton#cardButton, QPushButton#cardRetry {
    background: #ffffff; color: #1f6fd1; border: 1px solid #c9d8ee; border-radius: 4px; padding: 2px 10px;
}
QPushButton#cardButton:hover, QPushButton#cardRetry:hover { background: #eef4fd; }
QPushButton#cardRetry { padding: 1px 8px; }
"""


class ElidedLabel(QLabel):
    """Plain text cut with … to whatever width the layout gives it (down to nothing)."""

    def __init__(self, text: str, parent: QWidget | None = None, *, object_name: str = "") -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setObjectName(object_name)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._full = text
        super().setText(text)

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width()))


class OrderCard(QFrame):
    """One order. Labels are selectable: agents copy order ids and waybills."""

    remark_requested = Signal(int)  # order id
    case_requested = Signal(int)  # order id
    retry_requested = Signal(int)  # outbox id of the latest remark, failed to sync
    cases_requested = Signal(int)  # order id: show its after-sale cases

    def __init__(self, order: OrderRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderCard")
        self.order = order
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 10, 12, 10)
        col.setSpacing(5)

        top = QHBoxLayout()
        top.setSpacing(6)
        self.status_label = plain_label(order_status_label(order.status), self, object_name="orderStatus")
        color = _STATUS_COLOR.get(order.status, "#5f6670")
        self.status_label.setStyleSheet(f"color: {color}; border: 1px solid {color};")
        top.addWidget(self.status_label)
        stages = {"printed": self.tr("Waybill printed"), "packed": self.tr("Packed")}
        self.stage_label: QLabel | None = None
        if order.warehouse in stages and order.status in ("paid", "refunding"):
            self.stage_label = plain_label(stages[order.warehouse], self, object_name="stageChip")
            self.stage_label.setToolTip(self.tr("A changed remark may not reach the warehouse any more"))
            top.addWidget(self.stage_label)
        # A platform's raw status can be long ("WAIT_BUYER_CONFIRM_GOODS/WAIT_SELLER_AGREE"):
        # it takes what room is left, elided, so the amount always stays in view.
        self.raw_status_label = ElidedLabel(order.raw_status, self, object_name="orderRawStatus")
        self.raw_status_label.setToolTip(order.raw_status)
        total = money_text(order.total, order.currency)
        self.total_label = plain_label(total, self, object_name="orderTotal")
        top.addWidget(self.raw_status_label, 1)
        top.addWidget(self.total_label)
        col.addLayout(top)

        col.addWidget(plain_label(self.tr("Order {id}").format(id=order.platform_order_id), self,
                                  object_name="orderId", selectable=True))
        items = QGridLayout()
        items.setHorizontalSpacing(8)
        items.setVerticalSpacing(2)
        for i, item in enumerate(order.items):
            title = plain_label(f"{item.title} × {item.quantity}", self, object_name="orderItem", wrap=True)
            unit = money_text(item.unit_price, order.currency)
            price = plain_label(unit, self, object_name="orderItemPrice")
            items.addWidget(title, i, 0)
            items.addWidget(price, i, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        items.setColumnStretch(0, 1)
        col.addLayout(items)

        facts = QGridLayout()
        facts.setHorizontalSpacing(10)
        facts.setVerticalSpacing(3)
        rows = [
            (self.tr("Placed"), datetime_text(order.created_at)),
            (self.tr("Paid"), datetime_text(order.paid_at)),
            (self.tr("Receiver"), order.receiver_masked or "—"),
            (self.tr("Shipping"), " ".join(p for p in (order.courier, order.waybill) if p) or "—"),
        ]
        self.fact_labels: dict[str, str] = {}
        for i, (name, value) in enumerate(rows):
            facts.addWidget(plain_label(name, self, object_name="factName"), i, 0, Qt.AlignmentFlag.AlignTop)
            shown = plain_label(value, self, object_name="factValue", selectable=True, wrap=True)
            facts.addWidget(shown, i, 1)
            self.fact_labels[name] = value
        facts.setColumnStretch(1, 1)
        col.addLayout(facts)

        self.flag_glyph: FlagGlyph | None = None
        self.memo_label: QLabel | None = None
        self.remark_state_label: QLabel | None = None
        self.remark_retry_button: QPushButton | None = None
        latest = order.latest_remark
        if order.seller_memo or order.flag_color not in ("", "none") or latest is not None:
            col.addWidget(self._build_memo_box(order, latest))
        col.addLayout(self._build_actions(order))

    def _build_memo_box(self, order: OrderRow, latest: RemarkRow | None) -> QFrame:
        # Until the platform took the latest remark, show it (what the warehouse *will*
        # read once it syncs) with its state, rather than the older platform memo.
        if latest is not None and latest.state in ("pending", "failed"):
            memo_text, flag_color, flag_label = latest.memo, latest.flag_color, latest.flag_label
        else:
            memo_text = order.seller_memo or (latest.memo if latest is not None else "")
            flag_color, flag_label = order.flag_color, order.flag_label
        memo = QFrame(self)
        memo.setObjectName("memoBox")
        box = QVBoxLayout(memo)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(4)
        line = QHBoxLayout()
        line.setSpacing(6)
        if flag_color not in ("", "none"):
            self.flag_glyph = FlagGlyph(flag_hex(flag_color), memo)
            line.addWidget(self.flag_glyph, 0, Qt.AlignmentFlag.AlignTop)
            label = plain_label(flag_label, memo, object_name="flagLabel")
            line.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
        self.memo_label = plain_label(memo_text or self.tr("(no memo)"), memo, object_name="memoText", selectable=True, wrap=True)
        line.addWidget(self.memo_label, 1)
        box.addLayout(line)
        if latest is not None:
            box.addLayout(self._build_sync_line(latest, memo))
        return memo

    def _build_sync_line(self, latest: RemarkRow, parent: QWidget) -> QHBoxLayout:
        when = clock_text(latest.created_at, now_ms())
        who = f"{latest.author} {when}" if latest.author else when
        if latest.state == "pending":
            state = self.tr("◷ Not on the platform yet · {who}").format(who=who)
        elif latest.state == "synced":
            state = self.tr("✓ Synced · {who}").format(who=who)
        elif latest.state == "failed":
            state = self.tr("⚠ Sync failed: {error}").format(error=latest.error or "—")
        elif latest.state == "platform":
            state = self.tr("Changed on the platform · {when}").format(when=when)
        else:
            state = latest.state
        row = QHBoxLayout()
        row.setSpacing(6)
        self.remark_state_label = plain_label(state, parent, object_name="remarkSync", selectable=True,
                                              wrap=True)
        self.remark_state_label.setProperty("state", latest.state)
        row.addWidget(self.remark_state_label, 1)
        if latest.state == "failed" and latest.outbox_id is not None:
            self.remark_retry_button = QPushButton(self.tr("Retry"), parent)
            self.remark_retry_button.setObjectName("cardRetry")
            self.remark_retry_button.setToolTip(self.tr("Push the memo to the platform again"))
            outbox_id = latest.outbox_id
            self.remark_retry_button.clicked.connect(lambda: self._on_retry_clicked(outbox_id))
            row.addWidget(self.remark_retry_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _build_actions(self, order: OrderRow) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.cases_label: QPushButton | None = None
        if order.open_cases:  # a chip that opens the order's case
            self.cases_label = QPushButton(self.tr("{n} after-sale open").format(n=order.open_cases), self)
            self.cases_label.setObjectName("casesChip")
            self.cases_label.setFlat(True)
            self.cases_label.setCursor(Qt.CursorShape.PointingHandCursor)
            self.cases_label.setToolTip(plain_tooltip(self.tr("Open the after-sale case")))
            self.cases_label.clicked.connect(lambda: self.cases_requested.emit(self.order.id))
            row.addWidget(self.cases_label)
        row.addStretch(1)
        self.case_button = QPushButton(self.tr("After-sale"), self)
        self.case_button.setObjectName("cardButton")
        self.case_button.setToolTip(plain_tooltip(self.tr("Register a refund, return, exchange or resend")))
        self.case_button.clicked.connect(lambda: self.case_requested.emit(self.order.id))
        self.remark_button = QPushButton(self.tr("Remark"), self)
        self.remark_button.setObjectName("cardButton")
        self.remark_button.setToolTip(plain_tooltip(self.tr("Write a remark and set the flag")))
        self.remark_button.clicked.connect(lambda: self.remark_requested.emit(self.order.id))
        row.addWidget(self.case_button)
        row.addWidget(self.remark_button)
        return row

    def _on_retry_clicked(self, outbox_id: int) -> None:
        if self.remark_retry_button is not None:
            self.remark_retry_button.setEnabled(False)
        self.retry_requested.emit(outbox_id)


class OrdersPanel(QWidget):
    case_requested = Signal(int)  # order id: the agent wants to register an after-sale case
    cases_requested = Signal(int)  # order id: show the order's open after-sale case
    status_message = Signal(str)  # a transient line for the status bar

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ordersPanel")
        self.setStyleSheet(_STYLE)
        self._desk = desk
        self._bridge = bridge
        self._cid: int | None = None
        self._dialog: RemarkDialog | None = None
        self.title = plain_label(self.tr("Orders in this shop"), self, object_name="paneTitle")
        self._shown: list[OrderCard] = []
        # Notices name conversations and order ids; reload the open buyer's orders on
        # either, at most twice a second.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(500)
        self._reload_timer.timeout.connect(self.reload)
        self._cards = QWidget(self)
        self._cards.setObjectName("orderCards")
        self._list = QVBoxLayout(self._cards)
        self._list.setContentsMargins(10, 4, 10, 10)
        self._list.setSpacing(8)
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(self._cards)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self._scroll, 1)
        self.show_conversation(None)

    @property
    def cards(self) -> list[OrderCard]:
        return list(self._shown)

    @property
    def remark_dialog(self) -> RemarkDialog | None:
        """The remark dialog this pane has open, if any."""
        return self._dialog

    def show_conversation(self, cid: int | None) -> None:
        same = cid == self._cid
        self._cid = cid
        self._rebuild(self._scroll.verticalScrollBar().value() if same else 0)

    def apply_notice(self, notice: ChangeNotice) -> None:
        # notice.orders names the conversations whose buyer's orders changed;
        # notice.order_ids the orders whose row, remarks or cases changed.
        touched = self._cid in notice.orders or any(c.order.id in notice.order_ids for c in self._shown)
        if touched and not self._reload_timer.isActive():
            self._reload_timer.start()

    def reload(self) -> None:
        # A remark's sync state changing must not throw the agent back to the top.
        self._rebuild(self._scroll.verticalScrollBar().value())

    def _rebuild(self, scroll_to: int) -> None:
        while self._list.count():
            item = self._list.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        orders = self._desk.orders_for_conversation(self._cid) if self._cid is not None else []
        self._shown = [OrderCard(order, self._cards) for order in orders]
        for card in self._shown:
            card.remark_requested.connect(self.edit_remark)
            card.case_requested.connect(self.case_requested)
            card.cases_requested.connect(self.cases_requested)
            card.retry_requested.connect(self.retry_remark)
            self._list.addWidget(card)
        if not orders and self._cid is not None:
            empty = plain_label(self.tr("No orders from this buyer in this shop"), self._cards,
                                object_name="ordersEmpty", wrap=True)
            empty.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._list.addWidget(empty)
        self._list.addStretch(1)
        bar = self._scroll.verticalScrollBar()
        bar.setValue(scroll_to)
        if scroll_to:  # the new cards are laid out on the next turn of the event loop
            QTimer.singleShot(0, bar, lambda: bar.setValue(scroll_to))

    def edit_remark(self, order_id: int | None = None) -> RemarkDialog | None:
        """Open the remark dialog for `order_id`, or for the newest order shown."""
        if self._dialog is not None:
            return self.open_remark_dialog(self._dialog.order)
        order = self._order_for(order_id)
        return self.open_remark_dialog(order) if order is not None else None

    def open_remark_dialog(self, order: OrderRow) -> RemarkDialog:
        """Open the remark dialog for any order (one picked in the orders view, too).
        One at a time: while one is open, it is brought forward instead."""
        if self._dialog is not None:
            self._dialog.raise_()
            self._dialog.activateWindow()
            return self._dialog
        dialog = RemarkDialog(self._desk, self._bridge, order, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.remark_saved.connect(self._on_dialog_remark_saved)
        dialog.finished.connect(self._on_dialog_finished)
        self._dialog = dialog
        dialog.open()
        return dialog

    def retry_remark(self, outbox_id: int) -> None:
        self.status_message.emit(self.tr("Retrying…"))
        self._bridge.when_done(self._desk.retry_outbox(outbox_id), self._on_retried)

    # -- internals -----------------------------------------------------------------------
    def _order_for(self, order_id: int | None) -> OrderRow | None:
        shown = [c.order for c in self._shown]
        if order_id is None:
            return max(shown, key=lambda o: o.created_at, default=None)
        found = next((o for o in shown if o.id == order_id), None)
        return found if found is not None else self._desk.order(order_id)

    def _on_dialog_remark_saved(self, _remark_id: int) -> None:
        self.status_message.emit(self.tr("Remark saved; pushing it to the platform…"))
        self.reload()  # do not wait for the notice to show the pending remark

    def _on_dialog_finished(self, _result: int) -> None:
        self._dialog = None

    def _on_retried(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            log.warning("remark retry failed: %s", error)
            self.status_message.emit(self.tr("Could not retry: {error}").format(error=error))
