"""The look: a CJK-safe font fallback, the colours delegates paint with, the style sheet."""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from .resources import resource_path

log = logging.getLogger("seatdesk.ui")

# First installed wins. Without one of these, Qt's own fallback may pick a Japanese
# or Traditional face for Han characters, or draw boxes on a bare Linux install.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
)


class Colors:
    """Named colours shared by the painted delegates (the style sheet mirrors them)."""

    TEXT = QColor("#1f2329")
    MUTED = QColor("#7a8089")
    SUBTLE = QColor("#a3a8b0")
    DIVIDER = QColor("#eceef1")
    ROW_HOVER = QColor("#f4f6f9")
    ROW_SELECTED = QColor("#e6effc")
    ACCENT = QColor("#1f6fd1")
    WAIT_SOFT = QColor("#c77700")  # waiting, still inside the reply deadline
    WAIT_LATE = QColor("#d93026")  # past the platform's reply deadline
    ROW_URGENT = QColor("#fff6e6")  # an inbox row in the last sixth of its reply deadline
    ROW_OVERDUE = QColor("#fdf0ef")  # … and past it
    BADGE = QColor("#e5483b")
    BUBBLE_IN = QColor("#ffffff")
    BUBBLE_IN_BORDER = QColor("#e1e4e8")
    BUBBLE_OUT = QColor("#d9e9ff")
    BUBBLE_FAILED_BORDER = QColor("#f0a8a2")
    ERROR = QColor("#c62828")
    CHAT_BG = QColor("#f3f5f8")


def cjk_family() -> str | None:
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), None)


def apply_font(app: QApplication) -> QFont:
    """Prefer a Simplified-Chinese face, keep the platform's default behind it."""
    font = QFont(app.font())
    default = font.family()
    family = cjk_family()
    if family:
        font.setFamilies([family, default])
    else:
        log.warning("no CJK font found; Chinese text may render as boxes")
    app.setFont(font)
    return font


def load_style_sheet(name: str = "seatdesk.qss") -> str:
    path = resource_path("styles", name)
    try:
        sheet = path.read_text(encoding="utf-8")
    except OSError:
        log.warning("style sheet %s missing; using the platform style", path)
        return ""
    # QSS resolves url() against the working directory: make icon paths absolute.
    return sheet.replace("@ICONS@", resource_path("icons").as_posix())


def scaled(font: QFont, delta_pt: float = 0.0, *, bold: bool = False) -> QFont:
    """A copy of `font`, `delta_pt` larger, optionally bold (delegate fonts)."""
    f = QFont(font)
    size = f.pointSizeF()
    if size > 0:
        f.setPointSizeF(max(6.0, size + delta_pt))
    f.setBold(bold)
    return f
