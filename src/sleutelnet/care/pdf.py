"""The experience statement as a PDF (fpdf2, pure Python, with the DejaVu font shipped here so
names and languages in any script the font covers print correctly)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sleutelnet.care.models import ExperienceStatement

FONTS = Path(__file__).resolve().parent / "fonts"


def _day(value: str | None) -> str:
    return dt.date.fromisoformat(value).strftime("%d-%m-%Y") if value else "–"


def statement_pdf(statement: ExperienceStatement) -> bytes:
    """One A4 page (more when the lists are long) with what the coordinator signed off."""
    from fpdf import FPDF

    c: dict[str, Any] = statement.content
    pdf = FPDF(format="A4")
    pdf.set_title(_("Experience statement"))
    pdf.set_creator("Sleutelnet")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(width, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10.5)

    def line(text: str) -> None:
        pdf.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(width, 10, _("Experience statement"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    line(c.get("name", ""))
    line(_("Work as a key person from %(first)s to %(last)s.") % {"first": _day(c.get("first_day")), "last": _day(c.get("last_day"))})
    line(_("%(hours)s hours in %(n)s approved activities.") % {"hours": c.get("hours", "0"), "n": c.get("activities", 0)})
    heading(_("Roles fulfilled"))
    for name, n in c.get("roles", []):
        line(f"• {name}: " + _("%(n)s times") % {"n": n})
    heading(_("Life domains"))
    line(", ".join(name for name, _n in c.get("life_domains", [])) or "–")
    heading(_("Languages"))
    line(", ".join(c.get("languages", [])) or "–")
    heading(_("Trainings and certificates"))
    for name, issued, until in c.get("certificates", []):
        text = f"• {name}: " + _("certificate of %(day)s") % {"day": _day(issued)}
        if until:
            text += ", " + _("valid until %(day)s") % {"day": _day(until)}
        line(text)
    for name, n in c.get("trainings", []):
        line(f"• {name}: " + _("%(n)s sessions attended") % {"n": n})
    if not c.get("certificates") and not c.get("trainings"):
        line("–")
    pdf.ln(6)
    signer = statement.signed_by.get_full_name() or statement.signed_by.username
    line(_("Signed off by %(name)s, coordinator, on %(day)s.") % {"name": signer, "day": statement.signed_on.strftime("%d-%m-%Y")})
    line(_("Made with Sleutelnet from approved activity reports."))
    return bytes(pdf.output())
