"""Adding a shop: pick the platform → its credential form → the OAuth step, if any →
a live connection test → enabled. The forms come from what the adapter declares
(credential and setting fields), so a new platform plugin needs no UI code.

Imported when the wizard opens (it uses desktop.sdk types, which pull httpx)."""

from __future__ import annotations

import secrets
from concurrent.futures import Future
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from .bridge import Bridge
from .deskapi import DeskLike
from .capabilities import capability_summary
from .icons import dot_icon
from .widgets import plain_label

if TYPE_CHECKING:
    from desktop.sdk import PlatformInfo

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"  # the code is shown to the user, who pastes it


class ShopWizard(QWizard):
    """On finish the shop is saved (credentials to the keyring) and syncing."""

    PLATFORM, CREDENTIALS, OAUTH, CHECK = range(4)

    def __init__(self, desk: DeskLike, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shopWizard")
        self.setWindowTitle(self.tr("Add a shop"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.desk = desk
        self.bridge = bridge
        self.shop_id: int | None = None
        self.platform_page = PlatformPage(self)
        self.credentials_page = CredentialsPage(self)
        self.oauth_page = OAuthPage(self)
        self.check_page = CheckPage(self)
        self.setPage(self.PLATFORM, self.platform_page)
        self.setPage(self.CREDENTIALS, self.credentials_page)
        self.setPage(self.OAUTH, self.oauth_page)
        self.setPage(self.CHECK, self.check_page)
        self.resize(560, 460)

    @property
    def info(self) -> PlatformInfo | None:
        return self.platform_page.chosen()

    def credentials(self) -> dict[str, str]:
        values = self.credentials_page.credentials()
        values.update(self.oauth_page.tokens)
        return values

    def settings(self) -> dict[str, object]:
        return self.credentials_page.settings()

    def shop_key(self) -> str:
        return self.credentials_page.shop_key.text().strip()

    def shop_name(self) -> str:
        return self.credentials_page.shop_name.text().strip() or self.shop_key()

    def accept(self) -> None:
        """Finish: save the shop and start its sync; close once the engine has it."""
        info = self.info
        if info is None or self.shop_id is not None:
            super().accept()
            return
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)

        def done(f: Future[int]) -> None:
            if f.exception() is not None:
                self.check_page.show_result(self.tr("Could not save the shop: {error}")
                                            .format(error=f.exception()), ok=False)
                self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
                return
            self.shop_id = f.result()
            super(ShopWizard, self).accept()
        self.bridge.when_done(self.desk.add_shop(info.platform_id, self.shop_key(), self.shop_name(),
                                                 self.credentials(), self.settings()), done)


class PlatformPage(QWizardPage):
    def __init__(self, wizard: ShopWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Platform"))
        self.setSubTitle(self.tr("Which platform is the shop on? Each comes from a platform plugin."))
        self.list = QListWidget(self)
        self.list.setObjectName("platformList")
        self.note = plain_label("", self, object_name="platformNote", wrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        for info in wizard.desk.platforms():
            item = QListWidgetItem(dot_icon(info.color), f"{info.display_name}  ({info.platform_id})")
            item.setData(Qt.ItemDataRole.UserRole, info)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.list.itemDoubleClicked.connect(lambda _item: wizard.next())

    def chosen(self) -> PlatformInfo | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def choose(self, platform_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole).platform_id == platform_id:
                self.list.setCurrentRow(i)
                return
        raise LookupError(platform_id)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.chosen() is not None

    def _on_list_current_item_changed(self, *_args: object) -> None:
        info = self.chosen()
        if info is not None:
            text = capability_summary(info)
            if info.limits_note:
                text += "\n" + info.limits_note
            self.note.setText(text)
        self.completeChanged.emit()


class CredentialsPage(QWizardPage):
    """A form built from the adapter's credential and setting fields."""

    def __init__(self, wizard: ShopWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Shop and credentials"))
        self.setSubTitle(self.tr("Credentials are kept only in the system keyring, never in a file."))
        self._layout = QVBoxLayout(self)
        self._box: QWidget | None = None
        self.shop_key = QLineEdit()  # replaced by the form's own when the page opens
        self.shop_name = QLineEdit()
        self.fields: dict[str, QLineEdit] = {}
        self.setting_fields: dict[str, QLineEdit] = {}

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        """A fresh form for the chosen platform (going back and picking another rebuilds it)."""
        from desktop.sdk import Capability

        info = self._wizard.info
        if self._box is not None:
            self._box.deleteLater()
        box = self._box = QWidget(self)
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        key, name = self.shop_key.text(), self.shop_name.text()
        self.shop_key = QLineEdit(key, box)
        self.shop_key.setObjectName("shopKey")
        self.shop_name = QLineEdit(name, box)
        self.shop_name.setObjectName("shopName")
        self.shop_key.textChanged.connect(self.completeChanged)
        form.addRow(self.tr("Shop id on the platform"), self.shop_key)
        form.addRow(self.tr("Name shown in SeatDesk"), self.shop_name)
        self.fields, self.setting_fields = {}, {}
        self.optional: set[str] = set()
        if info is not None:
            oauth = Capability.OAUTH in info.capabilities
            for field in info.credential_fields:
                if oauth and field.name in ("access_token", "refresh_token"):
                    continue  # the OAuth step fills these
                edit = QLineEdit(box)
                edit.setObjectName(f"credential_{field.name}")
                if field.secret:
                    edit.setEchoMode(QLineEdit.EchoMode.Password)
                edit.setToolTip(field.help)
                if not getattr(field, "required", True):
                    edit.setPlaceholderText(self.tr("optional"))
                    self.optional.add(field.name)
                edit.textChanged.connect(self.completeChanged)
                self.fields[field.name] = edit
                form.addRow(field.label, edit)
            for setting in info.settings:
                edit = QLineEdit(box)
                edit.setObjectName(f"setting_{setting.name}")
                edit.setPlaceholderText("" if setting.default is None else str(setting.default))
                edit.setToolTip(setting.help)
                self.setting_fields[setting.name] = edit
                form.addRow(setting.label, edit)
        self._layout.addWidget(box)

    def credentials(self) -> dict[str, str]:
        """What was typed; an optional field left empty is left out."""
        return {name: edit.text().strip() for name, edit in self.fields.items()
                if edit.text().strip() or name not in self.optional}

    def settings(self) -> dict[str, object]:
        return {name: edit.text().strip() for name, edit in self.setting_fields.items()
                if edit.text().strip()}

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.shop_key.text().strip()) and all(
            e.text().strip() for name, e in self.fields.items() if name not in self.optional)

    def nextId(self) -> int:  # noqa: N802
        from desktop.sdk import Capability

        info = self._wizard.info
        if info is not None and Capability.OAUTH in info.capabilities:
            return ShopWizard.OAUTH
        return ShopWizard.CHECK


class OAuthPage(QWizardPage):
    """Open the platform's authorization page, paste the code it shows, exchange it."""

    def __init__(self, wizard: ShopWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.tokens: dict[str, str] = {}
        self._state = ""
        self.setTitle(self.tr("Authorize"))
        self.setSubTitle(self.tr("Sign in as the shop on the platform's page, then paste the code it shows."))
        self.setObjectName("oauthPage")
        self.url = QLineEdit(self)
        self.url.setObjectName("authorizeUrl")
        self.url.setReadOnly(True)
        self.open_button = QPushButton(self.tr("Open in browser"), self)
        self.code = QLineEdit(self)
        self.code.setObjectName("authCode")
        self.exchange_button = QPushButton(self.tr("Get the token"), self)
        self.exchange_button.setObjectName("exchangeButton")
        self.result = plain_label("", self, object_name="oauthResult", wrap=True)
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(self.open_button)
        form = QFormLayout(self)
        form.addRow(self.tr("Authorization page"), row)
        form.addRow(self.tr("Code"), self.code)
        form.addRow("", self.exchange_button)
        # Other ways in, for apps that get no code: a self-use (自用型) app asks for its
        # token directly (抖店), a custom app shows its token in the store's admin (Shopify).
        self.self_button = QPushButton(self.tr("Self-use app: get the token without a code"), self)
        self.self_button.setObjectName("selfAuthorizeButton")
        self.token = QLineEdit(self)
        self.token.setObjectName("pastedToken")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("An access token the platform's back office showed you"))
        self.token_button = QPushButton(self.tr("Use this token"), self)
        self.token_button.setObjectName("useTokenButton")
        self.others = plain_label(self.tr("Or, without the authorization page:"), self, object_name="factName")
        form.addRow("", self.others)
        form.addRow("", self.self_button)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.token_button)
        form.addRow(self.tr("Access token"), token_row)
        form.addRow("", self.result)
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl(self.url.text())))
        self.exchange_button.clicked.connect(self.exchange)
        self.code.returnPressed.connect(self.exchange)
        self.self_button.clicked.connect(self.authorize_self)
        self.token_button.clicked.connect(self.use_token)
        self.token.returnPressed.connect(self.use_token)

    def initializePage(self) -> None:  # noqa: N802
        w = self._wizard
        info = w.info
        self.tokens = {}
        self.result.setText("")
        self.token.clear()
        self._state = secrets.token_urlsafe(12)
        if info is None:
            return
        self.self_button.setVisible(w.desk.can_authorize_self(info.platform_id))
        try:
            self.url.setText(w.desk.oauth_authorize_url(info.platform_id, w.credentials_page.credentials(),
                                                        w.settings(), OOB_REDIRECT, self._state))
        except Exception as exc:  # noqa: BLE001 - shown, the user can go back and fix
            self.url.setText("")
            self.result.setText(self.tr("No authorization page: {error}").format(error=exc))

    def exchange(self) -> None:
        w = self._wizard
        info = w.info
        code = self.code.text().strip()
        if info is None or not code:
            return
        self.exchange_button.setEnabled(False)
        self.result.setText(self.tr("Exchanging the code…"))

        def done(f: Future[object]) -> None:
            self.exchange_button.setEnabled(True)
            if f.exception() is not None:
                self.result.setText(self.tr("The platform refused the code: {error}").format(error=f.exception()))
                return
            self._take(f.result())
        w.bridge.when_done(w.desk.oauth_exchange(info.platform_id, w.shop_key(),
                                                 w.credentials_page.credentials(), w.settings(),
                                                 code, OOB_REDIRECT), done)

    def authorize_self(self) -> None:
        """A self-use app: the platform issues the token for the shop id, no code."""
        w = self._wizard
        info = w.info
        if info is None:
            return
        self.self_button.setEnabled(False)
        self.result.setText(self.tr("Asking the platform for the token…"))

        def done(f: Future[object]) -> None:
            self.self_button.setEnabled(True)
            if f.exception() is not None:
                self.result.setText(self.tr("The platform refused: {error}").format(error=f.exception()))
                return
            self._take(f.result())
        w.bridge.when_done(w.desk.oauth_self(info.platform_id, w.shop_key(),
                                             w.credentials_page.credentials(), w.settings()), done)

    def use_token(self) -> None:
        """A token the platform showed the user (a custom app's Admin API token, a back
        office's fixed-lifetime session): no refresh; the connection test checks it."""
        token = self.token.text().strip()
        if not token:
            return
        self.tokens = {"access_token": token}
        self.result.setText(self.tr("Token taken; the next page tests it."))
        self.completeChanged.emit()

    def _take(self, tokens: object) -> None:
        self.tokens = {"access_token": tokens.access_token}  # type: ignore[attr-defined]
        if tokens.refresh_token:  # type: ignore[attr-defined]
            self.tokens["refresh_token"] = tokens.refresh_token  # type: ignore[attr-defined]
        self.tokens.update(tokens.extra)  # type: ignore[attr-defined]
        if tokens.expires_at is not None:  # type: ignore[attr-defined]
            # the engine refreshes ahead of it (desktop.core.sync.TOKEN_EXPIRES_AT)
            self.tokens["token_expires_at"] = tokens.expires_at.isoformat()  # type: ignore[attr-defined]
        self.result.setText(self.tr("Authorized."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.tokens.get("access_token"))


class CheckPage(QWizardPage):
    """The live connection test: Finish only once the platform said yes."""

    def __init__(self, wizard: ShopWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.ok = False
        self.setTitle(self.tr("Connection test"))
        self.result = plain_label("", self, object_name="checkResult", wrap=True)
        self.retry = QPushButton(self.tr("Test again"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result)
        layout.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.retry.clicked.connect(self.run_check)

    def initializePage(self) -> None:  # noqa: N802
        self.run_check()

    def run_check(self) -> None:
        w = self._wizard
        info = w.info
        if info is None:
            return
        self.ok = False
        self.completeChanged.emit()
        self.show_result(self.tr("Connecting to {platform}…").format(platform=info.display_name), ok=True)
        self.bridge_future = w.desk.test_connection(info.platform_id, w.shop_key(), w.credentials(),
                                                    w.settings())
        w.bridge.when_done(self.bridge_future, self._checked)

    def _checked(self, f: Future[None]) -> None:
        error = f.exception()
        self.ok = error is None
        self.show_result(self.tr("Connected. Finish to add the shop and start syncing.") if self.ok
                         else self.explain(error), ok=self.ok)
        self.completeChanged.emit()

    def explain(self, error: BaseException | None) -> str:
        from desktop.sdk import AuthExpired, RateLimited, Rejected, Temporary

        if isinstance(error, AuthExpired):
            return self.tr("The platform did not accept these credentials: {error}").format(error=error)
        if isinstance(error, RateLimited):
            return self.tr("The platform is limiting calls; test again in {s} s.").format(
                s=int(error.retry_after))
        if isinstance(error, Temporary):
            return self.tr("The platform cannot be reached right now: {error}").format(error=error)
        if isinstance(error, Rejected):
            return self.tr("The platform refused: {error}").format(error=error)
        return self.tr("The test failed: {error}").format(error=error)

    def show_result(self, text: str, *, ok: bool) -> None:
        self.result.setText(text)
        self.result.setStyleSheet("" if ok else "color: #c62828;")

    def isComplete(self) -> bool:  # noqa: N802
        return self.ok
