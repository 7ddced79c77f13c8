"""The reply box: Enter (or Ctrl+Enter) sends, Shift+Enter starts a new line."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from .keymap import passes_to_window


# Window shortcuts the text edit would otherwise swallow (it moves the cursor by
# paragraph on Ctrl+Up/Down): conversation switching must work while typing.
_PASS_THROUGH = {
    (Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
}


class Composer(QPlainTextEdit):
    submitted = Signal()  # the user asked to send what is typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setTabChangesFocus(True)  # Tab leaves the box; agents do not type tabs
        self.setPlaceholderText(self.tr("Type a reply… Enter to send, Shift+Enter for a new line"))
        # Three lines: room for a typical reply, while the chat keeps the height.
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)

    def text(self) -> str:
        return self.toPlainText()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            # (A key the box keeps for itself while focused must be accepted above this.)
            if (Qt.Key(event.key()), mods) in _PASS_THROUGH or passes_to_window(self, event):
                event.ignore()  # not overridden: the window's QAction gets it (remapped too)
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                # Insert "\n" ourselves: Qt's Shift+Enter would insert U+2028 instead.
                self.textCursor().insertText("\n")
            else:
                self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)
