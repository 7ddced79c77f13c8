"""InboxDelegate: literal (never rich) text, waiting wording, and a long repaint run."""

from __future__ import annotations

import time

from fake_desk import big_desk
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView

from desktop.core.views import InboxFilter, InboxState
from desktop.ui.inbox_delegate import ROW_HEIGHT, InboxDelegate
from desktop.ui.inbox_model import InboxModel
from desktop.ui.inbox_panel import InboxPanel

HTML = "<b>x</b><img src=x>"


def test_markup_from_a_buyer_is_shown_literally(qtbot, now_ms):
    desk = big_desk(3, now_ms)
    desk.update_conversation(1, preview=HTML, buyer_nick="<i>nick</i>")
    delegate = InboxDelegate(clock=lambda: now_ms)
    texts = delegate.row_texts(desk.convs[1])
    assert texts.preview == HTML
    assert texts.buyer == "<i>nick</i>"
    model = InboxModel(desk)
    model.set_filter(InboxFilter(InboxState.ALL))
    row = model.row_of(1)
    assert model.data(model.index(row)) == "<i>nick</i>"


def test_waiting_text_in_chinese(now_ms):
    desk = big_desk(3, now_ms)
    conv = desk.update_conversation(3, waiting_since=now_ms - 192_000)
    texts = InboxDelegate(clock=lambda: now_ms).row_texts(conv)
    assert texts.waiting and texts.time == "等待 3分12秒"
    conv = desk.update_conversation(3, unread=150)
    assert InboxDelegate(clock=lambda: now_ms).row_texts(conv).unread == "99+"


def test_fixed_row_height(qtbot):
    delegate = InboxDelegate()
    assert delegate.sizeHint(QStyleOptionViewItem(), InboxModel(big_desk(1, 0)).index(0)).height() == ROW_HEIGHT


def test_ten_thousand_row_paints_do_not_crash(qtbot, now_ms):
    """PySide6 6.12 on CPython 3.11 lost a None reference per void call and aborted
    with `none_dealloc` after ~20 list repaints (performance-limits F1)."""
    desk = big_desk(40, now_ms)
    view = QTreeView()
    qtbot.addWidget(view)
    model = InboxModel(desk)
    model.set_filter(InboxFilter(InboxState.ALL))
    view.setModel(model)
    delegate = InboxDelegate(view)
    image = QImage(340, ROW_HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 340, ROW_HEIGHT)
    indexes = [model.index(r) for r in range(model.rowCount())]
    start = time.perf_counter()
    painter = QPainter(image)
    for i in range(10_000):
        delegate.paint(painter, option, indexes[i % len(indexes)])
    painter.end()
    assert time.perf_counter() - start < 20


class CountingDelegate(InboxDelegate):
    painted = 0

    def paint(self, painter, option, index):  # type: ignore[no-untyped-def]
        CountingDelegate.painted += 1
        super().paint(painter, option, index)


def test_waiting_clock_repaints_only_visible_rows(qtbot, now_ms):
    panel = InboxPanel(big_desk(2_000, now_ms))
    qtbot.addWidget(panel)
    panel.view.setItemDelegate(CountingDelegate(panel.view))
    panel.resize(340, 400)
    changed: list[object] = []
    panel.model.dataChanged.connect(lambda *a: changed.append(a))
    with qtbot.waitExposed(panel):
        panel.show()
    qtbot.wait(50)
    before = CountingDelegate.painted
    qtbot.waitUntil(lambda: CountingDelegate.painted > before, timeout=2500)  # the 1 s tick
    assert CountingDelegate.painted - before <= 15  # the ~6 visible rows, not 2,000
    assert changed == []  # a tick is a viewport update, never dataChanged
