"""The team's routing rules, edited by a lead from the team console (one set per store)."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.routing import RoutingRules, Stage

from .bridge import Bridge
from .deskapi import DeskLike
from .widgets import error_label, plain_label, save_cancel_buttons


class RoutingDialog(QDialog):
    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("routingDialog")
        self.setWindowTitle(self.tr("Routing rules"))
        self._desk = desk
        self._bridge = bridge
        self._rules = desk.routing_rules()
        groups = desk.team_groups()

        self.enabled = QCheckBox(self.tr("Assign new and reopened chats to seats automatically"), self)
        self.enabled.setObjectName("routingEnabled")
        self.affinity = self._spin("routingAffinity", 0, 365, self.tr(" days"), self.tr("Off"))
        self.presale = self._group_combo("routingPresale", groups)
        self.aftersale = self._group_combo("routingAftersale", groups)
        self.fallback = QCheckBox(self.tr("When that group has no free seat, any group's seat may take it"),
                                  self)
        self.fallback.setObjectName("routingFallback")
        self.heartbeat = self._spin("routingHeartbeat", 5, 600, self.tr(" s"))
        self.release = self._spin("routingRelease", 0, 86_400, self.tr(" s"), self.tr("Never"))
        self.idle = self._spin("routingIdle", 1, 1440, self.tr(" min"))

        self.error = error_label(self)
        self.buttons = save_cancel_buttons(self, self.save)

        form = QFormLayout()
        form.addRow(self.enabled)
        form.addRow(self.tr("Same seat for a returning buyer within:"), self.affinity)
        form.addRow(self.tr("Pre-sale chats go to group:"), self.presale)
        form.addRow(self.tr("After-sale chats go to group:"), self.aftersale)
        form.addRow(self.fallback)
        form.addRow(self.tr("A seat's app silent this long is offline:"), self.heartbeat)
        form.addRow(self.tr("Take waiting buyers from a seat offline for:"), self.release)
        form.addRow(self.tr("A quiet chat stops counting against the cap after:"), self.idle)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        note = plain_label(self.tr("A seat never gets more chats than its cap, and never while it is away, "
                                   "suspended or offline. Chats no seat can take wait in the queue."),
                           self, wrap=True)
        note.setStyleSheet("color: #8a9099;")
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.set_rules(self._rules)

    def _spin(self, name: str, low: int, high: int, suffix: str, special: str = "") -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        if special:
            spin.setSpecialValueText(special)  # shown at the minimum (0 = off / never)
        return spin

    def _group_combo(self, name: str, groups: list[str]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setEditable(True)  # a group no seat has yet may be named ahead of time
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(groups)
        return combo

    def set_rules(self, rules: RoutingRules) -> None:
        self.enabled.setChecked(rules.enabled)
        self.affinity.setValue(rules.affinity_days)
        self.presale.setEditText(rules.group_for_stage.get(Stage.PRESALE.value, ""))
        self.aftersale.setEditText(rules.group_for_stage.get(Stage.AFTERSALE.value, ""))
        self.fallback.setChecked(rules.fall_back_to_any_group)
        self.heartbeat.setValue(rules.heartbeat_timeout_s)
        self.release.setValue(rules.release_offline_after_s)
        self.idle.setValue(rules.idle_after_min)

    def rules(self) -> RoutingRules:
        stages: dict[str, str] = dict(self._rules.group_for_stage)  # keep stages this dialog does not show
        for stage, combo in ((Stage.PRESALE, self.presale), (Stage.AFTERSALE, self.aftersale)):
            name = " ".join(combo.currentText().split())
            if name:
                stages[stage.value] = name
            else:
                stages.pop(stage.value, None)
        return replace(self._rules, enabled=self.enabled.isChecked(), affinity_days=self.affinity.value(),
                       group_for_stage=stages, fall_back_to_any_group=self.fallback.isChecked(),
                       heartbeat_timeout_s=self.heartbeat.value(),
                       release_offline_after_s=self.release.value(), idle_after_min=self.idle.value())

    def save(self) -> None:
        self.buttons.setEnabled(False)
        self.error.setText("")
        self._bridge.when_done(self._desk.set_routing_rules(self.rules()), self._on_saved)

    def _on_saved(self, future: Future[Any]) -> None:
        self.buttons.setEnabled(True)
        if future.exception() is not None:
            self.error.setText(self.tr("Not saved: {error}").format(error=future.exception()))
            return
        self.accept()
