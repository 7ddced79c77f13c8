"""The demo by keyboard: the real app core (`seatdesk --demo`'s, sandbox on loopback) under
the real main window, worked with key presses only; each step is checked in the store
and on the platform (a reply delivered through the outbox, a transfer, an ended chat)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.core.views import InboxFilter, InboxState

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def ui_prefs(qapp, tmp_path):
    """The window's QSettings in a temp dir, never the user's."""
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "prefs"))
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def demo(tmp_path):
    from desktop.app import core_with_sandbox

    data = tmp_path / "demo"
    data.mkdir()
    core = core_with_sandbox(data, None, demo=True, connect=None)
    yield core
    core.close()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    if text.isascii():
        qtbot.keyClicks(focused(), text)
    else:  # as an input method commits Chinese
        event = QInputMethodEvent("", [])
        event.setCommitString(text)
        QApplication.sendEvent(focused(), event)


def test_the_demo_worked_by_keyboard(qtbot, ui_prefs, demo):
    from desktop.ui.mainwindow import TITLE, MainWindow
    from desktop.ui.notifier import Notifier, SoundPlayer
    from desktop.ui.transfer_dialog import TransferDialog

    class Silent(SoundPlayer):
        def _start(self) -> None:
            pass

    desk = demo.desk
    w = MainWindow(desk, notifier=Notifier(sound=Silent()))
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded and desk.seat_id is not None, timeout=10_000)
    me = desk.seat_id
    li = next(s.id for s in desk.seats() if s.profile.name == "li")
    mine = InboxFilter(state=InboxState.WAITING, seat_id=me)
    qtbot.waitUntil(lambda: desk.count_conversations(mine) >= 2, timeout=30_000)  # routing gave us buyers
    w.inbox.focus_list()

    def key(k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(focused(), k, mods)

    def back_to_main() -> None:
        qtbot.waitUntil(lambda: not any(isinstance(t, QDialog) and t.isVisible()
                                        for t in QApplication.topLevelWidgets()), timeout=5000)
        if QApplication.activeWindow() is None:  # offscreen: no window manager to do it
            w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)

    def delivered(cid: int, text: str) -> bool:
        return any(m.direction == "out" and m.text == text and m.state == "sent"
                   for m in desk.messages(cid, 500))

    # Ctrl+J: the longest-waiting buyer, the reply box ready; Enter sends through the outbox
    key(Qt.Key.Key_J, CTRL)
    first = w.chat.conversation_id
    assert first is not None and w.chat.composer.hasFocus()
    row = desk.conversation_rows([first])[first]
    assert row.waiting_since is not None and row.seat_id in (None, me)
    type_text(qtbot, "您好，在的～有什么可以帮您？")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: delivered(first, "您好，在的～有什么可以帮您？"), timeout=20_000)

    # Ctrl+T: tag the buyer
    key(Qt.Key.Key_T, CTRL)
    assert w.buyer.tags.input.hasFocus()
    type_text(qtbot, "VIP")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "VIP" in [t.name for t in desk.buyer_profile(first).tags], timeout=10_000)

    # Ctrl+Shift+T: hand the buyer to 小李 with a reason
    key(Qt.Key.Key_T, CTRL | SHIFT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), TransferDialog), timeout=5000)
    type_text(qtbot, "li")
    key(Qt.Key.Key_Return)
    type_text(qtbot, "售后问题转售后")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.conversation_rows([first])[first].seat_id == li, timeout=10_000)
    assert desk.conversation_rows([first])[first].transfer.reason == "售后问题转售后"
    back_to_main()  # the dialog closes itself when every chat moved

    # the next buyer: answered, then the chat ended with Ctrl+E
    key(Qt.Key.Key_J, CTRL)
    second = w.chat.conversation_id
    assert second not in (None, first) and w.chat.composer.hasFocus()
    type_text(qtbot, "好的亲，已为您安排今天发货")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: delivered(second, "好的亲，已为您安排今天发货"), timeout=20_000)
    key(Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: desk.conversation_rows([second])[second].state == "closed", timeout=10_000)

    # the badge in the title counts who still waits for this seat (buyers keep coming)
    qtbot.waitUntil(lambda: w.notifier.unread > 0
                    and w.windowTitle() == f"({w.notifier.unread}) {TITLE}", timeout=5000)
    w.close()
