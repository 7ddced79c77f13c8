"""Chat pane: plain-text bubbles, send states, retry, composer keys, mark read."""

from __future__ import annotations

import time

from fake_desk import FakeDesk
from PySide6.QtCore import QEvent, QPointF, QRect, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem

from desktop.core.views import ChangeNotice
from desktop.ui.bridge import Bridge
from desktop.ui.chat_model import MessageModel
from desktop.ui.chat_panel import ChatPanel

HTML = "<b>x</b><img src=x>"


def chat_desk(now: int) -> FakeDesk:
    d = FakeDesk()
    d.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    d.add_conversation(1, 1, "tb_小橘子", "在吗", now - 60_000, waiting_since=now - 60_000, unread=2)
    d.add_message(1, "in", "在吗？这款有 L 码吗", now - 60_000)
    d.add_message(1, "in", HTML, now - 50_000)
    d.add_conversation(2, 1, "<i>追风</i>", "hi", now - 10_000)
    return d


def make_panel(qtbot, desk: FakeDesk) -> tuple[ChatPanel, Bridge]:
    bridge = Bridge()
    bridge.listen(desk)
    bridge.notice_arrived.connect(lambda n: panel.apply_notice(n))
    panel = ChatPanel(desk, bridge)
    panel.resize(640, 600)
    qtbot.addWidget(panel)
    panel.show()
    return panel, bridge


def states(panel: ChatPanel) -> list[tuple[str, str]]:
    return [(m.text, m.state) for m in panel.model.rows()]


def test_buyer_markup_is_shown_literally_everywhere(qtbot, now_ms):
    desk = chat_desk(now_ms)
    panel, _ = make_panel(qtbot, desk)
    panel.open_conversation(1)
    msg = panel.model.row_at(1)
    assert panel.delegate.display_text(msg) == HTML
    panel.open_conversation(2)
    assert panel.buyer_label.text() == "<i>追风</i>"
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_opening_marks_read(qtbot, now_ms):
    desk = chat_desk(now_ms)
    panel, _ = make_panel(qtbot, desk)
    panel.open_conversation(1)
    assert desk.read == [1]
    assert desk.convs[1].unread == 0


def test_send_shows_pending_then_sent(qtbot, now_ms):
    desk = chat_desk(now_ms)
    panel, bridge = make_panel(qtbot, desk)
    panel.open_conversation(1)
    panel.composer.insertPlainText("亲，有的")  # QTest.keyClicks is ASCII-only
    with qtbot.waitSignal(bridge.notice_arrived, timeout=2000):
        qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert panel.composer.text() == ""
    assert desk.sent == [(1, "亲，有的")]
    assert states(panel)[-1] == ("亲，有的", "pending")
    assert panel.delegate.meta_text(panel.model.row_at(2)).startswith("◷ 发送中")

    with qtbot.waitSignal(bridge.notice_arrived, timeout=2000):
        desk.emit_from_thread(ChangeNotice())  # nothing: ignored by the bridge
        desk.settle(panel.model.row_at(2).id)
    assert states(panel)[-1] == ("亲，有的", "sent")
    assert panel.delegate.meta_text(panel.model.row_at(2)).startswith("✓ 已发送")


def test_failed_send_shows_error_and_retry_calls_the_outbox(qtbot, now_ms):
    desk = chat_desk(now_ms)
    panel, bridge = make_panel(qtbot, desk)
    panel.open_conversation(1)
    panel.composer.setPlainText("今天发货")
    with qtbot.waitSignal(bridge.notice_arrived, timeout=2000):
        panel.send_current()
    with qtbot.waitSignal(bridge.notice_arrived, timeout=2000):
        desk.settle(panel.model.row_at(2).id, error="平台限流（429）")
    failed = panel.model.row_at(2)
    assert failed.state == "failed" and failed.error == "平台限流（429）"
    assert panel.delegate.meta_text(failed).startswith("⚠ 发送失败")

    # Click the painted "重试" link.
    index = panel.model.index(2)
    rect = panel.view.visualRect(index)
    geo = panel.delegate.geometry(failed, QRect(rect.left(), rect.top(), panel.view.viewport().width(), 10))
    assert geo.retry is not None
    click = geo.retry.center()
    option = QStyleOptionViewItem()
    option.rect = rect
    event = QMouseEvent(QEvent.Type.MouseButtonRelease, QPointF(click), QPointF(click), Qt.MouseButton.LeftButton,
                        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(bridge.notice_arrived, timeout=2000):
        assert panel.delegate.editorEvent(event, panel.model, option, index)
    assert desk.retried == [failed.outbox_id]
    assert panel.model.row_at(2).state == "pending"


def test_composer_keys(qtbot, now_ms):
    desk = chat_desk(now_ms)
    panel, _ = make_panel(qtbot, desk)
    panel.open_conversation(1)
    qtbot.keyClicks(panel.composer, "   ")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert desk.sent == []  # whitespace never sends
    panel.composer.clear()
    panel.composer.insertPlainText("第一行")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    panel.composer.insertPlainText("第二行")
    assert panel.composer.text() == "第一行\n第二行"
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert desk.sent == [(1, "第一行\n第二行")]


def test_a_send_the_engine_refuses_gives_the_text_back(qtbot, now_ms):
    desk = chat_desk(now_ms)
    desk.send_error = RuntimeError("会话已关闭")
    panel, _ = make_panel(qtbot, desk)
    panel.open_conversation(1)
    panel.composer.setPlainText("还在吗")
    panel.send_current()
    qtbot.waitUntil(lambda: panel.error_label.isVisible(), timeout=2000)
    assert "会话已关闭" in panel.error_label.text()
    assert panel.composer.text() == "还在吗"


def test_huge_message_does_not_freeze(qtbot, now_ms):
    desk = chat_desk(now_ms)
    desk.add_message(1, "in", ("很长的一段话，" * 700 + "https://example.com/" + "a" * 2000)[:10_000], now_ms)
    panel, _ = make_panel(qtbot, desk)
    start = time.perf_counter()
    panel.open_conversation(1)
    panel.view.grab()
    panel.resize(500, 600)  # re-wrap at another width
    panel.view.grab()
    assert time.perf_counter() - start < 3.0


def test_new_message_appends_without_reset(qtbot, now_ms):
    desk = chat_desk(now_ms)
    panel, bridge = make_panel(qtbot, desk)
    panel.open_conversation(1)
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(bridge.notice_arrived, timeout=2000):
        desk.buyer_says(1, "还有优惠吗", now_ms)
    assert [m.text for m in panel.model.rows()][-1] == "还有优惠吗"
    assert resets == []


def test_message_model_passes_qtmodeltester(qtmodeltester, now_ms):
    model = MessageModel()
    model.replace(chat_desk(now_ms).messages(1))
    qtmodeltester.check(model)
