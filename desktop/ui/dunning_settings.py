"""The team's dunning settings: the two templates (the team's, and any shop's own — picked
from the quick-reply library's 催付 stage or written here) and, per platform, how often
one buyer may be dunned in one shop."""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import DunningSettings, PhraseStage

from .bridge import Bridge
from .deskapi import DeskLike
from .widgets import error_label, plain_label, save_cancel_buttons

VARIABLES_HINT = "{买家} {店铺} {客服} {订单号} {金额} {商品} {平台}"
VARIANTS = ("asked", "silent")


class DunningSettingsDialog(QDialog):
    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dunningSettingsDialog")
        self.setWindowTitle(self.tr("Dunning settings"))
        self._desk = desk
        self._bridge = bridge
        self._settings = desk.dunning_settings()
        # shop id → {variant: text} as edited here (empty: the team's template)
        self._shop_texts: dict[int, dict[str, str]] = {
            int(k): dict(v) for k, v in self._settings.shop_templates.items()}
        self._shop: int | None = None

        team = QGroupBox(self.tr("The team's templates"), self)
        self.team_edits = {v: self._edit(f"teamTemplate_{v}") for v in VARIANTS}
        self.team_edits["asked"].setPlainText(self._settings.asked_text)
        self.team_edits["silent"].setPlainText(self._settings.silent_text)
        form = QFormLayout(team)
        for variant, edit in self.team_edits.items():
            form.addRow(self._variant_label(variant), self._with_picker(edit))

        shops = QGroupBox(self.tr("A shop's own templates (empty: the team's)"), self)
        self.shop_combo = QComboBox(self)
        self.shop_combo.setObjectName("dunningTemplateShop")
        for shop in desk.shops():
            self.shop_combo.addItem(shop.name, shop.id)
        self.shop_edits = {v: self._edit(f"shopTemplate_{v}") for v in VARIANTS}
        for edit in self.shop_edits.values():
            edit.setPlaceholderText(self.tr("Empty: the team's template"))
        form = QFormLayout(shops)
        form.addRow(self.tr("Shop"), self.shop_combo)
        for variant, edit in self.shop_edits.items():
            form.addRow(self._variant_label(variant), self._with_picker(edit))
        shops.setEnabled(self.shop_combo.count() > 0)

        limits = QGroupBox(self.tr("How often one buyer may be dunned in one shop"), self)
        form = QFormLayout(limits)
        self.intervals: dict[str, QSpinBox] = {}
        for platform in sorted({s.platform for s in desk.shops()}):
            spin = QSpinBox(self)
            spin.setObjectName(f"dunInterval_{platform}")
            spin.setRange(1, 24 * 30)
            spin.setSuffix(self.tr(" h"))
            spin.setValue(self._settings.hours(platform))
            spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("000 小时") + 40)
            info = desk.platform_info(platform)
            self.intervals[platform] = spin
            form.addRow(info.display_name if info is not None else platform, spin)
        limits.setToolTip(self.tr("Platforms limit dunning: Taobao allows one per buyer and shop "
                                  "in 24 hours."))
        limits.setVisible(bool(self.intervals))

        hint = plain_label(self.tr("Variables: {names}. A dunning whose template needs a value the "
                                   "order has not got is refused, not sent with a gap.").format(
            names=VARIABLES_HINT), self, wrap=True)
        hint.setStyleSheet("color: #5f6670;")
        self.error = error_label(self, "dunningSettingsError")
        self.error.hide()
        self.buttons = save_cancel_buttons(self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(team)
        layout.addWidget(shops)
        layout.addWidget(limits)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.shop_combo.currentIndexChanged.connect(self._on_shop_combo_changed)
        self._on_shop_combo_changed(self.shop_combo.currentIndex())
        self.resize(620, 640)

    def _edit(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setObjectName(name)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        return edit

    def _variant_label(self, variant: str) -> str:
        return self.tr("Asked before ordering") if variant == "asked" else self.tr("Ordered silently")

    def _with_picker(self, edit: QPlainTextEdit) -> QWidget:
        """The edit with a button offering the library's 催付 quick replies."""
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        pick = QToolButton(box)
        pick.setObjectName(f"{edit.objectName()}_pick")
        pick.setText(self.tr("Quick replies…"))
        pick.setToolTip(self.tr("Use a quick reply of the dunning (催付) stage"))
        menu = QMenu(pick)
        phrases = [p for p in self._desk.phrases() if p.stage == PhraseStage.DUNNING.value]
        for phrase in phrases:
            action = menu.addAction(phrase.title)
            action.triggered.connect(lambda _=False, t=phrase.answers[0]: edit.setPlainText(t))
        pick.setMenu(menu)
        pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        pick.setEnabled(bool(phrases))
        row.addWidget(pick)
        return box

    def _keep_shop_edits(self) -> None:
        if self._shop is None:
            return
        self._shop_texts[self._shop] = {v: e.toPlainText().strip() for v, e in self.shop_edits.items()}

    def _on_shop_combo_changed(self, _index: int) -> None:
        self._keep_shop_edits()
        shop = self.shop_combo.currentData()
        self._shop = int(shop) if shop is not None else None
        texts = self._shop_texts.get(self._shop, {}) if self._shop is not None else {}
        for variant, edit in self.shop_edits.items():
            edit.setPlainText(texts.get(variant, ""))

    def chosen(self) -> DunningSettings:
        self._keep_shop_edits()
        return DunningSettings(
            asked_text=self.team_edits["asked"].toPlainText(),
            silent_text=self.team_edits["silent"].toPlainText(),
            interval_hours={p: spin.value() for p, spin in self.intervals.items()},
            shop_templates={str(k): {v: t for v, t in texts.items() if t}
                            for k, texts in self._shop_texts.items() if any(texts.values())})

    def save(self) -> None:
        self.buttons.setEnabled(False)
        self._bridge.when_done(self._desk.set_dunning_settings(self.chosen()), self._on_saved)

    def _on_saved(self, future: Future[DunningSettings]) -> None:
        self.buttons.setEnabled(True)
        error = future.exception()
        if error is None:
            self.accept()
            return
        self.error.setText(self.tr("Not saved: {error}").format(error=error))
        self.error.show()
