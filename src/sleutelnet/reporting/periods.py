"""Report periods: a month, a quarter or a year, and the period before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

KINDS = ("month", "quarter", "year")
_LENGTH = {"month": 1, "quarter": 3, "year": 12}


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months from `start` (a first day) for the length of `kind`."""

    kind: str
    start: dt.date

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        if kind == "year":
            return cls(kind, dt.date(day.year, 1, 1))
        if kind == "quarter":
            return cls(kind, dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1))
        return cls("month", day.replace(day=1))

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        return add_months(self.start, _LENGTH[self.kind])

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def months(self) -> list[dt.date]:
        return [add_months(self.start, i) for i in range(_LENGTH[self.kind])]

    def previous(self) -> Period:
        return Period(self.kind, add_months(self.start, -_LENGTH[self.kind]))

    def following(self) -> Period:
        return Period(self.kind, self.end)

    @property
    def number(self) -> int:
        """The quarter (1-4) or month (1-12) within the year; 1 for a year."""
        if self.kind == "quarter":
            return (self.start.month - 1) // 3 + 1
        return self.start.month if self.kind == "month" else 1

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return _("Q%(n)s %(year)s") % {"n": self.number, "year": self.start.year}
        from django.utils.formats import date_format

        return date_format(self.start, "F Y")

    @property
    def slug(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}-q{self.number}"
        return f"{self.start.year}-{self.start.month:02d}"
