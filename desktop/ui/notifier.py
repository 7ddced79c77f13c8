"""New-buyer-message alerts: a tray pop-up and a chime per shop, the mute schedule, the badge.

Only this seat's chats alert: when signed in, a buyer message counts if this seat
holds the chat or nobody does (the queue); in team mode every seat's app hears
every notice, and a colleague's buyers must not ring here. Each shop has its own
switches and sound (alert_rules.ShopAlert); quiet hours and shifts mute both
(alert_rules.Schedule). The pop-up shows while the window is not the active one
(in front, the inbox already shows the message); clicking it opens the chat.

The badge is the number of buyers waiting for this seat's reply (mine + the
queue; every waiting chat when no seat is signed in): in the window title, the
tray icon and its tooltip, and the taskbar or dock where Qt can badge the app.

PySide6-Essentials ships no QtMultimedia, so the chime is played by the
platform's own player (paplay / aplay / afplay in a detached process, or
winsound on Windows), falling back to `QApplication.beep()`.
"""

from __future__ import annotations

import html
import logging
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from desktop.core.views import ChangeNotice, InboxFilter, InboxState

from . import prefs
from .alert_rules import (
    DEFAULT_TONE,
    TONES,
    Schedule,
    ShopAlert,
    schedule_from_json,
    shop_alerts_from_json,
    shop_alerts_to_json,
)
from .deskapi import DeskLike
from .formatting import truncate
from .resources import resource_path

log = logging.getLogger("seatdesk.ui")

PLAYERS = ("paplay", "aplay", "afplay")
TONE_FILES = {"chime": "new_message.wav", "ding": "ding.wav", "bubble": "bubble.wav"}
assert set(TONE_FILES) == set(TONES)


def tone_path(tone: str) -> Path:
    return resource_path("sounds", TONE_FILES.get(tone, TONE_FILES[DEFAULT_TONE]))


class SoundPlayer:
    """At most one chime per `min_interval` seconds: a burst of 20 messages is one sound."""

    def __init__(
        self,
        wav: Path | None = None,
        *,
        min_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.wav = wav or tone_path(DEFAULT_TONE)
        self._min_interval = min_interval
        self._clock = clock
        self._last = -1e9
        self.player = next((p for p in PLAYERS if shutil.which(p)), None)
        self.playing = self.wav  # the file _start() plays
        self.tones: list[str] = []  # every tone started, newest last

    def play(self, tone: str | None = None) -> bool:
        """Returns whether a sound was started (False when rate-limited)."""
        now = self._clock()
        if now - self._last < self._min_interval:
            return False
        self._last = now
        self.playing = self.wav if tone is None else tone_path(tone)
        self.tones.append(tone or DEFAULT_TONE)
        self._start()
        return True

    def _start(self) -> None:
        wav = self.playing
        if sys.platform == "win32" and wav.exists():
            import winsound  # stdlib, Windows only

            flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
            winsound.PlaySound(str(wav), flags)
        elif self.player and wav.exists():
            started, _pid = QProcess.startDetached(self.player, [str(wav)])
            if not started:
                QApplication.beep()
        else:
            QApplication.beep()


@dataclass(frozen=True, slots=True)
class Alert:
    """What one notice rings: a pop-up (conversation, title, body) and/or a tone."""

    popup: tuple[int, str, str] | None = None
    tone: str | None = None


def waiting_for_me(desk: DeskLike) -> int:
    """Buyers waiting for this seat's reply: its own waiting chats and the queue."""
    seat = desk.seat_id
    if seat is None:
        return desk.count_conversations(InboxFilter(state=InboxState.WAITING))
    return (desk.count_conversations(InboxFilter(state=InboxState.WAITING, seat_id=seat))
            + desk.count_conversations(InboxFilter(state=InboxState.WAITING, queue=True)))


def next_waiting(desk: DeskLike, skip: int | None = None) -> int | None:
    """The buyer who has waited longest for this seat (its own chats, then the queue,
    whichever waits longer), other than `skip` (the open chat); None if nobody waits."""
    seat = desk.seat_id
    filters = ([InboxFilter(state=InboxState.WAITING)] if seat is None else
               [InboxFilter(state=InboxState.WAITING, seat_id=seat),
                InboxFilter(state=InboxState.WAITING, queue=True)])
    firsts = [next((i for i in desk.conversation_ids(flt, limit=2) if i != skip), None)
              for flt in filters]
    rows = desk.conversation_rows([i for i in firsts if i is not None])
    for cid in firsts:  # a row that stopped waiting meanwhile is passed over
        if cid is not None and cid in rows and rows[cid].waiting_since is None:
            del rows[cid]
    best = min(rows.values(), key=lambda r: r.sort_key, default=None)
    return None if best is None else best.id


def badge_icon(base: QIcon, count: int, size: int = 64) -> QIcon:
    """`base` with a red count in its top-right corner (none for 0; "99+" past 99)."""
    if count <= 0:
        return base
    pixmap = base.pixmap(size, size) if not base.isNull() else QPixmap(size, size)
    if base.isNull():
        pixmap.fill(QColor("#1f6fd1"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = str(count) if count <= 99 else "99+"
    width = int(size * (0.56 if len(text) == 1 else 0.7 if len(text) == 2 else 0.9))
    rect = QRect(size - width, 0, width, int(size * 0.56))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#e53935"))
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.4))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


class Notifier(QObject):
    conversation_requested = Signal(int)  # the agent clicked a pop-up
    window_requested = Signal()  # the agent clicked the tray icon
    unread_changed = Signal(int)  # buyers waiting for this seat (the badge)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        muted: bool = False,
        sound: SoundPlayer | None = None,
        icon: QIcon | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(parent)
        self.sound = sound or SoundPlayer()
        self._sound_muted = muted or prefs.get_bool(prefs.SOUND_MUTED)
        self._tray_muted = muted or prefs.get_bool(prefs.TRAY_MUTED)
        self._session_mute = muted  # --mute: for this run only, never saved as the agent's choice
        self._clock = clock
        self._last_cid: int | None = None
        self._desk: DeskLike | None = None
        self._window: QWidget | None = None
        self.shop_alerts: dict[int, ShopAlert] = shop_alerts_from_json(prefs.get_json(prefs.SHOP_ALERTS))
        self.schedule: Schedule = schedule_from_json(prefs.get_json(prefs.MUTE_SCHEDULE))
        self.unread = 0
        self.popups: list[tuple[int, str, str]] = []  # decided pop-ups, newest last
        self._icon = icon or QApplication.windowIcon()
        # Notices come in bursts: at most one count a second (two counts, ~16 ms on the GUI
        # thread at 100,000 open chats: tests/benchmarks/bench_alerts.py).
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(1000)
        self._recount_timer.timeout.connect(self.recount)
        self.tray: QSystemTrayIcon | None = None
        # Without a tray (many Linux desktops, offscreen) the pop-up is skipped silently.
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self._icon, self)
            self.tray.setToolTip("SeatDesk")
            self.tray.messageClicked.connect(self._on_tray_message_clicked)
            self.tray.activated.connect(self._on_tray_activated)
            self.tray.show()

    # -- settings ---------------------------------------------------------------------------
    @property
    def sound_muted(self) -> bool:
        return self._sound_muted

    @property
    def tray_muted(self) -> bool:
        return self._tray_muted

    def set_sound_muted(self, muted: bool) -> None:
        self._sound_muted = muted
        if not (muted and self._session_mute):  # saving settings under --mute keeps the saved choice
            prefs.set_value(prefs.SOUND_MUTED, muted)

    def set_tray_muted(self, muted: bool) -> None:
        self._tray_muted = muted
        if not (muted and self._session_mute):
            prefs.set_value(prefs.TRAY_MUTED, muted)

    def set_shop_alerts(self, alerts: Mapping[int, ShopAlert]) -> None:
        self.shop_alerts = dict(alerts)
        prefs.set_json(prefs.SHOP_ALERTS, shop_alerts_to_json(self.shop_alerts))

    def set_schedule(self, schedule: Schedule) -> None:
        self.schedule = schedule
        prefs.set_json(prefs.MUTE_SCHEDULE, schedule.to_json())
        self._show_badge()

    def shop_alert(self, shop_id: int | None) -> ShopAlert:
        return self.shop_alerts.get(shop_id, ShopAlert()) if shop_id is not None else ShopAlert()

    def schedule_muted(self) -> bool:
        return self.schedule.muted_at(self._clock())

    def attach(self, desk: DeskLike, window: QWidget | None = None) -> None:
        """From the first read on (MainWindow.load): whose chats count, and the badge."""
        self._desk = desk
        self._window = window
        self.schedule_recount()

    # -- deciding ------------------------------------------------------------------------------
    def relevant(self, messages: Sequence[tuple[int, str, str]]) -> list[tuple[int, str, str, int | None]]:
        """(conversation, nick, text, shop) of the messages that concern this seat."""
        if self._desk is None:
            return [(cid, nick, text, None) for cid, nick, text in messages]
        rows = self._desk.conversation_rows(sorted({cid for cid, _n, _t in messages}))
        me = self._desk.seat_id
        out: list[tuple[int, str, str, int | None]] = []
        for cid, nick, text in messages:
            row = rows.get(cid)
            if row is None:
                continue
            if me is not None and row.seat_id not in (None, me):
                continue  # a colleague's buyer
            out.append((cid, nick, text, row.shop_id))
        return out

    def decide(self, notice: ChangeNotice) -> Alert:
        if not notice.buyer_messages:
            return Alert()
        messages = self.relevant(notice.buyer_messages)
        if not messages or self.schedule_muted():
            return Alert()
        popup = None
        shown = [m for m in messages if self.shop_alert(m[3]).tray]
        in_front = self._window is not None and self._window.isActiveWindow()
        if shown and not self._tray_muted and not in_front:
            cid, nick, text, _shop = shown[-1]
            title, body = self.popup_text(nick, text, len(shown) - 1)
            popup = (cid, title, body)
        rung = [m for m in messages if self.shop_alert(m[3]).sound]
        tone = self.shop_alert(rung[-1][3]).tone if rung and not self._sound_muted else None
        return Alert(popup, tone)

    def popup_text(self, nick: str, text: str, more: int = 0) -> tuple[str, str]:
        """Title and body of the pop-up: plain, short, one line of the message."""
        title = self.tr("New message · {nick}").format(nick=truncate(nick, 24))
        if more:
            title += " " + self.tr("(+{n} more)").format(n=more)
        body = truncate(text, 80)
        if sys.platform.startswith("linux"):
            # Freedesktop notification servers parse a markup subset in the body.
            body = html.escape(body, quote=False)
        return title, body

    # -- acting --------------------------------------------------------------------------------
    def notify(self, notice: ChangeNotice) -> None:
        if notice.conversations or notice.new_conversations or notice.seats:
            self.schedule_recount()
        alert = self.decide(notice)
        if alert.popup is not None:
            cid, title, body = alert.popup
            self._last_cid = cid
            self.popups.append(alert.popup)
            del self.popups[:-20]
            if self.tray is not None:
                self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 5000)
        if alert.tone is not None:
            self.sound.play(alert.tone)

    def remind(self, title: str, body: str, conversation_id: int | None = None) -> None:
        """A reminder the seat asked for (a follow-up come due, the shift about to end,
        issue 6): a pop-up and a chime unless muted; clicking the pop-up opens the chat."""
        self._last_cid = conversation_id  # None: clicking it just brings the window up
        if not self._tray_muted:
            self.popups.append((conversation_id or 0, title, body))
            del self.popups[:-20]
            if self.tray is not None:
                self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 8000)
        if not self._sound_muted:
            self.sound.play()

    def schedule_recount(self) -> None:
        if self._desk is not None and not self._recount_timer.isActive():
            self._recount_timer.start()

    def recount(self) -> None:
        """Count the buyers waiting for this seat; the badge follows."""
        if self._desk is None:
            return
        n = waiting_for_me(self._desk)
        if n != self.unread:
            self.unread = n
            self._show_badge()
            self.unread_changed.emit(n)

    def tooltip(self) -> str:
        lines = ["SeatDesk"]
        if self.unread:
            lines.append(self.tr("{n} buyers waiting for a reply").format(n=self.unread))
        if self.schedule_muted():
            lines.append(self.tr("Muted by the schedule"))
        return "\n".join(lines)

    def _show_badge(self) -> None:
        if self.tray is not None:
            self.tray.setIcon(badge_icon(self._icon, self.unread))
            self.tray.setToolTip(self.tooltip())
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.setBadgeNumber(self.unread)  # dock / taskbar where the platform has one

    def _on_tray_message_clicked(self) -> None:
        if self._last_cid is not None:
            self.conversation_requested.emit(self._last_cid)
        else:
            self.window_requested.emit()  # a reminder about no chat (the shift's end)

    def _on_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.window_requested.emit()
