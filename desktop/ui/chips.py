"""Coloured chips for tags and groups, a flow layout for them, and the chip editor.

The editor shows a buyer's labels as chips, each removable with one click on its
×, and ends in a line edit that completes from the team's catalogue; Enter adds
what was typed (a new name creates the label).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from desktop.core.views import LabelChip

from .widgets import plain_label


class FlowLayout(QLayout):
    """Lays widgets left to right and wraps them, like words (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, *, move: bool) -> int:
        x, y, line_h = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_h > 0:
                x, y, line_h = rect.x(), y + line_h + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_h = max(line_h, hint.height())
        return y + line_h - rect.y()


def chip_style(color: str, *, outlined: bool = False) -> str:
    """Tags are filled tints; groups are outlined, so the two read apart at a glance."""
    base = QColor(color) if QColor.isValidColorName(color) else QColor("#607d8b")
    h, s, light, _a = base.getHslF()
    ink = QColor.fromHslF(max(h, 0.0), min(s, 0.85), min(light, 0.34)).name()
    if outlined:
        return f"QFrame#chip {{ border: 1px solid {base.name()}; border-radius: 9px; background: white; }}" \
               f" QLabel {{ color: {ink}; }}"
    fill = QColor(base)
    fill.setAlpha(40)
    return (f"QFrame#chip {{ background: rgba({fill.red()},{fill.green()},{fill.blue()},0.16);"
            f" border-radius: 9px; }} QLabel {{ color: {ink}; }}")


class Chip(QFrame):
    """A label's name in its colour, with an × that removes it."""

    remove_requested = Signal(int)

    def __init__(self, label: LabelChip, *, outlined: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chip")
        self.label = label
        self.setStyleSheet(chip_style(label.color, outlined=outlined))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 1, 2, 1)
        row.setSpacing(2)
        self.text = plain_label(label.name, self, object_name="chipText")
        row.addWidget(self.text)
        self.remove = QToolButton(self)
        self.remove.setObjectName("chipRemove")
        self.remove.setText("×")
        self.remove.setAutoRaise(True)
        self.remove.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove.setToolTip(self.tr("Remove {name}").format(name=label.name))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(label.id))
        row.addWidget(self.remove)


class ChipEditor(QWidget):
    """A buyer's tags (or groups) as chips, plus an input to add more."""

    add_requested = Signal(str)  # a name, new or from the catalogue
    remove_requested = Signal(int)  # a label id

    def __init__(self, placeholder: str, *, outlined: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outlined = outlined
        self._flow = FlowLayout(self)
        self.chips: list[Chip] = []
        self.input = QLineEdit(self)
        self.input.setObjectName("chipInput")
        self.input.setPlaceholderText(placeholder)
        self.input.setClearButtonEnabled(False)
        self.input.setMinimumWidth(90)
        self.input.setMaximumWidth(140)
        self.input.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # 码 finds 42码
        self.input.setCompleter(completer)
        self.input.returnPressed.connect(self._on_input_return_pressed)
        self._flow.addWidget(self.input)

    def set_catalogue(self, names: Sequence[str]) -> None:
        self._names.setStringList(list(names))

    def set_chips(self, labels: Sequence[LabelChip]) -> None:
        for chip in self.chips:
            self._flow.removeWidget(chip)
            chip.deleteLater()
        self._flow.removeWidget(self.input)
        self.chips = []
        for label in labels:
            chip = Chip(label, outlined=self._outlined, parent=self)
            chip.remove_requested.connect(self.remove_requested)
            self._flow.addWidget(chip)
            self.chips.append(chip)
        self._flow.addWidget(self.input)
        self.updateGeometry()

    def names(self) -> list[str]:
        return [chip.label.name for chip in self.chips]

    def _on_input_return_pressed(self) -> None:
        # the completer's popup may have set the text; either way take what is there
        name = " ".join(self.input.text().split())
        if name:
            self.input.clear()
            if name not in self.names():
                self.add_requested.emit(name)
