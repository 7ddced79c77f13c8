"""The F1 cheat sheet (the keys as they are now, by menu) and the page that remaps them.

Both read the live `Keymap`, so a remapped key shows at once. Remapping is done
from the keyboard: type to find a command, Enter, press the new keys; a key
another command holds is named with that command and is moved only on request.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QKeyCombination, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .actions import plain_text
from .keymap import PORTABLE, Keymap, conflicts, key_problem, native
from .widgets import plain_label

ID_ROLE = Qt.ItemDataRole.UserRole


def menu_of(action: QAction) -> str:
    """The (first) menu that shows the action, without its mnemonic; "" for none."""
    menu = _menu(action)
    return "" if menu is None else plain_text(menu.title())


def menu_rank(action: QAction) -> int:
    """Where the action's menu sits in the menu bar (menus in bar order; none last)."""
    menu = _menu(action)
    while menu is not None:
        parent = menu.parent()
        if not isinstance(parent, QMenu):
            break
        menu = parent  # a submenu ranks as its menu
    bar = None if menu is None else menu.parent()
    if menu is None or not isinstance(bar, QMenuBar):
        return 1 << 30
    return bar.actions().index(menu.menuAction()) if menu.menuAction() in bar.actions() else 1 << 30


def _menu(action: QAction) -> QMenu | None:
    return next((o for o in action.associatedObjects() if isinstance(o, QMenu) and o.title()), None)


def keys_text(keys: Sequence[str]) -> str:
    return ", ".join(native(k) for k in keys)


def _tree(parent: QWidget, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setUniformRowHeights(True)
    tree.setHeaderLabels(headers)
    tree.setAllColumnsShowFocus(True)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    tree.header().setStretchLastSection(False)
    for column in range(1, len(headers)):
        tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return tree


def _button(text: str, parent: QWidget, name: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)  # Enter belongs to the list and the recorder
    return button


class _FilterLine(QLineEdit):
    """Type to find a command; Down or Enter moves into the list."""

    def __init__(self, tree: QTreeWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self._tree = tree
        self.setClearButtonEnabled(True)

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            visible = [self._tree.topLevelItem(i) for i in range(self._tree.topLevelItemCount())]
            first = _first_leaf([i for i in visible if i is not None and not i.isHidden()])
            if first is not None:
                self._tree.setCurrentItem(first)
            self._tree.setFocus(Qt.FocusReason.TabFocusReason)
            return
        super().keyPressEvent(event)


def _first_leaf(items: list[QTreeWidgetItem]) -> QTreeWidgetItem | None:
    for item in items:
        if item.childCount() == 0:
            return item
        for i in range(item.childCount()):
            child = item.child(i)
            if not child.isHidden():
                return child
    return None


class CheatSheetDialog(QDialog):
    """F1: every command with a key, grouped by menu, as the keymap has it now."""

    customize_requested = Signal()

    def __init__(self, keymap: Keymap, extras: Sequence[tuple[str, str]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self._keymap = keymap
        self.tree = _tree(self, [self.tr("Command"), self.tr("Shortcut")])
        self.tree.setObjectName("cheatSheetTree")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.filter = _FilterLine(self.tree, self)
        self.filter.setPlaceholderText(self.tr("Type to find a command…"))
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self._extras = list(extras)
        self.customize = _button(self.tr("&Customize…"), self, "customizeButton")
        self.customize.clicked.connect(self.customize_requested)
        close = _button(self.tr("Close"), self, "closeButton")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.customize)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        keymap.changed.connect(self.reload)
        self.reload()
        self.resize(560, 620)

    def reload(self) -> None:
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}

        def group(name: str) -> QTreeWidgetItem:
            if name not in groups:
                item = QTreeWidgetItem([name, ""])
                font = QFont(item.font(0))
                font.setBold(True)
                item.setFont(0, font)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                groups[name] = item
                self.tree.addTopLevelItem(item)
            return groups[name]

        named = set()
        entries = sorted(self._keymap.entries, key=lambda e: menu_rank(e.action))  # stable
        for entry in entries:
            keys = self._keymap.keys(entry.id)
            name = plain_text(entry.action.text())
            named.add(name)
            if keys and entry.action.isVisible():
                item = QTreeWidgetItem([name, keys_text(keys)])
                item.setData(0, ID_ROLE, entry.id)
                group(menu_of(entry.action) or self.tr("Other")).addChild(item)
        typing = self.tr("Typing a reply")
        for command, how in self._extras:  # rows that are not actions (Enter sends, …)
            if command not in named:
                group(typing).addChild(QTreeWidgetItem([command, how]))
        self.tree.expandAll()
        self._on_filter_text_changed(self.filter.text())

    def rows(self) -> dict[str, str]:
        """command → keys as shown (for tests)."""
        out = {}
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                out[top.child(j).text(0)] = top.child(j).text(1)
        return out

    def _on_filter_text_changed(self, text: str) -> None:
        _filter_tree(self.tree, text)


def _filter_tree(tree: QTreeWidget, text: str) -> None:
    needle = text.strip().casefold()
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top.childCount() == 0:  # a flat list
            top.setHidden(bool(needle) and not _matches(top, needle))
            continue
        shown = 0
        for j in range(top.childCount()):
            child = top.child(j)
            hit = not needle or _matches(child, needle) or needle in top.text(0).casefold()
            child.setHidden(not hit)
            shown += hit
        top.setHidden(shown == 0)


def _matches(item: QTreeWidgetItem, needle: str) -> bool:
    return any(needle in item.text(c).casefold() for c in range(item.columnCount()))


class KeymapDialog(QDialog):
    """Remap any command: pick it, press the keys; conflicts are named; Save applies live."""

    def __init__(self, keymap: Keymap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keymapDialog")
        self.setWindowTitle(self.tr("Customize shortcuts"))
        self._keymap = keymap
        self.pending: dict[str, tuple[str, ...]] = keymap.mapping()
        self._defaults = keymap.defaults()
        self._offer: tuple[str, str] | None = None  # (key, id holding it) the agent may take

        intro = plain_label(self.tr(
            "Pick a command and press Enter, then the new keys (Tab leaves the recorder). "
            "Shortcuts work anywhere in the window, even while typing a reply."), self, wrap=True)
        self.tree = _tree(self, [self.tr("Command"), self.tr("Shortcut"), self.tr("Default")])
        self.tree.setObjectName("keymapTree")
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.filter = _FilterLine(self.tree, self)
        self.filter.setObjectName("keymapFilter")
        self.filter.setPlaceholderText(self.tr("Type to find a command or a key…"))
        self.filter.textChanged.connect(lambda text: _filter_tree(self.tree, text))
        self.items: dict[str, QTreeWidgetItem] = {}
        for entry in sorted(keymap.entries, key=lambda e: menu_rank(e.action)):
            menu = menu_of(entry.action)
            name = plain_text(entry.action.text())
            item = QTreeWidgetItem([f"{menu} › {name}" if menu else name, "", keys_text(entry.defaults)])
            item.setData(0, ID_ROLE, entry.id)
            self.items[entry.id] = item
            self.tree.addTopLevelItem(item)

        self.command_label = plain_label("", self, object_name="keymapCommand")
        self.recorder = QKeySequenceEdit(self)
        self.recorder.setObjectName("keyRecorder")
        self.recorder.setMaximumSequenceLength(1)
        self.recorder.setFinishingKeyCombinations([QKeyCombination(Qt.Key.Key_Tab),
                                                   QKeyCombination(Qt.Key.Key_Backtab)])
        self.clear_button = _button(self.tr("C&lear"), self, "clearKeyButton")
        self.default_button = _button(self.tr("&Default"), self, "defaultKeyButton")
        editor = QHBoxLayout()
        editor.addWidget(self.command_label, 1)
        editor.addWidget(self.recorder, 1)
        editor.addWidget(self.clear_button)
        editor.addWidget(self.default_button)
        self.problem = plain_label("", self, object_name="dialogError", wrap=True)
        self.problem.setStyleSheet("color: #c62828;")
        self.take_button = _button("", self, "takeKeyButton")
        self.take_button.setAutoDefault(True)  # focused after a clash: Enter takes the key
        self.take_button.hide()
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.problem, 1)
        problem_row.addWidget(self.take_button)

        self.reset_all_button = _button(self.tr("&Reset all"), self, "resetAllButton")
        self.save_button = _button(self.tr("&Save"), self, "saveButton")
        cancel = _button(self.tr("Cancel"), self, "cancelButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addLayout(editor)
        layout.addLayout(problem_row)
        layout.addLayout(buttons)

        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.tree.itemActivated.connect(lambda _item, _col: self.record())
        self.recorder.editingFinished.connect(self._on_recorder_editing_finished)
        self.clear_button.clicked.connect(lambda: self.set_keys(self.current_id(), ()))
        self.default_button.clicked.connect(
            lambda: self.set_keys(self.current_id(), self._defaults.get(self.current_id() or "", ())))
        self.take_button.clicked.connect(self._on_take_button_clicked)
        self.reset_all_button.clicked.connect(self.reset_all)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        self._refresh_rows()
        self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.filter.setFocus()
        self.resize(720, 640)

    # -- commands -------------------------------------------------------------------------
    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, ID_ROLE)

    def select(self, aid: str) -> None:
        self.tree.setCurrentItem(self.items[aid])

    def record(self) -> None:
        """Enter on a command: the next keys pressed become its shortcut."""
        if self.current_id() is None:
            return
        self.recorder.clear()
        self.recorder.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def try_key(self, aid: str, key: str) -> bool:
        """Give `aid` the key, unless it cannot be a shortcut or another command has it:
        then say why (and offer to move it); nothing changes."""
        key = QKeySequence(key).toString(PORTABLE)
        self._offer = None
        self.take_button.hide()
        problem = key_problem(key)
        if problem is not None:
            self.problem.setText(self._problem_text(key, problem))
            return False
        holder = next((other for other, keys in self.pending.items() if other != aid and key in keys), None)
        if holder is not None:
            self.problem.setText(self.tr("{key} is already the shortcut of “{command}”. Press "
                                         "another key, or take it from that command.").format(
                key=native(key), command=self._keymap.text(holder)))
            self._offer = (key, holder)
            self.take_button.setText(self.tr("&Take it from “{command}”").format(
                command=self._keymap.text(holder)))
            self.take_button.show()
            return False
        self.set_keys(aid, (key,))
        return True

    def set_keys(self, aid: str | None, keys: Sequence[str]) -> None:
        if aid is None:
            return
        self.pending[aid] = tuple(keys)
        self.problem.setText("")
        self._offer = None
        self.take_button.hide()
        self._refresh_rows()

    def reset_all(self) -> None:
        self.pending = dict(self._defaults)
        self.problem.setText("")
        self._refresh_rows()

    def save(self) -> None:
        clash = conflicts(self.pending)
        if clash:  # cannot happen through try_key; kept for defaults that clash
            key, ids = next(iter(clash.items()))
            self.problem.setText(self.tr("{key} is the shortcut of both “{a}” and “{b}”.").format(
                key=native(key), a=self._keymap.text(ids[0]), b=self._keymap.text(ids[1])))
            return
        try:
            self._keymap.save(self.pending)
        except ValueError as exc:  # not reachable through the recorder; never lose the dialog
            self.problem.setText(str(exc))
            return
        self.accept()

    # -- internals --------------------------------------------------------------------------
    def _problem_text(self, key: str, problem: str) -> str:
        if problem == "reserved":
            return self.tr("{key} is kept for typing and editing in the reply box.").format(key=native(key))
        if problem == "chord":
            return self.tr("Use a single key combination.")
        return self.tr("{key} would be typed into the reply box: add Ctrl or Alt, or use a "
                       "function key.").format(key=native(key) or self.tr("This key"))

    def _refresh_rows(self) -> None:
        for aid, item in self.items.items():
            keys = self.pending.get(aid, ())
            item.setText(1, keys_text(keys) or "—")
            changed = keys != self._defaults.get(aid, ())
            font = QFont(item.font(0))
            font.setBold(changed)
            item.setFont(1, font)
        self._on_tree_current_item_changed(self.tree.currentItem(), None)

    def _on_tree_current_item_changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        aid = None if item is None else item.data(0, ID_ROLE)
        if aid is None:
            self.command_label.setText("")
            return
        self.command_label.setText(self.tr("Shortcut of “{command}”:").format(command=self._keymap.text(aid)))
        keys = self.pending.get(aid, ())
        if not self.recorder.hasFocus():
            self.recorder.setKeySequence(QKeySequence(keys[0]) if keys else QKeySequence())
        self.default_button.setEnabled(keys != self._defaults.get(aid, ()))

    def _on_recorder_editing_finished(self) -> None:
        aid = self.current_id()
        key = self.recorder.keySequence().toString(PORTABLE)
        if aid is None or not key:
            return
        if self.try_key(aid, key):
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.recorder.clear()  # the problem line says why; Enter on the command tries again
        if self.take_button.isVisible():
            self.take_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_take_button_clicked(self) -> None:
        aid = self.current_id()
        if self._offer is None or aid is None:
            return
        key, holder = self._offer
        self.pending[holder] = tuple(k for k in self.pending[holder] if k != key)
        self.set_keys(aid, (key,))
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

