"""Remappable shortcuts: every action found without a list, keys applied live and at start,
conflicts named and refused, reset to defaults, the F1 sheet following the keys."""

from __future__ import annotations

import pytest
from demo_desk import demo_desk
from fake_desk import FakeDesk
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui import prefs
from desktop.ui.actions import Actions
from desktop.ui.keymap import Keymap, conflicts, key_problem, passes_to_window
from desktop.ui.mainwindow import MainWindow
from desktop.ui.notifier import Notifier
from desktop.ui.shortcuts_dialog import CheatSheetDialog, KeymapDialog
from test_mainwindow import SilentSound

CTRL = Qt.KeyboardModifier.ControlModifier


def window(qtbot, desk) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(desk, notifier=Notifier(sound=SilentSound()))
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    return w


def keys(action) -> list[str]:  # type: ignore[no-untyped-def]
    return [k.toString() for k in action.shortcuts()]


# -- finding the actions ---------------------------------------------------------------------
def test_every_action_of_actions_is_remappable_under_its_attribute_name(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    acts = Actions(host)
    keymap = Keymap(acts)
    made = {name for name, value in vars(acts).items() if type(value).__name__ == "QAction"}
    assert {e.id for e in keymap.entries} >= made
    assert keymap.entry("end_chat").defaults == ("Ctrl+E",)
    assert keymap.entry("next_waiting").defaults == ("Ctrl+J",)
    assert keymap.entry("previous").defaults == ("Ctrl+Up", "Alt+Up")
    assert keymap.entry("new_seat").defaults == ()  # no default key, still remappable


def test_an_action_added_through_make_needs_no_keymap_code(qtbot):
    class MoreActions(Actions):
        def __init__(self, window: QWidget) -> None:
            super().__init__(window)
            self.summarize = self._make("&Summarize", "Ctrl+Alt+Y")
            self.favourites = [self._make(f"Favourite {i}", f"Ctrl+Alt+F{i}") for i in (1, 2)]

    host = QWidget()
    qtbot.addWidget(host)
    keymap = Keymap(MoreActions(host))
    assert keymap.entry("summarize").defaults == ("Ctrl+Alt+Y",)
    assert keymap.entry("favourites.2").defaults == ("Ctrl+Alt+F2",)
    keymap.save({"summarize": ("F9",)})
    assert keys(keymap.entry("summarize").action) == ["F9"]


def test_the_defaults_do_not_clash():
    host = QWidget()
    keymap = Keymap(Actions(host))
    assert conflicts(keymap.defaults()) == {}
    host.deleteLater()


# -- what may be a shortcut --------------------------------------------------------------------
@pytest.mark.parametrize(("key", "problem"), [
    ("Ctrl+J", None), ("F4", None), ("Esc", None), ("Alt+Shift+M", None), ("Ctrl+Shift+Home", "reserved"),
    ("J", "typing"), ("Shift+J", "typing"), ("/", "typing"), ("Return", "reserved"),
    ("Ctrl+Return", "reserved"), ("Ctrl+C", "reserved"), ("Down", "reserved"), ("Tab", "reserved"),
    ("Ctrl+K, Ctrl+J", "chord"),
])
def test_a_key_the_reply_box_needs_cannot_be_a_shortcut(key, problem):
    assert key_problem(key) == problem


# -- remapping -----------------------------------------------------------------------------------
def test_a_remapped_key_works_at_once_everywhere_and_after_a_restart(qtbot, now_ms):
    desk = demo_desk(now_ms)
    w = window(qtbot, desk)
    w.keymap.save({"end_chat": ("F8",)})
    assert keys(w.acts.end_chat) == ["F8"]
    assert "F8" in w.acts.end_chat.toolTip() and "Ctrl+E" not in w.acts.end_chat.toolTip()
    w.open_conversation(2)
    w.chat.focus_composer()
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_E, CTRL)  # the old key does nothing now
    assert desk.convs[2].state == "open"
    qtbot.keyClick(w.chat.composer, Qt.Key.Key_F8)
    assert desk.convs[2].state == "closed"
    assert prefs.get_json(prefs.SHORTCUTS) == {"end_chat": ["F8"]}  # only what differs

    again = window(qtbot, FakeDesk())  # the next start
    assert keys(again.acts.end_chat) == ["F8"]
    assert keys(again.acts.reply) == ["Ctrl+R"]


def test_page_and_tab_tooltips_follow_the_keys(qtbot):
    w = window(qtbot, FakeDesk())
    assert w.pages.tabToolTip(1) == "Alt+2"
    w.keymap.save({"show_orders": ("Ctrl+Alt+O",), "show_waiting": ("F6",)})
    assert w.pages.tabToolTip(1) == "Ctrl+Alt+O"
    assert w.inbox.tabs.tabToolTip(0) == "F6"


def test_key_hints_in_placeholders_and_tooltips_follow_a_remap(qtbot):
    w = window(qtbot, FakeDesk())
    assert "Ctrl+T" in w.buyer.tags.input.placeholderText()
    assert "Ctrl+4" in w.inbox.scope_buttons["mine"].toolTip()
    assert "Ctrl+D" in w.dunning_view.dun_button.text()
    w.keymap.save({"tag_buyer": ("F7",), "scope_mine": ("Ctrl+Alt+M",), "dun": ()})
    assert "F7" in w.buyer.tags.input.placeholderText() and "Ctrl+T" not in w.buyer.tags.input.placeholderText()
    assert "Ctrl+Alt+M" in w.inbox.scope_buttons["mine"].toolTip()
    assert "Ctrl+D" not in w.dunning_view.dun_button.text()  # no key now: it says so
    assert "Ctrl+L" in w.chat.follow_up_button.toolTip()  # untouched commands keep theirs
    w.keymap.reset_all()
    assert "Ctrl+T" in w.buyer.tags.input.placeholderText()


def test_a_stored_key_wins_over_a_default_and_garbage_is_ignored(qtbot):
    prefs.set_json(prefs.SHORTCUTS, {"next_waiting": ["Ctrl+E"], "no_such_action": ["F3"],
                                     "reply": ["J"], "refresh": "F5"})
    w = window(qtbot, FakeDesk())
    assert keys(w.acts.next_waiting) == ["Ctrl+E"]
    assert keys(w.acts.end_chat) == []  # gave its default to the agent's choice
    assert keys(w.acts.reply) == []  # a plain letter is never applied
    assert keys(w.acts.refresh) == ["F5"]
    all_keys = [k.toString() for a in w.actions() for k in a.shortcuts()]
    assert len(all_keys) == len(set(all_keys))


def test_saving_a_clash_or_a_typing_key_is_refused(qtbot):
    w = window(qtbot, FakeDesk())
    with pytest.raises(ValueError, match="claimed twice"):
        w.keymap.save({"next_waiting": ("Ctrl+E",)})
    with pytest.raises(ValueError, match="not usable"):
        w.keymap.save({"next_waiting": ("J",)})
    assert keys(w.acts.next_waiting) == ["Ctrl+J"] and keys(w.acts.end_chat) == ["Ctrl+E"]


def test_reset_all_brings_the_defaults_back(qtbot):
    w = window(qtbot, FakeDesk())
    w.keymap.save({"end_chat": ("F8",), "reply": ()})
    w.keymap.reset_all()
    assert keys(w.acts.end_chat) == ["Ctrl+E"] and keys(w.acts.reply) == ["Ctrl+R"]
    assert prefs.get_json(prefs.SHORTCUTS) == {}


def test_the_reply_box_lets_a_remapped_shortcut_through(qtbot):
    w = window(qtbot, FakeDesk())
    w.keymap.save({"next_waiting": ("Ctrl+Alt+Y",)})
    both = CTRL | Qt.KeyboardModifier.AltModifier
    press = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Y, both)
    assert passes_to_window(w.chat.composer, press)
    assert not passes_to_window(w.chat.composer, QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_J, CTRL))
    assert not passes_to_window(w.chat.composer, QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Y,
                                                           Qt.KeyboardModifier.NoModifier))
    press.accept()
    w.chat.composer.event(press)
    assert not press.isAccepted()  # not overridden: the window's action gets the key


# -- the remapping page ------------------------------------------------------------------------
def keymap_dialog(qtbot, w: MainWindow) -> KeymapDialog:  # type: ignore[no-untyped-def]
    w.acts.customize_keys.trigger()
    dialog = w.findChild(KeymapDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    return dialog


def record(qtbot, dialog: KeymapDialog, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)  # Enter on the command: record
    assert dialog.recorder.hasFocus()
    with qtbot.waitSignal(dialog.recorder.editingFinished, timeout=3000):
        qtbot.keyClick(dialog.recorder, key, mods)


def test_type_to_find_enter_press_the_keys_save(qtbot):
    w = window(qtbot, FakeDesk())
    dialog = keymap_dialog(qtbot, w)
    assert dialog.filter.hasFocus()
    qtbot.keyClicks(dialog.filter, "Ctrl+J")  # a key finds its command too
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    assert dialog.current_id() == "next_waiting" and dialog.tree.hasFocus()
    record(qtbot, dialog, Qt.Key.Key_F4)
    assert dialog.pending["next_waiting"] == ("F4",)
    assert dialog.items["next_waiting"].text(1) == "F4" and dialog.items["next_waiting"].font(1).bold()
    assert keys(w.acts.next_waiting) == ["Ctrl+J"]  # nothing applied before Save
    with qtbot.waitSignal(dialog.accepted, timeout=2000):  # a mnemonic animates the click
        qtbot.keyClick(dialog.tree, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # 保存(&S)
    assert keys(w.acts.next_waiting) == ["F4"]


def test_a_key_another_command_holds_is_named_and_moved_only_on_request(qtbot):
    w = window(qtbot, FakeDesk())
    dialog = keymap_dialog(qtbot, w)
    dialog.select("next_waiting")
    dialog.tree.setFocus()
    record(qtbot, dialog, Qt.Key.Key_E, CTRL)
    assert dialog.problem.text() == "Ctrl+E 已是“结束会话”的快捷键。请换一个键，或从该命令取走它。"
    assert dialog.pending["next_waiting"] == ("Ctrl+J",) and dialog.pending["end_chat"] == ("Ctrl+E",)
    assert dialog.take_button.isVisible() and dialog.take_button.hasFocus()
    qtbot.keyClick(dialog.take_button, Qt.Key.Key_Return)  # take it
    assert dialog.pending["next_waiting"] == ("Ctrl+E",) and dialog.pending["end_chat"] == ()
    assert dialog.items["end_chat"].text(1) == "—" and dialog.problem.text() == ""
    dialog.save()
    assert keys(w.acts.next_waiting) == ["Ctrl+E"] and keys(w.acts.end_chat) == []


def test_a_typing_key_is_refused_with_the_reason(qtbot):
    w = window(qtbot, FakeDesk())
    dialog = keymap_dialog(qtbot, w)
    dialog.select("reply")
    dialog.tree.setFocus()
    record(qtbot, dialog, Qt.Key.Key_R)
    assert "会被输入到回复框" in dialog.problem.text()
    assert dialog.pending["reply"] == ("Ctrl+R",) and dialog.tree.hasFocus()
    record(qtbot, dialog, Qt.Key.Key_C, CTRL)
    assert dialog.problem.text() == "Ctrl+C 留给回复框输入和编辑使用。"


def test_clear_default_and_reset_all(qtbot):
    w = window(qtbot, FakeDesk())
    w.keymap.save({"reply": ("F7",), "end_chat": ("F8",)})
    dialog = keymap_dialog(qtbot, w)
    dialog.select("reply")
    assert dialog.default_button.isEnabled()
    dialog.default_button.click()
    assert dialog.pending["reply"] == ("Ctrl+R",) and not dialog.default_button.isEnabled()
    dialog.clear_button.click()
    assert dialog.pending["reply"] == ()
    dialog.reset_all_button.click()
    assert dialog.pending == w.keymap.defaults()
    dialog.save()
    assert keys(w.acts.end_chat) == ["Ctrl+E"] and prefs.get_json(prefs.SHORTCUTS) == {}


def test_cancel_changes_nothing(qtbot):
    w = window(qtbot, FakeDesk())
    dialog = keymap_dialog(qtbot, w)
    dialog.select("reply")
    dialog.set_keys("reply", ("F7",))
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and keys(w.acts.reply) == ["Ctrl+R"]


# -- F1 ---------------------------------------------------------------------------------------------
def test_f1_lists_the_keys_as_they_are_now_by_menu(qtbot):
    w = window(qtbot, FakeDesk())
    qtbot.keyClick(w, Qt.Key.Key_F1)
    sheet = w.findChild(CheatSheetDialog)
    assert sheet is not None and sheet.isVisible()
    rows = sheet.rows()
    assert rows["下一位等待的买家"] == "Ctrl+J" and rows["结束会话"] == "Ctrl+E"
    assert "Enter" in rows["发送回复"]
    groups = [sheet.tree.topLevelItem(i).text(0) for i in range(sheet.tree.topLevelItemCount())]
    assert groups[:3] == ["会话", "买家", "视图"] and groups[-1] == "输入回复"  # menu bar order
    w.keymap.save({"end_chat": ("F8",)})  # live, even while it shows
    assert sheet.rows()["结束会话"] == "F8"
    qtbot.keyClicks(sheet.filter, "F8")
    shown = [sheet.tree.topLevelItem(i) for i in range(sheet.tree.topLevelItemCount())]
    assert [i.text(0) for i in shown if not i.isHidden()] == ["会话"]


def test_f1_customize_opens_the_remapping_page(qtbot):
    w = window(qtbot, FakeDesk())
    qtbot.keyClick(w, Qt.Key.Key_F1)
    sheet = w.findChild(CheatSheetDialog)
    qtbot.waitUntil(sheet.isActiveWindow, timeout=2000)
    qtbot.keyClick(sheet.filter, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), KeymapDialog), timeout=2000)
    qtbot.waitUntil(lambda: not w.findChildren(CheatSheetDialog), timeout=2000)  # closed, deleted


