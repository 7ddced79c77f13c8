"""What a shop's platform allows, in plain words: for the shop's card, the chat pane
and the add-shop wizard — instead of dead buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from desktop.sdk import PlatformInfo


def capability_summary(info: PlatformInfo) -> str:
    """What SeatDesk can do for a shop of this platform, in plain words."""
    from desktop.sdk import Capability

    caps = info.capabilities
    parts = []
    if Capability.ORDERS in caps:
        parts.append(QCoreApplication.translate("ShopWizard", "orders"))
    if Capability.REMARKS in caps:
        parts.append(QCoreApplication.translate("ShopWizard", "remarks and flags"))
    if Capability.MESSAGES in caps and Capability.SEND in caps:
        parts.append(QCoreApplication.translate("ShopWizard", "chat"))
    elif Capability.MESSAGES in caps:
        parts.append(QCoreApplication.translate("ShopWizard", "chat history (read only)"))
    if Capability.TRANSFER in caps:
        parts.append(QCoreApplication.translate("ShopWizard", "transfer"))
    if Capability.PUSH in caps:
        parts.append(QCoreApplication.translate("ShopWizard", "live push"))
    text = QCoreApplication.translate("ShopWizard", "Works: {parts}").format(
        parts=QCoreApplication.translate("ShopWizard", ", ").join(parts) or "—")
    if Capability.MESSAGES not in caps:
        text += QCoreApplication.translate("ShopWizard", ". Chat is not offered by this platform's open API.")
    return text


def can_reply(info: PlatformInfo | None) -> bool:
    """Unknown platforms (plugin not loaded) are given the benefit of the doubt: the
    outbox reports what fails."""
    from desktop.sdk import Capability

    return info is None or Capability.SEND in info.capabilities
