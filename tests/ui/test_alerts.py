"""Alerts: only this seat's buyers ring, per shop (pop-up, sound, tone), the mute schedule,
the badge of buyers waiting, a clicked pop-up opening its chat, and the settings page."""

from __future__ import annotations

from datetime import datetime

import pytest
from demo_desk import demo_desk
from fake_desk import FakeDesk
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from desktop.core.views import ChangeNotice
from desktop.ui import prefs
from desktop.ui.alert_rules import (
    QUIET,
    SHIFT,
    WORK_DAYS,
    MuteRange,
    Schedule,
    ShopAlert,
    parse_hhmm,
    schedule_from_json,
    shop_alerts_from_json,
    shop_alerts_to_json,
)
from desktop.ui.alerts_dialog import AlertsDialog
from desktop.ui.mainwindow import TITLE, MainWindow
from desktop.ui.notifier import Alert, Notifier, badge_icon, next_waiting, waiting_for_me
from test_mainwindow import SilentSound

MIN = 60_000
MONDAY_NOON = datetime(2026, 11, 23, 12, 30)  # a Monday


def at(day: int, hh: int, mm: int = 0) -> datetime:
    """Day 0 = Monday 23 Nov 2026."""
    return datetime(2026, 11, 23 + day, hh, mm)


# -- the rules ----------------------------------------------------------------------------------
def test_quiet_hours_mute_inside_and_shifts_mute_outside():
    lunch = MuteRange(QUIET, parse_hhmm("12:00"), parse_hhmm("13:00"))
    assert lunch.covers(at(0, 12, 0)) and lunch.covers(at(6, 12, 59))
    assert not lunch.covers(at(0, 13, 0)) and not lunch.covers(at(0, 11, 59))
    day_shift = MuteRange(SHIFT, parse_hhmm("08:30"), parse_hhmm("17:30"), WORK_DAYS)
    schedule = Schedule((lunch, day_shift))
    assert not schedule.muted_at(at(0, 9))  # on shift
    assert schedule.muted_at(at(0, 12, 15))  # lunch
    assert schedule.muted_at(at(0, 18))  # after the shift
    assert schedule.muted_at(at(5, 10))  # Saturday: no shift
    assert not Schedule().muted_at(at(5, 3))  # no schedule: never muted


def test_a_range_past_midnight_belongs_to_the_day_it_starts():
    late = MuteRange(SHIFT, parse_hhmm("17:00"), parse_hhmm("01:00"), frozenset({4}))  # Friday
    assert late.covers(at(4, 23)) and late.covers(at(5, 0, 30))
    assert not late.covers(at(5, 1)) and not late.covers(at(3, 23)) and not late.covers(at(4, 0, 30))
    assert MuteRange(QUIET, 0, 0, frozenset({6})).covers(at(6, 15))  # start == end: all day


def test_next_change_says_until_when():
    schedule = Schedule((MuteRange(QUIET, 12 * 60, 13 * 60),))
    assert schedule.next_change(MONDAY_NOON) == at(0, 13)
    assert schedule.next_change(at(0, 13, 5)) == at(1, 12)
    assert Schedule().next_change(MONDAY_NOON) is None


def test_rules_round_trip_and_bad_entries_are_dropped():
    schedule = Schedule((MuteRange(QUIET, 720, 780), MuteRange(SHIFT, 510, 1050, WORK_DAYS)))
    assert schedule_from_json(schedule.to_json()) == schedule
    data = [{"kind": "quiet", "start": "25:00", "end": "13:00"}, {"kind": "nap"}, "x",
            {"kind": "shift", "start": "08:00", "end": "12:00", "days": [0, 9]}]
    assert schedule_from_json(data) == Schedule((MuteRange(SHIFT, 480, 720, frozenset({0})),))
    alerts = {1: ShopAlert(), 2: ShopAlert(tray=False, tone="ding")}
    assert shop_alerts_to_json(alerts) == {"2": {"tray": False, "sound": True, "tone": "ding"}}
    assert shop_alerts_from_json({"2": {"tray": False, "tone": "siren"}, "x": {}}) == {2: ShopAlert(tray=False)}


# -- the notifier ----------------------------------------------------------------------------------
def notifier(desk: FakeDesk | None, *, now: datetime = MONDAY_NOON, window: QWidget | None = None) -> Notifier:
    n = Notifier(sound=SilentSound(), clock=lambda: now)
    if desk is not None:
        n.attach(desk, window)
    return n


def said(desk: FakeDesk, cid: int, text: str = "在吗") -> ChangeNotice:
    return ChangeNotice(conversations=frozenset({cid}), buyer_messages=((cid, desk.convs[cid].buyer_nick, text),))


@pytest.fixture
def desk(now_ms: int) -> FakeDesk:
    """demo_desk signed in as 小王: 小王 holds chat 2 (shop 2), 小李 chat 3, 13 is queued."""
    d = demo_desk(now_ms)
    d.seat_id = d.home_seat_id
    return d


def test_my_buyers_and_the_queue_ring_a_colleagues_do_not(desk):
    n = notifier(desk)
    assert n.decide(said(desk, 2)).popup == (2, "新消息 · 追风的少年", "在吗")
    assert n.decide(said(desk, 3)) == Alert()  # 小李's buyer
    assert n.decide(said(desk, 13)).tone == "chime"  # waits in the queue
    mixed = ChangeNotice(buyer_messages=((3, "快乐每一天88", "a"), (2, "追风的少年", "b"), (5, "山有木兮", "c")))
    assert n.decide(mixed).popup == (2, "新消息 · 追风的少年", "b")  # 小李's 3 and 5 are not counted
    desk.seat_id = None  # not signed in: every buyer
    assert n.decide(said(desk, 3)).popup is not None


def test_each_shop_has_its_own_switches_and_tone(desk):
    n = notifier(desk)
    n.set_shop_alerts({2: ShopAlert(tray=False, sound=True, tone="ding"), 4: ShopAlert(sound=False)})
    assert n.decide(said(desk, 2)) == Alert(None, "ding")  # shop 2: sound only, its own tone
    assert desk.convs[8].shop_id == 4
    alert = n.decide(said(desk, 8))
    assert alert.popup is not None and alert.tone is None  # shop 4: pop-up only
    assert Notifier(sound=SilentSound()).shop_alert(2) == ShopAlert(False, True, "ding")  # kept


def test_the_schedule_mutes_pop_up_and_sound(desk):
    schedule = Schedule((MuteRange(QUIET, 12 * 60, 13 * 60),))
    lunch = notifier(desk, now=at(0, 12, 30))
    lunch.set_schedule(schedule)
    assert lunch.decide(said(desk, 2)) == Alert()
    after = notifier(desk, now=at(0, 13, 5))
    assert after.schedule == schedule  # read back from the prefs
    assert after.decide(said(desk, 2)).tone == "chime"


def test_master_switches_still_apply(desk):
    n = notifier(desk)
    n.set_tray_muted(True)
    assert n.decide(said(desk, 2)) == Alert(None, "chime")
    n.set_sound_muted(True)
    assert n.decide(said(desk, 2)) == Alert()


def test_no_pop_up_while_the_window_is_in_front(qtbot, desk):
    front = QWidget()
    qtbot.addWidget(front)
    with qtbot.waitActive(front):
        front.show()
        front.activateWindow()
    n = notifier(desk, window=front)
    assert n.decide(said(desk, 2)) == Alert(None, "chime")  # the inbox shows it; the chime still rings


def test_notify_rings_the_shops_tone_once_per_burst(desk):
    n = notifier(desk)
    n.set_shop_alerts({2: ShopAlert(tone="bubble")})
    n.notify(said(desk, 2))
    n.notify(said(desk, 6))
    assert n.sound.tones == ["bubble"] and n.sound.started == 1
    assert n.sound.playing.name == "bubble.wav"
    assert [p[0] for p in n.popups] == [2, 6]


# -- the badge and the next waiting buyer -----------------------------------------------------------
def test_the_badge_counts_buyers_waiting_for_me_and_the_queue(qtbot, desk):
    mine_waiting = sum(1 for r in desk.convs.values() if r.state == "open" and r.seat_id == desk.seat_id
                       and r.waiting_since is not None)
    queued = sum(1 for r in desk.convs.values() if r.state == "open" and r.seat_id is None
                 and r.waiting_since is not None)
    assert waiting_for_me(desk) == mine_waiting + queued
    n = notifier(desk)
    with qtbot.waitSignal(n.unread_changed, timeout=2000) as seen:
        pass
    assert seen.args == [mine_waiting + queued] and n.unread == mine_waiting + queued
    assert "位买家等待回复" in n.tooltip()
    desk.seat_id = None
    assert waiting_for_me(desk) == sum(1 for r in desk.convs.values() if r.state == "open" and r.waiting_since)


def test_badge_icon_paints_a_count():
    base = QIcon(badge_icon(QIcon(), 0))
    assert badge_icon(base, 0) is base
    painted = badge_icon(QIcon(), 120).pixmap(64, 64).toImage()
    assert painted.pixelColor(60, 16).name() == "#e53935"  # the red pill, top right
    assert painted.pixelColor(8, 56).name() == "#1f6fd1"


def test_next_waiting_is_the_longest_wait_among_mine_and_the_queue(desk, now_ms):
    cid = next_waiting(desk)
    row = desk.convs[cid]
    assert row.seat_id in (None, desk.seat_id) and row.waiting_since is not None
    for other in desk.convs.values():
        if other.state == "open" and other.waiting_since and other.seat_id in (None, desk.seat_id):
            assert other.waiting_since >= row.waiting_since
    assert next_waiting(desk, skip=cid) != cid
    empty = FakeDesk()
    assert next_waiting(empty) is None


def window(qtbot, desk) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(desk, notifier=Notifier(sound=SilentSound()))
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    qtbot.waitUntil(lambda: w.loaded, timeout=2000)
    return w


def test_the_window_title_carries_the_badge_and_follows_replies(qtbot, now_ms):
    d = demo_desk(now_ms)
    w = window(qtbot, d)
    qtbot.waitUntil(lambda: w.windowTitle() == f"({waiting_for_me(d)}) {TITLE}", timeout=2000)
    before = w.notifier.unread
    mine = next(r.id for r in d.convs.values() if r.seat_id == d.seat_id and r.waiting_since)
    with qtbot.waitSignal(w.notifier.unread_changed, timeout=2000):
        d.send_message(mine, "您好")
    assert w.notifier.unread == before - 1 and w.windowTitle() == f"({before - 1}) {TITLE}"


def test_clicking_a_pop_up_opens_its_chat_with_the_reply_box_focused(qtbot, now_ms):
    d = demo_desk(now_ms)
    w = window(qtbot, d)
    w.notifier._window = None  # as if the window were behind another one
    with qtbot.waitSignal(w.bridge.notice_arrived, timeout=2000):
        d.buyer_says(7, "发票抬头可以开公司的吗？", now_ms)
    assert w.notifier.popups[-1][0] == 7
    w.notifier._on_tray_message_clicked()  # what QSystemTrayIcon.messageClicked calls
    assert w.chat.conversation_id == 7
    qtbot.waitUntil(w.chat.composer.hasFocus, timeout=2000)


# -- the settings page -------------------------------------------------------------------------------
def test_settings_page_by_keyboard_saves_per_shop_and_schedule(qtbot, now_ms):
    d = demo_desk(now_ms)
    w = window(qtbot, d)
    w.acts.alert_settings.trigger()
    dialog = w.findChild(AlertsDialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    assert dialog.table.hasFocus() and dialog.table.rowCount() == 4
    assert dialog.table.item(0, 0).text() == "棉麻生活馆 · 沙箱·淘系"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)  # 小鹿童装旗舰店, pop-up column
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)  # pop-up off
    assert dialog.alerts[2] == ShopAlert(tray=False)
    assert dialog.tone_label.text() == "小鹿童装旗舰店的提示音："
    dialog.tone.setFocus()
    qtbot.keyClick(dialog.tone, Qt.Key.Key_Down)  # 叮咚
    assert dialog.alerts[2] == ShopAlert(tray=False, tone="ding")
    assert dialog.state_label.text() == "未设静音时段：任何时间都会提醒。"
    qtbot.keyClick(dialog.tone, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)  # 添加免打扰时段(&Q)
    qtbot.waitUntil(lambda: len(dialog.ranges) == 1, timeout=2000)
    assert dialog.range_list.item(0).text() == "免打扰 · 每天 · 12:00–13:00"
    qtbot.waitUntil(dialog.start.hasFocus, timeout=2000)
    dialog.start.setTime(dialog.start.time().addSecs(-30 * 60))  # 11:30
    dialog.days[6].setChecked(False)
    assert dialog.range_list.item(0).text() == "免打扰 · 周一、周二、周三、周四、周五、周六 · 11:30–13:00"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.range_list, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert w.notifier.shop_alert(2) == ShopAlert(tray=False, tone="ding")
    assert w.notifier.schedule == Schedule((MuteRange(QUIET, 690, 780, frozenset(range(6))),))
    assert prefs.get_json(prefs.MUTE_SCHEDULE) == [
        {"kind": "quiet", "start": "11:30", "end": "13:00", "days": [0, 1, 2, 3, 4, 5]}]


def test_settings_page_master_switches_follow_the_menu(qtbot, now_ms):
    w = window(qtbot, demo_desk(now_ms))
    dialog = AlertsDialog(w.desk, w.notifier, w)
    dialog.accepted.connect(w._on_alert_settings_accepted)
    dialog.sound_box.setChecked(False)
    dialog.save()
    assert w.notifier.sound_muted and not w.acts.sound.isChecked() and w.acts.tray.isChecked()


def test_state_line_says_what_the_schedule_means_now(qtbot):
    dialog = AlertsDialog(FakeDesk(), Notifier(sound=SilentSound()))
    qtbot.addWidget(dialog)
    dialog.add_range(MuteRange(QUIET, 12 * 60, 13 * 60))
    assert dialog.state_text(at(0, 12, 30)) == "现在静音，直到 13:00。"
    assert dialog.state_text(at(0, 13, 30)) == "现在会提醒；周二 12:00 起静音。"
    dialog.add_range(MuteRange(SHIFT, 22 * 60, 6 * 60, WORK_DAYS))
    assert dialog.range_list.item(1).text() == "我的班次 · 周一至周五 · 22:00–06:00（至次日）"
    dialog.remove_range()
    assert len(dialog.ranges) == 1


def test_a_mute_from_the_command_line_is_not_saved_as_the_agents_choice(desk):
    from desktop.ui import prefs

    muted = Notifier(sound=SilentSound(), muted=True)  # seatdesk --mute
    assert muted.sound_muted and muted.tray_muted
    muted.set_sound_muted(True)  # the alert settings saved while muted for the session
    muted.set_tray_muted(True)
    assert not prefs.get_bool(prefs.SOUND_MUTED) and not prefs.get_bool(prefs.TRAY_MUTED)
    assert not Notifier(sound=SilentSound()).sound_muted  # the next ordinary start rings
    muted.set_sound_muted(False)  # turned back on by hand: that is saved
    assert not muted.sound_muted and not prefs.get_bool(prefs.SOUND_MUTED)
    Notifier(sound=SilentSound()).set_sound_muted(True)  # an ordinary start: saved
    assert prefs.get_bool(prefs.SOUND_MUTED)
