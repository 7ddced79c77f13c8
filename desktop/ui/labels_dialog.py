"""Managing the team's tags and groups, labelling many buyers at once, CSV in and out."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, ImportReport, LabelKind, LabelRow

from .bridge import Bridge
from .deskapi import DeskLike
from .icons import dot_icon
from .widgets import plain_label

NEW_LABEL_COLOR = "#1e88e5"


class LabelsDialog(QDialog):
    """Create, rename, recolour, merge and delete tags and groups, with buyer counts;
    import and export buyers' tags and groups as CSV."""

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelsDialog")
        self.setWindowTitle(self.tr("Tags and groups"))
        self._desk = desk
        self._bridge = bridge
        self.tabs = QTabWidget(self)
        self.tables: dict[str, QTableWidget] = {}
        for kind, title in ((LabelKind.TAG.value, self.tr("Tags")),
                            (LabelKind.GROUP.value, self.tr("Groups"))):
            table = QTableWidget(0, 2, self)
            table.setObjectName(f"{kind}Table")
            table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Buyers")])
            table.horizontalHeader().setStretchLastSection(False)
            table.horizontalHeader().setSectionResizeMode(0, table.horizontalHeader().ResizeMode.Stretch)
            table.verticalHeader().setVisible(False)
            table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
            table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.doubleClicked.connect(lambda _i: self.rename())
            self.tables[kind] = table
            self.tabs.addTab(table, title)
        self.error = plain_label("", self, object_name="dialogError", wrap=True)

        buttons = QVBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (
            ("new", self.tr("&New…"), self.create),
            ("rename", self.tr("&Rename…"), self.rename),
            ("color", self.tr("&Colour…"), self.recolor),
            ("merge", self.tr("&Merge into…"), self.merge),
            ("delete", self.tr("&Delete"), self.delete),
            ("import", self.tr("&Import CSV…"), self.import_csv),
            ("export", self.tr("E&xport CSV…"), self.export_csv),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"{name}Button")
            button.clicked.connect(slot)
            self.buttons[name] = button
            buttons.addWidget(button)
            if name == "delete":
                buttons.addSpacing(16)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addWidget(self.tabs, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.resize(520, 420)
        self.reload()

    # -- reads --------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return (LabelKind.TAG if self.tabs.currentIndex() == 0 else LabelKind.GROUP).value

    def reload(self) -> None:
        rows = self._desk.labels()
        for kind, table in self.tables.items():
            keep = self._selected(kind)
            mine = [r for r in rows if r.kind == kind]
            table.setRowCount(len(mine))
            for i, row in enumerate(mine):
                name = QTableWidgetItem(dot_icon(row.color, 12), row.name)
                name.setData(Qt.ItemDataRole.UserRole, row)
                count = QTableWidgetItem(str(row.buyers))
                count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(i, 0, name)
                table.setItem(i, 1, count)
                if keep is not None and row.id == keep.id:
                    table.selectRow(i)

    def apply_notice(self, notice: ChangeNotice) -> None:
        if notice.labels or notice.buyers:
            self.reload()

    def _selected(self, kind: str | None = None) -> LabelRow | None:
        table = self.tables[kind or self.kind]
        items = table.selectedItems()
        row = items[0].row() if items else -1
        item = table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    # -- commands -----------------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        """Results in grey, problems in red, in the same line under the table."""
        self.error.setStyleSheet("color: #c62828;" if error else "color: #5f6670;")
        self.error.setText(text)

    def _run(self, future: Future[Any], done_text: str = "") -> None:
        def finished(f: Future[Any]) -> None:
            if f.exception() is not None:
                self.say(str(f.exception()), error=True)
            else:
                self.say(done_text)
            self.reload()
        self.say("")
        self._bridge.when_done(future, finished)

    def create(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New"), self.tr("Name:"))
        if ok and name.strip():
            self._run(self._desk.create_label(self.kind, name.strip(), NEW_LABEL_COLOR))

    def rename(self) -> None:
        label = self._selected()
        if label is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Rename"), self.tr("New name:"), text=label.name)
        if ok and name.strip() and name.strip() != label.name:
            self._run(self._desk.rename_label(label.id, name.strip()))

    def recolor(self) -> None:
        label = self._selected()
        if label is None:
            return
        color = QColorDialog.getColor(QColor(label.color), self, self.tr("Colour of {name}").format(name=label.name))
        if color.isValid():
            self._run(self._desk.recolor_label(label.id, color.name()))

    def merge(self) -> None:
        label = self._selected()
        if label is None:
            return
        others = [r for r in self._desk.labels(self.kind) if r.id != label.id]
        if not others:
            self.say(self.tr("There is nothing to merge into."), error=True)
            return
        names = [r.name for r in others]
        target, ok = QInputDialog.getItem(
            self, self.tr("Merge"),
            self.tr("Every buyer of “{name}” gets the one chosen here, and “{name}” goes away:")
            .format(name=label.name), names, 0, False)
        if ok:
            into = others[names.index(target)]
            self._run(self._desk.merge_labels(label.id, into.id))

    def delete(self) -> None:
        label = self._selected()
        if label is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete"),
            self.tr("Delete “{name}”? {n} buyer(s) lose it.").format(name=label.name, n=label.buyers))
        if answer == QMessageBox.StandardButton.Yes:
            self._run(self._desk.delete_label(label.id))

    def export_csv(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export tags and groups"),
                                                  "seatdesk-tags.csv", "CSV (*.csv)")
        if path:
            def finished(f: Future[int]) -> None:
                if f.exception() is not None:
                    self.say(str(f.exception()), error=True)
                else:
                    self.say(self.tr("{n} buyers written.").format(n=f.result()))
            self._bridge.when_done(self._desk.export_labels_csv(path), finished)

    def import_csv(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import tags and groups"), "",
                                                  "CSV (*.csv *.txt)")
        if path:
            self._bridge.when_done(self._desk.import_labels_csv(path), self._on_imported)

    def _on_imported(self, f: Future[ImportReport]) -> None:
        if f.exception() is not None:
            self.say(self.tr("Import failed: {error}").format(error=f.exception()), error=True)
            return
        r = f.result()
        text = self.tr("{rows} rows read, {buyers} buyers updated, {created} new tags or groups.").format(
            rows=r.rows, buyers=r.buyers, created=r.labels_created)
        if r.skipped:
            lines = "; ".join(self.tr("line {line}: {why}").format(line=line, why=why)
                              for line, why in r.skipped[:5])
            more = len(r.skipped) - 5
            text += " " + self.tr("Skipped: {lines}").format(lines=lines)
            if more > 0:
                text += " " + self.tr("(and {n} more)").format(n=more)
        self.say(text, error=bool(r.skipped))
        self.reload()


class BulkLabelDialog(QDialog):
    """Tag (or group) many selected buyers at once: pick or type a name."""

    def __init__(self, desk: DeskLike, bridge: Bridge, buyer_ids: Sequence[int], kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkLabelDialog")
        self._desk = desk
        self._bridge = bridge
        self._buyers = list(buyer_ids)
        self._kind = kind
        is_tag = kind == LabelKind.TAG.value
        self.setWindowTitle(self.tr("Tag buyers") if is_tag else self.tr("Group buyers"))
        self.name = QComboBox(self)
        self.name.setObjectName("bulkLabelName")
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for row in desk.labels(kind):
            self.name.addItem(dot_icon(row.color), row.name)
        self.name.setCurrentIndex(-1)
        self.error = plain_label("", self, object_name="dialogError", wrap=True)
        self.error.setStyleSheet("color: #c62828;")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self.apply)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        prompt = (self.tr("Tag for {n} buyer(s) (a new name creates it):") if is_tag
                  else self.tr("Group for {n} buyer(s) (a new name creates it):"))
        layout.addWidget(plain_label(prompt.format(n=len(self._buyers)), self, wrap=True))
        layout.addWidget(self.name)
        layout.addWidget(self.error)
        layout.addWidget(box)
        self.setMinimumWidth(340)

    def apply(self) -> None:
        name = " ".join(self.name.currentText().split())
        if not name:
            self.error.setText(self.tr("Type or pick a name."))
            return

        def finished(f: Future[None]) -> None:
            if f.exception() is not None:
                self.error.setText(str(f.exception()))
            else:
                self.accept()
        self._bridge.when_done(self._desk.add_labels(self._buyers, self._kind, [name]), finished)
