"""The lead's response-time report: per seat and shop, first-response and average-response
times and the share answered within the platform's deadline (core/clocks.py), for today,
yesterday or the last days."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.views import ResponseStatRow

from .deskapi import DeskLike
from .formatting import duration_text, now_ms
from .tables import KeyedRowsModel, setup_row_table
from .widgets import plain_label

PERIODS = ("today", "yesterday", "7", "30")


@dataclass(frozen=True, slots=True)
class ReportLine:
    id: int
    row: ResponseStatRow
    level: int  # 0 the team, 1 a seat over every shop, 2 a seat in one shop


def report_lines(rows: Sequence[ResponseStatRow], team_name: str,
                 no_seat_name: str) -> list[ReportLine]:
    """The team's total, then each seat's total followed by its shops."""
    lines = [ReportLine(0, ResponseStatRow.total(rows, None, team_name), 0)]
    seats: dict[int | None, list[ResponseStatRow]] = {}
    for r in rows:
        seats.setdefault(r.seat_id, []).append(r)
    for seat_id, own in seats.items():
        name = own[0].seat_name or no_seat_name
        lines.append(ReportLine(len(lines), ResponseStatRow.total(own, seat_id, name), 1))
        base = len(lines)
        lines.extend(ReportLine(base + i, r, 2) for i, r in enumerate(own))
    return lines


def seconds_text(value: float | None) -> str:
    return "—" if value is None else duration_text(round(value))


class ResponseModel(KeyedRowsModel):
    SEAT, SHOP, RECEPTIONS, FIRST, ANSWERS, AVERAGE, IN_TIME = range(7)
    COLUMN_COUNT = 7

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_lines(self, lines: Sequence[ReportLine]) -> None:
        self._reset(lines)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [self.tr("Seat"), self.tr("Shop"), self.tr("Receptions"),
                  self.tr("First response"), self.tr("Answers"), self.tr("Average response"),
                  self.tr("Within deadline")]
        return titles[section] if 0 <= section < len(titles) else None

    def _text(self, line: ReportLine, col: int) -> str:
        r = line.row
        if col == self.SEAT:
            return r.seat_name if line.level < 2 else ""
        if col == self.SHOP:
            return r.shop_name if line.level == 2 else self.tr("All shops")
        if col == self.RECEPTIONS:
            return str(r.first_replies)
        if col == self.FIRST:
            return seconds_text(r.first_avg_s)
        if col == self.ANSWERS:
            return str(r.replies)
        if col == self.AVERAGE:
            return seconds_text(r.avg_s)
        if col == self.IN_TIME:
            rate = r.in_time_rate
            return "—" if rate is None else f"{rate:.0%} ({r.in_time}/{r.timed})"
        return ""

    def _cell(self, line: ReportLine, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.FontRole and line.level < 2:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.RECEPTIONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.FIRST:
            return self.tr("From the buyer's first message of a reception to the first answer a "
                           "person gave; auto-replies do not count. Waits outside the platform's "
                           "hours start when they open.")
        return None


class ResponseReportDialog(QDialog):
    def __init__(self, desk: DeskLike, parent: QWidget | None = None, *,
                 clock: Callable[[], int] = now_ms) -> None:
        super().__init__(parent)
        self.setObjectName("responseReport")
        self.setWindowTitle(self.tr("Response times"))
        self._desk = desk
        self._clock = clock
        self.period = QComboBox(self)
        self.period.setObjectName("responsePeriod")
        for key, text in zip(PERIODS, (self.tr("Today"), self.tr("Yesterday"),
                                       self.tr("Last 7 days"), self.tr("Last 30 days"))):
            self.period.addItem(text, key)
        self.model = ResponseModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("responseTable")
        setup_row_table(self.table, self.model, ResponseModel.SHOP, {
            ResponseModel.SEAT: 7, ResponseModel.RECEPTIONS: 4, ResponseModel.FIRST: 6,
            ResponseModel.ANSWERS: 4, ResponseModel.AVERAGE: 6, ResponseModel.IN_TIME: 7})
        self.empty = plain_label("", self, object_name="responseEmpty", wrap=True)
        self.empty.setStyleSheet("color: #8a9099;")
        note = plain_label(self.tr(
            "A reception is a chat's first message, or the first after half an hour of silence. "
            "Within deadline: answered inside the platform's reply time (e.g. 3 minutes)."),
            self, wrap=True)
        note.setStyleSheet("color: #5f6670;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.period.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()
        self.resize(820, 460)

    def bounds(self) -> tuple[int, int | None]:
        """[since, until) of the chosen period, in local days."""
        today = datetime.fromtimestamp(self._clock() / 1000).replace(
            hour=0, minute=0, second=0, microsecond=0)
        key = self.period.currentData()
        if key == "today":
            return int(today.timestamp() * 1000), None
        if key == "yesterday":
            return int((today - timedelta(days=1)).timestamp() * 1000), int(today.timestamp() * 1000)
        days = int(key or 7)
        return int((today - timedelta(days=days - 1)).timestamp() * 1000), None

    def reload(self) -> None:
        since, until = self.bounds()
        rows = self._desk.response_stats(since, until)
        self.model.set_lines(report_lines(rows, self.tr("The team"), self.tr("(no seat)")))
        self.empty.setText("" if rows else self.tr("Nobody answered a waiting buyer in this period."))
        self.empty.setVisible(not rows)
