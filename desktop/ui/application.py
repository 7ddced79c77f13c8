"""Builds the QApplication: identity, fonts, style sheet and the UI language."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from . import prefs
from .i18n import install_translator
from .resources import resource_path
from .theme import apply_font, load_style_sheet


def create_application(argv: Sequence[str] | None = None, lang: str | None = None) -> QApplication:
    """Create (or reuse) the QApplication. `lang` None → the saved choice, default zh_CN.

    Organisation and application name come first: QSettings (muting, language)
    and the translation cache directory are derived from them.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    app.setOrganizationName("SeatDesk")
    app.setApplicationName("SeatDesk")
    app.setStyle("Fusion")  # one calm look on every OS; the style sheet builds on it
    app.setWindowIcon(QIcon(str(resource_path("icons", "seatdesk.svg"))))
    apply_font(app)
    app.setStyleSheet(load_style_sheet())
    install_translator(app, lang or prefs.language())
    return app
