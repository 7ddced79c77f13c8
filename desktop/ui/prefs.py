"""The UI's own preferences, each declared once, stored per user in QSettings.

These are seat-local look-and-feel choices (not shop or engine settings, which
live in core's settings registry): notification muting and the UI language.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings


@dataclass(frozen=True, slots=True)
class Pref:
    key: str
    default: object
    help: str


SOUND_MUTED = Pref("notify/sound_muted", False, "No chime on a new buyer message.")
TRAY_MUTED = Pref("notify/tray_muted", False, "No tray pop-up on a new buyer message.")
LANGUAGE = Pref("ui/language", "zh_CN", "UI language: zh_CN or en (applies on restart).")
INBOX_SCOPE = Pref("inbox/scope", "mine", "Whose chats the inbox lists: mine, queue or all.")
ALL = (SOUND_MUTED, TRAY_MUTED, LANGUAGE, INBOX_SCOPE)

LANGUAGES = ("zh_CN", "en")


def get_bool(pref: Pref) -> bool:
    value = QSettings().value(pref.key, pref.default)
    if isinstance(value, str):  # INI back-ends return "true"/"false"
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def set_value(pref: Pref, value: object) -> None:
    QSettings().setValue(pref.key, value)


def get_str(pref: Pref, allowed: tuple[str, ...]) -> str:
    value = str(QSettings().value(pref.key, pref.default))
    return value if value in allowed else str(pref.default)


def language() -> str:
    value = str(QSettings().value(LANGUAGE.key, LANGUAGE.default))
    return value if value in LANGUAGES else str(LANGUAGE.default)
