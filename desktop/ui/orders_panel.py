"""The right pane: the buyer's orders in this shop, one card each, all plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from desktop.core.views import ChangeNotice, OrderRow

from .deskapi import DeskLike
from .formatting import datetime_text, money_text, order_status_label
from .widgets import FlagGlyph, plain_label

# Normalized status → chip colour: what needs the agent's eye stands out.
_STATUS_COLOR = {
    "unpaid": "#c77700",
    "paid": "#1f6fd1",
    "shipped": "#00838f",
    "refunding": "#c62828",
    "completed": "#2e7d32",
    "closed": "#8a9099",
}


class OrderCard(QFrame):
    """One order. Labels are selectable: agents copy order ids and waybills."""

    def __init__(self, order: OrderRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderCard")
        self.order = order
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 10, 12, 10)
        col.setSpacing(5)

        top = QHBoxLayout()
        self.status_label = plain_label(order_status_label(order.status), self, object_name="orderStatus")
        color = _STATUS_COLOR.get(order.status, "#5f6670")
        self.status_label.setStyleSheet(f"color: {color}; border: 1px solid {color};")
        self.raw_status_label = plain_label(order.raw_status, self, object_name="orderRawStatus")
        # A platform's raw status can be long ("WAIT_BUYER_CONFIRM_GOODS/WAIT_SELLER_AGREE"):
        # elide it so the amount always stays in view; the tooltip has it whole.
        metrics = self.raw_status_label.fontMetrics()
        self.raw_status_label.setText(metrics.elidedText(order.raw_status, Qt.TextElideMode.ElideRight, 170))
        self.raw_status_label.setToolTip(order.raw_status)
        total = money_text(order.total, order.currency)
        self.total_label = plain_label(total, self, object_name="orderTotal")
        top.addWidget(self.status_label)
        top.addWidget(self.raw_status_label)
        top.addStretch(1)
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
        self.memo_label = None
        if order.seller_memo or order.flag_color not in ("", "none"):
            memo = QFrame(self)
            memo.setObjectName("memoBox")
            line = QHBoxLayout(memo)
            line.setContentsMargins(8, 6, 8, 6)
            line.setSpacing(6)
            if order.flag_color not in ("", "none"):
                self.flag_glyph = FlagGlyph(flag_hex(order.flag_color), memo)
                line.addWidget(self.flag_glyph, 0, Qt.AlignmentFlag.AlignTop)
                label = plain_label(order.flag_label, memo, object_name="flagLabel")
                line.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
            text = order.seller_memo or self.tr("(no memo)")
            self.memo_label = plain_label(text, memo, object_name="memoText", selectable=True, wrap=True)
            line.addWidget(self.memo_label, 1)
            col.addWidget(memo)


class OrdersPanel(QWidget):
    def __init__(self, desk: DeskLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ordersPanel")
        self._desk = desk
        self._cid: int | None = None
        self.title = plain_label(self.tr("Orders in this shop"), self, object_name="paneTitle")
        self._shown: list[OrderCard] = []
        # Notices name buyer ids, which a conversation row does not carry: reload the
        # open buyer's orders on any order change, at most twice a second.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(500)
        self._reload_timer.timeout.connect(self.reload)
        self._cards = QWidget(self)
        self._cards.setObjectName("orderCards")
        self._list = QVBoxLayout(self._cards)
        self._list.setContentsMargins(10, 4, 10, 10)
        self._list.setSpacing(8)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._cards)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        self.show_conversation(None)

    @property
    def cards(self) -> list[OrderCard]:
        return list(self._shown)

    def show_conversation(self, cid: int | None) -> None:
        self._cid = cid
        self.reload()

    def apply_notice(self, notice: ChangeNotice) -> None:
        # notice.orders names the conversations whose buyer's orders changed
        if self._cid in notice.orders and not self._reload_timer.isActive():
            self._reload_timer.start()

    def reload(self) -> None:
        while self._list.count():
            item = self._list.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        orders = self._desk.orders_for_conversation(self._cid) if self._cid is not None else []
        self._shown = [OrderCard(order, self._cards) for order in orders]
        for card in self._shown:
            self._list.addWidget(card)
        if not orders and self._cid is not None:
            empty = plain_label(self.tr("No orders from this buyer in this shop"), self._cards,
                                object_name="ordersEmpty", wrap=True)
            empty.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._list.addWidget(empty)
        self._list.addStretch(1)
