"""New-buyer-message alerts: a tray pop-up and a short chime, each mutable.

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
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from desktop.core.views import ChangeNotice

from . import prefs
from .formatting import truncate
from .resources import resource_path

log = logging.getLogger("seatdesk.ui")

PLAYERS = ("paplay", "aplay", "afplay")


class SoundPlayer:
    """At most one chime per `min_interval` seconds: a burst of 20 messages is one sound."""

    def __init__(
        self,
        wav: Path | None = None,
        *,
        min_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.wav = wav or resource_path("sounds", "new_message.wav")
        self._min_interval = min_interval
        self._clock = clock
        self._last = -1e9
        self.player = next((p for p in PLAYERS if shutil.which(p)), None)

    def play(self) -> bool:
        """Returns whether a sound was started (False when rate-limited)."""
        now = self._clock()
        if now - self._last < self._min_interval:
            return False
        self._last = now
        self._start()
        return True

    def _start(self) -> None:
        if sys.platform == "win32" and self.wav.exists():
            import winsound  # stdlib, Windows only

            flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
            winsound.PlaySound(str(self.wav), flags)
        elif self.player and self.wav.exists():
            started, _pid = QProcess.startDetached(self.player, [str(self.wav)])
            if not started:
                QApplication.beep()
        else:
            QApplication.beep()


class Notifier(QObject):
    conversation_requested = Signal(int)  # the agent clicked a pop-up

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        muted: bool = False,
        sound: SoundPlayer | None = None,
        icon: QIcon | None = None,
    ) -> None:
        super().__init__(parent)
        self.sound = sound or SoundPlayer()
        self._sound_muted = muted or prefs.get_bool(prefs.SOUND_MUTED)
        self._tray_muted = muted or prefs.get_bool(prefs.TRAY_MUTED)
        self._last_cid: int | None = None
        self.tray: QSystemTrayIcon | None = None
        # Without a tray (many Linux desktops, offscreen) the pop-up is skipped silently.
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon or QApplication.windowIcon(), self)
            self.tray.setToolTip("SeatDesk")
            self.tray.messageClicked.connect(self._on_tray_message_clicked)
            self.tray.show()

    @property
    def sound_muted(self) -> bool:
        return self._sound_muted

    @property
    def tray_muted(self) -> bool:
        return self._tray_muted

    def set_sound_muted(self, muted: bool) -> None:
        self._sound_muted = muted
        prefs.set_value(prefs.SOUND_MUTED, muted)

    def set_tray_muted(self, muted: bool) -> None:
        self._tray_muted = muted
        prefs.set_value(prefs.TRAY_MUTED, muted)

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

    def notify(self, notice: ChangeNotice) -> None:
        if not notice.buyer_messages:
            return
        cid, nick, text = notice.buyer_messages[-1]
        self._last_cid = cid
        if not self._tray_muted and self.tray is not None:
            title, body = self.popup_text(nick, text, len(notice.buyer_messages) - 1)
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 5000)
        if not self._sound_muted:
            self.sound.play()

    def _on_tray_message_clicked(self) -> None:
        if self._last_cid is not None:
            self.conversation_requested.emit(self._last_cid)
