"""Small shared widgets that make the safe choice the easy one: plain-text labels,
escaped tooltips, and painted glyphs that do not depend on emoji fonts."""

from __future__ import annotations

import html

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPolygonF
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)


def plain_label(
    text: str,
    parent: QWidget | None = None,
    *,
    object_name: str = "",
    selectable: bool = False,
    wrap: bool = False,
) -> QLabel:
    """A QLabel that can never render markup, whatever the buyer or platform wrote.

    QLabel's default `Qt.AutoText` turns `<b>x</b>` into bold and would load `<img>`.
    """
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if object_name:
        label.setObjectName(object_name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(wrap)
    return label


def error_label(parent: QWidget | None = None, object_name: str = "dialogError") -> QLabel:
    """A dialog's red line for what is wrong with the input (empty until then)."""
    label = plain_label("", parent, object_name=object_name, wrap=True)
    label.setStyleSheet("color: #c62828;")
    return label


def save_cancel_buttons(dialog: QDialog, on_save: object) -> QDialogButtonBox:
    """Save (runs `on_save`, which accepts the dialog when all is well) and Cancel."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel, parent=dialog)
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def plain_tooltip(text: str) -> str:
    """Tooltips auto-detect rich text; escape so arbitrary text shows literally."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


class Dot(QWidget):
    """A filled circle in a given colour (shop colour in chips and headers)."""

    def __init__(self, color: str, diameter: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = QColor(color) if QColor.isValidColorName(color) else QColor("#607d8b")
        self._d = diameter
        self.setFixedSize(QSize(diameter + 2, diameter + 2))

    def color(self) -> QColor:
        return QColor(self._color)

    def set_color(self, color: str) -> None:
        self._color = QColor(color) if QColor.isValidColorName(color) else QColor("#607d8b")
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._color)
        p.drawEllipse(QRectF(1, 1, self._d, self._d))
        p.end()


class FlagGlyph(QWidget):
    """A painted pennant flag: an emoji or ⚑ glyph may be missing from the font."""

    def __init__(self, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = QColor(color)
        self.setFixedSize(QSize(14, 16))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def color(self) -> QColor:
        return QColor(self._color)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QColor("#5f6670"))
        p.drawLine(QPointF(2.5, 1.5), QPointF(2.5, 15))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._color)
        p.drawPolygon(QPolygonF([QPointF(3, 1.5), QPointF(13, 5), QPointF(3, 9)]))
        p.end()


class ProblemBanner(QWidget):
    """A dismissible warning strip above the panes (e.g. "no keyring: sign in again")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemBanner")
        self.label = plain_label("", self, object_name="problemText", wrap=True, selectable=True)
        dismiss = QPushButton(self.tr("Dismiss"), self)
        dismiss.setObjectName("problemDismiss")
        dismiss.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 6, 10, 6)
        row.addWidget(self.label, 1)
        row.addWidget(dismiss)
        self.hide()

    def show_message(self, message: str) -> None:
        self.label.setText(message)
        self.show()
