"""Getting a handover out of SeatDesk: Markdown or plain text on the clipboard (teams paste
it into their IM group), saved to a file, or printed (QtPrintSupport; the text itself is
built by the core: `desk.handover_text`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMenu, QPushButton, QWidget

from desktop.core.views import HandoverRow

from .deskapi import DeskLike
from .formatting import datetime_text

log = logging.getLogger("seatdesk.ui")


def markdown_document(markdown: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    return doc


def print_markdown(markdown: str, printer: object) -> None:
    """Render the Markdown on `printer` (a QPrinter: paper, or a PDF file in tests)."""
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(printer, QPrinter)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      printer.pageLayout().margins()))
    markdown_document(markdown).print_(printer)


def pdf_printer(path: str | Path) -> object:
    """A QPrinter writing a PDF file: printing without a dialog (tests, "save as PDF")."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def file_name(row: HandoverRow, suffix: str) -> str:
    """交接-小王-2025-12-06-1730.md: who and when, safe on every file system."""
    when = datetime_text(row.sent_at or row.created_at or None).replace(":", "").replace(" ", "-")
    if when == "—":
        when = "draft"
    author = "".join(c for c in row.author if c not in '\\/:*?"<>|').strip() or "seat"
    return f"交接-{author}-{when}.{suffix}"


class HandoverExporter(QObject):
    """The Export button's menu over whatever handover `current()` returns (a saved one,
    or the draft being written). Paths and printers can be injected by tests."""

    status_message = Signal(str)

    def __init__(self, desk: DeskLike, current: Callable[[], HandoverRow | None],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self._desk = desk
        self._current = current
        self._parent = parent
        self.ask_path: Callable[[str, str], str] = self._ask_path
        self.make_printer: Callable[[], object | None] = self._printer_from_dialog
        self.button = QPushButton(parent)  # a menu button: the arrow beside the text
        self.button.setObjectName("handoverExport")
        self.menu = QMenu(self.button)
        self.copy_markdown = self.menu.addAction("")
        self.copy_plain = self.menu.addAction("")
        self.menu.addSeparator()
        self.save_markdown = self.menu.addAction("")
        self.save_plain = self.menu.addAction("")
        self.menu.addSeparator()
        self.print_action = self.menu.addAction("")
        self.button.setMenu(self.menu)
        self.copy_markdown.triggered.connect(lambda: self.copy(markdown=True))
        self.copy_plain.triggered.connect(lambda: self.copy(markdown=False))
        self.save_markdown.triggered.connect(lambda: self.save(markdown=True))
        self.save_plain.triggered.connect(lambda: self.save(markdown=False))
        self.print_action.triggered.connect(lambda: self.print_())
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(self.tr("Export"))
        self.button.setToolTip(self.tr("Copy, save or print this handover"))
        self.copy_markdown.setText(self.tr("Copy as Markdown"))
        self.copy_plain.setText(self.tr("Copy as plain text"))
        self.save_markdown.setText(self.tr("Save as Markdown…"))
        self.save_plain.setText(self.tr("Save as text…"))
        self.print_action.setText(self.tr("Print…"))

    def text(self, *, markdown: bool) -> str | None:
        row = self._current()
        if row is None:
            return None
        return self._desk.handover_text(row if row.id == 0 else row.id, markdown=markdown)

    def copy(self, *, markdown: bool = True) -> bool:
        text = self.text(markdown=markdown)
        if text is None:
            return False
        QGuiApplication.clipboard().setText(text)
        self.status_message.emit(self.tr("Handover copied: paste it into the team's group chat")
                                 if markdown else self.tr("Handover copied as plain text"))
        return True

    def save(self, *, markdown: bool = True) -> str | None:
        row = self._current()
        text = self.text(markdown=markdown)
        if row is None or text is None:
            return None
        suffix = "md" if markdown else "txt"
        path = self.ask_path(file_name(row, suffix), suffix)
        if not path:
            return None
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            self.status_message.emit(self.tr("Could not save the handover: {error}").format(error=exc))
            return None
        self.status_message.emit(self.tr("Handover saved to {path}").format(path=path))
        return path

    def print_(self) -> bool:
        """Print… : the system's print dialog, then the handover on paper."""
        text = self.text(markdown=True)
        if text is None:
            return False
        printer = self.make_printer()
        if printer is None:
            return False
        print_markdown(text, printer)
        self.status_message.emit(self.tr("Handover sent to the printer"))
        return True

    def _ask_path(self, suggested: str, suffix: str) -> str:
        pattern = self.tr("Markdown (*.md)") if suffix == "md" else self.tr("Text (*.txt)")
        path, _filter = QFileDialog.getSaveFileName(self._parent, self.tr("Save the handover"),
                                                    str(Path.home() / suggested), pattern)
        return path

    def _printer_from_dialog(self) -> object | None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self._parent)
        dialog.setWindowTitle(self.tr("Print the handover"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return printer
