"""The composer's platform red-line check (平台红线): the offending spans are underlined as
the agent types (a debounced check, compiled rules, no network), and a reply with a hit is
not sent until the agent explicitly overrides it (Ctrl+Shift+Enter or the bar's button);
the override is logged by core with who, when, which rule and the text."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QPushButton, QTextEdit, QVBoxLayout, QWidget

from desktop.core.redlines import merge_spans
from desktop.core.views import RedLineHit

from .deskapi import DeskLike
from .widgets import plain_label, plain_tooltip

DEBOUNCE_MS = 150  # a check per pause in typing, not per key
OVERRIDE_KEY = "Ctrl+Shift+Return"


def category_label(category: str) -> str:
    labels = {
        "off_platform": QCoreApplication.translate("RedLine", "Leading the buyer off the platform"),
        "payment": QCoreApplication.translate("RedLine", "Payment outside the platform"),
        "absolute": QCoreApplication.translate("RedLine", "Absolute advertising claim"),
        "review_bait": QCoreApplication.translate("RedLine", "Paying for good reviews"),
        "invoice": QCoreApplication.translate("RedLine", "Refusing an invoice"),
        "other": QCoreApplication.translate("RedLine", "Team rule"),
    }
    return labels.get(category, category)


class RedLineBar(QFrame):
    """Above the composer: which rule the highlighted text crosses and why, and the
    explicit way to send anyway."""

    override_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redLineBar")
        self.title = plain_label("", self, object_name="redLineTitle", wrap=True)
        self.detail = plain_label("", self, object_name="redLineDetail", wrap=True)
        self.button = QPushButton(self.tr("Send anyway (Ctrl+Shift+Enter)"), self)
        self.button.setObjectName("redLineOverride")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the agent stays in the reply box
        self.button.clicked.connect(self.override_clicked)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 6, 12, 6)
        row.addLayout(text, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.stopped = False
        self._style(False)
        self.hide()

    def _style(self, stopped: bool) -> None:
        back, border = ("#fde7e5", "#e5483b") if stopped else ("#fff4f2", "#f3b4ad")
        self.setStyleSheet(
            f"#redLineBar {{ background: {back}; border-top: 1px solid {border}; }}"
            "#redLineTitle { color: #b3261e; font-weight: bold; }"
            "#redLineDetail { color: #5a2a26; }"
            "#redLineOverride { background: #ffffff; color: #b3261e; border: 1px solid #e5483b;"
            " border-radius: 4px; padding: 4px 12px; }"
            "#redLineOverride:hover { background: #fbe3e0; }")

    def show_hits(self, hits: list[RedLineHit], *, stopped: bool) -> None:
        first = hits[0]
        rules = len({h.rule for h in hits})
        if stopped:
            title = self.tr("Not sent: crosses a platform red line — {category}").format(
                category=category_label(first.category))
        else:
            title = self.tr("Platform red line — {category}").format(category=category_label(first.category))
        if rules > 1:
            title += self.tr(" (+{n} more)").format(n=rules - 1)
        self.title.setText(title)
        spans = list(dict.fromkeys(h.matched for h in hits))[:3]
        self.detail.setText("".join(f"“{m}”" for m in spans) + " " + first.explain)
        self.setToolTip(plain_tooltip("\n".join(
            f"“{h.matched}” — {category_label(h.category)}: {h.explain}" for h in hits)))
        self.stopped = stopped
        self._style(stopped)
        self.show()

    def clear(self) -> None:
        self.stopped = False
        self.hide()


class RedLineGuard(QObject):
    """Checks the composer against the open chat's platform: highlights as it goes,
    answers `hits()` synchronously on send, and asks for the override explicitly."""

    override_requested = Signal()  # the agent pressed Ctrl+Shift+Enter or "Send anyway"

    def __init__(self, desk: DeskLike, composer: QPlainTextEdit, bar: RedLineBar) -> None:
        super().__init__(composer)
        self._desk = desk
        self.composer = composer
        self.bar = bar
        self.platform: str | None = None
        self.current: list[RedLineHit] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.check_now)
        composer.textChanged.connect(self._timer.start)
        composer.installEventFilter(self)
        bar.override_clicked.connect(self._on_bar_override_clicked)

    def set_platform(self, platform: str | None) -> None:
        self.platform = platform
        self.check_now()

    def hits(self, text: str) -> list[RedLineHit]:
        if not self.platform or not text.strip():
            return []
        return self._desk.red_line_hits(text, [self.platform])

    def check_now(self) -> list[RedLineHit]:
        """Check what is typed now: underline the spans, show or hide the bar."""
        self._timer.stop()
        self.current = self.hits(self.composer.toPlainText())
        self._highlight(self.current)
        if self.current:
            self.bar.show_hits(self.current, stopped=self.bar.stopped and self.bar.isVisible())
        else:
            self.bar.clear()
        return self.current

    def stop(self, hits: list[RedLineHit]) -> None:
        """A send was refused: say so loudly and keep the text."""
        self.current = hits
        self._highlight(hits)
        self.bar.show_hits(hits, stopped=True)

    def _highlight(self, hits: list[RedLineHit]) -> None:
        selections = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#fdd8d4"))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#d93026"))
        length = len(self.composer.toPlainText())
        for start, end in merge_spans(hits):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.composer.document())
            cursor.setPosition(min(start, length))
            cursor.setPosition(min(end, length), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[attr-defined]
            selection.format = fmt  # type: ignore[attr-defined]
            selections.append(selection)
        self.composer.setExtraSelections(selections)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.composer and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                == Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            self.override_requested.emit()
            return True
        return False

    def _on_bar_override_clicked(self) -> None:
        self.override_requested.emit()
