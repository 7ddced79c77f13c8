"""Small read-only dialogs: loaded plugins (broken ones with their error) and shortcuts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .deskapi import PluginStatusLike
from .widgets import plain_label, plain_tooltip


def _table(parent: QWidget, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setHeaderLabels(headers)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # read-only: no focus frame on a cell
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(True)
    return tree


class PluginsDialog(QDialog):
    """Every platform plugin found: a broken one is listed with its error, never fatal."""

    def __init__(self, statuses: Sequence[PluginStatusLike], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Platform plugins"))
        self.resize(640, 320)
        headers = [self.tr("Plugin"), self.tr("Platform"), self.tr("Version"), self.tr("Status")]
        self.tree = _table(self, headers)
        broken = 0
        for status in statuses:
            if status.error is None:
                state = self.tr("Loaded")
            else:
                state = self.tr("Failed: {error}").format(error=status.error)
            item = QTreeWidgetItem([status.name, status.platform_id, status.version or "—", state])
            if status.error is not None:
                broken += 1
                item.setForeground(3, QBrush(QColor("#c62828")))
                item.setToolTip(3, plain_tooltip(status.error))
            self.tree.addTopLevelItem(item)
        summary = self.tr("{ok} loaded, {bad} failed. A failed plugin only disables its platform.").format(
            ok=len(statuses) - broken, bad=broken
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(summary, self, wrap=True))
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)


class ShortcutsDialog(QDialog):
    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(480, 420)
        tree = _table(self, [self.tr("Command"), self.tr("Shortcut")])
        for command, keys in rows:
            tree.addTopLevelItem(QTreeWidgetItem([command, keys]))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tree, 1)
        layout.addWidget(buttons)
