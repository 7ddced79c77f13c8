"""The dunning page (催付): unpaid orders with their age and buyer type, dunning one buyer,
a second dunning refused with a clear reason, batch dunning after a confirmation,
dunned → paid with the recovered amount; the auto-reply and dunning settings dialogs."""

from __future__ import annotations

from decimal import Decimal

from fake_desk import FakeDesk
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QToolButton

from desktop.core.views import UnpaidRow
from desktop.ui.autoreply_dialog import AutoReplyDialog
from desktop.ui.bridge import Bridge
from desktop.ui.dunning_settings import DunningSettingsDialog
from desktop.ui.dunning_view import DunnedModel, DunningView, UnpaidModel

MIN = 60_000
NOW = 1_796_000_000_000  # a fixed "now"


def unpaid(oid: int, shop: int, buyer: int, nick: str, minutes_ago: int, *, asked: bool,
           conv: int | None = None, total: str = "99.80") -> UnpaidRow:
    names = {1: ("淘系店", "#e4572e", "sandbox-tb"), 2: ("抖店", "#2e86de", "sandbox-dy")}
    name, color, platform = names[shop]
    return UnpaidRow(oid, shop, name, color, platform, f"30000000{oid:04d}", buyer, nick,
                     conv if conv is not None else 100 + oid, Decimal(total), "CNY",
                     NOW - minutes_ago * MIN, "纯棉T恤 XL", asked)


def dunning_desk() -> FakeDesk:
    desk = FakeDesk()
    desk.add_shop(1, "淘系店", "sandbox-tb", "沙箱·淘系", "#e4572e")
    desk.add_shop(2, "抖店", "sandbox-dy", "沙箱·抖店", "#2e86de")
    desk.dunning_clock_ms = NOW
    desk.add_unpaid(unpaid(1, 1, 11, "问过的买家", 12, asked=True))
    desk.add_unpaid(unpaid(2, 1, 12, "闷声下单", 30, asked=False))
    desk.add_unpaid(unpaid(3, 2, 13, "抖店买家", 5, asked=True, total="250.00"))
    return desk


def view_of(qtbot, desk: FakeDesk) -> DunningView:
    bridge = Bridge()
    view = DunningView(desk, bridge, clock=lambda: NOW)
    qtbot.addWidget(view)
    bridge.notice_arrived.connect(view.apply_notice)
    bridge.listen(desk)
    view.load()
    return view


def cells(model, row: int) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def select(view: DunningView, *rows: int) -> None:
    sel = view.unpaid_table.selectionModel()
    sel.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        sel.select(view.unpaid.index(r, 0), flags)


def test_unpaid_orders_with_the_time_since_and_the_buyer_type(qtbot, qtmodeltester):
    view = view_of(qtbot, dunning_desk())
    qtmodeltester.check(view.unpaid)
    assert view.modes.tabText(0) == "待付款（3）"
    assert [view.unpaid.row_at(r).id for r in range(3)] == [3, 1, 2]  # newest first
    first = cells(view.unpaid, 1)
    assert first[UnpaidModel.BUYER] == "问过的买家"
    assert first[UnpaidModel.AGE] == "12分0秒"
    assert first[UnpaidModel.KIND] == "咨询后下单"
    assert first[UnpaidModel.DUNNING] == "未催付"
    assert cells(view.unpaid, 2)[UnpaidModel.KIND] == "静默下单"
    assert cells(view.unpaid, 0)[UnpaidModel.TOTAL] == "¥250.00"
    view.shop_filter.setCurrentIndex(view.shop_filter.findData(2))
    assert [view.unpaid.row_at(r).id for r in range(view.unpaid.rowCount())] == [3]


def test_dunning_twice_within_24h_is_refused_with_a_clear_reason(qtbot):
    desk = dunning_desk()
    view = view_of(qtbot, desk)
    select(view, 1)
    assert view.dun_button.isEnabled()
    view.dun_selected()
    assert desk.dun_calls == [[1]]
    qtbot.waitUntil(lambda: view.message.text() == "已催付 1 位买家。", timeout=2000)
    row = view.unpaid.row_of(1)
    assert cells(view.unpaid, row)[UnpaidModel.DUNNING].startswith("小王 已于 ")
    assert "后可再催" in cells(view.unpaid, row)[UnpaidModel.DUNNING]

    select(view, view.unpaid.row_of(1))
    view.dun_selected()
    qtbot.waitUntil(lambda: "未催付：1" in view.message.text(), timeout=2000)
    text = view.message.text()
    assert "问过的买家：小王 已于 " in text
    assert "平台规定同一买家在同一店铺每 24 小时只能催付一次" in text
    assert len(desk.dunnings) == 1  # nothing was sent the second time


def test_batch_dunning_asks_first(qtbot):
    desk = dunning_desk()
    view = view_of(qtbot, desk)
    select(view, 0, 1, 2)
    asked: list[str] = []
    assert view.dun_selected(confirm=lambda text: asked.append(text) or False) is None
    assert desk.dun_calls == []
    assert asked == ["为 3 个订单（3 位买家）发送催付消息？其中 2 个咨询后下单，1 个静默下单。"]
    view.dun_selected(confirm=lambda text: True)
    assert sorted(desk.dun_calls[0]) == [1, 2, 3]
    qtbot.waitUntil(lambda: view.message.text() == "已催付 3 位买家。", timeout=2000)
    # dunned too recently: the confirmation says they will be skipped
    select(view, 0, 1)
    assert "其中 2 位刚催付过，将被跳过。" in view.confirm_text(view.selected_unpaid())


def test_dunned_then_paid_shows_the_recovered_amount(qtbot, qtmodeltester):
    desk = dunning_desk()
    view = view_of(qtbot, desk)
    select(view, view.unpaid.row_of(3))
    view.dun_selected()
    qtbot.waitUntil(lambda: desk.dunnings != [], timeout=2000)
    desk.pay(3, NOW + 5 * MIN)
    qtbot.waitUntil(lambda: "已付款 1 单" in view.summary.text(), timeout=3000)
    assert view.summary.text() == "最近 7 天：已催付 1 单 · 已付款 1 单 · 挽回 ¥250.00"
    assert view.unpaid.row_of(3) is None  # it left the unpaid list
    view.modes.setCurrentIndex(1)
    qtmodeltester.check(view.dunned)
    row = cells(view.dunned, 0)
    assert row[DunnedModel.OUTCOME] == "已付款 · 已挽回"
    assert row[DunnedModel.BY] == "小王" and row[DunnedModel.KIND] == "咨询后下单"
    assert not view.dun_button.isVisible()


def test_the_page_in_the_window_alt5_ctrl_d_and_opening_the_chat(qtbot):
    from test_mainwindow import window

    desk = dunning_desk()
    desk.add_conversation(101, 1, "问过的买家", "在吗", NOW - 20 * MIN)
    w = window(qtbot, desk)
    assert not w.acts.dun.isEnabled()  # only on the unpaid page
    qtbot.keyClick(w, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert w.pages.currentWidget() is w.dunning_view and w.dunning_view.loaded
    assert w.acts.dun.isEnabled()
    view = w.dunning_view
    select(view, view.unpaid.row_of(1))
    view.unpaid_table.setFocus()
    qtbot.keyClick(view.unpaid_table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert desk.dun_calls == [[1]]
    view.unpaid_table.activated.emit(view.unpaid.index(view.unpaid.row_of(1), 0))
    assert w.pages.currentIndex() == 0 and w.chat.conversation_id == 101
    # a change notice while the page shows refreshes it
    desk.pay(2, NOW)
    qtbot.keyClick(w, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: view.unpaid.row_of(2) is None, timeout=3000)


def test_auto_reply_settings_per_shop(qtbot):
    desk = dunning_desk()
    dialog = AutoReplyDialog(desk, Bridge(), shop_id=2)
    qtbot.addWidget(dialog)
    assert dialog.shop_combo.currentData() == 2
    assert not dialog.welcome.isChecked() and not dialog.busy.isChecked()  # off by default
    dialog.welcome.setChecked(True)
    dialog.welcome_text.setPlainText("您好{顾客}")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=2000)
    assert "抖店" in dialog.error.text() and "{顾客}" in dialog.error.text()
    assert desk.saved_auto == []
    dialog.welcome_text.setPlainText("您好{买家}，欢迎光临{店铺}")
    dialog.welcome_hours.setValue(12)
    dialog.shop_combo.setCurrentIndex(dialog.shop_combo.findData(1))  # edits are kept per shop
    dialog.busy.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    saved = dict(desk.saved_auto)
    assert (saved[2].welcome, saved[2].welcome_text, saved[2].welcome_hours) == \
        (True, "您好{买家}，欢迎光临{店铺}", 12)
    assert saved[1].busy and not saved[1].welcome
    assert desk.auto_reply_settings(2).welcome


def test_dunning_settings_use_the_quick_reply_library(qtbot):
    desk = dunning_desk()
    desk.add_phrase("催付（咨询过的买家）", "亲，宝贝给您留好了，订单 {订单号} 记得付款哦", "dunning")
    desk.add_phrase("欢迎", "您好", "greeting")
    dialog = DunningSettingsDialog(desk, Bridge())
    qtbot.addWidget(dialog)
    pick = dialog.findChild(QToolButton, "teamTemplate_asked_pick")
    assert pick is not None
    titles = [a.text() for a in pick.menu().actions()]
    assert titles == ["催付（咨询过的买家）"]  # only the dunning stage
    pick.menu().actions()[0].trigger()
    assert dialog.team_edits["asked"].toPlainText() == "亲，宝贝给您留好了，订单 {订单号} 记得付款哦"
    dialog.intervals["sandbox-dy"].setValue(12)
    dialog.shop_combo.setCurrentIndex(dialog.shop_combo.findData(2))
    dialog.shop_edits["silent"].setPlainText("抖店专用：{买家}，订单还没付款哦")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    saved = desk.saved_dunning[-1]
    assert saved.asked_text.startswith("亲，宝贝给您留好了")
    assert saved.hours("sandbox-dy") == 12 and saved.hours("sandbox-tb") == 24
    assert saved.template(2, "silent") == "抖店专用：{买家}，订单还没付款哦"
    assert saved.template(1, "silent") == saved.silent_text
