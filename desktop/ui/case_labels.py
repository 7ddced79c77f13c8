"""Translated names of after-sale case kinds and states (退换货登记), plain text."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CTX = "CaseLabels"

_KINDS = {
    "refund_only": QT_TRANSLATE_NOOP("CaseLabels", "Refund only"),
    "return_refund": QT_TRANSLATE_NOOP("CaseLabels", "Return and refund"),
    "exchange": QT_TRANSLATE_NOOP("CaseLabels", "Exchange"),
    "resend": QT_TRANSLATE_NOOP("CaseLabels", "Resend"),
}

_STATES = {
    "open": QT_TRANSLATE_NOOP("CaseLabels", "Open"),
    "awaiting_return": QT_TRANSLATE_NOOP("CaseLabels", "Awaiting return"),
    "received": QT_TRANSLATE_NOOP("CaseLabels", "Return received"),
    "refunded": QT_TRANSLATE_NOOP("CaseLabels", "Refunded"),
    "resent": QT_TRANSLATE_NOOP("CaseLabels", "Resent or exchanged"),
    "closed": QT_TRANSLATE_NOOP("CaseLabels", "Closed"),
}

# State → text colour in lists: what still needs someone's hands stands out.
STATE_COLOR = {
    "open": "#c77700",
    "awaiting_return": "#1f6fd1",
    "received": "#00838f",
    "refunded": "#2e7d32",
    "resent": "#2e7d32",
    "closed": "#8a9099",
}


def case_kind_label(kind: str) -> str:
    source = _KINDS.get(kind)
    return QCoreApplication.translate(_CTX, source) if source else kind


# "resent" reads better when the kind says which parcel went out.
_RESENT_BY_KIND = {
    "resend": QT_TRANSLATE_NOOP("CaseLabels", "Resent"),
    "exchange": QT_TRANSLATE_NOOP("CaseLabels", "Exchange sent"),
}


def case_state_label(state: str, kind: str | None = None) -> str:
    source = _RESENT_BY_KIND.get(kind or "") if state == "resent" else None
    source = source or _STATES.get(state)
    return QCoreApplication.translate(_CTX, source) if source else state
