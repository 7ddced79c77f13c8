"""Platform red lines (平台红线): each platform's rules (shipped, inherited, the team's
edits), a lead's editor with a live test box, and the log of overrides."""

from __future__ import annotations

from concurrent.futures import Future
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ChangeNotice, RedLineCategory, RedLineRule

from .bridge import Bridge
from .deskapi import DeskLike
from .formatting import clock_text, now_ms
from .redline_guard import category_label
from .widgets import plain_label


class RedLinesDialog(QDialog):
    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redLinesDialog")
        self.setWindowTitle(self.tr("Platform red lines"))
        self._desk = desk
        self._bridge = bridge
        self._rules: list[RedLineRule] = []
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_rules(), self.tr("Rules"))
        self.tabs.addTab(self._build_log(), self.tr("Override log"))
        self.tabs.currentChanged.connect(lambda i: i == 1 and self.reload_log())
        col = QVBoxLayout(self)
        col.addWidget(self.tabs)
        self.resize(1040, 660)

    # -- the rules tab ------------------------------------------------------------------------
    def _build_rules(self) -> QWidget:
        page = QWidget(self)
        self.platform = QComboBox(page)
        self.platform.setObjectName("redLinePlatform")
        self.platform.currentIndexChanged.connect(lambda _i: self.reload_rules())
        self.table = QTableWidget(0, 5, page)
        self.table.setObjectName("redLineTable")
        self.table.setHorizontalHeaderLabels([self.tr("On"), self.tr("Category"), self.tr("Rule"),
                                              self.tr("Why"), self.tr("Source")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, self.table.horizontalHeader().ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._load_rule(row))

        self.key = QLineEdit(page)
        self.key.setObjectName("redLineKey")
        self.category = QComboBox(page)
        for c in RedLineCategory:
            self.category.addItem(category_label(c.value), c.value)
        self.kind = QComboBox(page)
        self.kind.addItem(self.tr("Words (one per line)"), "words")
        self.kind.addItem(self.tr("Regular expression"), "regex")
        self.pattern = QPlainTextEdit(page)
        self.pattern.setObjectName("redLinePattern")
        self.pattern.setMaximumHeight(90)
        self.allow = QLineEdit(page)
        self.allow.setPlaceholderText(self.tr("allowed inside a match, comma-separated (e.g. taobao.com)"))
        self.explain = QLineEdit(page)
        self.explain.setObjectName("redLineExplain")
        self.enabled = QCheckBox(self.tr("On"), page)
        self.save_button = QPushButton(self.tr("&Save rule"), page)
        self.save_button.setObjectName("saveRule")
        self.save_button.clicked.connect(self.save_rule)
        self.reset_button = QPushButton(self.tr("&Back to shipped"), page)
        self.reset_button.setObjectName("resetRule")
        self.reset_button.clicked.connect(self.reset_rule)
        new = QPushButton(self.tr("&New rule"), page)
        new.clicked.connect(self.new_rule)
        self.try_box = QLineEdit(page)
        self.try_box.setObjectName("redLineTry")
        self.try_box.setPlaceholderText(self.tr("Try a reply against this platform's rules…"))
        self.try_box.textChanged.connect(self._on_try_box_text_changed)
        self.try_result = plain_label("", page, object_name="redLineTryResult", wrap=True)
        self.message = plain_label("", page, object_name="dialogStatus", wrap=True)

        form = QFormLayout()
        form.addRow(self.tr("Rule id"), self.key)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Match"), self.kind)
        form.addRow(self.tr("Pattern"), self.pattern)
        form.addRow(self.tr("Allowed"), self.allow)
        form.addRow(self.tr("Why (shown to the agent)"), self.explain)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enabled)
        buttons.addStretch(1)
        for button in (new, self.reset_button, self.save_button):
            buttons.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(plain_label(self.tr("Platform"), page))
        top.addWidget(self.platform)
        top.addStretch(1)
        self.lead_note = plain_label("", page, object_name="phraseNote", wrap=True)
        top.addWidget(self.lead_note)
        col = QVBoxLayout(page)
        col.addLayout(top)
        col.addWidget(self.table, 1)
        col.addLayout(form)
        col.addLayout(buttons)
        col.addWidget(self.try_box)
        col.addWidget(self.try_result)
        col.addWidget(self.message)
        self.try_result.setStyleSheet("color: #b3261e;")
        return page

    def reload(self) -> None:
        keep = self.platform.currentData()
        self.platform.blockSignals(True)
        self.platform.clear()
        for platform, name in self._desk.red_line_sets():
            self.platform.addItem(f"{name} ({platform})", platform)
        self.platform.setCurrentIndex(max(0, self.platform.findData(keep)))
        self.platform.blockSignals(False)
        lead = self._desk.is_lead()
        for widget in (self.save_button, self.reset_button):
            widget.setEnabled(lead)
        self.lead_note.setText("" if lead else self.tr("Only a team lead changes the rules."))
        self.reload_rules()

    def apply_notice(self, notice: ChangeNotice) -> None:
        if notice.red_lines:
            self.reload_rules()

    def reload_rules(self) -> None:
        platform = self.platform.currentData()
        if platform is None:
            return
        row_before = self.table.currentRow()
        self._rules = self._desk.red_line_rules(str(platform))
        sources = {"shipped": self.tr("shipped"), "edited": self.tr("edited by the team"),
                   "added": self.tr("added by the team")}
        self.table.setRowCount(len(self._rules))
        for i, rule in enumerate(self._rules):
            origin = sources.get(rule.origin, rule.origin)
            if rule.platform != platform:
                origin = self.tr("{origin}, from {set}").format(origin=origin, set=rule.platform)
            cells = ["✓" if rule.enabled else "—", category_label(rule.category), rule.key, rule.explain, origin]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(rule.pattern)
                if not rule.enabled:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, 420)
        if self._rules:
            self.table.setCurrentCell(max(0, min(row_before, len(self._rules) - 1)), 0)
        self._on_try_box_text_changed(self.try_box.text())

    def _load_rule(self, row: int) -> None:
        if not 0 <= row < len(self._rules):
            return
        rule = self._rules[row]
        self.key.setText(rule.key)
        self.key.setReadOnly(True)
        self.category.setCurrentIndex(max(0, self.category.findData(rule.category)))
        self.kind.setCurrentIndex(max(0, self.kind.findData(rule.kind)))
        self.pattern.setPlainText(rule.pattern)
        self.allow.setText(", ".join(rule.allow))
        self.explain.setText(rule.explain)
        self.enabled.setChecked(rule.enabled)
        self.reset_button.setEnabled(self._desk.is_lead() and rule.origin != "shipped")

    def new_rule(self) -> None:
        self.table.clearSelection()
        self.key.setReadOnly(False)
        self.key.clear()
        self.pattern.clear()
        self.allow.clear()
        self.explain.clear()
        self.enabled.setChecked(True)
        self.kind.setCurrentIndex(0)
        self.key.setFocus()

    def _edited(self) -> RedLineRule:
        platform = str(self.platform.currentData())
        row = self.table.currentRow()
        base = self._rules[row] if self.key.isReadOnly() and 0 <= row < len(self._rules) else None
        # an inherited rule edited here changes it for this platform's set (and what inherits it)
        return RedLineRule(
            self.key.text().strip(), base.platform if base is not None else platform,
            str(self.category.currentData()), str(self.kind.currentData()), self.pattern.toPlainText().strip(),
            self.explain.text().strip(), tuple(a.strip() for a in self.allow.text().split(",") if a.strip()),
            self.enabled.isChecked())

    def save_rule(self) -> None:
        rule = self._edited()
        self._bridge.when_done(self._desk.save_red_line_rule(rule), self._after_write)

    def reset_rule(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._rules):
            rule = self._rules[row]
            self._bridge.when_done(self._desk.reset_red_line_rule(rule.platform, rule.key), self._after_write)

    def _after_write(self, future: Future[object]) -> None:
        error = future.exception()
        self.message.setStyleSheet("color: #b3261e;" if error else "color: #2e7d32;")
        self.message.setText(str(error) if error else self.tr("Saved: every seat checks replies with it now"))
        self.reload_rules()

    def _on_try_box_text_changed(self, text: str) -> None:
        platform = self.platform.currentData()
        hits = self._desk.red_line_hits(text, [str(platform)]) if platform and text.strip() else []
        self.try_result.setText("\n".join(
            f"“{h.matched}” — {category_label(h.category)} ({h.rule}): {h.explain}" for h in hits)
            or (self.tr("No red line crossed") if text.strip() else ""))
        self.try_result.setStyleSheet("color: #b3261e;" if hits else "color: #2e7d32;")

    # -- the override log ------------------------------------------------------------------
    def _build_log(self) -> QWidget:
        page = QWidget(self)
        self.log_table = QTableWidget(0, 6, page)
        self.log_table.setObjectName("overrideLog")
        self.log_table.setHorizontalHeaderLabels([self.tr("When"), self.tr("Seat"), self.tr("What"),
                                                  self.tr("Rules"), self.tr("Matched"), self.tr("Text")])
        self.log_table.verticalHeader().setVisible(False)
        self.log_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_table.horizontalHeader().setSectionResizeMode(5, self.log_table.horizontalHeader().ResizeMode.Stretch)
        col = QVBoxLayout(page)
        col.addWidget(plain_label(self.tr("Replies sent and phrases saved despite a red line, newest first."), page))
        col.addWidget(self.log_table, 1)
        return page

    def reload_log(self) -> None:
        rows = self._desk.red_line_overrides()
        now = now_ms()
        kinds = {"send": self.tr("reply sent"), "phrase": self.tr("phrase saved")}
        self.log_table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [clock_text(r.at, now), r.seat_name, kinds.get(r.kind, r.kind), ", ".join(r.rules),
                     "、".join(r.matched), " ".join(r.text.split())]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(r.text)
                self.log_table.setItem(i, j, item)
        self.log_table.resizeColumnsToContents()
