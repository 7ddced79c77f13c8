"""Order remarks: the platform's own flag palette, the memo preview and its limit, the
warehouse warning, saving, the remark history with sync state, and the order card."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from fake_desk import FakeDesk, order
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel

from desktop.core.views import ChangeNotice, OrderRow
from desktop.sdk import FLAG_HEX, Capability, FlagColor, FlagOption, PlatformInfo
from desktop.ui.bridge import Bridge
from desktop.ui.formatting import clock_text, now_ms
from desktop.ui.orders_panel import OrdersPanel
from desktop.ui.remark_dialog import RemarkDialog
from plugins.sandbox.adapter import DouyinLikeAdapter, TaobaoLikeAdapter

TB, DY, TINY = "sandbox-tb", "sandbox-dy", "tiny"
NOON = int(datetime(2026, 11, 23, 14, 5, 20).timestamp() * 1000)


def tr(context: str, source: str) -> str:
    """The UI string in the installed language (Chinese once the .ts has it)."""
    return QCoreApplication.translate(context, source)


def remark_desk() -> FakeDesk:
    d = FakeDesk()
    d.remark_clock_ms = NOON
    tiny = PlatformInfo(TINY, "小平台", (1,), frozenset({Capability.REMARKS}), memo_max_bytes=60,
                        flags=(FlagOption(7, FlagColor.BLUE, "蓝星"),))
    d.platforms = {TB: TaobaoLikeAdapter.info, DY: DouyinLikeAdapter.info, TINY: tiny}
    d.add_shop(1, "棉麻生活馆", TB, "沙箱·淘系", "#e4572e")
    d.add_shop(2, "山野茶铺", DY, "沙箱·抖店", "#17a589")
    d.add_shop(3, "小店", TINY, "小平台", "#8e44ad")
    d.add_shop(4, "快手小店", "kuaishou", "kuaishou", "#607d8b")
    for cid, shop, nick in ((1, 1, "tb_小橘子"), (2, 2, "山有木兮"), (3, 3, "阿May"), (4, 4, "老王隔壁")):
        d.add_conversation(cid, shop, nick, "在吗", NOON - 60_000)
    d.add_order(1, tb_order(1, memo="老备注", flag="none"))
    d.add_order(1, tb_order(2, status="completed", created=NOON - 86400_000))
    d.add_order(2, make_order(3, 2, DY, "山野茶铺"))
    d.add_order(3, make_order(4, 3, TINY, "小店"))
    d.add_order(4, make_order(5, 4, "kuaishou", "快手小店"))
    return d


def make_order(oid: int, shop_id: int, platform: str, shop: str, *, status: str = "paid",
               warehouse: str = "waiting", created: int = NOON - 3600_000, **kw: object) -> OrderRow:
    row = order(oid, shop_id, status, "WAIT_SELLER_SEND_GOODS", "318.00", [("亚麻衬衫 米白色 L", 2, "159.00")],
                created=created, paid=created + 60_000, receiver="王**  138****6621", courier="中通快递", **kw)
    return replace(row, platform=platform, shop_name=shop, shop_color="#e4572e", warehouse=warehouse)


def tb_order(oid: int, **kw: object) -> OrderRow:
    return make_order(oid, 1, TB, "棉麻生活馆", **kw)


def find(desk: FakeDesk, oid: int) -> OrderRow:
    found = desk.order(oid)
    assert found is not None
    return found


def open_dialog(qtbot, desk: FakeDesk, oid: int, bridge: Bridge | None = None) -> RemarkDialog:
    dialog = RemarkDialog(desk, bridge or Bridge(), find(desk, oid))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def flag_texts(dialog: RemarkDialog) -> list[str]:
    return [b.text() for b in dialog.flag_palette.buttons]


# -- the flag palette -------------------------------------------------------------------------

def test_the_palette_is_the_one_the_order_platform_declares(qtbot):
    desk = remark_desk()
    tb = open_dialog(qtbot, desk, 1)
    dy = open_dialog(qtbot, desk, 3)
    no_flag = tr("FlagPalette", "No flag")
    assert flag_texts(tb) == [no_flag, "灰旗", "红旗", "黄旗", "绿旗", "蓝旗", "紫旗"]
    assert flag_texts(dy) == [no_flag, "灰旗", "紫旗", "青旗", "绿旗", "橙旗", "红旗"]
    # value 1 is red on the Taobao-like platform, purple on the Douyin-like one
    assert tb.flag_palette.button_for(1).property("flagColor") == FLAG_HEX[FlagColor.RED]
    assert dy.flag_palette.button_for(1).property("flagColor") == FLAG_HEX[FlagColor.PURPLE]
    assert dy.flag_palette.button_for(2).property("flagColor") == FLAG_HEX[FlagColor.CYAN]
    assert "青旗" in dy.flag_palette.button_for(2).toolTip()
    assert all(b.isCheckable() for b in tb.flag_palette.buttons)


def test_a_new_remark_preselects_red_over_none_or_grey(qtbot):
    desk = remark_desk()
    tb = open_dialog(qtbot, desk, 1)  # no flag yet
    assert tb.selected_flag() == 1 and tb.flag_hint.isVisibleTo(tb) and "红旗" in tb.flag_hint.text()
    desk.change_order(3, flag_value=0, flag_color="gray", flag_label="灰旗")
    dy = open_dialog(qtbot, desk, 3)  # grey: red is value 5 there
    assert dy.selected_flag() == 5 and dy.flag_hint.isVisibleTo(dy)
    desk.change_order(1, flag_value=3, flag_color="green", flag_label="绿旗")
    green = open_dialog(qtbot, desk, 1)  # a real flag is kept
    assert green.selected_flag() == 3 and not green.flag_hint.isVisibleTo(green)
    tiny = open_dialog(qtbot, desk, 4)  # a palette without red: nothing forced
    assert tiny.selected_flag() is None and not tiny.flag_hint.isVisibleTo(tiny)


def test_digits_and_arrows_pick_a_flag(qtbot):
    desk = remark_desk()
    dialog = open_dialog(qtbot, desk, 3)
    first = dialog.flag_palette.buttons[0]
    qtbot.keyClick(first, Qt.Key.Key_4)  # the 4th flag: 绿旗 (value 3)
    assert dialog.selected_flag() == 3 and not dialog.flag_hint.isVisibleTo(dialog)
    focused = dialog.flag_palette.button_for(3)
    qtbot.keyClick(focused, Qt.Key.Key_Right)
    assert dialog.selected_flag() == 4
    qtbot.keyClick(dialog.flag_palette.button_for(4), Qt.Key.Key_Left)
    qtbot.keyClick(dialog.flag_palette.button_for(3), Qt.Key.Key_Left)
    assert dialog.selected_flag() == 2
    qtbot.keyClick(dialog.flag_palette.button_for(2), Qt.Key.Key_0)
    assert dialog.selected_flag() is None
    # a radio group: Tab and Alt+F reach the chosen flag only
    policies = [b.focusPolicy() for b in dialog.flag_palette.buttons]
    assert policies == [Qt.FocusPolicy.StrongFocus] + [Qt.FocusPolicy.ClickFocus] * 6
    assert dialog.flag_palette.focusProxy() is first


def test_no_plugin_no_flags_but_the_remark_can_be_saved(qtbot):
    desk = remark_desk()
    dialog = open_dialog(qtbot, desk, 5)
    assert dialog.plugin_label.isVisibleTo(dialog) and "kuaishou" in dialog.plugin_label.text()
    assert flag_texts(dialog) == [tr("FlagPalette", "No flag")] and dialog.selected_flag() is None
    dialog.text_edit.setPlainText("客户要求周五后再发")
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()
    assert desk.added_remarks == [(5, "客户要求周五后再发", None)]


# -- text, preview, limit ---------------------------------------------------------------------

def test_preview_shows_the_memo_the_warehouse_will_read(qtbot):
    desk = remark_desk()
    dialog = open_dialog(qtbot, desk, 1)
    assert not dialog.save_button.isEnabled()  # empty text cannot be saved
    dialog.text_edit.setPlainText("客户要求改地址为 杭州市西湖区文三路 138 号")
    assert dialog.preview_label.text() == "客户要求改地址为 杭州市西湖区文三路 138 号 —— 小王 2026-11-23 14:05"
    used = len(dialog.preview_label.text().encode("utf-8"))  # the Taobao-like platform counts bytes
    assert dialog.counter_label.text() == tr("RemarkDialog", "Used {used}/{limit} bytes").format(
        used=used, limit=TaobaoLikeAdapter.info.memo_max_bytes)
    assert dialog.save_button.isEnabled() and not dialog.limit_label.isVisibleTo(dialog)
    dialog.text_edit.setPlainText("   \n ")
    assert not dialog.save_button.isEnabled()


def test_preview_follows_the_team_format(qtbot):
    desk = remark_desk()
    desk.set_remark_format("【{author} {time}】{text}")
    dialog = open_dialog(qtbot, desk, 1)
    dialog.text_edit.setPlainText("改地址")
    assert dialog.preview_label.text() == "【小王 2026-11-23 14:05】改地址"


def test_over_the_byte_limit_save_is_off_with_a_message(qtbot):
    desk = remark_desk()
    dialog = open_dialog(qtbot, desk, 4)  # 小平台: 60 UTF-8 bytes
    dialog.text_edit.setPlainText("改地址")  # 9 bytes + " —— 小王 2026-11-23 14:05" (31)
    assert dialog.counter_label.text() == tr("RemarkDialog", "Used {used}/{limit} bytes").format(used=40, limit=60)
    assert dialog.save_button.isEnabled()
    dialog.text_edit.setPlainText("客户要求改地址为杭州市西湖区")  # 14 × 3 + 31 = 73 bytes
    assert not dialog.save_button.isEnabled()
    assert dialog.limit_label.isVisibleTo(dialog)
    assert dialog.limit_label.text() == tr(
        "RemarkDialog", "Too long for {platform}: {over} bytes over its limit of {limit} (UTF-8; a Chinese "
        "character counts 3, your name and the time count too). Shorten it to save.").format(
            platform="小平台", over=13, limit=60)
    assert dialog.counter_label.property("over") is True
    dialog.save()  # Ctrl+Enter on an over-long memo does nothing either
    assert desk.added_remarks == []


def test_over_the_character_limit_of_the_douyin_like_platform(qtbot):
    desk = remark_desk()
    dialog = open_dialog(qtbot, desk, 3)  # 60 characters
    dialog.text_edit.setPlainText("改" * 40)  # + 23 characters of author and time
    assert not dialog.save_button.isEnabled()
    assert dialog.limit_label.text() == tr(
        "RemarkDialog", "Too long for {platform}: {over} characters over its limit of {limit} (your name and "
        "the time count too). Shorten it to save.").format(platform="沙箱·抖店", over=3, limit=60)


# -- the warehouse warning --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("status", "warehouse", "source"),
    [("paid", "printed", "⚠ The waybill of this order is printed: the warehouse may not see a changed remark. "
                         "Tell the warehouse in person or by phone to take the waybill back."),
     ("paid", "packed", "⚠ This order is packed: the warehouse may not see a changed remark. Tell the "
                        "warehouse in person or by phone to pull the parcel and its waybill."),
     ("shipped", "unknown", "⚠ This order has shipped: a changed remark reaches nobody in the warehouse. "
                            "Ask the courier to intercept the parcel, or register an after-sale case."),
     ("unpaid", "unknown", None),
     ("paid", "waiting", None)],
)
def test_warehouse_warning_once_printed_packed_or_shipped(qtbot, status, warehouse, source):
    desk = remark_desk()
    desk.change_order(1, status=status, warehouse=warehouse)
    dialog = open_dialog(qtbot, desk, 1)
    assert dialog.warning_label.isVisibleTo(dialog) is (source is not None)
    if source:
        assert dialog.warning_label.text() == tr("RemarkDialog", source)


def test_the_warning_appears_when_the_waybill_is_printed_while_typing(qtbot):
    desk = remark_desk()
    bridge = Bridge()
    bridge.listen(desk)
    dialog = open_dialog(qtbot, desk, 1, bridge)
    dialog.text_edit.setPlainText("客户要求改地址")
    assert not dialog.warning_label.isVisibleTo(dialog)
    desk.change_order(1, warehouse="printed", seller_memo="仓库：已打单", flag_value=4, flag_color="blue",
                      flag_label="蓝旗")
    desk.emit(ChangeNotice(order_ids=frozenset({1})))
    qtbot.waitUntil(lambda: dialog.warning_label.isVisibleTo(dialog), timeout=2000)
    assert dialog.current_memo_label.text() == "仓库：已打单" and dialog.current_flag_label.text() == "蓝旗"
    assert dialog.text_edit.toPlainText() == "客户要求改地址"  # nothing typed is lost


# -- saving -------------------------------------------------------------------------------------

def test_save_sends_text_and_the_chosen_flag_then_closes(qtbot):
    desk = remark_desk()
    dialog = open_dialog(qtbot, desk, 3)
    dialog.flag_palette.buttons[3].click()  # 青旗, value 2
    dialog.text_edit.setPlainText("  买家要求换成青色  ")
    with qtbot.waitSignals([dialog.remark_saved, dialog.accepted]):
        qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert desk.added_remarks == [(3, "买家要求换成青色", 2)]
    (kept,) = desk.remarks(3)
    assert (kept.state, kept.flag_label, kept.memo) == ("pending", "青旗", "买家要求换成青色 —— 小王 2026-11-23 14:05")


def test_a_refused_remark_keeps_the_text_and_shows_why(qtbot):
    desk = remark_desk()
    desk.remark_error = ValueError("订单已关闭，平台拒绝修改备注")
    dialog = open_dialog(qtbot, desk, 1)
    dialog.text_edit.setPlainText("客户要求改地址")
    dialog.save_button.click()
    assert not dialog.save_button.isEnabled()  # no double save while it runs
    qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog), timeout=2000)
    assert "订单已关闭，平台拒绝修改备注" in dialog.error_label.text()
    assert dialog.text_edit.toPlainText() == "客户要求改地址" and dialog.isVisible()
    assert dialog.save_button.isEnabled() and dialog.save_button.text() == tr("RemarkDialog", "Save")


# -- the history ----------------------------------------------------------------------------------

def test_history_shows_state_error_retry_and_platform_changes(qtbot):
    desk = remark_desk()
    bridge = Bridge()
    bridge.listen(desk)
    first = desk.add_remark(1, "客户要求改地址为 文三路 138 号", 1).result()
    desk.settle_remark(first, error="平台限流（429），请稍后重试")
    desk.platform_changed_memo(1, "<b>仓库</b>：已改地址", flag=2)
    desk.add_remark(1, "<i>周五</i>后再发", None)
    dialog = open_dialog(qtbot, desk, 1, bridge)
    newest, platform, failed = dialog.entries  # newest first
    assert newest.state_label.text() == tr("RemarkEntry", "◷ Waiting to sync")
    assert newest.text_label.text() == "<i>周五</i>后再发" and newest.retry_button is None
    assert platform.state_label.text() == tr("RemarkEntry", "Changed on the platform")
    assert platform.meta_label.text().startswith(tr("RemarkEntry", "Platform") + " · ")
    assert "黄旗" in [label.text() for label in platform.findChildren(QLabel)]
    assert failed.state_label.text() == tr("RemarkEntry", "⚠ Sync failed")
    assert failed.error_label is not None and failed.error_label.text() == "平台限流（429），请稍后重试"
    assert failed.meta_label.text().startswith("小王 · 2026-11-23 14:05")
    assert "红旗" in [label.text() for label in failed.findChildren(QLabel)]
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()

    outbox_id = failed.remark.outbox_id
    assert failed.retry_button is not None
    failed.retry_button.click()
    assert desk.retried == [outbox_id]
    qtbot.waitUntil(lambda: dialog.entries[2].remark.state == "pending", timeout=2000)
    desk.settle_remark(first)  # the notice reaches the open dialog through the bridge
    qtbot.waitUntil(lambda: dialog.entries[2].state_label.text() == tr("RemarkEntry", "✓ Synced"),
                    timeout=2000)


def test_history_ignores_other_orders_notices(qtbot):
    desk = remark_desk()
    dialog = open_dialog(qtbot, desk, 1)
    assert dialog.entries == []
    desk.add_remark(1, "改地址", 1)
    dialog.apply_notice(ChangeNotice(order_ids=frozenset({3})))
    assert dialog.entries == []
    dialog.apply_notice(ChangeNotice(order_ids=frozenset({1})))
    assert [e.remark.text for e in dialog.entries] == ["改地址"]


# -- the order card and the pane ---------------------------------------------------------------------

def make_panel(qtbot, desk: FakeDesk) -> OrdersPanel:
    bridge = Bridge()
    bridge.listen(desk)
    panel = OrdersPanel(desk, bridge)
    bridge.notice_arrived.connect(panel.apply_notice)
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()
    return panel


def test_card_shows_the_latest_remark_state_and_retries(qtbot):
    desk = remark_desk()
    panel = make_panel(qtbot, desk)
    panel.show_conversation(1)
    card = panel.cards[0]
    assert card.remark_state_label is None and card.memo_label is not None and card.memo_label.text() == "老备注"

    rid = desk.add_remark(1, "客户要求改地址", 1).result()
    qtbot.waitUntil(lambda: panel.cards[0].remark_state_label is not None, timeout=2000)
    card = panel.cards[0]
    when = clock_text(NOON, now_ms())
    assert card.remark_state_label.text() == tr("OrderCard", "◷ Not on the platform yet · {who}").format(
        who=f"小王 {when}")
    # until the platform took it, the card shows the memo it is waiting to push
    assert card.memo_label.text() == "客户要求改地址 —— 小王 2026-11-23 14:05"
    assert card.flag_glyph is not None and card.flag_glyph.color().name() == FLAG_HEX[FlagColor.RED]

    desk.settle_remark(rid, error="授权已过期")
    qtbot.waitUntil(lambda: panel.cards[0].remark_retry_button is not None, timeout=2000)
    card = panel.cards[0]
    assert card.remark_state_label.text() == tr("OrderCard", "⚠ Sync failed: {error}").format(error="授权已过期")
    card.remark_retry_button.click()
    assert desk.retried == [desk.remarks(1)[0].outbox_id]

    desk.settle_remark(rid)
    qtbot.waitUntil(lambda: panel.cards[0].remark_retry_button is None
                    and panel.cards[0].remark_state_label.property("state") == "synced", timeout=2000)
    changed = desk.platform_changed_memo(1, "仓库改：明天发", flag=2)
    qtbot.waitUntil(lambda: panel.cards[0].remark_state_label.property("state") == "platform", timeout=2000)
    card = panel.cards[0]
    assert card.remark_state_label.text() == tr("OrderCard", "Changed on the platform · {when}").format(
        when=clock_text(changed.created_at, now_ms()))
    assert card.memo_label.text() == "仓库改：明天发"
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_card_stage_chip_cases_and_buttons(qtbot):
    desk = remark_desk()
    desk.change_order(1, warehouse="printed")
    desk.change_order(2, warehouse="packed")
    panel = make_panel(qtbot, desk)
    panel.show_conversation(1)
    printed, done = panel.cards
    assert printed.stage_label is not None and printed.stage_label.text() == tr("OrderCard", "Waybill printed")
    assert done.order.status == "completed" and done.stage_label is None  # shipping says it
    desk.change_order(2, status="paid")
    panel.reload()
    done = panel.cards[1]
    assert done.stage_label is not None and done.stage_label.text() == tr("OrderCard", "Packed")
    assert printed.cases_label is None
    desk.change_order(2, open_cases=2)
    panel.reload()
    assert panel.cards[1].cases_label is not None
    assert panel.cards[1].cases_label.text() == tr("OrderCard", "{n} after-sale open").format(n=2)

    with qtbot.waitSignal(panel.case_requested) as asked:
        panel.cards[1].case_button.click()
    assert asked.args == [2]
    panel.cards[1].remark_button.click()
    dialog = panel.remark_dialog
    assert dialog is not None and dialog.order.id == 2 and dialog.isVisible()
    assert panel.edit_remark(1) is dialog  # one at a time: the open one comes forward
    dialog.reject()
    assert panel.remark_dialog is None


def test_edit_remark_opens_the_newest_order_and_saving_reloads_the_card(qtbot):
    desk = remark_desk()
    panel = make_panel(qtbot, desk)
    panel.show_conversation(1)
    dialog = panel.edit_remark()
    assert dialog is not None and dialog.order.id == 1  # created an hour ago, not yesterday
    dialog.text_edit.setPlainText("客户要求改地址")
    with qtbot.waitSignal(dialog.finished):
        dialog.save()
    assert panel.remark_dialog is None
    assert panel.cards[0].remark_state_label is not None
    assert panel.cards[0].remark_state_label.property("state") == "pending"
    panel.show_conversation(2)
    assert panel.edit_remark(999) is None


def test_any_order_can_get_the_dialog_and_a_closed_one_hears_no_more(qtbot):
    desk = remark_desk()
    panel = make_panel(qtbot, desk)
    panel.show_conversation(1)
    dialog = panel.open_remark_dialog(find(desk, 3))  # from the orders view: not in this pane
    assert dialog.order.id == 3 and flag_texts(dialog)[1:] == ["灰旗", "紫旗", "青旗", "绿旗", "橙旗", "红旗"]
    with qtbot.waitSignal(dialog.destroyed):  # WA_DeleteOnClose
        dialog.reject()
    desk.add_remark(3, "改色", 2)  # its notice must not reach the deleted dialog
    qtbot.wait(50)


def test_panel_reloads_on_order_ids_of_its_orders_only(qtbot):
    desk = remark_desk()
    panel = make_panel(qtbot, desk)
    panel.show_conversation(1)
    panel.apply_notice(ChangeNotice(order_ids=frozenset({3})))  # another buyer's order
    assert not panel._reload_timer.isActive()
    desk.change_order(2, warehouse="packed", status="paid")
    panel.apply_notice(ChangeNotice(order_ids=frozenset({2})))
    qtbot.waitUntil(lambda: panel.cards[1].stage_label is not None, timeout=2000)
