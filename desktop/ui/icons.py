"""Painted icons shared by tables, combo boxes and palettes: shop-colour dots and
remark flags in the unified colour model. Painted, so no emoji font is needed;
cached, so a model's data() stays O(1)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPen, QPixmap, QPolygonF

_icons: dict[tuple[str, str], QIcon] = {}


def flag_hex(color: str) -> str:
    """A unified flag colour (desktop.sdk.FlagColor value) → hex, via the SDK palette
    (imported late: the sdk pulls httpx, which must not load before the first window)."""
    from desktop.sdk import FLAG_HEX, FlagColor

    try:
        return FLAG_HEX[FlagColor(color)]
    except ValueError:
        return FLAG_HEX[FlagColor.GRAY]


def _pixmap(width: int = 16, height: int = 16) -> QPixmap:
    screen = QGuiApplication.primaryScreen()
    ratio = max(2.0, screen.devicePixelRatio()) if screen else 2.0
    pix = QPixmap(int(width * ratio), int(height * ratio))
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.GlobalColor.transparent)
    return pix


def dot_icon(color: str, diameter: int = 8) -> QIcon:
    """A round dot in a shop's (or a tag's) colour."""
    key = ("dot", f"{color}/{diameter}")
    if key not in _icons:
        pix = _pixmap()
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(color) if QColor.isValidColorName(color) else QColor("#607d8b"))
        offset = (16 - diameter) / 2
        p.drawEllipse(QPointF(offset + diameter / 2, offset + diameter / 2), diameter / 2, diameter / 2)
        p.end()
        _icons[key] = QIcon(pix)
    return _icons[key]


def flag_icon(color: str | None) -> QIcon:
    """A pennant in the unified flag colour; None, "" or "none" = an outlined pennant (no flag)."""
    flagged = bool(color) and color != "none"
    key = ("flag", color if flagged else "")  # type: ignore[arg-type]
    if key not in _icons:
        pix = _pixmap(14, 16)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QColor("#5f6670"))
        p.drawLine(QPointF(2.5, 1.5), QPointF(2.5, 15))
        pennant = QPolygonF([QPointF(3, 1.5), QPointF(13, 5), QPointF(3, 9)])
        if flagged:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(flag_hex(color)))  # type: ignore[arg-type]
        else:
            p.setPen(QPen(QColor("#a3a8b0"), 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolygon(pennant)
        p.end()
        _icons[key] = QIcon(pix)
    return _icons[key]
