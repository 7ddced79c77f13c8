"""Quick replies in the composer: "/" opens the picker (never inside a word), search by
shortcut and pinyin, Enter inserts with the chat's variables, Esc closes, Ctrl+1…9
insert favourites, repeated picks escalate; the library manager."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fake_desk import FakeDesk, order
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.core.views import SeatRole
from desktop.ui.bridge import Bridge
from desktop.ui.chat_panel import ChatPanel
from desktop.ui.mainwindow import MainWindow
from desktop.ui.notifier import Notifier
from desktop.ui.phrase_picker import PhraseModel, slash_token
from desktop.ui.phrases_dialog import PhrasesDialog

from test_mainwindow import SilentSound


def phrase_desk(now: int) -> FakeDesk:
    d = FakeDesk()
    d.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    d.add_conversation(1, 1, "tb_小橘子", "能便宜点吗", now - 60_000, waiting_since=now - 60_000)
    d.add_message(1, "in", "能便宜点吗", now - 60_000)
    d.add_conversation(2, 1, "tb_追风", "发货了吗", now - 30_000, waiting_since=now - 30_000)
    d.add_order(2, order(7, 1, "shipped", "WAIT_BUYER_CONFIRM", "128.00", [("纯棉T恤", 1, "128.00")],
                         created=now - 86_400_000, courier="中通快递", waybill="7731234567890"))
    d.load_default_phrases()
    lead = d.add_seat("小王", role=SeatRole.LEAD)
    d.sign_in(lead)
    return d


@pytest.fixture
def panel(qtbot, now_ms):
    desk = phrase_desk(now_ms)
    bridge = Bridge()
    bridge.listen(desk)
    p = ChatPanel(desk, bridge)
    p.resize(760, 620)
    qtbot.addWidget(p)
    p.show()
    p.open_conversation(1)
    p.composer.setFocus()
    return p


def test_slash_opens_only_where_a_word_starts():
    from PySide6.QtWidgets import QPlainTextEdit

    edit = QPlainTextEdit()
    for text, token in [("/", (0, "")), ("/hy", (0, "hy")), ("好的 /kj", (3, "kj")), ("好\n/cf", (2, "cf")),
                        ("1/2", None), ("http://x", None), ("/a b", None), ("/a/b", None)]:
        edit.setPlainText(text)
        edit.moveCursor(edit.textCursor().MoveOperation.End)
        assert slash_token(edit) == token, text


def test_slash_opens_the_picker_and_shortcut_search_ranks_first(qtbot, panel):
    qtbot.keyClick(panel.composer, Qt.Key.Key_Slash)
    picker = panel.quick.picker
    assert picker.isVisible()
    assert picker.model.rowCount() == len(panel._desk.phrases(1))  # the whole library, by stage
    assert picker.model.row_at(0).stage == "greeting"
    qtbot.keyClicks(panel.composer, "fh")
    assert picker.query == "fh" and picker.current().title == "发货时间"
    qtbot.keyClick(panel.composer, Qt.Key.Key_Backspace)
    qtbot.keyClick(panel.composer, Qt.Key.Key_Backspace)
    qtbot.keyClicks(panel.composer, "qtwly")  # pinyin initials of 七天无理由
    assert picker.current().title == "七天无理由"


def test_enter_inserts_the_phrase_with_the_chats_variables_and_sends_nothing(qtbot, panel):
    panel.composer.insertPlainText("好的 ")
    qtbot.keyClicks(panel.composer, "/hy")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert not panel.quick.picker.isVisible()
    assert panel.composer.text() == "好的 亲，欢迎光临棉麻生活馆～我是客服小王，有什么可以帮您的吗？"
    assert panel._desk.sent == []  # Enter chose the phrase; it did not send
    phrase = next(p for p in panel._desk.phrases(1) if p.title == "欢迎语")
    assert panel._desk.phrase_uses[(phrase.id, 1)] == 1
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)  # now Enter sends (taking the chat first)
    qtbot.waitUntil(lambda: panel._desk.sent == [
        (1, "好的 亲，欢迎光临棉麻生活馆～我是客服小王，有什么可以帮您的吗？")], timeout=2000)


def test_arrows_and_tab_pick_and_esc_closes_without_reopening(qtbot, panel):
    qtbot.keyClicks(panel.composer, "/")
    picker = panel.quick.picker
    first, second = picker.model.row_at(0), picker.model.row_at(1)
    qtbot.keyClick(panel.composer, Qt.Key.Key_Down)
    assert picker.current() == second
    qtbot.keyClick(panel.composer, Qt.Key.Key_Up)
    assert picker.current() == first
    qtbot.keyClicks(panel.composer, "zz")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Escape)
    assert not picker.isVisible() and panel.composer.text() == "/zz"
    qtbot.keyClicks(panel.composer, "x")  # the same "/" word: stays closed
    assert not picker.isVisible()
    qtbot.keyClicks(panel.composer, " /cf")  # a new one opens again
    assert picker.isVisible() and picker.current().shortcut == "cf"
    qtbot.keyClick(panel.composer, Qt.Key.Key_Tab)
    assert panel.composer.text().startswith("/zzx 亲，刚才聊到的宝贝")
    assert panel.composer.hasFocus()


def test_a_missing_variable_is_selected_to_type_over(qtbot, panel):
    qtbot.keyClicks(panel.composer, "/wl")  # 物流查询 needs {快递} and {运单号}; chat 1 has no order
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert panel.composer.textCursor().selectedText() == "{快递}"
    panel.open_conversation(2)  # this buyer's latest order fills them
    qtbot.keyClicks(panel.composer, "/wl")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert "中通快递" in panel.composer.text() and "7731234567890" in panel.composer.text()


def test_picking_the_bargaining_phrase_again_offers_the_next_answer(qtbot, panel):
    answers = []
    for _ in range(3):
        panel.composer.clear()
        qtbot.keyClicks(panel.composer, "/yj")
        assert panel.quick.picker.current().title == "议价（逐步让步）"
        qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
        answers.append(panel.composer.text())
    assert answers[0].startswith("亲，我们的价格都是公司统一定的")
    assert answers[1].startswith("亲，理解您想再优惠一点的心情")
    assert "礼品已经帮您备注好" in answers[2]


def test_ctrl_digit_inserts_a_favourite_in_the_reply_box(qtbot, panel):
    messages = []
    panel.status_message.connect(messages.append)
    qtbot.keyClick(panel.composer, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert panel.composer.text().startswith("亲，欢迎光临棉麻生活馆")
    desk = panel._desk
    desk.team_slots.pop(9)
    qtbot.keyClick(panel.composer, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert "Ctrl+9" in messages[-1]


def test_ctrl_slash_starts_a_slash_word_and_esc_takes_it_back(qtbot, panel):
    panel.composer.insertPlainText("好的")
    panel.quick.open_picker()
    assert panel.composer.text() == "好的 /" and panel.quick.picker.isVisible()
    qtbot.keyClick(panel.composer, Qt.Key.Key_Escape)
    assert panel.composer.text() == "好的 " and not panel.quick.picker.isVisible()


def test_a_chat_another_seat_holds_gets_no_picker(qtbot, panel):
    panel.composer.setReadOnly(True)
    qtbot.keyClicks(panel.composer, "/")
    assert not panel.quick.picker.isVisible()


def test_picker_model(qtmodeltester, panel):
    model = PhraseModel()
    model.set_rows(panel._desk.phrases(1), panel._desk.phrase_values(1))
    qtmodeltester.check(model)
    assert model.data(model.index(0), PhraseModel.PreviewRole).startswith("亲，欢迎光临棉麻生活馆")


def test_in_the_window_ctrl_digit_is_a_favourite_only_in_the_reply_box(qtbot, now_ms):
    desk = phrase_desk(now_ms)
    w = MainWindow(desk, notifier=Notifier(sound=SilentSound()))
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    w.open_conversation(1)
    w.chat.focus_composer()
    tab = w.inbox.tabs.currentIndex()
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert w.chat.composer.text() == "在的亲，马上为您查看，请稍等一下哦～"
    assert w.inbox.tabs.currentIndex() == tab and w.acts.show_all.isChecked()  # not the inbox's Ctrl+2
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_Escape)  # Esc, no picker: back to the inbox
    qtbot.keyClick(w.inbox.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert w.acts.show_waiting.isChecked()  # outside the box Ctrl+1 is the inbox's
    w.chat.focus_composer()
    w.acts.quick_reply.trigger()  # Ctrl+/ from anywhere
    assert w.chat.quick.picker.isVisible()


# -- the library manager ----------------------------------------------------------------------
@pytest.fixture
def dialog(qtbot, now_ms):
    desk = phrase_desk(now_ms)
    bridge = Bridge()
    bridge.listen(desk)
    d = PhrasesDialog(desk, bridge)
    qtbot.addWidget(d)
    d.reload()
    d.show()
    return d


def titles(d: PhrasesDialog) -> list[str]:
    out = []
    for i in range(d.tree.topLevelItemCount()):
        group = d.tree.topLevelItem(i)
        out += [group.child(j).text(0) for j in range(group.childCount())]
    return out


def test_the_library_is_grouped_by_stage_and_filters_by_pinyin(qtbot, dialog):
    assert dialog.tree.topLevelItemCount() == 10
    assert dialog.tree.topLevelItem(0).text(0).startswith("欢迎")
    dialog.filter.setText("qtwly")
    assert titles(dialog) == ["七天无理由"]
    dialog.filter.clear()
    dialog.scope.setCurrentIndex(2)  # mine: none yet
    assert titles(dialog) == []


def test_unknown_variables_are_flagged_as_you_type_and_refused_on_save(qtbot, dialog):
    dialog.new_phrase()
    dialog.title.setText("领券")
    dialog.text.setPlainText("亲，{优惠券} 记得领")
    dialog.run_check()
    assert "{优惠券}" in dialog.check.text() and dialog.check.isVisible()
    dialog.save()
    qtbot.waitUntil(lambda: "unknown variables" in dialog.check.text(), timeout=2000)
    assert "领券" not in [r.title for r in dialog._desk.phrases()]


def test_saving_a_red_line_asks_and_saving_anyway_is_logged(qtbot, dialog, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    dialog.new_phrase()
    dialog.title.setText("加微信")
    dialog.text.setPlainText("亲，加我微信 shop_8888 看实拍")
    dialog.run_check()
    assert "微信 shop_8888" in dialog.check.text()
    dialog.save()
    qtbot.waitUntil(lambda: "加微信" in titles(dialog), timeout=2000)
    assert asked and [c[3] for c in dialog._desk.phrase_calls if c[0] == "save"] == [False, True]
    assert dialog._desk.override_log[-1].kind == "phrase"


def test_a_new_phrase_with_escalation_and_a_favourite_key(qtbot, dialog):
    dialog.new_phrase()
    dialog.library.setCurrentIndex(1)  # my own
    dialog.stage.setCurrentIndex(dialog.stage.findData("bargain"))
    dialog.title.setText("砍价二")
    dialog.shortcut.setText("kj2")
    dialog.text.setPlainText("亲，{买家}，价格是公司定的\n---\n送您小礼品")
    dialog.key.setCurrentIndex(dialog.key.findData(7))
    dialog.run_check()
    assert "2" in dialog.preview.text() and "tb_小明" in dialog.preview.text()
    dialog.save()
    qtbot.waitUntil(lambda: "砍价二" in titles(dialog), timeout=2000)
    row = next(r for r in dialog._desk.phrases() if r.title == "砍价二")
    assert (row.team, row.slot, row.answers) == (False, 7, ("亲，{买家}，价格是公司定的", "送您小礼品"))


def test_an_agent_sees_the_team_library_read_only_and_may_copy_it(qtbot, dialog):
    desk = dialog._desk
    agent = desk.add_seat("小李")
    desk.sign_in(agent)
    dialog.reload()
    group = dialog.tree.topLevelItem(0)
    dialog.tree.setCurrentItem(group.child(0))
    assert not dialog.text.isEnabled() and dialog.copy_button.isVisible()
    dialog.copy_to_mine()
    qtbot.waitUntil(lambda: any(not r.team for r in desk.phrases()), timeout=2000)


def test_csv_export_and_import_through_the_dialog(qtbot, dialog, tmp_path):
    path = tmp_path / "p.csv"
    dialog.export_csv(str(path))
    qtbot.waitUntil(lambda: "写入" in dialog.status.text() or "written" in dialog.status.text(), timeout=2000)
    before = len(dialog._desk.phrases())
    dialog.import_csv(str(path))
    qtbot.waitUntil(lambda: len(dialog._desk.phrases()) == 2 * before, timeout=2000)


def test_money_is_formatted_for_amount(panel):
    values = panel._desk.phrase_values(2)
    assert values["金额"] == f"{Decimal('128.00'):.2f}" and values["订单号"]
