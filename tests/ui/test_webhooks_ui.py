"""Push in the UI: the shop chip says whether a shop is pushed or polled (and why), a webhook
shop's chip gives the URL to register, and the webhook receiver's dialog keeps its settings."""

from __future__ import annotations

import dataclasses

from fake_desk import FakeDesk

from desktop.sdk import API_VERSION, Capability, PlatformInfo
from desktop.ui.shop_status import ShopStatusStrip
from desktop.ui.webhooks_dialog import WebhooksDialog


def desk_with_push_shops() -> FakeDesk:
    desk = FakeDesk()
    hooked = desk.add_shop(1, "Maple & Co", "shopify", "Shopify", "#95bf47")
    desk.shop_rows[1] = dataclasses.replace(hooked, push_state="off", push_detail="未配置 Webhook 公网地址")
    streamed = desk.add_shop(2, "棉麻生活馆", "taobao", "淘宝/天猫", "#e4572e")
    desk.shop_rows[2] = dataclasses.replace(streamed, push_state="live")
    desk.add_shop(3, "沙箱店", "sandbox-tb", "沙箱·淘系", "#2e86de")
    push = frozenset({Capability.ORDERS, Capability.PUSH})
    desk.platforms["shopify"] = PlatformInfo("shopify", "Shopify", (API_VERSION,), push, push_by_webhook=True)
    desk.platforms["taobao"] = PlatformInfo("taobao", "淘宝/天猫", (API_VERSION,), push)
    return desk


def test_the_shop_chip_says_pushed_or_polled_and_gives_the_webhook_url(qtbot):
    desk = desk_with_push_shops()
    strip = ShopStatusStrip(desk)
    qtbot.addWidget(strip)
    chips = {chip.shop.id: chip for chip in strip.chips()}
    assert "改为轮询同步" in chips[1].toolTip() and "未配置 Webhook 公网地址" in chips[1].toolTip()
    assert "登记" not in chips[1].toolTip()  # no public address yet
    assert "推送：已连接" in chips[2].toolTip() and "Webhook" not in chips[2].toolTip()
    assert "推送" not in chips[3].toolTip()  # a platform without push says nothing of it
    desk.set_webhook_settings("127.0.0.1:8787", "https://hooks.maple.example")
    strip.reload()
    assert "https://hooks.maple.example/webhooks/1" in chips[1].toolTip()
    assert "/webhooks/2" not in chips[2].toolTip()  # TMC is a stream: nothing to register


def test_the_webhook_dialog_lists_webhook_shops_and_saves_its_settings(qtbot):
    desk = desk_with_push_shops()
    dialog = WebhooksDialog(desk)
    qtbot.addWidget(dialog)
    assert "未开启" in dialog.status.text()
    assert dialog.shops.count() == 2 and "Maple & Co" in dialog.shops.item(0).text()
    assert not dialog.copy.isEnabled()  # nothing to copy before there is a public address
    dialog.listen.setText("127.0.0.1:8787")
    dialog.public.setText("ftp://nowhere")
    dialog.save()
    assert "http" in dialog.error.text() and desk.webhook_settings() == ("", "")
    dialog.public.setText("https://hooks.maple.example/")
    assert dialog.shops.item(0).text().endswith("https://hooks.maple.example/webhooks/1")
    assert dialog.shops.item(1).text().endswith("https://hooks.maple.example/webhooks/shopify")
    dialog.copy.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "https://hooks.maple.example/webhooks/1"
    dialog.save()
    assert desk.webhook_settings() == ("127.0.0.1:8787", "https://hooks.maple.example")
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_receiver_that_could_not_listen_is_shown_in_red(qtbot):
    desk = desk_with_push_shops()
    desk.webhook_live = (False, "127.0.0.1:8787: [Errno 98] Address already in use")
    dialog = WebhooksDialog(desk)
    qtbot.addWidget(dialog)
    assert "Address already in use" in dialog.status.text()
    assert "#c62828" in dialog.status.styleSheet()
