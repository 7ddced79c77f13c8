"""A whole day at the desk without the mouse (issue 5, "Done means").

An agent (小王, signed in at start) works the demo shops' buyers with key presses
only: the longest-waiting buyer (Ctrl+J), a reply (typed; Chinese through the
input method's commit, as an IME delivers it), a tag (Ctrl+T), an order remark
(Ctrl+B), a transfer to a colleague (Ctrl+Shift+T), the end of a chat (Ctrl+E),
a lunch break (Ctrl+Alt+3 / Ctrl+Alt+1), the orders page (Alt+2), the cheat
sheet (F1), a remapped key, and then every remaining buyer until nobody waits.
No action is called directly and nothing is clicked: each step is a key event,
and each is checked by the desk call it caused.
"""

from __future__ import annotations

from demo_desk import demo_desk
from fake_desk import FakeDesk
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.core.routing import SeatStatus
from desktop.ui.mainwindow import MainWindow
from desktop.ui.notifier import Notifier
from desktop.ui.remark_dialog import RemarkDialog
from desktop.ui.shortcuts_dialog import CheatSheetDialog, KeymapDialog
from desktop.ui.transfer_dialog import TransferDialog
from test_mainwindow import SilentSound

NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
K = Qt.Key


class Agent:
    """Hands on the keyboard: every input goes to the widget that has the focus."""

    def __init__(self, qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.w = window

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key, mods: Qt.KeyboardModifier = NONE) -> None:
        self.qtbot.keyClick(self.focused(), key, mods)

    def type(self, text: str) -> None:
        """ASCII as key presses; anything else as an input method commits it."""
        if text.isascii():
            self.qtbot.keyClicks(self.focused(), text)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(text)
            QApplication.sendEvent(self.focused(), event)

    def wait_for(self, kind: type) -> QWidget:
        self.qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), kind), timeout=3000)
        return QApplication.activeWindow()

    def back_to_main(self) -> None:
        """A dialog closed: the window manager hands the focus back to the main window.
        The offscreen platform has none, so do its part (and nothing else)."""
        self.qtbot.waitUntil(lambda: not any(isinstance(t, QDialog) and t.isVisible()
                                             for t in QApplication.topLevelWidgets()), timeout=3000)
        if QApplication.activeWindow() is None:
            self.w.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.w, timeout=3000)


def mine_or_queue(desk: FakeDesk) -> list[int]:
    """Who waits for 小王, longest first (the rule Ctrl+J follows)."""
    rows = [r for r in desk.convs.values() if r.state == "open" and r.waiting_since is not None
            and r.seat_id in (None, desk.seat_id)]
    return [r.id for r in sorted(rows, key=lambda r: (r.waiting_since, r.id))]


def test_a_whole_day_without_the_mouse(qtbot, now_ms):
    desk = demo_desk(now_ms)
    w = MainWindow(desk, notifier=Notifier(sound=SilentSound()))
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded and desk.seat_id == desk.home_seat_id, timeout=3000)
    me = desk.seat_id
    agent = Agent(qtbot, w)
    QApplication.focusWidget() or w.inbox.view.setFocus()  # wherever the window put it

    # 08:30 — the shift starts: the badge says how many buyers wait
    qtbot.waitUntil(lambda: w.windowTitle().startswith(f"({len(mine_or_queue(desk))})"), timeout=3000)

    # the longest-waiting buyer, answered
    first = mine_or_queue(desk)[0]
    agent.press(K.Key_J, CTRL)
    assert w.chat.conversation_id == first and w.chat.composer.hasFocus()
    agent.type("您好，在的～有什么可以帮您？")
    agent.press(K.Key_Return)
    assert desk.sent[-1] == (first, "您好，在的～有什么可以帮您？")

    # the next one, answered and tagged; back to the reply box
    second = mine_or_queue(desk)[0]
    agent.press(K.Key_J, CTRL)
    assert w.chat.conversation_id == second
    agent.type("亲，今天 16 点前付款当天发货哦")
    agent.press(K.Key_Return)
    agent.press(K.Key_T, CTRL)
    assert w.buyer.tags.input.hasFocus()
    agent.type("VIP")
    agent.press(K.Key_Return)
    qtbot.waitUntil(lambda: "VIP" in w.buyer.tags.names(), timeout=3000)
    assert ("add", (desk.convs[second].buyer_id,), "tag", ("VIP",)) in desk.label_calls
    agent.press(K.Key_R, CTRL)
    assert w.chat.composer.hasFocus()

    # 10:00 — tb_小橘子 wants a new address: find her in the list, remark the order
    agent.press(K.Key_Escape)
    assert w.inbox.view.hasFocus()
    agent.press(K.Key_Home)
    for _ in range(w.inbox.model.rowCount()):
        if w.chat.conversation_id == 1:
            break
        agent.press(K.Key_Down)
    assert w.chat.conversation_id == 1
    agent.press(K.Key_B, CTRL)
    remark = agent.wait_for(RemarkDialog)
    assert remark.text_edit.hasFocus()
    agent.type("客户要求改地址为 文三路 138 号 5 幢 302 室")
    agent.press(K.Key_Return, CTRL)
    agent.back_to_main()
    order_id = desk.orders_for_conversation(1)[0].id
    assert desk.added_remarks[-1][:2] == (order_id, "客户要求改地址为 文三路 138 号 5 幢 302 室")

    # her question is about a parcel: hand her to 小李 (售后) with a reason
    agent.press(K.Key_T, CTRL | SHIFT)
    transfer = agent.wait_for(TransferDialog)
    agent.type("xiaoli")
    agent.press(K.Key_Return)
    assert transfer.reason.hasFocus()
    agent.type("改地址后的物流问题，转售后")
    agent.press(K.Key_Return)
    qtbot.waitUntil(lambda: desk.transfer_calls != [], timeout=3000)
    versions, how = desk.transfer_calls[-1]
    assert list(versions) == [1] and how["to_seat_id"] == desk.seat_named("小李")
    assert how["reason"] == "改地址后的物流问题，转售后"
    agent.back_to_main()  # the dialog closes itself when every chat moved
    assert desk.convs[1].seat_id == desk.seat_named("小李")

    # a sale closed: farewell and end the chat
    third = mine_or_queue(desk)[0]
    agent.press(K.Key_J, CTRL)
    assert w.chat.conversation_id == third
    agent.type("感谢您的支持，收到货满意的话给个好评哦～")
    agent.press(K.Key_Return)
    agent.press(K.Key_E, CTRL)
    assert desk.convs[third].state == "closed"

    # a buyer writes while the agent works: a chime, the badge goes up, Ctrl+J reaches them
    qtbot.waitUntil(lambda: w.notifier.unread == len(mine_or_queue(desk)), timeout=3000)
    before = w.notifier.unread
    with qtbot.waitSignal(w.notifier.unread_changed, timeout=3000):
        desk.buyer_says(40, "还有一个问题，能开发票吗", now_ms)  # 小王's, answered before
    assert w.notifier.unread == before + 1 and w.notifier.sound.started >= 1
    assert w.windowTitle().startswith(f"({before + 1})")

    # 12:00 — lunch: away, then back
    agent.press(K.Key_3, CTRL | ALT)
    assert desk.status_calls[-1] == (me, SeatStatus.AWAY)
    agent.press(K.Key_1, CTRL | ALT)
    assert desk.status_calls[-1] == (me, SeatStatus.ONLINE)

    # 14:00 — a look at every shop's orders, and back
    agent.press(K.Key_2, ALT)
    assert w.pages.currentIndex() == 1
    agent.press(K.Key_1, ALT)
    assert w.pages.currentIndex() == 0

    # the cheat sheet, then a key of one's own: F4 for the next waiting buyer
    agent.press(K.Key_F1)
    sheet = agent.wait_for(CheatSheetDialog)
    assert sheet.rows()["下一位等待的买家"] == "Ctrl+J"
    agent.press(K.Key_C, ALT)  # 自定义…(&C)
    keymap = agent.wait_for(KeymapDialog)
    agent.type("Ctrl+J")
    agent.press(K.Key_Down)
    assert keymap.current_id() == "next_waiting"
    agent.press(K.Key_Return)
    with qtbot.waitSignal(keymap.recorder.editingFinished, timeout=3000):
        agent.press(K.Key_F4)
    with qtbot.waitSignal(keymap.accepted, timeout=3000):
        agent.press(K.Key_S, ALT)  # 保存(&S)
    agent.back_to_main()

    # the afternoon: every buyer still waiting, longest first, answered and seen off
    afternoon = mine_or_queue(desk)
    queued = [c for c in afternoon if desk.convs[c].seat_id is None]
    assert len(afternoon) > 15 and queued
    answered = 0
    while mine_or_queue(desk):
        expected = [c for c in mine_or_queue(desk) if c != w.chat.conversation_id][:1] or mine_or_queue(desk)
        agent.press(K.Key_F4)
        cid = w.chat.conversation_id
        assert cid == expected[0] and w.chat.composer.hasFocus()
        agent.type("好的亲，马上为您处理")
        agent.press(K.Key_Return)
        qtbot.waitUntil(lambda cid=cid: desk.sent[-1] == (cid, "好的亲，马上为您处理"), timeout=3000)
        qtbot.waitUntil(lambda cid=cid: desk.convs[cid].waiting_since is None, timeout=3000)
        assert desk.convs[cid].seat_id == me  # a queued buyer was taken first
        agent.press(K.Key_E, CTRL)
        assert desk.convs[cid].state == "closed"
        answered += 1
        assert answered < 60
    assert answered == len(afternoon)
    assert all(desk.convs[c].state == "closed" for c in afternoon)

    # 17:30 — nobody waits: the badge is gone and Ctrl+J says so
    agent.press(K.Key_F4)
    assert w.statusBar().currentMessage() == "没有等待回复的买家"
    qtbot.waitUntil(lambda: w.notifier.unread == 0, timeout=3000)
    assert not w.windowTitle().startswith("(")
