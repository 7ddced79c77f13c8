"""Platform red lines in the composer: a WeChat id is underlined as it is typed, Enter does
not send it, the explicit override (Ctrl+Shift+Enter or "Send anyway") does and is logged;
the rules dialog (a lead's edits, the try box) and the override log."""

from __future__ import annotations

import pytest
from fake_desk import FakeDesk
from PySide6.QtCore import Qt

from desktop.core.views import SeatRole
from desktop.ui.bridge import Bridge
from desktop.ui.chat_panel import ChatPanel
from desktop.ui.redline_guard import DEBOUNCE_MS
from desktop.ui.redlines_dialog import RedLinesDialog

WECHAT = "亲，加我微信 shop_8888 发您实拍图"


def red_desk(now: int) -> FakeDesk:
    d = FakeDesk()
    d.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    d.add_shop(2, "独立站", "shopify", "Shopify", "#2e86de")
    d.add_conversation(1, 1, "tb_小橘子", "有实拍吗", now - 60_000, waiting_since=now - 60_000)
    d.add_conversation(2, 2, "alice", "photos?", now - 30_000, waiting_since=now - 30_000)
    return d


@pytest.fixture
def panel(qtbot, now_ms):
    desk = red_desk(now_ms)
    bridge = Bridge()
    bridge.listen(desk)
    p = ChatPanel(desk, bridge)
    p.resize(760, 620)
    qtbot.addWidget(p)
    p.show()
    p.open_conversation(1)
    return p


def underlined(panel: ChatPanel) -> list[str]:
    text = panel.composer.toPlainText()
    return [text[s.cursor.selectionStart():s.cursor.selectionEnd()] for s in panel.composer.extraSelections()]


def test_a_wechat_id_is_underlined_as_it_is_typed(qtbot, panel):
    panel.composer.insertPlainText(WECHAT)
    assert underlined(panel) == []  # not on every key: after a pause
    qtbot.waitUntil(lambda: underlined(panel) == ["加我微信 shop_8888"], timeout=DEBOUNCE_MS * 10)
    assert panel.red_bar.isVisible() and not panel.red_bar.stopped
    assert "引导" in panel.red_bar.title.text() or "off the platform" in panel.red_bar.title.text()
    assert "微信" in panel.red_bar.detail.text()
    panel.composer.clear()
    qtbot.waitUntil(lambda: not panel.red_bar.isVisible(), timeout=DEBOUNCE_MS * 10)
    assert underlined(panel) == []


def test_enter_does_not_send_it_and_the_override_sends_it_logged(qtbot, panel):
    desk = panel._desk
    messages = []
    panel.status_message.connect(messages.append)
    panel.composer.insertPlainText(WECHAT)
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert desk.sent == [] and panel.composer.text() == WECHAT
    assert panel.red_bar.isVisible() and panel.red_bar.stopped
    assert underlined(panel) == ["加我微信 shop_8888"]  # at once, not after the debounce
    assert "Ctrl+Shift+Enter" in messages[-1]
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert desk.sent == [(1, WECHAT)]
    [log] = desk.override_log
    assert (log.kind, log.conversation_id, log.seat_name, log.text) == ("send", 1, "小王", WECHAT)
    assert set(log.rules) == {"wechat-add", "wechat-id"}
    qtbot.waitUntil(lambda: not panel.red_bar.isVisible(), timeout=DEBOUNCE_MS * 10)


def test_the_bars_button_is_the_same_explicit_override(qtbot, panel):
    panel.composer.insertPlainText("电话 138-1234-5678")
    panel.send_current()
    assert panel._desk.sent == []
    panel.red_bar.button.click()
    assert panel._desk.sent == [(1, "电话 138-1234-5678")]
    assert panel._desk.override_log[-1].rules == ("phone-mobile",)


def test_a_clean_reply_goes_out_on_enter_and_the_override_key_adds_nothing(qtbot, panel):
    panel.composer.insertPlainText("亲，今天下单明天发货")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert panel._desk.sent == [(1, "亲，今天下单明天发货")] and not panel.red_bar.isVisible()
    panel.composer.insertPlainText("好的")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel._desk.sent[-1] == (1, "好的") and panel._desk.override_log == []


def test_each_chat_is_checked_against_its_own_platform(qtbot, panel):
    panel.open_conversation(2)  # an own-site shop: no off-platform rule
    panel.composer.insertPlainText("Add me on WeChat: shop_8888")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert panel._desk.sent == [(2, "Add me on WeChat: shop_8888")]
    panel.composer.insertPlainText("pay by bank transfer please")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert len(panel._desk.sent) == 1 and panel.red_bar.stopped


# -- the rules dialog -------------------------------------------------------------------------
@pytest.fixture
def dialog(qtbot, now_ms):
    desk = red_desk(now_ms)
    lead = desk.add_seat("组长", role=SeatRole.LEAD)
    desk.sign_in(lead)
    bridge = Bridge()
    bridge.listen(desk)
    d = RedLinesDialog(desk, bridge)
    qtbot.addWidget(d)
    d.reload()
    d.show()
    return d


def test_the_rules_of_each_set_with_where_they_come_from(qtbot, dialog):
    platforms = [dialog.platform.itemData(i) for i in range(dialog.platform.count())]
    assert platforms[0] == "common" and {"taobao", "sandbox-tb", "shopify"} <= set(platforms)
    dialog.platform.setCurrentIndex(platforms.index("sandbox-tb"))
    keys = [dialog.table.item(i, 2).text() for i in range(dialog.table.rowCount())]
    assert {"wechat-id", "refuse-invoice", "link"} <= set(keys)
    dialog.try_box.setText("加我vx：abc12345")
    assert "wechat" in dialog.try_result.text()


def test_a_lead_switches_a_rule_off_and_back(qtbot, dialog):
    platforms = [dialog.platform.itemData(i) for i in range(dialog.platform.count())]
    dialog.platform.setCurrentIndex(platforms.index("taobao"))
    row = next(i for i in range(dialog.table.rowCount()) if dialog.table.item(i, 2).text() == "phone-mobile")
    dialog.table.setCurrentCell(row, 0)
    dialog.enabled.setChecked(False)
    dialog.save_rule()
    qtbot.waitUntil(lambda: dialog.table.item(row, 0).text() == "—", timeout=2000)
    dialog.try_box.setText("13812345678")
    assert dialog._desk.red_line_hits("13812345678", ["sandbox-tb"]) == []  # inherited by the flavour
    dialog.table.setCurrentCell(row, 0)
    dialog.reset_rule()
    qtbot.waitUntil(lambda: dialog.table.item(row, 0).text() == "✓", timeout=2000)


def test_an_agent_reads_but_does_not_change_the_rules(qtbot, dialog):
    agent = dialog._desk.add_seat("小李")
    dialog._desk.sign_in(agent)
    dialog.reload()
    assert not dialog.save_button.isEnabled() and dialog.lead_note.text()


def test_the_override_log_lists_who_sent_what(qtbot, dialog):
    desk = dialog._desk
    desk.send_overriding(1, WECHAT, ["wechat-id", "wechat-add"]).result()
    dialog.tabs.setCurrentIndex(1)
    assert dialog.log_table.rowCount() == 1
    assert dialog.log_table.item(0, 1).text() == "小王"
    assert "wechat-id" in dialog.log_table.item(0, 3).text()
    assert dialog.log_table.item(0, 5).text() == WECHAT
