"""The seat profile editor a lead opens from the team console: sign-in and display name,
role, groups, the shops served, the cap on concurrent chats, platform sub-accounts."""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import LabelChip, SeatProfile, SeatRole, SeatRow

from .bridge import Bridge
from .chips import ChipEditor
from .deskapi import DeskLike
from .icons import dot_icon
from .widgets import error_label, plain_label, save_cancel_buttons

GROUP_COLOR = "#607d8b"


class SeatDialog(QDialog):
    """New seat (`seat` None) or edit one; OK saves through the desk and closes when it took."""

    def __init__(self, desk: DeskLike, bridge: Bridge, seat: SeatRow | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatDialog")
        self._desk = desk
        self._bridge = bridge
        self.seat_id = seat.id if seat is not None else None
        self.setWindowTitle(self.tr("Edit seat {name}").format(name=seat.name) if seat is not None
                            else self.tr("New seat"))
        self._shops = desk.shops()
        self._groups: list[str] = []

        self.login = QLineEdit(self)
        self.login.setObjectName("seatLogin")
        self.login.setPlaceholderText(self.tr("e.g. xiaowang"))
        self.display = QLineEdit(self)
        self.display.setObjectName("seatDisplayName")
        self.display.setPlaceholderText(self.tr("what colleagues see, e.g. 小王"))
        self.role = QComboBox(self)
        self.role.setObjectName("seatRole")
        self.role.addItem(self.tr("Agent"), SeatRole.AGENT.value)
        self.role.addItem(self.tr("Team lead (sees every seat, moves chats)"), SeatRole.LEAD.value)
        self.group_editor = ChipEditor(self.tr("Add a group…"), outlined=True, parent=self)
        self.group_editor.setObjectName("seatGroups")
        self.group_editor.set_catalogue(desk.team_groups())
        self.group_editor.add_requested.connect(self._on_group_add_requested)
        self.group_editor.remove_requested.connect(self._on_group_remove_requested)
        # Enter in the group input adds the group; it must not also press OK
        self.group_editor.input.installEventFilter(self)

        self.all_shops = QRadioButton(self.tr("All shops, including shops added later"), self)
        self.all_shops.setObjectName("seatAllShops")
        self.some_shops = QRadioButton(self.tr("Only these shops:"), self)
        self.some_shops.setObjectName("seatSomeShops")
        scope = QButtonGroup(self)
        scope.addButton(self.all_shops)
        scope.addButton(self.some_shops)
        self.shop_list = QListWidget(self)
        self.shop_list.setObjectName("seatShops")
        for shop in self._shops:
            item = QListWidgetItem(dot_icon(shop.color), shop.name)
            item.setData(Qt.ItemDataRole.UserRole, shop.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.shop_list.addItem(item)
        shown = min(max(self.shop_list.count(), 1), 6)  # the whole list, up to six shops
        self.shop_list.setFixedHeight(max(self.shop_list.sizeHintForRow(0), self.fontMetrics().height() + 6)
                                      * shown + 2 * self.shop_list.frameWidth() + 2)
        self.all_shops.toggled.connect(lambda on: self.shop_list.setEnabled(not on))

        self.max_chats = QSpinBox(self)
        self.max_chats.setObjectName("seatMaxChats")
        self.max_chats.setRange(1, 500)
        self.max_chats.setValue(20)
        self.max_chats.setSuffix(self.tr(" chats at once"))

        self.accounts = QTableWidget(len(self._shops), 2, self)
        self.accounts.setObjectName("seatAccounts")
        self.accounts.setHorizontalHeaderLabels([self.tr("Shop"), self.tr("Platform sub-account")])
        self.accounts.verticalHeader().hide()
        self.accounts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.accounts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.accounts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.accounts.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        for i, shop in enumerate(self._shops):
            name = QTableWidgetItem(dot_icon(shop.color), shop.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.accounts.setItem(i, 0, name)
            self.accounts.setItem(i, 1, QTableWidgetItem(""))
        rows = self.accounts.verticalHeader().defaultSectionSize() * min(max(len(self._shops), 1), 5)
        self.accounts.setFixedHeight(rows + self.accounts.horizontalHeader().sizeHint().height() + 4)

        self.error = error_label(self)
        self.buttons = save_cancel_buttons(self, self.save)

        form = QFormLayout()
        form.addRow(self.tr("Sign-in name:"), self.login)
        form.addRow(self.tr("Display name:"), self.display)
        form.addRow(self.tr("Role:"), self.role)
        form.addRow(self.tr("Groups:"), self.group_editor)
        shops = QVBoxLayout()
        shops.setSpacing(2)
        shops.addWidget(self.all_shops)
        shops.addWidget(self.some_shops)
        shops.addWidget(self.shop_list)
        form.addRow(self.tr("Serves:"), shops)
        form.addRow(self.tr("At most:"), self.max_chats)
        form.addRow(self.tr("Sub-accounts:"), self.accounts)
        hint = plain_label(self.tr("The seat's account in each shop's platform, used when a chat is "
                                   "also transferred on the platform (转接). Leave empty where none."),
                           self, wrap=True)
        hint.setStyleSheet("color: #8a9099;")
        form.addRow("", hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

        self.set_profile(seat.profile if seat is not None else SeatProfile("", ""))

    # -- the profile in the fields ---------------------------------------------------------
    def set_profile(self, profile: SeatProfile) -> None:
        self.login.setText(profile.name)
        self.display.setText(profile.display_name)
        self.role.setCurrentIndex(max(0, self.role.findData(profile.role.value)))
        self._set_groups(list(profile.groups))
        (self.all_shops if profile.shop_ids is None else self.some_shops).setChecked(True)
        self.shop_list.setEnabled(profile.shop_ids is not None)
        for i in range(self.shop_list.count()):
            item = self.shop_list.item(i)
            served = profile.shop_ids is not None and item.data(Qt.ItemDataRole.UserRole) in profile.shop_ids
            item.setCheckState(Qt.CheckState.Checked if served else Qt.CheckState.Unchecked)
        self.max_chats.setValue(profile.max_chats)
        accounts = dict(profile.accounts)
        for i, shop in enumerate(self._shops):
            cell = self.accounts.item(i, 1)
            if cell is not None:
                cell.setText(accounts.get(shop.id, ""))

    def profile(self) -> SeatProfile:
        if self.all_shops.isChecked():
            shop_ids = None
        else:
            shop_ids = frozenset(
                self.shop_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.shop_list.count())
                if self.shop_list.item(i).checkState() == Qt.CheckState.Checked)
        accounts = []
        for i, shop in enumerate(self._shops):
            cell = self.accounts.item(i, 1)
            text = cell.text().strip() if cell is not None else ""
            if text:
                accounts.append((shop.id, text))
        return SeatProfile(
            name=self.login.text().strip(),
            display_name=" ".join(self.display.text().split()),
            role=SeatRole(self.role.currentData()),
            groups=tuple(self._groups),
            shop_ids=shop_ids,
            max_chats=self.max_chats.value(),
            accounts=tuple(accounts),
        )

    def _set_groups(self, names: list[str]) -> None:
        self._groups = names
        self.group_editor.set_chips([LabelChip(i + 1, name, GROUP_COLOR) for i, name in enumerate(names)])

    # -- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        profile = self.profile()
        if not profile.name or not profile.display_name:
            self.show_error(self.tr("A seat needs a sign-in name and a display name."))
            return
        if profile.shop_ids is not None and not profile.shop_ids:
            self.show_error(self.tr("Tick at least one shop, or choose all shops."))
            return
        self.buttons.setEnabled(False)
        self.show_error("")
        self._bridge.when_done(self._desk.save_seat(profile, self.seat_id), self._on_saved)

    def _on_saved(self, future: Future[int]) -> None:
        self.buttons.setEnabled(True)
        if future.exception() is not None:
            self.show_error(self.tr("Not saved: {error}").format(error=future.exception()))
            return
        self.seat_id = future.result()
        self.accept()

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    # -- slots ------------------------------------------------------------------------------
    def _on_group_add_requested(self, name: str) -> None:
        if name not in self._groups:
            self._set_groups(self._groups + [name])

    def _on_group_remove_requested(self, chip_id: int) -> None:
        self._set_groups([g for i, g in enumerate(self._groups) if i + 1 != chip_id])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (watched is self.group_editor.input and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            name = " ".join(self.group_editor.input.text().split())
            if name:
                self.group_editor.input.clear()
                self._on_group_add_requested(name)
                return True
        return False
