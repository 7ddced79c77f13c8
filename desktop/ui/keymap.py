"""Remappable shortcuts: each window action's default keys, the agent's own, conflicts.

Actions are found, not listed: every QAction that `Actions` keeps as an attribute
(each made by `Actions._make`) is remappable under its attribute name, so an
action added there needs no code here. The keys `_make` gave it are its
defaults; the agent's choices are kept in the UI prefs (`prefs.SHORTCUTS`), only
for actions whose keys differ from the defaults, and applied at start and live.
Rivals' hotkeys are fixed (feature-anchors row 16 [F1], cw#13544): ours are not.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QKeyCombination, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

from . import prefs
from .actions import plain_text

log = logging.getLogger("seatdesk.ui")

PORTABLE = QKeySequence.SequenceFormat.PortableText
NATIVE = QKeySequence.SequenceFormat.NativeText
_COMMAND_MODS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                 | Qt.KeyboardModifier.MetaModifier)
# Keys that work alone as shortcuts: they type nothing.
_BARE_OK = {Qt.Key.Key_Escape, Qt.Key.Key_Pause, Qt.Key.Key_Print, Qt.Key.Key_Insert,
            *(Qt.Key(Qt.Key.Key_F1.value + i) for i in range(24))}
# The reply box's own keys (send, new line, move, edit): never a window shortcut.
RESERVED = frozenset(QKeySequence(k).toString(PORTABLE) for k in (
    "Return", "Enter", "Shift+Return", "Ctrl+Return", "Ctrl+Enter", "Tab", "Shift+Tab",
    "Backtab", "Shift+Backtab", "Backspace", "Del", "Space", "Shift+Space", "Ctrl+C", "Ctrl+V", "Ctrl+X", "Ctrl+Z",
    "Ctrl+Y", "Ctrl+Shift+Z", "Ctrl+A", "Ctrl+Left", "Ctrl+Right", "Ctrl+Backspace", "Ctrl+Del",
    "Ctrl+Home", "Ctrl+End", "Shift+Insert", "Ctrl+Insert", "Ctrl+Shift+Left", "Ctrl+Shift+Right",
    "Ctrl+Shift+Home", "Ctrl+Shift+End",
))


@dataclass(frozen=True, slots=True)
class KeyEntry:
    id: str  # the attribute name on Actions ("end_chat"; "favourites.3" for a list)
    action: QAction
    defaults: tuple[str, ...]  # PortableText, as _make set them


def action_entries(actions: QObject) -> list[tuple[str, QAction]]:
    """(id, action) for every QAction attribute of `actions`, in creation order."""
    found: list[tuple[str, QAction]] = []
    for name, value in vars(actions).items():
        if name.startswith("_"):
            continue
        if isinstance(value, QAction):
            found.append((name, value))
        elif isinstance(value, (list, tuple)):
            found += [(f"{name}.{i + 1}", v) for i, v in enumerate(value) if isinstance(v, QAction)]
        elif isinstance(value, dict):
            found += [(f"{name}.{k}", v) for k, v in value.items() if isinstance(v, QAction)]
    seen: set[int] = set()
    unique = []
    for key, action in found:
        if id(action) not in seen:  # an alias attribute keeps the first name
            seen.add(id(action))
            unique.append((key, action))
    return unique


def portable(keys: Iterable[QKeySequence]) -> tuple[str, ...]:
    return tuple(s for s in (k.toString(PORTABLE) for k in keys) if s)


def native(key: str) -> str:
    """"Ctrl+Shift+T" as this platform writes it (⌃⇧T on macOS)."""
    return QKeySequence(key).toString(NATIVE)


def key_problem(key: str) -> str | None:
    """Why `key` cannot be a window shortcut: "chord" (several keys in a row),
    "typing" (a plain key would be typed into the reply box), "reserved" (a key the
    reply box sends, moves or edits with); None when it can."""
    seq = QKeySequence(key)
    if seq.count() != 1:
        return "chord" if seq.count() > 1 else "typing"
    if seq.toString(PORTABLE) in RESERVED:
        return "reserved"
    combo = seq[0]
    if not combo.keyboardModifiers() & _COMMAND_MODS and combo.key() not in _BARE_OK:
        navigation = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right,
                      Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
        return "reserved" if combo.key() in navigation else "typing"
    return None


def conflicts(mapping: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """key → the ids (two or more) that claim it."""
    owners: dict[str, list[str]] = {}
    for aid, keys in mapping.items():
        for key in keys:
            owners.setdefault(QKeySequence(key).toString(PORTABLE), []).append(aid)
    return {key: ids for key, ids in owners.items() if len(ids) > 1}


def passes_to_window(widget: QWidget, event: QKeyEvent) -> bool:
    """Whether a key pressed in a text box is one of the window's (remapped) shortcuts,
    so the box must not swallow it (ShortcutOverride)."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    key = Qt.Key(event.key())
    if not mods & _COMMAND_MODS and key not in _BARE_OK:
        return False  # typing and moving stay with the box
    pressed = QKeySequence(QKeyCombination(mods, key))
    for action in widget.window().actions():
        if action.isEnabled() and any(k.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                                      for k in action.shortcuts()):
            return True
    return False


class Keymap(QObject):
    """The window's shortcuts: defaults, the agent's overrides, applied live."""

    changed = Signal()  # keys were applied: menus show them; tooltips and tabs follow

    def __init__(self, actions: QObject, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries = [KeyEntry(aid, action, portable(action.shortcuts()))
                        for aid, action in action_entries(actions)]
        self._by_id = {e.id: e for e in self.entries}
        self.apply(self.stored())

    # -- reading ---------------------------------------------------------------------------
    def entry(self, aid: str) -> KeyEntry:
        return self._by_id[aid]

    def keys(self, aid: str) -> tuple[str, ...]:
        return portable(self._by_id[aid].action.shortcuts())

    @staticmethod
    def keys_of(action: QAction) -> tuple[str, ...]:
        return portable(action.shortcuts())

    def mapping(self) -> dict[str, tuple[str, ...]]:
        return {e.id: self.keys(e.id) for e in self.entries}

    def defaults(self) -> dict[str, tuple[str, ...]]:
        return {e.id: e.defaults for e in self.entries}

    def stored(self) -> dict[str, tuple[str, ...]]:
        """The agent's overrides kept in the prefs (unknown ids and bad keys dropped)."""
        data = prefs.get_json(prefs.SHORTCUTS)
        out: dict[str, tuple[str, ...]] = {}
        for aid, keys in (data.items() if isinstance(data, dict) else ()):
            if aid in self._by_id and isinstance(keys, list):
                out[aid] = tuple(k for k in (QKeySequence(str(k)).toString(PORTABLE) for k in keys)
                                 if k and key_problem(k) is None)
        return out

    def text(self, aid: str) -> str:
        """The command as the menus name it, without its mnemonic."""
        return plain_text(self._by_id[aid].action.text())

    # -- changing --------------------------------------------------------------------------
    def save(self, mapping: Mapping[str, Iterable[str]]) -> None:
        """Apply and keep `mapping` (id → keys; ids left out keep theirs). Raises
        ValueError on a key two actions claim or a key key_problem() refuses."""
        full = {**self.mapping(), **{aid: tuple(keys) for aid, keys in mapping.items()}}
        clash = conflicts(full)
        if clash:
            raise ValueError(f"shortcuts claimed twice: {clash}")
        bad = [k for aid, keys in mapping.items() for k in keys
               if key_problem(k) is not None and aid in self._by_id and k not in self._by_id[aid].defaults]
        if bad:
            raise ValueError(f"not usable as shortcuts: {bad}")
        overrides = {aid: list(keys) for aid, keys in full.items()
                     if aid in self._by_id and tuple(keys) != self._by_id[aid].defaults}
        prefs.set_json(prefs.SHORTCUTS, overrides)
        self.apply({aid: tuple(keys) for aid, keys in overrides.items()})

    def reset_all(self) -> None:
        prefs.set_json(prefs.SHORTCUTS, {})
        self.apply({})

    def apply(self, overrides: Mapping[str, tuple[str, ...]]) -> None:
        """Defaults, with `overrides` on top. An override wins over another action's
        default (that action loses the key: a newer version may have given it one)."""
        taken: set[str] = set()
        chosen: dict[str, tuple[str, ...]] = {}
        for e in self.entries:  # a hand-edited file may give a key twice: the first wins
            if e.id in overrides:
                chosen[e.id] = tuple(k for k in overrides[e.id] if k not in taken)
                taken.update(chosen[e.id])
        for e in self.entries:
            if e.id in chosen:
                keys = chosen[e.id]
            else:
                keys = tuple(k for k in e.defaults if k not in taken)
                if keys != e.defaults:
                    log.info("shortcut %s loses %s to a remapped action",
                             e.id, set(e.defaults) - set(keys))
            self._set_keys(e.action, keys)
        self.changed.emit()

    @staticmethod
    def _set_keys(action: QAction, keys: tuple[str, ...]) -> None:
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        name = plain_text(action.text())
        if keys:
            action.setToolTip(f"{name} ({', '.join(native(k) for k in keys)})")
        else:
            action.setToolTip(name)
