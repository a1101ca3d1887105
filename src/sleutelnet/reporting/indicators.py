"""The indicators, defined once: what each figure counts, where it comes from, how it adds up.

`docs/indicators.md` holds this table (`tests/reporting/test_indicator_docs.py` keeps the two
the same); `selectors.PeriodFigures` computes each one from the rollups.
"""

from __future__ import annotations

from dataclasses import dataclass

#: How a figure adds up: over municipalities to the region and over periods to the year.
BOTH, MUNICIPALITIES, NEITHER = "municipalities and periods", "municipalities only", "neither"


@dataclass(frozen=True)
class Indicator:
    key: str  # the attribute of PeriodFigures (or the rollup breakdown) that computes it
    group: str
    name: str
    definition: str
    adds_up: str
    people: bool  # a count of people: shown as "<5" when small, to policy officers and in exports


INDICATORS: tuple[Indicator, ...] = (
    Indicator("totals.participants", "Reach", "Participants",
              "Sum of participants of approved activity reports dated in the period.", BOTH, True),
    Indicator("totals.little_dutch", "Reach", "Of whom speak little Dutch",
              "Sum of the reports' participants who speak little Dutch.", BOTH, True),
    Indicator("totals.first_contact", "Reach", "Of whom reached for the first time",
              "Sum of the reports' participants reached for the first time or distant from institutions.", BOTH, True),
    Indicator("newcomers", "Reach", "Newcomers supported individually (unique)",
              "Distinct newcomers named on requests with an approved report in the period, counted once per municipality.",
              MUNICIPALITIES, True),
    Indicator("breakdown.language|role|domain|kind|org_kind|chain", "Reach", "Reach by language, role, life domain, "
              "kind of work, kind of requesting organisation, link of the integration chain",
              "The same sums per value of the request (language, kind, organisation, chain link) or of the report (roles "
              "used, life domains touched; a report counts for each, so these do not add up to the total).", BOTH, True),
    Indicator("multi_role_share", "How key persons work", "Share of activities with two or more roles",
              "Approved reports with two or more roles used, over all approved reports; with the distribution 1..7.",
              NEITHER, False),
    Indicator("mean_domains", "How key persons work", "Life domains per activity",
              "Distribution of the number of life domains touched per approved report, and its mean.", NEITHER, False),
    Indicator("institution_share", "How key persons work", "Share of hours for institutions",
              "Hours of reports on requests of kind document review or consultation, over all report hours; the voice "
              "table adds the hours of written advice and meetings.", NEITHER, False),
    Indicator("received", "Requests", "Requests received", "Requests filed in the period (by the day they came in).",
              BOTH, False),
    Indicator("status.filled|unfilled|cancelled|waiting", "Requests", "Filled, not filled, cancelled, waiting",
              "Filled: a key person said yes. Not filled: it started without anyone. Cancelled. Waiting: not started yet.",
              BOTH, False),
    Indicator("fill_rate", "Requests", "Fill rate", "Filled over (filled + not filled); cancelled and waiting left out.",
              NEITHER, False),
    Indicator("median_delay_hours", "Requests", "Median wait until a key person said yes",
              "Median of the time from filing to the first yes, by the hour up to 48 hours, then by the day (up to 60).",
              NEITHER, False),
    Indicator("reason", "Requests", "Not filled, and why",
              "Per request not filled: nobody asked, nobody answered, offers withdrawn, or the decline reason given most.",
              BOTH, False),
    Indicator("decline", "Requests", "Offers declined, and why", "Declined offers by the reason chosen; and cancelled "
              "assignments.", BOTH, False),
    Indicator("active_key_persons", "Key persons", "Key persons who did approved work",
              "Distinct key persons with approved hours in the period, with the distribution over hour bands.", NEITHER, True),
    Indicator("top5_share", "Key persons", "Share of hours of the five busiest", "Hours of the five key persons with the "
              "most hours, over all hours.", NEITHER, False),
    Indicator("gini", "Key persons", "Spread of hours (Gini)", "Gini coefficient of approved hours per key person: 0 even, "
              "towards 1 when few do all.", NEITHER, False),
    Indicator("state", "Key persons", "Today: active, paused, over capacity, close to the allowance limit, VOG ending",
              "Registry now: status active; paused by themselves; approved hours this month over their capacity; this "
              "year's allowance at 80 % or more of the tax-free maximum; VOG ending within 60 days; trained: active with "
              "a valid certificate of a basic training.", NEITHER, True),
    Indicator("totals.allowance", "Efficiency", "Allowances", "Report hours times the region's allowance per hour on the "
              "day; expenses are added once they are recorded.", BOTH, False),
    Indicator("cost_per_participant|cost_per_hour", "Efficiency", "Allowance per participant and per hour",
              "Allowances over participants, and over hours, per municipality and in total.", NEITHER, False),
    Indicator("efficiency.share", "Efficiency", "Share of the regional pool",
              "A municipality's allowances over the region's: the pool's cost attributed by use.", NEITHER, False),
    Indicator("voice", "Voice", "Signals and advice", "Signals raised, answered, on time, published; consultations, "
              "key persons who advised, advice points and those taken over; advice hours (see docs/voice.md).", NEITHER, False),
)


def markdown() -> str:
    """The table of docs/indicators.md."""
    lines = ["| group | indicator | definition | adds up over | count of people |", "| --- | --- | --- | --- | --- |"]
    for i in INDICATORS:
        lines.append(f"| {i.group} | {i.name} (`{i.key}`) | {i.definition} | {i.adds_up} | {'yes' if i.people else 'no'} |")
    return "\n".join(lines) + "\n"
