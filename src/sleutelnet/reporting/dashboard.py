"""The dashboards' tables and charts, built from `selectors.Figures`.

Every table can be shown, printed and downloaded as it is: the same `Table` feeds the page,
the quarterly report and the CSV/XLSX export, so they can never disagree. With `suppress`
(policy officers, every export) counts of people from 1 to the region's threshold minus one
read "<5", plus enough other cells that totals do not give them away (`suppression`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sleutelnet.core.models import OrganisationKind
from sleutelnet.deployments.models import ChainLink, DeclineReason, RequestKind
from sleutelnet.people.models import KeyPersonRole, Language, LifeDomain
from sleutelnet.reporting.selectors import Figures, PeriodFigures, Sums
from sleutelnet.reporting.suppression import Suppressed, suppress_vector

COUNT, HOURS, MONEY, SHARE, NUMBER = "count", "hours", "money", "share", "number"
#: A chart shows at most this many bars; its table shows every row.
CHART_ROWS = 20
#: Part of a chart's cache key: raise it when the drawing (style, size) changes.
CHART_VERSION = 1
CHART_CACHE_SECONDS = 24 * 3600

Value = int | Decimal | float | str | Suppressed | None


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = COUNT
    #: A count of people: hidden when small, for those who see aggregates only.
    people: bool = False
    #: Indexes of the columns this one is computed from: hidden when one of them is.
    depends_on: tuple[int, ...] = ()


@dataclass
class Row:
    label: str
    cells: list[Value]


@dataclass
class Table:
    """One table of a dashboard, with its chart and a one-line summary (read aloud, printed)."""

    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    summary: str = ""
    chart: str = ""  # a data: URI of an SVG image, or ""
    chart_kind: str = "bar"
    chart_columns: tuple[int, ...] = (0,)
    #: For a table of mixed figures (the key figures): the kind of each row, and whether it counts people.
    row_kinds: tuple[str, ...] = ()
    row_people: tuple[bool, ...] = ()

    def kind_of(self, i: int, j: int) -> str:
        if self.row_kinds and i < len(self.row_kinds) and self.columns[j].kind != SHARE:
            return self.row_kinds[i]
        return self.columns[j].kind

    def display(self) -> list[tuple[str, list[str], bool]]:
        """The rows as the page shows them: label, formatted cells, whether it is the total."""
        out = [(r.label, [fmt(v, self.kind_of(i, j)) for j, v in enumerate(r.cells)], False) for i, r in enumerate(self.rows)]
        if self.total is not None:
            out.append((self.total.label, [fmt(v, self.columns[j].kind) for j, v in enumerate(self.total.cells)], True))
        return out

    def header(self) -> list[str]:
        return [self.title] + [c.label for c in self.columns]

    def body(self) -> list[list[Value]]:
        rows = [[r.label, *r.cells] for r in self.rows]
        if self.total is not None:
            rows.append([self.total.label, *self.total.cells])
        return rows


def fmt(value: Value, kind: str) -> str:
    """A cell as the page and the export show it (Dutch or English number format)."""
    if value is None:
        return "–"
    if isinstance(value, (Suppressed, str)):
        return str(value)
    if kind == SHARE:
        return f"{number_format(round(float(value) * 100, 1), 1)} %"
    if kind == MONEY:
        return "€ " + number_format(Decimal(value).quantize(Decimal("0.01")), 2, force_grouping=True)
    if kind == HOURS:
        return number_format(Decimal(value).quantize(Decimal("0.1")), 1, force_grouping=True)
    if kind == NUMBER:
        return number_format(round(float(value), 2), 2)
    return number_format(int(value), 0, force_grouping=True)


def export_value(value: Value) -> Any:
    """A cell for CSV/XLSX: numbers stay numbers, a hidden count is the text "<5"."""
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, float):
        return round(value, 4)
    return value


# --- suppression -----------------------------------------------------------------------------


def suppressed(table: Table, threshold: int) -> Table:
    """The table with small counts of people hidden, column by column, totals included."""
    rows = [Row(r.label, list(r.cells)) for r in table.rows]
    total = Row(table.total.label, list(table.total.cells)) if table.total is not None else None
    for j, col in enumerate(table.columns):
        if not col.people:
            continue
        values = [int(r.cells[j] or 0) if not isinstance(r.cells[j], Suppressed) else 0 for r in rows]
        shown, shown_total = suppress_vector(values, threshold=threshold, total=total is not None)
        for r, v in zip(rows, shown, strict=True):
            if r.cells[j] is not None:
                r.cells[j] = v
        if total is not None and shown_total is not None:
            total.cells[j] = shown_total
    for j, col in enumerate(table.columns):
        for r in [*rows, *([total] if total else [])]:
            if any(isinstance(r.cells[d], Suppressed) for d in col.depends_on):
                r.cells[j] = Suppressed(threshold)
    # A table of separate figures (no totals): a row that counts people is hidden when small.
    for r, people in zip(rows, table.row_people, strict=False):
        if people:
            r.cells = [Suppressed(threshold) if isinstance(v, int) and 0 < v < threshold else v for v in r.cells]
    return replace(table, rows=rows, total=total)


# --- charts ----------------------------------------------------------------------------------


def _chart(table: Table, series_names: Sequence[str] | None = None) -> str:
    """A bar chart of the table's chart columns as an SVG data URI (pygal, no script)."""
    import pygal
    from pygal.style import Style

    if not table.rows:
        return ""
    rows = table.rows
    if len(rows) > CHART_ROWS:
        # A national table has 342 municipalities: the chart shows the largest, the table all.
        j = table.chart_columns[0]
        rows = sorted(rows, key=lambda r: -(float(r.cells[j]) if isinstance(r.cells[j], (int, float, Decimal)) else -1))[:CHART_ROWS]
    title = table.title if len(rows) == len(table.rows) else _("%(title)s: the %(n)s largest") % {"title": table.title, "n": len(rows)}
    labels = [r.label for r in rows]
    series = []
    for n, j in enumerate(table.chart_columns):
        values: list[float | None] = []
        for r in rows:
            v = r.cells[j]
            values.append(None if v is None or isinstance(v, (Suppressed, str)) else float(v))
        if table.chart_kind == "hbar":
            values.reverse()
        series.append((str(series_names[n] if series_names else table.columns[j].label), values))
    # The same figures give the same picture: a chart is drawn once per process and content (pygal
    # takes milliseconds per chart, and a figures page has fifteen), then served from the cache.
    spec = json.dumps([CHART_VERSION, table.chart_kind, str(title), [str(x) for x in labels], series, len(table.chart_columns)])
    key = "chart:" + hashlib.sha256(spec.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return str(cached)
    style = Style(
        background="white",
        plot_background="white",
        foreground="#1d1d1b",
        foreground_strong="#1d1d1b",
        foreground_subtle="#555",
        colors=("#01689b", "#e17000", "#39870c", "#a90061", "#673327"),
        font_family="Arial, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        title_font_size=15,
    )
    cls = pygal.HorizontalBar if table.chart_kind == "hbar" else pygal.Bar
    chart = cls(
        style=style,
        js=[],
        width=760,
        height=max(300, 28 * len(rows) + 120) if table.chart_kind == "hbar" else 380,
        show_legend=len(table.chart_columns) > 1,
        legend_at_bottom=True,
        x_label_rotation=0 if table.chart_kind == "hbar" else 30,
        truncate_label=-1,
        print_values=False,
        show_y_guides=True,
        margin=16,
        title=title,
    )
    chart.x_labels = list(reversed(labels)) if table.chart_kind == "hbar" else labels
    for name, values in series:
        chart.add(name, values)
    # pygal always writes its configuration as a <script>; an image never runs it, so drop it.
    svg = re.sub(rb"<script.*?</script>", b"", chart.render(), flags=re.S)
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    cache.set(key, uri, CHART_CACHE_SECONDS)
    return uri


# --- the tables ------------------------------------------------------------------------------


@dataclass
class Labels:
    """Names of the vocabulary terms, looked up once per page."""

    roles: dict[str, str] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Labels:
        return cls(
            roles={str(pk): _(label) for pk, label in KeyPersonRole.objects.order_by("position").values_list("pk", "label")},
            domains={str(pk): _(label) for pk, label in LifeDomain.objects.order_by("position").values_list("pk", "label")},
            languages={str(pk): name for pk, name in Language.objects.order_by("name").values_list("pk", "name")},
        )


def _change(now: Value, before: Value, kind: str = COUNT) -> Value:
    """Relative change for amounts; for shares the difference in percentage points (as text)."""
    if isinstance(now, (Suppressed, str)) or isinstance(before, (Suppressed, str)) or now is None or before is None:
        return None
    if kind == SHARE:
        points = round((float(now) - float(before)) * 100, 1)
        return _("%(sign)s%(points)s points") % {"sign": "+" if points > 0 else "", "points": number_format(points, 1)}
    if kind == NUMBER:
        return ("+" if now > before else "") + number_format(round(float(now) - float(before), 2), 2)  # type: ignore[operator]
    if not before:
        return None
    return float(Decimal(str(now)) / Decimal(str(before)) - 1)


def _headline(fig: Figures) -> Table:
    c, p = fig.current, fig.previous
    items: list[tuple[str, Callable[[PeriodFigures], Value], str, bool]] = [
        (_("Participants in approved activities"), lambda f: f.totals.participants, COUNT, True),
        (_("Of whom speak little Dutch"), lambda f: f.totals.little_dutch, COUNT, True),
        (_("Of whom reached for the first time"), lambda f: f.totals.first_contact, COUNT, True),
        (_("Newcomers supported individually (unique)"), lambda f: f.newcomers, COUNT, True),
        (_("Newcomers supported individually who speak little Dutch"), lambda f: f.newcomers_little_dutch, COUNT, True),
        (_("Approved activities"), lambda f: f.totals.count, COUNT, False),
        (_("Hours"), lambda f: f.totals.hours, HOURS, False),
        (_("Share of activities with two or more roles"), lambda f: f.multi_role_share, SHARE, False),
        (_("Share of hours for institutions"), lambda f: f.institution_share, SHARE, False),
        (_("Requests received"), lambda f: f.received, COUNT, False),
        (_("Fill rate"), lambda f: f.fill_rate, SHARE, False),
        (_("Median wait until a key person said yes (hours)"), lambda f: f.median_delay_hours, COUNT, False),
        (_("Key persons who did approved work"), lambda f: f.active_key_persons, COUNT, True),
        (_("Share of hours of the five busiest key persons"), lambda f: f.top5_share, SHARE, False),
        (_("Spread of hours over key persons (Gini, 0 = even)"), lambda f: f.gini, NUMBER, False),
        (_("Allowances"), lambda f: f.totals.allowance, MONEY, False),
        (_("Allowance per participant"), lambda f: f.cost_per_participant, MONEY, False),
        (_("Allowance per hour"), lambda f: f.cost_per_hour, MONEY, False),
    ]
    return Table(
        key="headline",
        title=_("Key figures"),
        columns=[Column(c.period.label, COUNT), Column(p.period.label, COUNT), Column(_("Change"), SHARE)],
        rows=[Row(label, [get(c), get(p), _change(get(c), get(p), kind)]) for label, get, kind, _p in items],
        row_kinds=tuple(kind for _l, _g, kind, _p in items),
        row_people=tuple(people for _l, _g, _k, people in items),
    )


def suppress_headline(t: Table, threshold: int) -> Table:
    """Key figures one by one: a small count of people is hidden, and its change with it."""
    rows = []
    for r, people in zip(t.rows, t.row_people, strict=True):
        cells = list(r.cells)
        if people:
            for i in (0, 1):
                v = cells[i]
                if isinstance(v, int) and 0 < v < threshold:
                    cells[i] = Suppressed(threshold)
            if any(isinstance(v, Suppressed) for v in cells[:2]):
                cells[2] = None
        rows.append(Row(r.label, cells))
    return replace(t, rows=rows)


REACH_COLUMNS = [
    Column(gettext_lazy("Activities")),
    Column(gettext_lazy("Hours"), HOURS),
    Column(gettext_lazy("Participants"), people=True),
    Column(gettext_lazy("Of whom speak little Dutch"), people=True),
    Column(gettext_lazy("Of whom reached for the first time"), people=True),
    Column(gettext_lazy("Newcomers supported individually"), people=True),
]


def _sums_cells(s: Sums) -> list[Value]:
    return [s.count, s.hours, s.participants, s.little_dutch, s.first_contact]


def _reach(fig: Figures) -> Table:
    c = fig.current
    rows = [
        Row(name, [*_sums_cells(c.by_municipality.get(mid, Sums())), c.newcomers_by_municipality.get(mid, 0)])
        for mid, name in fig.municipalities.items()
    ]
    total = Row(_("Total"), [*_sums_cells(c.totals), c.newcomers])
    return Table(
        key="reach",
        title=_("Reach per municipality"),
        columns=[Column(str(col.label), col.kind, col.people) for col in REACH_COLUMNS],
        rows=rows,
        total=total,
        note=_("A newcomer counts once per municipality and period."),
        chart_kind="hbar",
        chart_columns=(2,),
    )


def _breakdown(
    fig: Figures, key: str, title: str, dimension: str, names: dict[str, str], *, additive: bool, note: str = ""
) -> Table:
    values = fig.current.breakdown.get(dimension, {})
    before = fig.previous.breakdown.get(dimension, {})
    rows = [
        Row(label, [values.get(v, Sums()).count, values.get(v, Sums()).hours, values.get(v, Sums()).participants,
                    before.get(v, Sums()).participants])
        for v, label in names.items()
        if v in values or v in before
    ]
    total = None
    if additive:
        s = fig.current.totals
        total = Row(_("Total"), [s.count, s.hours, s.participants, fig.previous.totals.participants])
    return Table(
        key=key,
        title=title,
        columns=[
            Column(_("Activities")),
            Column(_("Hours"), HOURS),
            Column(_("Participants"), people=True),
            Column(_("Participants, previous period"), people=True),
        ],
        rows=rows,
        total=total,
        note=note,
        chart_kind="hbar",
        chart_columns=(2, 3),
    )


def _combination(fig: Figures, key: str, title: str, dimension: str, unit: str) -> Table:
    values = fig.current.breakdown.get(dimension, {})
    rows = [Row(unit % {"n": n}, [values[v].count, values[v].hours]) for n, v in sorted((int(v), v) for v in values)]
    return Table(
        key=key,
        title=title,
        columns=[Column(_("Activities")), Column(_("Hours"), HOURS)],
        rows=rows,
        total=Row(_("Total"), [fig.current.totals.count, fig.current.totals.hours]),
        chart_columns=(0,),
    )


STATUS_LABELS = {
    "filled": gettext_lazy("Filled: a key person said yes"),
    "unfilled": gettext_lazy("Not filled: started without a key person"),
    "cancelled": gettext_lazy("Cancelled"),
    "waiting": gettext_lazy("Still waiting"),
}


def _reason_label(value: str) -> str:
    if value.startswith("declined:"):
        code = value.split(":", 1)[1]
        return _("Declined: %(reason)s") % {"reason": dict(DeclineReason.choices).get(code, code)}
    return str(
        {
            "no_offer": _("No key person was asked"),
            "no_answer": _("Nobody answered the offer"),
            "withdrawn": _("The offers were withdrawn"),
            "cancelled": _("Cancelled"),
        }.get(value, value)
    )


def _requests(fig: Figures) -> list[Table]:
    c, p = fig.current, fig.previous
    status = Table(
        key="requests",
        title=_("Requests received in the period"),
        columns=[Column(c.period.label), Column(p.period.label)],
        rows=[Row(str(label), [c.status(v), p.status(v)]) for v, label in STATUS_LABELS.items()],
        total=Row(_("Total"), [c.received, p.received]),
        chart_columns=(0, 1),
    )
    reasons = c.requests.get("reason", {})
    reason_t = Table(
        key="unfilled",
        title=_("Requests not filled, and why"),
        columns=[Column(_("Requests"))],
        rows=[Row(_reason_label(v), [n]) for v, n in sorted(reasons.items(), key=lambda kv: -kv[1])],
        total=Row(_("Total"), [sum(reasons.values())]),
        note=_("For a request that was declined, the reason given most often."),
        chart_kind="hbar",
    )
    by_org = c.requests.get("org_kind", {})
    org = Table(
        key="requests_by_organisation",
        title=_("Requests per kind of organisation"),
        columns=[Column(_("Requests"))],
        rows=[Row(str(label), [by_org[v]]) for v, label in OrganisationKind.choices if v in by_org],
        total=Row(_("Total"), [c.received]),
        chart_kind="hbar",
    )
    cancelled = c.requests.get("cancelled", {}).get("assignment", 0)
    declines = c.requests.get("decline", {})
    decl = Table(
        key="declines",
        title=_("Offers declined, and why"),
        columns=[Column(_("Offers"))],
        rows=[Row(str(label), [declines[v]]) for v, label in DeclineReason.choices if v in declines],
        total=Row(_("Total"), [sum(declines.values())]),
        note=_("Besides these, %(n)s accepted offers or assignments were cancelled.") % {"n": cancelled},
        chart_kind="hbar",
    )
    return [status, reason_t, org, decl]


HOUR_BANDS = ((0, 10), (10, 20), (20, 40), (40, 80), (80, None))


def _key_persons(fig: Figures) -> Table:
    def band(f: PeriodFigures, lo: int, hi: int | None) -> int:
        return sum(1 for h in f.key_person_hours if h >= lo and (hi is None or h < hi))

    rows = [
        Row(
            (_("%(lo)s hours or more") % {"lo": lo}) if hi is None else (_("%(lo)s to %(hi)s hours") % {"lo": lo, "hi": hi}),
            [band(fig.current, lo, hi), band(fig.previous, lo, hi)],
        )
        for lo, hi in HOUR_BANDS
    ]
    return Table(
        key="key_person_hours",
        title=_("Key persons by approved hours in the period"),
        columns=[Column(fig.current.period.label, people=True), Column(fig.previous.period.label, people=True)],
        rows=rows,
        total=Row(_("Total"), [fig.current.active_key_persons, fig.previous.active_key_persons]),
        chart_columns=(0, 1),
    )


def _efficiency(fig: Figures) -> Table:
    c = fig.current
    pool = c.totals.allowance
    rows = []
    for mid, name in fig.municipalities.items():
        s = c.by_municipality.get(mid, Sums())
        rows.append(
            Row(
                name,
                [
                    s.allowance,
                    float(s.allowance / pool) if pool else None,
                    s.hours,
                    s.participants,
                    (s.allowance / s.hours).quantize(Decimal("0.01")) if s.hours else None,
                    (s.allowance / s.participants).quantize(Decimal("0.01")) if s.participants else None,
                ],
            )
        )
    t = c.totals
    return Table(
        key="efficiency",
        title=_("Allowances per municipality (by use of the regional pool)"),
        columns=[
            Column(_("Allowances"), MONEY),
            Column(_("Share of the pool"), SHARE),
            Column(_("Hours"), HOURS),
            Column(_("Participants"), people=True),
            Column(_("Per hour"), MONEY),
            Column(_("Per participant"), MONEY, depends_on=(3,)),
        ],
        rows=rows,
        total=Row(_("Total"), [pool, 1.0 if pool else None, t.hours, t.participants, c.cost_per_hour, c.cost_per_participant]),
        note=_("Each municipality carries the allowances of the activities done for it. Expenses are not yet recorded."),
        chart_kind="hbar",
        chart_columns=(0,),
    )


def _voice(voice: Any) -> Table | None:
    if voice is None:
        return None
    rows = [
        Row(_("Signals raised"), [voice.signals]),
        Row(_("Signals answered"), [voice.answered]),
        Row(_("Answered on time"), [voice.answered_in_time]),
        Row(_("Answers published"), [voice.published]),
        Row(_("Consultations asked"), [voice.consultations]),
        Row(_("Key persons who gave advice"), [voice.answers]),
        Row(_("Advice points"), [voice.advice_points]),
        Row(_("Advice points taken over"), [voice.adopted]),
    ]
    t = Table(
        key="voice",
        title=_("Voice: signals and advice"),
        columns=[Column(_("Number"))],
        rows=rows,
        row_people=(False, False, False, False, False, True, False, False),
        note=_("Median days to a first answer: %(d)s. Advice hours: %(h)s.")
        % {"d": fmt(voice.median_days_to_answer, NUMBER), "h": fmt(Decimal(str(voice.advice_hours)), HOURS)},
    )
    return t


@dataclass
class Dashboard:
    figures: Figures
    tables: list[Table]
    headline: Table
    threshold: int | None
    #: Key persons today (`selectors.KeyPersonState`), set by the view.
    state: Any = None

    def table(self, key: str) -> Table | None:
        for t in [self.headline, *self.tables]:
            if t.key == key:
                return t
        return None


def build(fig: Figures, *, threshold: int | None, voice: Any = None, charts: bool = True) -> Dashboard:
    """All tables of a dashboard; `threshold` (for aggregates-only readers) hides small counts."""
    labels = Labels.load()
    tables = [
        _reach(fig),
        _breakdown(fig, "languages", _("Activities per language of the request"), "language", labels.languages, additive=True),
        _breakdown(
            fig, "roles", _("Roles used"), "role", labels.roles, additive=False,
            note=_("An activity counts for every role used, so these add up to more than the total."),
        ),
        _combination(fig, "roles_combined", _("Roles combined per activity"), "n_roles", _("%(n)s roles")),
        _breakdown(
            fig, "life_domains", _("Life domains touched"), "domain", labels.domains, additive=False,
            note=_("An activity counts for every life domain touched, so these add up to more than the total."),
        ),
        _combination(fig, "domains_combined", _("Life domains per activity"), "n_domains", _("%(n)s life domains")),
        _breakdown(fig, "kinds", _("Kind of work"), "kind", {k: str(v) for k, v in RequestKind.choices}, additive=True),
        _breakdown(
            fig, "organisations", _("Activities per kind of requesting organisation"), "org_kind",
            {k: str(v) for k, v in OrganisationKind.choices}, additive=True,
        ),
        _breakdown(fig, "chain", _("Activities per link of the integration chain"), "chain", {k: str(v) for k, v in ChainLink.choices}, additive=True),
        *_requests(fig),
        _key_persons(fig),
        _efficiency(fig),
    ]
    v = _voice(voice)
    if v is not None:
        tables.append(v)
    headline = _headline(fig)
    if threshold is not None:
        tables = [suppressed(t, threshold) for t in tables]
        headline = suppress_headline(headline, threshold)
    for t in tables:
        t.summary = summarise(t)
        if charts and t.key not in ("voice",):
            t.chart = _chart(t)
    headline.summary = summarise_headline(fig, headline)
    return Dashboard(figures=fig, tables=tables, headline=headline, threshold=threshold)


def summarise(t: Table) -> str:
    """One line that says what the chart shows: the largest row and the total."""
    j = t.chart_columns[0]
    col = t.columns[j]
    known = [(r.label, r.cells[j]) for r in t.rows if isinstance(r.cells[j], (int, float, Decimal)) and r.cells[j]]
    if not known:
        return _("%(title)s: nothing in this period.") % {"title": t.title}
    label, value = max(known, key=lambda kv: kv[1])  # type: ignore[arg-type,return-value]
    text = _("%(title)s: the most %(what)s for %(label)s (%(value)s).") % {
        "title": t.title, "what": str(col.label).lower(), "label": label, "value": fmt(value, col.kind)
    }
    if t.total is not None:
        text += " " + _("Total: %(value)s.") % {"value": fmt(t.total.cells[j], col.kind)}
    return text


def summarise_headline(fig: Figures, t: Table) -> str:
    participants = t.rows[0].cells
    change = participants[2]
    if isinstance(change, float):
        direction = _("more") if change >= 0 else _("fewer")
        return _("%(period)s: %(n)s participants, %(pct)s %(direction)s than in %(previous)s.") % {
            "period": fig.current.period.label,
            "n": fmt(participants[0], COUNT),
            "pct": fmt(abs(change), SHARE),
            "direction": direction,
            "previous": fig.previous.period.label,
        }
    return _("%(period)s: %(n)s participants.") % {"period": fig.current.period.label, "n": fmt(participants[0], COUNT)}
