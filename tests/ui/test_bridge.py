"""Bridge: engine-thread notices and futures arrive on the GUI thread, merged."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from fake_desk import FakeDesk
from PySide6.QtCore import QThread

from desktop.core.views import ChangeNotice
from desktop.ui.bridge import Bridge, assert_gui_thread, merge_notices


def test_notice_from_another_thread_is_delivered_on_the_gui_thread(qtbot):
    desk = FakeDesk()
    bridge = Bridge()
    bridge.listen(desk)
    seen: list[tuple[ChangeNotice, bool]] = []
    bridge.notice_arrived.connect(lambda n: seen.append((n, QThread.isMainThread())))
    notice = ChangeNotice(conversations=frozenset({7}))
    with qtbot.waitSignal(bridge.notice_arrived, timeout=2000):
        thread = desk.emit_from_thread(notice)
    assert thread is not threading.main_thread()
    assert seen == [(notice, True)]


def test_a_burst_of_notices_is_merged_into_one(qtbot):
    bridge = Bridge()
    seen: list[ChangeNotice] = []
    bridge.notice_arrived.connect(seen.append)

    def engine() -> None:
        for i in range(50):
            bridge.post_notice(ChangeNotice(conversations=frozenset({i}), buyer_messages=((i, "n", "t"),)))

    with qtbot.waitSignal(bridge.notice_arrived, timeout=2000):
        t = threading.Thread(target=engine)
        t.start()
        t.join()
    qtbot.wait(20)
    assert len(seen) == 1
    assert seen[0].conversations == frozenset(range(50))
    assert len(seen[0].buyer_messages) == 50


def test_future_callbacks_run_on_the_gui_thread(qtbot):
    bridge = Bridge()
    future: Future[int] = Future()
    got: list[tuple[int, bool]] = []
    bridge.when_done(future, lambda f: got.append((f.result(), QThread.isMainThread())))
    t = threading.Thread(target=future.set_result, args=(42,))
    t.start()
    t.join()
    assert got == []  # never synchronously on the engine thread
    qtbot.waitUntil(lambda: got == [(42, True)], timeout=2000)


def test_closed_bridge_drops_late_notices(qtbot):
    bridge = Bridge()
    seen: list[ChangeNotice] = []
    bridge.notice_arrived.connect(seen.append)
    bridge.close()
    bridge.post_notice(ChangeNotice(shops=frozenset({1})))
    qtbot.wait(20)
    assert seen == []


def test_gui_thread_assertion_fires_off_thread():
    errors: list[BaseException] = []

    def run() -> None:
        try:
            assert_gui_thread()
        except AssertionError as exc:
            errors.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert len(errors) == 1
    assert_gui_thread()  # and is silent here


def test_merge_keeps_everything():
    a = ChangeNotice(conversations=frozenset({1}), orders=frozenset({5}))
    b = ChangeNotice(new_conversations=frozenset({2}), shops=frozenset({3}), messages=frozenset({1}))
    m = merge_notices([a, b])
    assert (m.conversations, m.new_conversations, m.messages, m.orders, m.shops) == (
        {1}, {2}, {1}, {5}, {3})
    assert m and not ChangeNotice()


def test_merge_keeps_every_field_of_the_notice():
    """Field by field, so a field added to ChangeNotice later cannot be dropped."""
    from dataclasses import fields

    samples = []
    for i, f in enumerate(fields(ChangeNotice)):
        value = {frozenset: frozenset({i}), bool: True, tuple: ((i, "nick", "text"),)}
        kind = type(getattr(ChangeNotice(), f.name))
        samples.append(ChangeNotice(**{f.name: value[kind]}))
    merged = merge_notices(samples)
    for notice, f in zip(samples, fields(ChangeNotice)):
        assert getattr(merged, f.name) == getattr(notice, f.name), f.name
    assert merge_notices([ChangeNotice(labels=True), ChangeNotice()]).labels
