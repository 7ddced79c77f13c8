"""MainWindow: starts over an empty store, wires notices and shortcuts, lists plugins."""

from __future__ import annotations

import time

from demo_desk import demo_desk
from fake_desk import FakeDesk
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from desktop.core.views import ChangeNotice, InboxState
from desktop.ui.dialogs import PluginsDialog
from desktop.ui.mainwindow import MainWindow
from desktop.ui.notifier import Notifier, SoundPlayer


class SilentSound(SoundPlayer):
    def __init__(self) -> None:
        super().__init__(min_interval=1.0)
        self.started = 0

    def _start(self) -> None:
        self.started += 1


def window(qtbot, desk) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(desk, notifier=Notifier(sound=SilentSound()))
    qtbot.addWidget(w)
    with qtbot.waitActive(w):  # window shortcuts need the active window
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    return w


def test_starts_fast_over_an_empty_store(qtbot):
    desk = FakeDesk()
    start = time.perf_counter()
    w = MainWindow(desk, notifier=Notifier(sound=SilentSound()))
    qtbot.addWidget(w)
    w.show()
    assert time.perf_counter() - start < 1.0
    assert desk.id_calls == []  # nothing read before the first frame
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    assert w.shop_strip.none_label.isVisible()
    assert w.windowTitle() == "SeatDesk 多店客服工作台"
    assert w.inbox.model.rowCount() == 0
    assert w.chat.stack.currentIndex() == 0  # the "pick a conversation" page


def test_store_filling_up_shows_in_the_inbox(qtbot, now_ms):
    desk = FakeDesk()
    w = window(qtbot, desk)
    desk.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    desk.add_conversation(1, 1, "tb_小橘子", "在吗", now_ms, waiting_since=now_ms)
    desk.emit_from_thread(ChangeNotice(shops=frozenset({1}), new_conversations=frozenset({1})))
    qtbot.waitUntil(lambda: w.inbox.model.rowCount() == 1, timeout=2000)
    assert [c.text() for c in w.shop_strip.chips()] == ["棉麻生活馆 已连接"]
    assert w.inbox.shop_filter.count() == 2


def test_selecting_opens_chat_and_orders_and_shortcuts_navigate(qtbot, now_ms):
    desk = demo_desk(now_ms)
    w = window(qtbot, desk)
    first = w.inbox.model.id_at(0)
    w.inbox.view.setCurrentIndex(w.inbox.model.index(0))
    assert w.chat.conversation_id == first
    assert desk.read[-1] == first
    w.chat.focus_composer()
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert w.chat.conversation_id == w.inbox.model.id_at(1)
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert w.chat.conversation_id == first
    qtbot.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert w.inbox.model.filter.state is InboxState.WAITING
    qtbot.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert w.inbox.model.filter.state is InboxState.CLOSED
    assert w.acts.show_closed.isChecked()
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_Escape)
    assert w.inbox.view.hasFocus()


def test_ctrl_e_ends_the_open_chat_and_moves_to_the_next_buyer(qtbot, now_ms):
    desk = demo_desk(now_ms)
    w = window(qtbot, desk)
    first, second = w.inbox.model.id_at(0), w.inbox.model.id_at(1)
    w.inbox.view.setCurrentIndex(w.inbox.model.index(0))
    w.chat.focus_composer()
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert desk.convs[first].state == "closed"
    assert w.chat.conversation_id == second
    qtbot.waitUntil(lambda: w.inbox.model.row_of(first) is None, timeout=2000)  # left the open inbox
    qtbot.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert first in [w.inbox.model.id_at(r) for r in range(w.inbox.model.rowCount())]


def test_opening_the_demo_chat_fills_every_pane(qtbot, now_ms):
    w = window(qtbot, demo_desk(now_ms))
    w.open_conversation(1)
    assert w.chat.buyer_label.text() == "tb_小橘子"
    assert len(w.orders.cards) == 2
    assert w.inbox.view.currentIndex().row() == w.inbox.model.row_of(1)
    for label in w.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_buyer_message_notifies_once_per_second(qtbot, now_ms):
    desk = demo_desk(now_ms)
    w = window(qtbot, desk)
    sound = w.notifier.sound
    for text in ("在吗", "在吗？？"):
        with qtbot.waitSignal(w.bridge.notice_arrived, timeout=2000):
            desk.buyer_says(2, text, now_ms)
    assert sound.started == 1  # rate-limited


def test_mute_all_silences_sound_and_tray_and_is_remembered(qtbot, now_ms):
    desk = demo_desk(now_ms)
    w = window(qtbot, desk)
    qtbot.keyClick(w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert w.notifier.sound_muted and w.notifier.tray_muted
    assert not w.acts.sound.isChecked()
    with qtbot.waitSignal(w.bridge.notice_arrived, timeout=2000):
        desk.buyer_says(2, "在吗", now_ms)
    assert w.notifier.sound.started == 0
    assert Notifier(sound=SilentSound()).sound_muted  # stored in QSettings
    qtbot.keyClick(w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not w.notifier.sound_muted and w.acts.tray.isChecked()


def test_popup_text_is_plain_and_short():
    n = Notifier(sound=SilentSound())
    title, body = n.popup_text("阿May", "<b>优惠券</b>" + "很长" * 100)
    assert title == "新消息 · 阿May"
    assert len(body) <= 80 * 5 and body.endswith("…")
    assert "<b>" not in body  # escaped for freedesktop servers, shown literally


def test_plugins_dialog_lists_broken_plugins_with_their_error(qtbot, now_ms):
    desk = demo_desk(now_ms)
    dialog = PluginsDialog(desk.plugin_statuses())
    qtbot.addWidget(dialog)
    rows = [[dialog.tree.topLevelItem(i).text(c) for c in range(4)] for i in range(dialog.tree.topLevelItemCount())]
    assert rows[0] == ["sandbox-tb", "sandbox-tb", "0.1.0", "已加载"]
    assert rows[2][3].startswith("失败：ImportError")


def test_plugins_action_opens_the_dialog(qtbot, now_ms):
    w = window(qtbot, demo_desk(now_ms))
    seen: list[str] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            seen.append(dialog.windowTitle())
            dialog.reject()

    QTimer.singleShot(50, close_it)
    w.acts.plugins.trigger()
    assert seen == ["平台插件"]


def test_language_choice_is_stored_for_next_start(qtbot):
    from desktop.ui import prefs

    w = window(qtbot, FakeDesk())
    w.acts.lang_en.trigger()
    assert prefs.language() == "en"
    w.acts.lang_zh.trigger()
    assert prefs.language() == "zh_CN"


def test_frequent_actions_have_their_shortcuts_in_menus_and_tooltips(qtbot):
    w = window(qtbot, FakeDesk())
    a = w.acts
    expected = {
        a.show_waiting: "Ctrl+1", a.show_all: "Ctrl+2", a.show_closed: "Ctrl+3", a.filter_shop: "Ctrl+F",
        a.previous: "Ctrl+Up", a.next: "Ctrl+Down", a.back_to_inbox: "Esc", a.refresh: "F5",
        a.mute_all: "Ctrl+M", a.reply: "Ctrl+R", a.end_chat: "Ctrl+E",
    }
    for action, key in expected.items():
        assert action.shortcuts()[0].toString() == key
        assert "(&" not in action.toolTip() and key.split("+")[0] in action.toolTip()
    assert [k.toString() for k in a.previous.shortcuts()] == ["Ctrl+Up", "Alt+Up"]
    sheet = dict(a.cheat_sheet())
    assert sheet["待回复"] == "Ctrl+1"
    assert "Enter" in sheet["发送回复"]
    all_keys = [k.toString() for act in w.actions() for k in act.shortcuts()]
    assert len(all_keys) == len(set(all_keys))  # no ambiguous shortcut


def test_a_startup_problem_is_shown_as_a_banner(qtbot):
    w = window(qtbot, FakeDesk())
    assert not w.problem.isVisible()
    w.show_problem("系统钥匙串不可用")
    assert w.problem.isVisible() and w.problem.label.text() == "系统钥匙串不可用"


def test_a_notice_that_changes_may_have_been_missed_reloads_the_views(qtbot, now_ms):
    from desktop.core.views import ChangeNotice

    desk = FakeDesk()
    desk.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    desk.add_conversation(1, 1, "小橘子", "这件有XL吗", now_ms - 60_000, waiting_since=now_ms - 60_000)
    w = window(qtbot, desk)
    refreshed: list[bool] = []
    w.refresh = lambda: refreshed.append(True)  # type: ignore[method-assign]
    desk.emit(ChangeNotice(everything=True))  # the team channel reconnected
    qtbot.waitUntil(lambda: refreshed == [True], timeout=2000)
