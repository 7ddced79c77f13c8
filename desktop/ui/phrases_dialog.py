"""The quick-reply library (快捷短语库): the team's and my own phrases by workflow stage,
edited with a live check (unknown variables, platform red lines, escalating answers, a
preview with sample values), favourite keys, per-shop versions, CSV in and out."""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.phrases import FAVORITE_SLOTS, VARIABLES, render, search, unknown_variables
from desktop.core.redlines import RedLineRefused
from desktop.core.views import ChangeNotice, PhraseDraft, PhraseImportReport, PhraseRow, PhraseStage, phrase_answers

from .bridge import Bridge
from .deskapi import DeskLike
from .phrase_picker import scope_label, stage_label
from .redline_guard import category_label
from .widgets import plain_label

# What the preview fills the variables with (the editor has no chat).
SAMPLE_VALUES = {"买家": "tb_小明", "店铺": "棉麻小铺", "客服": "小王", "平台": "淘宝",
                 "订单号": "3000123456789", "金额": "128.00", "商品": "纯棉T恤", "快递": "中通快递",
                 "运单号": "7731234567890", "地址": "浙江省杭州市西湖区****"}


class PhrasesDialog(QDialog):
    """Team library (a lead's to edit) and my own, one list grouped by stage."""

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phrasesDialog")
        self.setWindowTitle(self.tr("Quick-reply library"))
        self._desk = desk
        self._bridge = bridge
        self._rows: list[PhraseRow] = []
        self._current: PhraseRow | None = None  # the phrase in the editor (None: a new one)

        # -- left: the list ----------------------------------------------------------------
        self.filter = QLineEdit(self)
        self.filter.setObjectName("phraseFilter")
        self.filter.setPlaceholderText(self.tr("Search title, shortcut, pinyin initials, text…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._fill_tree)
        self.scope = QComboBox(self)
        self.scope.setObjectName("phraseScope")
        for text, value in ((self.tr("All"), None), (self.tr("Team"), True), (self.tr("Mine"), False)):
            self.scope.addItem(text, value)
        self.scope.currentIndexChanged.connect(self._fill_tree)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("phraseTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("Title"), self.tr("Shortcut"), self.tr("Library"),
                                   self.tr("Key")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.tree.header().setSectionResizeMode(column, self.tree.header().ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        new = QPushButton(self.tr("&New"), self)
        new.setObjectName("newPhrase")
        new.setToolTip("Ctrl+N")
        new.clicked.connect(self.new_phrase)
        self.delete_button = QPushButton(self.tr("&Delete"), self)
        self.delete_button.setObjectName("deletePhrase")
        self.delete_button.clicked.connect(self.delete_phrase)
        import_button = QPushButton(self.tr("&Import CSV…"), self)
        import_button.clicked.connect(lambda: self.import_csv())
        export_button = QPushButton(self.tr("E&xport CSV…"), self)
        export_button.clicked.connect(lambda: self.export_csv())
        left_buttons = QHBoxLayout()
        for button in (new, self.delete_button, import_button, export_button):
            left_buttons.addWidget(button)
        left = QWidget(self)
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.scope)
        left_col.addLayout(top)
        left_col.addWidget(self.tree, 1)
        left_col.addLayout(left_buttons)

        # -- right: the editor -------------------------------------------------------------
        self.library = QComboBox(self)
        self.library.setObjectName("phraseLibrary")
        self.library.addItem(self.tr("Team library"), True)
        self.library.addItem(self.tr("My own"), False)
        self.library.currentIndexChanged.connect(self._schedule_check)
        self.stage = QComboBox(self)
        self.stage.setObjectName("phraseStage")
        for stage in PhraseStage:
            self.stage.addItem(stage_label(stage.value), stage.value)
        self.title = QLineEdit(self)
        self.title.setObjectName("phraseTitle")
        self.title.setMaxLength(100)
        self.shortcut = QLineEdit(self)
        self.shortcut.setObjectName("phraseShortcut")
        self.shortcut.setMaxLength(32)
        self.shortcut.setPlaceholderText(self.tr("typed after / to find it first, e.g. hy"))
        self.shop = QComboBox(self)
        self.shop.setObjectName("phraseShop")
        self.shop.currentIndexChanged.connect(self._schedule_check)
        self.key = QComboBox(self)
        self.key.setObjectName("phraseKey")
        self.key.addItem(self.tr("None"), None)
        for slot in FAVORITE_SLOTS:
            self.key.addItem(f"Ctrl+{slot}", slot)
        self.key.setToolTip(self.tr("In the reply box, this key inserts the phrase. A lead's key on a "
                                    "team phrase is the team's default; anyone may pick their own."))
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("phraseText")
        self.text.setPlaceholderText(self.tr(
            "亲，{买家}… Variables in braces are filled from the chat. For escalating answers "
            "(bargaining), put each on its own, separated by a line holding only ---"))
        self.text.textChanged.connect(self._schedule_check)
        variables = QGridLayout()
        variables.setSpacing(4)
        for i, (name, _alias, help_text) in enumerate(VARIABLES):
            button = QPushButton("{" + name + "}", self)
            button.setObjectName("variableButton")
            button.setToolTip(help_text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, n=name: self._insert_variable(n))
            variables.addWidget(button, i // 5, i % 5)
        self.check = plain_label("", self, object_name="phraseCheck", wrap=True)
        self.preview = plain_label("", self, object_name="phrasePreview", wrap=True, selectable=True)
        self.note = plain_label("", self, object_name="phraseNote", wrap=True)
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("savePhrase")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        copy = QPushButton(self.tr("Make my own &copy"), self)
        copy.setObjectName("copyPhrase")
        copy.setToolTip(self.tr("A phrase of my own with the same stage and title replaces the team's in my chats"))
        copy.clicked.connect(self.copy_to_mine)
        self.copy_button = copy
        form = QFormLayout()
        form.addRow(self.tr("Library"), self.library)
        form.addRow(self.tr("Stage"), self.stage)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Shortcut"), self.shortcut)
        form.addRow(self.tr("Shop"), self.shop)
        form.addRow(self.tr("Favourite key"), self.key)
        right = QWidget(self)
        right_col = QVBoxLayout(right)
        right_col.setContentsMargins(8, 0, 0, 0)
        right_col.addLayout(form)
        right_col.addWidget(self.text, 1)
        right_col.addLayout(variables)
        right_col.addWidget(self.check)
        right_col.addWidget(self.preview)
        right_col.addWidget(self.note)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(copy)
        save_row.addWidget(self.save_button)
        right_col.addLayout(save_row)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 520])
        self.status = plain_label("", self, object_name="dialogStatus", wrap=True)
        col = QVBoxLayout(self)
        col.addWidget(split, 1)
        col.addWidget(self.status)
        self.setStyleSheet(
            "#phraseCheck { color: #b3261e; } #phrasePreview { color: #4a5059; background: #f5f7fa;"
            " border-radius: 4px; padding: 6px; } #phraseNote { color: #7a8089; }"
            "#variableButton { padding: 2px 6px; }")
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_phrase)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=lambda: self.filter.setFocus())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_check)
        self.resize(1000, 640)

    # -- reading ------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (self._current.id if self._current else None)
        self._rows = self._desk.phrases()
        self.shop.blockSignals(True)
        self.shop.clear()
        self.shop.addItem(self.tr("Every shop"), None)
        for shop in self._desk.shops():
            self.shop.addItem(shop.name, shop.id)
        self.shop.blockSignals(False)
        lead = self._desk.is_lead()
        self.library.model().item(0).setEnabled(lead)  # type: ignore[attr-defined]
        self._fill_tree()
        item = self._item_of(keep) if keep is not None else None
        if item is not None:
            self.tree.setCurrentItem(item)
        elif self._current is None:
            self.new_phrase()

    def apply_notice(self, notice: ChangeNotice) -> None:
        if notice.phrases:
            self.reload()

    def _fill_tree(self) -> None:
        query = self.filter.text()
        scope = self.scope.currentData()
        rows = [r for r in search(query, self._rows) if scope is None or r.team == scope]
        current = self._current.id if self._current else None
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for stage in PhraseStage:
            members = [r for r in rows if r.stage == stage.value]
            if not members:
                continue
            group = QTreeWidgetItem([f"{stage_label(stage.value)} ({len(members)})"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            groups[stage.value] = group
            for r in members:
                item = QTreeWidgetItem([r.title, f"/{r.shortcut}" if r.shortcut else "", scope_label(r),
                                        f"Ctrl+{r.slot}" if r.slot else ""])
                item.setData(0, Qt.ItemDataRole.UserRole, r.id)
                item.setToolTip(0, r.text)
                group.addChild(item)
            group.setExpanded(True)
        self.tree.blockSignals(False)
        item = self._item_of(current) if current is not None else None
        if item is not None:
            self.tree.setCurrentItem(item)

    def _item_of(self, phrase_id: int) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, Qt.ItemDataRole.UserRole) == phrase_id:
                    return group.child(j)
        return None

    def _row(self, phrase_id: int) -> PhraseRow | None:
        return next((r for r in self._rows if r.id == phrase_id), None)

    # -- editing ------------------------------------------------------------------------------
    def new_phrase(self) -> None:
        self.tree.setCurrentItem(None)  # type: ignore[arg-type]
        self._current = None
        self._load_editor(None)
        self.title.setFocus()

    def _load_editor(self, row: PhraseRow | None) -> None:
        lead = self._desk.is_lead()
        team = row.team if row is not None else lead
        self.library.setCurrentIndex(0 if team else 1)
        self.stage.setCurrentIndex(max(0, self.stage.findData(row.stage if row else PhraseStage.GREETING.value)))
        self.title.setText(row.title if row else "")
        self.shortcut.setText(row.shortcut if row else "")
        self.shop.setCurrentIndex(max(0, self.shop.findData(row.shop_id if row else None)))
        self.key.setCurrentIndex(max(0, self.key.findData(row.slot if row else None)))
        self.text.setPlainText(row.text if row else "")
        editable = row is None or not row.team or lead
        for widget in (self.library, self.stage, self.title, self.shortcut, self.shop, self.text):
            widget.setEnabled(editable)
        self.library.setEnabled(editable and row is None)  # moving between libraries: copy instead
        self.delete_button.setEnabled(row is not None and editable)
        self.copy_button.setVisible(row is not None and row.team)
        if row is not None and not editable:
            self.note.setText(self.tr("The team's library is edited by a team lead. Make your own copy to change "
                                      "it for your chats; the favourite key is yours to set."))
        elif row is not None:
            self.note.setText(self.tr("Last changed by {who}").format(who=row.updated_by or "—"))
        else:
            self.note.setText("")
        self.run_check()

    def _insert_variable(self, name: str) -> None:
        self.text.insertPlainText("{" + name + "}")
        self.text.setFocus()

    def _draft(self) -> PhraseDraft:
        return PhraseDraft(str(self.stage.currentData()), self.title.text(), self.text.toPlainText(),
                           self.shortcut.text(), bool(self.library.currentData()), self.shop.currentData())

    def _platforms(self, shop_id: int | None) -> list[str]:
        shops = self._desk.shops()
        chosen = [s.platform for s in shops if shop_id is None or s.id == shop_id]
        return sorted(set(chosen)) or ["common"]

    def _schedule_check(self) -> None:
        self._timer.start()

    def run_check(self) -> None:
        """Unknown variables and red-line hits, as the author types (the save checks again)."""
        self._timer.stop()
        text = self.text.toPlainText()
        problems = []
        unknown = unknown_variables(text)
        if unknown:
            problems.append(self.tr("Unknown variables: {names}").format(
                names=" ".join("{" + n + "}" for n in unknown)))
        hits = self._desk.red_line_hits(text + "\n" + self.title.text(), self._platforms(self.shop.currentData()))
        for hit in hits[:3]:
            problems.append(self.tr("Red line — {category}: “{matched}” {explain}").format(
                category=category_label(hit.category), matched=hit.matched, explain=hit.explain))
        self.check.setText("\n".join(problems))
        self.check.setVisible(bool(problems))
        answers = phrase_answers(text)
        first = render(answers[0], SAMPLE_VALUES)[0] if text.strip() else ""
        head = (self.tr("{n} escalating answers; each pick in a chat offers the next. ").format(n=len(answers))
                if len(answers) > 1 else "")
        self.preview.setText(self.tr("{head}Preview: {text}").format(head=head, text=first) if first else "")
        self.preview.setVisible(bool(first))

    def save(self, allow_red_lines: bool = False) -> None:
        draft = self._draft()
        editing = self._current
        if editing is not None and editing.team and not self._desk.is_lead():
            self._save_key(editing.id, editing)  # only the key is theirs to change
            return
        future = self._desk.save_phrase(draft, editing.id if editing else None,
                                        allow_red_lines=allow_red_lines)
        self._bridge.when_done(future, lambda f: self._on_saved(f, draft))

    def _on_saved(self, future: Future[int], draft: PhraseDraft) -> None:
        error = future.exception()
        if isinstance(error, RedLineRefused):
            hit = error.hits[0]
            answer = QMessageBox.question(
                self, self.tr("Platform red line"),
                self.tr("“{matched}” crosses a platform red line ({category}): {explain}\n\n"
                        "Save it anyway? Agents will still be stopped when they send it, and this "
                        "is logged.").format(matched=hit.matched, category=category_label(hit.category),
                                             explain=hit.explain))
            if answer == QMessageBox.StandardButton.Yes:
                self.save(allow_red_lines=True)
            return
        if error is not None:
            self.check.setText(str(error))
            self.check.show()
            return
        phrase_id = future.result()
        self._save_key(phrase_id, self._current, team=draft.team)
        self.say(self.tr("Saved “{title}”").format(title=draft.title.strip()))
        self._current = self._row(phrase_id) or self._current
        self.reload(select_id=phrase_id)

    def _save_key(self, phrase_id: int, before: PhraseRow | None, *, team: bool | None = None) -> None:
        slot = self.key.currentData()
        old = before.slot if before is not None else None
        if slot == old:
            return
        as_team = bool(team if team is not None else (before.team if before else False)) and self._desk.is_lead()
        if slot is None and old is not None:
            future = self._desk.set_favorite_phrase(old, None, team=as_team)
        else:
            future = self._desk.set_favorite_phrase(int(slot), phrase_id, team=as_team)
        self._bridge.when_done(future, self._after_write)

    def copy_to_mine(self) -> None:
        row = self._current
        if row is None:
            return
        draft = PhraseDraft(row.stage, row.title, row.text, row.shortcut, False, row.shop_id)
        self._bridge.when_done(self._desk.save_phrase(draft), lambda f: self._on_saved(f, draft))

    def delete_phrase(self) -> None:
        row = self._current
        if row is None:
            return
        answer = QMessageBox.question(self, self.tr("Delete"),
                                      self.tr("Delete “{title}”?").format(title=row.title))
        if answer == QMessageBox.StandardButton.Yes:
            self._current = None
            self._bridge.when_done(self._desk.delete_phrase(row.id), self._after_write)

    def _after_write(self, future: Future[object]) -> None:
        if future.exception() is not None:
            self.say(str(future.exception()), error=True)
        self.reload()

    # -- CSV --------------------------------------------------------------------------------
    def export_csv(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export quick replies"),
                                                  "seatdesk-phrases.csv", "CSV (*.csv)")
        if path:
            def finished(f: Future[int]) -> None:
                if f.exception() is not None:
                    self.say(str(f.exception()), error=True)
                else:
                    self.say(self.tr("{n} phrases written to {path}").format(n=f.result(), path=path))
            self._bridge.when_done(self._desk.export_phrases_csv(path), finished)

    def import_csv(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import quick replies"), "",
                                                  "CSV (*.csv *.txt)")
        if path:
            self._bridge.when_done(self._desk.import_phrases_csv(path), self._on_imported)

    def _on_imported(self, f: Future[PhraseImportReport]) -> None:
        if f.exception() is not None:
            self.say(self.tr("Import failed: {error}").format(error=f.exception()), error=True)
            return
        r = f.result()
        text = self.tr("{rows} rows read: {added} added, {updated} updated.").format(
            rows=r.rows, added=r.added, updated=r.updated)
        if r.skipped:
            text += " " + self.tr("Skipped: {lines}").format(
                lines="; ".join(self.tr("line {n}: {why}").format(n=n, why=why) for n, why in r.skipped[:8]))
        self.say(text, error=bool(r.skipped))
        self.reload()

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b3261e;" if error else "color: #2e7d32;")
        self.status.setText(text)

    # -- slots ------------------------------------------------------------------------------
    def _on_tree_current_item_changed(self, item: QTreeWidgetItem | None, _old: object) -> None:
        phrase_id = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if phrase_id is None:
            return
        self._current = self._row(int(phrase_id))
        self._load_editor(self._current)
