"""A small iCalendar (RFC 5545) writer: text escaping, line folding and events.

Pure functions on plain values, so the format can be tested without a database. We write
the few properties phones need ourselves rather than depend on a library at run time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//Sleutelnet//Sleutelnet calendar//NL"
MAX_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT; times are aware datetimes, written in UTC."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    last_modified: dt.datetime | None = None


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8 character."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1  # continuation lines start with a space
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def format_utc(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC form, e.g. 20260301T090000Z."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def render_event(event: CalendarEvent, *, stamp: dt.datetime) -> list[str]:
    """The content lines of one VEVENT, unfolded."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(event.start)}",
        f"DTEND:{format_utc(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.last_modified:
        lines.append(f"LAST-MODIFIED:{format_utc(event.last_modified)}")
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines.append("TRANSP:OPAQUE")
    lines.append("END:VEVENT")
    return lines


def render_calendar(events: Iterable[CalendarEvent], *, stamp: dt.datetime, name: str = "") -> str:
    """A complete VCALENDAR with CRLF line ends and folded lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines.extend(render_event(event, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
