"""Monthly trend of reports as a QtCharts bar chart."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QT_TRANSLATE_NOOP, QMargins, Qt
from PySide6.QtGui import QColor, QPainter

from desktop.common.ui.i18n import translator

MONTHS = [str(QT_TRANSLATE_NOOP("threats", m)) for m in (
    "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru")]


_tr = translator("threats")


def month_label(month: dt.date) -> str:
    return f"{_tr(MONTHS[month.month - 1])} {month:%y}"


class TrendChart(QChartView):
    """Bars of reports per month; ``set_trend`` replaces the series."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        chart = QChart()
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setTitle(_tr("Zgłoszenia w kolejnych miesiącach"))
        self.setChart(chart)
        self.setMinimumHeight(220)
        self.values: list[int] = []
        self.labels: list[str] = []

    def set_trend(self, monthly: list[tuple[dt.date, int]]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in list(chart.axes()):
            chart.removeAxis(axis)
        self.values = [n for _, n in monthly]
        self.labels = [month_label(m) for m, _ in monthly]
        bars = QBarSet(_tr("Zgłoszenia"))
        bars.setColor(QColor("#2f6db5"))
        for n in self.values:
            bars.append(n)
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(len(self.values) <= 18)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(self.labels)
        font = x.labelsFont()
        font.setPointSizeF(max(6.0, font.pointSizeF() - 1.5))
        x.setLabelsFont(font)
        y = QValueAxis()
        top = max(self.values, default=0)
        y.setRange(0, max(5, top * 1.15))
        y.setLabelFormat("%d")
        y.applyNiceNumbers()
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
