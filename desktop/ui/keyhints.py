"""The keys a hint names — "(Ctrl+T)" in a tooltip or a placeholder — as they are now.

An agent may remap any command (keymap.Keymap); a hint must follow, not keep naming the
default. Widgets build their hints with `key(action id, default)` in `show_key_hints()`,
and the main window calls that again whenever the keymap changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence

_current: dict[str, str] = {}  # action id → its first key, native text ("" = none)


def _native(portable: str) -> str:
    return QKeySequence(portable).toString(QKeySequence.SequenceFormat.NativeText)


def key(aid: str, default: str) -> str:
    """The command's first key; `default` (portable text) until the window's keymap says."""
    text = _current.get(aid, _native(default))
    return text or QCoreApplication.translate("KeyHints", "no key")


def set_keys(mapping: Mapping[str, Iterable[str]]) -> None:
    """The keymap as it is now (action id → portable keys)."""
    _current.clear()
    for aid, keys in mapping.items():
        first = next(iter(keys), "")
        _current[aid] = _native(first) if first else ""
