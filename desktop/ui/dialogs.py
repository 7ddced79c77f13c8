"""Small dialogs: loaded plugins (broken ones with their error), the remark format.

The shortcut cheat sheet and the remapping page are in shortcuts_dialog.py."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .deskapi import DeskLike, PluginStatusLike
from .widgets import error_label, plain_label, plain_tooltip, save_cancel_buttons


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
            if not getattr(status, "enabled", True):
                state = self.tr("Off: a user plugin runs once enabled (seatdesk plugins enable {name})"
                                ).format(name=status.name)
            elif status.error is None:
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


class RemarkFormatDialog(QDialog):
    """The team's remark format: what changed, who, when — `{text} —— {author} {time}`."""

    SAMPLE = "客户要求改地址为杭州市西湖区……"

    def __init__(self, desk: DeskLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remarkFormatDialog")
        self.setWindowTitle(self.tr("Remark format"))
        self._desk = desk
        self.edit = QLineEdit(desk.remark_format, self)
        self.edit.setObjectName("remarkFormat")
        self.preview = plain_label("", self, object_name="remarkFormatPreview", wrap=True)
        self.error = error_label(self)
        self.buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr(
            "Every remark is written into the order's seller memo in this format. {text} is what "
            "the agent wrote, {author} the seat's name, {time} the date and time."), self, wrap=True))
        layout.addWidget(self.edit)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self._on_edit_text_changed(self.edit.text())
        self.resize(520, 200)

    def _on_edit_text_changed(self, fmt: str) -> None:
        try:
            if "{text}" not in fmt:
                raise ValueError(self.tr("The format must contain {text}."))
            sample = fmt.format(text=self.SAMPLE, author=self._desk.seat_name,
                                time="2026-11-23 14:05")
        except (KeyError, IndexError, ValueError) as exc:
            self.preview.setText("")
            self.error.setText(self.tr("Not a valid format: {error}").format(error=exc))
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            return
        self.error.setText("")
        self.preview.setText(self.tr("Example: {sample}").format(sample=sample))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)

    def save(self) -> None:
        try:
            self._desk.set_remark_format(self.edit.text())
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
