"""A report is a list of tables; each table is shown on the page (with its chart beside it), in
the printed and PDF versions and as a sheet of the Excel workbook, from the same rows, so the
figures can never differ between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

CHART_ROWS = 15  # a chart shows the first rows; the table beside it has them all


@dataclass(frozen=True)
class Rate:
    """A share, shown as "85,7 %" (the reader's number format) and written to Excel as a number."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else round(self.value * 100, 1)

    def __str__(self) -> str:
        if self.percent is None:
            return "–"
        return f"{formats.number_format(self.percent, 1)} %"


@dataclass(frozen=True)
class Link:
    """A cell that links to a page on screen and is plain text elsewhere."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Cell:
    """A cell ready to show: its text, whether it is a number (right-aligned), its link."""

    text: str
    numeric: bool = False
    url: str = ""


def cell(value: Any) -> Cell:
    numeric = isinstance(value, int | float | Rate) and not isinstance(value, bool)
    return Cell(text(value), numeric, value.url if isinstance(value, Link) else "")


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None
    chart: str = ""  # "bar", "line", "doughnut" or none
    chart_columns: tuple[int, ...] = (1,)
    note: str = ""
    empty: str = ""
    # The workbook's sheet name when the title is longer than Excel's 31 characters: whole words.
    sheet: str = ""

    def cells(self) -> list[list[Cell]]:
        """The rows as the pages show them, formatted once (a province has a thousand units)."""
        return [[cell(value) for value in row] for row in self.rows]

    def body_html(self) -> SafeString:
        """The rows of the page's table, written here rather than cell by cell in the template:
        the compliance table of a province is 1 000 rows × 8 cells, 150 ms through template tags
        and a few here. The first cell heads its row; numbers are right-aligned."""
        rows = []
        for row in self.cells():
            parts = []
            for index, c in enumerate(row):
                inner = (
                    format_html('<a href="{}">{}</a>', c.url, c.text) if c.url else escape(c.text)
                )
                if index == 0:
                    parts.append(f'<th scope="row" class="fw-normal">{inner}</th>')
                else:
                    parts.append(
                        f'<td class="text-end">{inner}</td>' if c.numeric else f"<td>{inner}</td>"
                    )
            rows.append(f"<tr>{''.join(parts)}</tr>")
        return mark_safe("\n".join(rows))  # noqa: S308 (every text escaped above)

    def total_cells(self) -> list[Cell]:
        return [cell(value) for value in self.total or []]

    def chart_data(self) -> dict[str, Any] | None:
        """What the page's chart script draws: labels and one series per chosen column."""
        if not self.chart or not self.rows:
            return None
        rows = self.rows[:CHART_ROWS]
        return {
            "type": self.chart,
            "title": self.title,
            "labels": [str(row[0]) for row in rows],
            "series": [
                {
                    "label": self.columns[index],
                    "data": [_chart_value(row[index]) for row in rows],
                }
                for index in self.chart_columns
            ],
            "more": max(0, len(self.rows) - CHART_ROWS),
        }


def _chart_value(value: Any) -> float | int | None:
    if isinstance(value, Rate):
        return value.percent
    return value if isinstance(value, int | float) else None


def text(value: Any) -> str:
    """A cell as the printed page shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int) and not isinstance(value, bool):
        return _whole(value)
    return str(value)


def _whole(value: int) -> str:
    """`number_format(value, force_grouping=True)` for a whole number, with the language's
    separator looked up once rather than per cell (14 µs a call, 7 000 cells a report)."""
    separator, grouping = _grouping(translation.get_language())
    if grouping != 3:
        return formats.number_format(value, force_grouping=True)
    return f"{value:,}".replace(",", separator)


@lru_cache(maxsize=16)
def _grouping(language: str | None) -> tuple[str, Any]:
    return (
        str(formats.get_format("THOUSAND_SEPARATOR", language)),
        formats.get_format("NUMBER_GROUPING", language),
    )
