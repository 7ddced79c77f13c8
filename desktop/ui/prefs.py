"""The UI's own preferences, each declared once, stored per user in QSettings.

These are seat-local look-and-feel choices (not shop or engine settings, which
live in core's settings registry): notification muting, per-shop alerts and the
mute schedule, remapped shortcuts and the UI language.
"""

from __future__ import annotations

import json
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
INBOX_SORT = Pref("inbox/sort", "wait", "Inbox order: wait (longest wait first) or deadline "
                  "(the platform's reply deadline that runs out first).")
# Keyboard and alerts (issue 5): JSON text, so every QSettings back-end stores them alike.
SHORTCUTS = Pref("ui/shortcuts", "{}", "Remapped shortcuts: action id → key sequences "
                 "(PortableText); an action not listed keeps its default keys.")
SHOP_ALERTS = Pref("notify/shops", "{}", "Per shop id: tray pop-up and sound on or off, and "
                   "which sound; a shop not listed alerts with the default chime.")
MUTE_SCHEDULE = Pref("notify/schedule", "[]", "Mute ranges: quiet hours (muted inside) and "
                     "shifts (muted outside every shift), each with weekdays and HH:MM times.")
ALL = (SOUND_MUTED, TRAY_MUTED, LANGUAGE, INBOX_SCOPE, INBOX_SORT, SHORTCUTS, SHOP_ALERTS, MUTE_SCHEDULE)

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


def get_json(pref: Pref) -> object:
    """A JSON-valued pref; its default when unset or unreadable (hand-edited files)."""
    try:
        return json.loads(str(QSettings().value(pref.key, pref.default)))
    except ValueError:
        return json.loads(str(pref.default))


def set_json(pref: Pref, value: object) -> None:
    QSettings().setValue(pref.key, json.dumps(value, ensure_ascii=False, sort_keys=True))


def language() -> str:
    value = str(QSettings().value(LANGUAGE.key, LANGUAGE.default))
    return value if value in LANGUAGES else str(LANGUAGE.default)
