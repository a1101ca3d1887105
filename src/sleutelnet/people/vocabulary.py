"""Facts of the domain, kept as data with validity dates (loaded by a data migration).

The labels are English source strings marked for translation, so the interface shows them
in Dutch (or another language) through gettext.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

#: The seven roles of the Verwey-Jonker report (2020).
ROLES: list[tuple[str, str]] = [
    ("translator", gettext_noop("Translator")),
    ("connector", gettext_noop("Connector")),
    ("educator", gettext_noop("Educator")),
    ("activator", gettext_noop("Activator")),
    ("trust_builder", gettext_noop("Trust builder")),
    ("role_model", gettext_noop("Role model")),
    ("advisor", gettext_noop("Advisor")),
]

#: Life domains (leefgebieden), a crosswalk of the broad intake, ZRM and the research.
LIFE_DOMAINS: list[tuple[str, str]] = [
    ("language", gettext_noop("Language and integration")),
    ("work", gettext_noop("Work and participation")),
    ("education", gettext_noop("Education")),
    ("health", gettext_noop("Health")),
    ("family", gettext_noop("Parenting and family")),
    ("finances", gettext_noop("Finances")),
    ("housing", gettext_noop("Housing")),
    ("social", gettext_noop("Social network and wellbeing")),
    ("legal", gettext_noop("Legal and residence")),
    ("digital", gettext_noop("Digital skills")),
    ("administration", gettext_noop("Letters and administration")),
    ("safety", gettext_noop("Safety")),
    ("other", gettext_noop("Other")),
]

#: Languages: (code, variant, English name, native name, direction).
LANGUAGES: list[tuple[str, str, str, str, str]] = [
    ("nl", "", gettext_noop("Dutch"), "Nederlands", "ltr"),
    ("en", "", gettext_noop("English"), "English", "ltr"),
    ("fr", "", gettext_noop("French"), "Français", "ltr"),
    ("ar", "", gettext_noop("Arabic"), "العربية", "rtl"),
    ("ar", "syrian", gettext_noop("Arabic (Syrian)"), "العربية الشامية", "rtl"),
    ("ar", "yemeni", gettext_noop("Arabic (Yemeni)"), "العربية اليمنية", "rtl"),
    ("ti", "", gettext_noop("Tigrinya"), "ትግርኛ", "ltr"),
    ("am", "", gettext_noop("Amharic"), "አማርኛ", "ltr"),
    ("tr", "", gettext_noop("Turkish"), "Türkçe", "ltr"),
    ("fa", "", gettext_noop("Farsi"), "فارسی", "rtl"),
    ("prs", "", gettext_noop("Dari"), "دری", "rtl"),
    ("kmr", "", gettext_noop("Kurdish (Kurmanji)"), "Kurmancî", "ltr"),
    ("ckb", "", gettext_noop("Kurdish (Sorani)"), "کوردی", "rtl"),
    ("so", "", gettext_noop("Somali"), "Soomaali", "ltr"),
    ("uk", "", gettext_noop("Ukrainian"), "Українська", "ltr"),
    ("ru", "", gettext_noop("Russian"), "Русский", "ltr"),
]
