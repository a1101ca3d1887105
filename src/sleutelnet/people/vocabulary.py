"""Facts of the domain, kept as data with validity dates (loaded by a data migration).

The labels are English source strings marked for translation, so the interface shows them
in Dutch (or another language) through gettext.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

#: The seven roles of the Verwey-Jonker report (2020).
ROLES: list[tuple[str, str]] = [
    ("translator", N_("Translator")),
    ("connector", N_("Connector")),
    ("educator", N_("Educator")),
    ("activator", N_("Activator")),
    ("trust_builder", N_("Trust builder")),
    ("role_model", N_("Role model")),
    ("advisor", N_("Advisor")),
]

#: Life domains (leefgebieden), a crosswalk of the broad intake, ZRM and the research.
LIFE_DOMAINS: list[tuple[str, str]] = [
    ("language", N_("Language and integration")),
    ("work", N_("Work and participation")),
    ("education", N_("Education")),
    ("health", N_("Health")),
    ("family", N_("Parenting and family")),
    ("finances", N_("Finances")),
    ("housing", N_("Housing")),
    ("social", N_("Social network and wellbeing")),
    ("legal", N_("Legal and residence")),
    ("digital", N_("Digital skills")),
    ("administration", N_("Letters and administration")),
    ("safety", N_("Safety")),
    ("other", N_("Other")),
]

#: Languages: (code, variant, English name, native name, direction).
LANGUAGES: list[tuple[str, str, str, str, str]] = [
    ("nl", "", N_("Dutch"), "Nederlands", "ltr"),
    ("en", "", N_("English"), "English", "ltr"),
    ("fr", "", N_("French"), "Français", "ltr"),
    ("ar", "", N_("Arabic"), "العربية", "rtl"),
    ("ar", "syrian", N_("Arabic (Syrian)"), "العربية الشامية", "rtl"),
    ("ar", "yemeni", N_("Arabic (Yemeni)"), "العربية اليمنية", "rtl"),
    ("ti", "", N_("Tigrinya"), "ትግርኛ", "ltr"),
    ("am", "", N_("Amharic"), "አማርኛ", "ltr"),
    ("tr", "", N_("Turkish"), "Türkçe", "ltr"),
    ("fa", "", N_("Farsi"), "فارسی", "rtl"),
    ("prs", "", N_("Dari"), "دری", "rtl"),
    ("kmr", "", N_("Kurdish (Kurmanji)"), "Kurmancî", "ltr"),
    ("ckb", "", N_("Kurdish (Sorani)"), "کوردی", "rtl"),
    ("so", "", N_("Somali"), "Soomaali", "ltr"),
    ("uk", "", N_("Ukrainian"), "Українська", "ltr"),
    ("ru", "", N_("Russian"), "Русский", "ltr"),
]
