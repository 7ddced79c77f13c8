"""Orders pane (status, money, flag, masked receiver) and the shop health chips."""

from __future__ import annotations

from datetime import datetime

import pytest
from demo_desk import demo_desk
from fake_desk import FakeDesk, order
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from desktop.core.views import ChangeNotice
from desktop.sdk import FLAG_HEX, FlagColor
from desktop.ui.bridge import Bridge
from desktop.ui.formatting import money_text
from desktop.ui.orders_panel import OrdersPanel
from desktop.ui.shop_status import ShopStatusStrip


def label_texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [label.text() for label in widget.findChildren(QLabel)]


def test_order_card_shows_status_items_money_receiver_and_red_flag(qtbot, now_ms):
    panel = OrdersPanel(demo_desk(now_ms), Bridge())
    qtbot.addWidget(panel)
    panel.show_conversation(1)
    first, second = panel.cards
    texts = label_texts(first)
    assert "待发货" in texts
    assert first.raw_status_label.toolTip() == "WAIT_SELLER_SEND_GOODS"  # shown elided, whole on hover
    assert "¥318.00" in texts and "亚麻衬衫 米白色 L × 2" in texts and "¥159.00" in texts
    assert "王**  138****6621  浙江省杭州市西湖区文三路***" in texts
    assert "红旗" in texts
    assert first.memo_label is not None and first.memo_label.text().startswith("客户要求改地址为")
    assert first.flag_glyph is not None and first.flag_glyph.color() == QColor(FLAG_HEX[FlagColor.RED])
    assert "中通快递 7312 8849 0021 77" in label_texts(second)
    assert second.flag_glyph is None
    for label in panel.findChildren(QLabel):
        assert label.textFormat().name == "PlainText"


def test_orders_reload_on_an_order_notice(qtbot, now_ms):
    desk = demo_desk(now_ms)
    panel = OrdersPanel(desk, Bridge())
    qtbot.addWidget(panel)
    panel.show_conversation(1)
    desk.add_order(1, order(9, 1, "refunding", "REFUNDING", "59.9", [("茶杯", 1, "59.9")], created=now_ms))
    panel.apply_notice(ChangeNotice(orders=frozenset({2})))  # another buyer's orders: ignored
    assert not panel._reload_timer.isActive() and len(panel.cards) == 2
    panel.apply_notice(ChangeNotice(orders=frozenset({1})))  # this conversation's buyer
    qtbot.waitUntil(lambda: len(panel.cards) == 3, timeout=2000)
    assert "退款中" in label_texts(panel.cards[-1])


def test_empty_orders_say_so(qtbot, now_ms):
    panel = OrdersPanel(demo_desk(now_ms), Bridge())
    qtbot.addWidget(panel)
    panel.show_conversation(2)
    assert "该买家在本店暂无订单" in label_texts(panel)


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [("318", "CNY", "¥318.00"), ("1288.005", "CNY", "¥1,288.01"), ("12.5", "USD", "$12.50"),
     ("1500", "JPY", "JP¥1,500"), ("7", "XYZ", "7.00 XYZ")],
)
def test_money_is_decimal_and_half_up(amount, currency, text):
    from decimal import Decimal

    assert money_text(Decimal(amount), currency) == text


@pytest.mark.parametrize(
    ("health", "text"),
    [("connected", "已连接"), ("connecting", "连接中"), ("degraded", "降级"), ("needs_login", "需要重新登录"),
     ("disabled", "已停用")],
)
def test_status_chip_text_per_health(qtbot, health, text):
    desk = FakeDesk()
    desk.add_shop(1, "山野茶铺", "sandbox-dy", "沙箱·抖店", "#17a589", health, "详情：令牌过期")
    strip = ShopStatusStrip(desk)
    qtbot.addWidget(strip)
    (chip,) = strip.chips()
    assert chip.text() == f"山野茶铺 {text}"
    assert "详情：令牌过期" in chip.toolTip()


def test_rate_limited_chip_shows_until_when(qtbot, now_ms):
    desk = FakeDesk()
    desk.add_shop(1, "极客数码", "sandbox-dy", "沙箱·抖店", "#8e44ad", "rate_limited", "429", now_ms + 60_000)
    strip = ShopStatusStrip(desk)
    qtbot.addWidget(strip)
    until = datetime.fromtimestamp((now_ms + 60_000) / 1000).strftime("%H:%M:%S")
    assert strip.chips()[0].text() == f"极客数码 限流至 {until}"


def test_chips_follow_shop_changes(qtbot):
    desk = FakeDesk()
    desk.add_shop(1, "A店", "sandbox-tb", "沙箱·淘系", "#e4572e", "connecting")
    strip = ShopStatusStrip(desk)
    qtbot.addWidget(strip)
    desk.add_shop(1, "A店", "sandbox-tb", "沙箱·淘系", "#e4572e", "needs_login", "授权已过期，请重新登录")
    desk.add_shop(2, "B店", "sandbox-tb", "沙箱·淘系", "#2e86de")
    strip.reload()
    assert [c.text() for c in strip.chips()] == ["A店 需要重新登录", "B店 已连接"]
