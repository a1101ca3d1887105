"""The fictional Achterhoek demo region, as plain data.

The municipalities and their CBS codes are real, and so are the public bodies named by their
usual name (VluchtelingenWerk Oost Nederland, GGD Noord- en Oost-Gelderland, COA, UWV). The
schools, GP practice, housing corporation, employer, language school and welfare organisation
are made up, and so is every person: key persons and newcomers have culturally plausible
fictional names, not those of real people. Texts are in Dutch, as the region's users write them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

REGION_NAME = "Achterhoek (demo)"

#: Demo-only password of every demo user. Never use this anywhere else.
DEMO_PASSWORD = "sleutelnet-demo"  # noqa: S105 - the demo accounts' published password
#: The second step for the demo accounts only (accounts.models.DemoDevice; refused in production mode).
DEMO_SECOND_FACTOR = "246810"

#: Fixed seed: the same command on an empty database gives the same data.
SEED = 20260

#: Days of history before today, and days ahead that already have requests.
HISTORY_DAYS = 91
FUTURE_DAYS = 21

# --- municipalities -----------------------------------------------------------------------------

#: (key, name, CBS code, relative population for spreading regional requests)
MUNICIPALITIES: list[tuple[str, str, str, int]] = [
    ("aalten", "Aalten", "GM0197", 27),
    ("berkelland", "Berkelland", "GM1859", 44),
    ("bronckhorst", "Bronckhorst", "GM1876", 37),
    ("doetinchem", "Doetinchem", "GM0222", 58),
    ("montferland", "Montferland", "GM1955", 36),
    ("oostgelre", "Oost Gelre", "GM1586", 30),
    ("oij", "Oude IJsselstreek", "GM1509", 40),
    ("winterswijk", "Winterswijk", "GM0294", 29),
]

#: Prefix of the municipality's own newcomer references (pseudonymous, never a BSN).
REFERENCE_PREFIX = {
    "aalten": "ALT",
    "berkelland": "BKL",
    "bronckhorst": "BRH",
    "doetinchem": "DTC",
    "montferland": "MFL",
    "oostgelre": "OGL",
    "oij": "OIJ",
    "winterswijk": "WSW",
}

# --- organisations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    kind: str
    municipality: str | None  # key of MUNICIPALITIES, None for regional organisations
    place: str  # where its requests usually take place; {muni} is filled in for regional ones


ORGANISATIONS: list[Org] = [
    Org("gem_dtc", "Gemeente Doetinchem", "municipality", "doetinchem", "Stadhuis Doetinchem"),
    Org(
        "gem_wsw", "Gemeente Winterswijk", "municipality", "winterswijk", "Gemeentehuis Winterswijk"
    ),
    Org(
        "gem_oij",
        "Gemeente Oude IJsselstreek",
        "municipality",
        "oij",
        "Gemeentehuis Oude IJsselstreek",
    ),
    Org(
        "vwn",
        "VluchtelingenWerk Oost Nederland",
        "vluchtelingenwerk",
        None,
        "Kantoor VluchtelingenWerk, {muni}",
    ),
    Org("coa", "COA azc Achterhoek", "coa", None, "azc, recreatiezaal"),
    Org("ggd", "GGD Noord- en Oost-Gelderland", "ggd", None, "Wijkcentrum, {muni}"),
    Org(
        "school_regenboog",
        "Basisschool De Regenboog",
        "school",
        "doetinchem",
        "Basisschool De Regenboog, Doetinchem",
    ),
    Org(
        "school_vlinder",
        "Basisschool De Vlinderboom",
        "school",
        "winterswijk",
        "Basisschool De Vlinderboom, Winterswijk",
    ),
    Org(
        "school_kompas",
        "Openbare basisschool 't Kompas",
        "school",
        "aalten",
        "Obs 't Kompas, Aalten",
    ),
    Org(
        "gp",
        "Huisartsenpraktijk De Linde",
        "gp_practice",
        "berkelland",
        "Huisartsenpraktijk De Linde, Eibergen",
    ),
    Org(
        "housing",
        "Woonstichting Het Oude Land",
        "housing_corporation",
        None,
        "Kantoor Het Oude Land, {muni}",
    ),
    Org("uwv", "UWV Achterhoek", "uwv", "doetinchem", "UWV-kantoor, Doetinchem"),
    Org(
        "taalschool",
        "Taalschool De Brug",
        "language_school",
        "doetinchem",
        "Taalschool De Brug, Doetinchem",
    ),
    Org(
        "employer",
        "Metaalbewerking Oost BV",
        "employer",
        "oostgelre",
        "Metaalbewerking Oost BV, Lichtenvoorde",
    ),
    Org("welfare", "Stichting Welzijn De Schakel", "welfare", None, "Buurthuis, {muni}"),
]

# --- users ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    organisation: str | None = None  # key of ORGANISATIONS

    @property
    def email(self) -> str:
        return f"{self.username}@example.org"


COORDINATOR = Person("coordinator", "Marieke", "Jansen")
POLICY_OFFICER = Person("beleid", "Joost", "Hendriks", "gem_dtc")
ADMINISTRATOR = Person("admin", "Anja", "Smit")
PRIVACY_OFFICER = Person("privacy", "Ruben", "de Vries")
#: The requester whose login is printed.
REQUESTER = Person("requester", "Sanne", "Vos", "vwn")
#: Further requesters, so requests come from several people of several organisations.
REQUESTERS: list[Person] = [
    REQUESTER,
    Person("thomas.bosman", "Thomas", "Bosman", "vwn"),
    Person("jeroen.lammers", "Jeroen", "Lammers", "gem_dtc"),
    Person("bart.nijenhuis", "Bart", "Nijenhuis", "gem_wsw"),
    Person("femke.roelofs", "Femke", "Roelofs", "gem_oij"),
    Person("yasmina.elamrani", "Yasmina", "El Amrani", "coa"),
    Person("linda.kleingunnewiek", "Linda", "Klein Gunnewiek", "ggd"),
    Person("anouk.hulshof", "Anouk", "Hulshof", "school_regenboog"),
    Person("mirjam.terhorst", "Mirjam", "ter Horst", "school_vlinder"),
    Person("peter.wassink", "Peter", "Wassink", "school_kompas"),
    Person("esther.heutink", "Esther", "Heutink", "gp"),
    Person("rob.tenbrinke", "Rob", "ten Brinke", "housing"),
    Person("yusuf.demir", "Yusuf", "Demir", "uwv"),
    Person("hanneke.rouwhorst", "Hanneke", "Rouwhorst", "taalschool"),
    Person("gerrit.lensink", "Gerrit", "Lensink", "employer"),
    Person("sofie.bulten", "Sofie", "Bulten", "welfare"),
]

# --- key persons ----------------------------------------------------------------------------------

T = dt.time
#: Weekly availability patterns: (weekday 0=Monday, from, until). Combined patterns never overlap.
AVAILABILITY: dict[str, list[tuple[int, dt.time, dt.time]]] = {
    "daytime": [(d, T(9), T(17)) for d in range(5)],
    "evenings": [(d, T(18), T(22)) for d in range(4)],
    "mornings": [(d, T(8, 30), T(12, 30)) for d in range(5)],
    "weekend": [(5, T(10), T(17)), (6, T(12), T(18))],
    "flexible": [(d, T(9), T(21, 30)) for d in range(5)],
    "tue_thu": [(1, T(9), T(21)), (3, T(9), T(21))],
    "afternoons": [
        (0, T(13), T(21, 30)),
        (2, T(13), T(21, 30)),
        (4, T(13), T(21, 30)),
        (5, T(10), T(14)),
    ],
}


@dataclass(frozen=True)
class KP:
    """A key person's profile; vog is days from today (None: no VOG)."""

    name: str
    gender: str
    languages: tuple[tuple[str, int], ...]
    roles: tuple[str, ...]
    domains: tuple[str, ...]
    municipalities: tuple[str, ...]
    availability: tuple[str, ...]
    capacity: int
    vog: int | None
    status: str = "active"
    login: bool = True
    username: str = ""
    #: How this person answers offers and files reports: fast, normal or slow.
    habit: str = "normal"
    communication_language: str = ""
    phone: str = ""
    #: Days before today on which the coordinator paused this key person (None: never).
    paused_days_ago: int | None = None


#: The key person whose login is printed: a Tigrinya speaker with work waiting.
DEMO_KEY_PERSON = "Semhar Tesfay"

KEY_PERSONS: list[KP] = [
    KP(
        "Semhar Tesfay",
        "f",
        (("ti", 5), ("am", 3), ("nl", 3), ("en", 3)),
        ("translator", "connector", "educator", "trust_builder"),
        ("education", "family", "health", "social"),
        ("doetinchem", "oij", "montferland"),
        ("flexible",),
        capacity=32,
        vog=420,
        username="sleutelpersoon",
        habit="fast",
        communication_language="ti",
    ),
    KP(
        "Yonas Haile",
        "m",
        (("ti", 5), ("en", 4), ("nl", 3)),
        ("translator", "connector", "role_model", "activator"),
        ("work", "language", "housing"),
        ("winterswijk", "aalten", "oostgelre"),
        ("daytime", "evenings"),
        capacity=20,
        vog=250,
    ),
    KP(
        "Helen Gebremedhin",
        "f",
        (("ti", 5), ("am", 4), ("nl", 2), ("en", 2)),
        ("activator", "trust_builder", "role_model", "connector"),
        ("health", "family", "social"),
        ("doetinchem", "bronckhorst"),
        ("mornings", "evenings"),
        capacity=16,
        vog=20,
        habit="slow",
        communication_language="ti",
    ),
    KP(
        "Filmon Tekle",
        "",
        (("ti", 5), ("nl", 4), ("en", 3)),
        ("translator", "educator", "advisor"),
        ("education", "work", "administration", "digital"),
        ("berkelland", "oostgelre", "winterswijk"),
        ("evenings", "weekend"),
        capacity=12,
        vog=None,
    ),
    KP(
        "Mebrahtu Kidane",
        "m",
        (("ti", 5), ("am", 4), ("ar", 2), ("nl", 2)),
        ("translator", "connector"),
        ("legal", "housing", "administration"),
        ("oij", "aalten"),
        ("daytime",),
        capacity=8,
        vog=-60,
        status="paused",
    ),
    KP(
        "Luwam Berhane",
        "f",
        (("ti", 5), ("nl", 3), ("en", 3)),
        ("connector", "role_model", "activator"),
        ("education", "language", "social"),
        ("doetinchem", "montferland"),
        ("afternoons",),
        capacity=12,
        vog=None,
        status="candidate",
        login=False,
    ),
    KP(
        "Tigist Alemu",
        "f",
        (("am", 5), ("ti", 3), ("en", 4), ("nl", 3)),
        ("educator", "trust_builder", "activator", "connector"),
        ("health", "family"),
        ("doetinchem", "oostgelre", "bronckhorst"),
        ("tue_thu",),
        capacity=16,
        vog=500,
    ),
    KP(
        "Dawit Bekele",
        "",
        (("am", 5), ("ti", 2), ("en", 4), ("nl", 3)),
        ("connector", "advisor"),
        ("work", "finances"),
        ("winterswijk", "berkelland"),
        ("evenings",),
        capacity=8,
        vog=300,
        habit="slow",
    ),
    KP(
        "Rania Al-Khatib (رانيا الخطيب)",
        "f",
        (("ar-syrian", 5), ("en", 4), ("nl", 4), ("fr", 2)),
        ("educator", "activator", "role_model", "advisor", "connector"),
        ("education", "family", "health", "language"),
        ("doetinchem", "montferland", "oij", "bronckhorst"),
        ("flexible", "weekend"),
        capacity=28,
        vog=700,
        habit="fast",
        communication_language="ar-syrian",
    ),
    KP(
        "Omar Haddad",
        "m",
        (("ar-syrian", 5), ("nl", 3), ("en", 3)),
        ("translator", "connector", "trust_builder"),
        ("health", "housing", "finances", "administration"),
        ("winterswijk", "aalten"),
        ("daytime", "evenings"),
        capacity=24,
        vog=180,
    ),
    KP(
        "Lina Darwish",
        "f",
        (("ar-syrian", 5), ("nl", 3), ("fr", 3)),
        ("translator", "educator", "activator"),
        ("education", "family", "digital"),
        ("oostgelre", "berkelland", "winterswijk"),
        ("mornings",),
        capacity=12,
        vog=-40,
    ),
    KP(
        "Khaled Al-Masri",
        "m",
        (("ar-syrian", 5), ("nl", 3), ("en", 2)),
        ("connector", "role_model", "advisor"),
        ("work", "finances", "social"),
        ("doetinchem", "oij"),
        ("daytime",),
        capacity=16,
        vog=90,
        paused_days_ago=20,
    ),
    KP(
        "Nour Alhamwi",
        "f",
        (("ar-syrian", 5), ("nl", 4), ("en", 3)),
        ("translator", "trust_builder", "educator"),
        ("health", "family", "education"),
        ("aalten", "oij", "winterswijk"),
        ("tue_thu", "weekend"),
        capacity=20,
        vog=365,
    ),
    KP(
        "Samer Khalil",
        "",
        (("ar-syrian", 5), ("en", 4), ("nl", 2)),
        ("translator", "connector"),
        ("work", "digital"),
        ("berkelland", "bronckhorst"),
        ("evenings",),
        capacity=10,
        vog=None,
        status="candidate",
        login=False,
    ),
    KP(
        "Berivan Hesen",
        "f",
        (("kmr", 5), ("ar-syrian", 4), ("tr", 3), ("nl", 3)),
        ("connector", "activator", "trust_builder"),
        ("family", "health", "social"),
        ("doetinchem", "montferland"),
        ("tue_thu",),
        capacity=16,
        vog=30,
    ),
    KP(
        "Karwan Ahmed",
        "",
        (("ckb", 5), ("ar", 3), ("fa", 3), ("en", 3), ("nl", 3)),
        ("translator", "connector", "advisor"),
        ("legal", "work", "housing"),
        ("doetinchem", "bronckhorst", "berkelland"),
        ("evenings", "weekend"),
        capacity=12,
        vog=None,
    ),
    KP(
        "Abdulrahman Al-Hakimi",
        "m",
        (("ar-yemeni", 5), ("ar", 5), ("en", 3), ("nl", 2)),
        ("translator", "trust_builder", "role_model"),
        ("health", "legal", "social"),
        ("winterswijk", "oostgelre", "aalten"),
        ("flexible",),
        capacity=20,
        vog=420,
    ),
    KP(
        "Farida Rahimi (فریده رحیمی)",
        "f",
        (("prs", 5), ("fa", 5), ("nl", 3), ("en", 2)),
        ("educator", "activator", "trust_builder", "role_model"),
        ("health", "family", "education", "social"),
        ("doetinchem", "oij", "montferland"),
        ("mornings", "evenings"),
        capacity=20,
        vog=600,
        communication_language="prs",
    ),
    KP(
        "Ahmad Zia Sharifi",
        "",
        (("prs", 5), ("fa", 4), ("en", 4), ("nl", 4)),
        ("translator", "connector", "advisor", "educator"),
        ("work", "administration", "digital", "finances"),
        ("berkelland", "oostgelre", "bronckhorst", "winterswijk"),
        ("daytime", "evenings"),
        capacity=24,
        vog=200,
        habit="fast",
    ),
    KP(
        "Zahra Hosseini",
        "f",
        (("fa", 5), ("prs", 4), ("nl", 3), ("en", 3)),
        ("connector", "role_model"),
        ("education", "language", "social"),
        ("aalten", "winterswijk"),
        ("afternoons",),
        capacity=12,
        vog=-150,
    ),
    KP(
        "Elif Yıldız",
        "f",
        (("tr", 5), ("nl", 5), ("en", 3), ("kmr", 2)),
        ("translator", "educator", "advisor", "role_model"),
        ("education", "family", "work", "language"),
        ("doetinchem", "oij", "aalten"),
        ("daytime", "evenings"),
        capacity=24,
        vog=800,
        habit="fast",
    ),
    KP(
        "Mehmet Kaya",
        "m",
        (("tr", 5), ("kmr", 4), ("nl", 3)),
        ("connector", "activator", "trust_builder"),
        ("work", "social", "safety"),
        ("berkelland", "oostgelre"),
        ("evenings", "weekend"),
        capacity=16,
        vog=None,
        habit="slow",
    ),
    KP(
        "Hodan Warsame",
        "f",
        (("so", 5), ("ar", 3), ("en", 3), ("nl", 3)),
        ("translator", "activator", "trust_builder", "educator"),
        ("health", "family", "education"),
        ("doetinchem", "montferland", "oij"),
        ("tue_thu", "weekend"),
        capacity=20,
        vog=150,
    ),
    KP(
        "Abdirahman Farah",
        "",
        (("so", 5), ("en", 4), ("nl", 3), ("ar", 2)),
        ("connector", "advisor", "role_model"),
        ("work", "finances", "legal"),
        ("winterswijk", "aalten", "oostgelre"),
        ("evenings",),
        capacity=12,
        vog=50,
    ),
    KP(
        "Olena Kovalenko",
        "",
        (("uk", 5), ("ru", 5), ("en", 3), ("nl", 3)),
        ("translator", "educator", "connector"),
        ("education", "work", "language", "administration"),
        ("doetinchem", "bronckhorst", "berkelland"),
        ("mornings", "evenings"),
        capacity=16,
        vog=250,
    ),
]

# --- newcomers ------------------------------------------------------------------------------------

#: (language tags the newcomer speaks, first one is the main language; how many; first names)
NEWCOMER_GROUPS: list[tuple[tuple[str, ...], int, tuple[str, ...]]] = [
    (
        ("ti",),
        12,
        (
            "Aster",
            "Yohannes",
            "Selam",
            "Tesfit",
            "Mehret",
            "Robel",
            "Senait",
            "Biniam",
            "Saba",
            "Kibrom",
        ),
    ),
    (("ti", "am"), 6, ("Feven", "Awet", "Rahel", "Natnael", "Hiwet", "Samuel")),
    (
        ("ar-syrian",),
        13,
        ("Fatima", "Ahmad", "Rasha", "Mohammad", "Hiba", "Yazan", "Amal", "Bilal", "Dima", "Majd"),
    ),
    (("ar-syrian", "en"), 3, ("Reem", "Tarek", "Salma")),
    (("tr",), 4, ("Ayşe", "Mustafa", "Zeynep", "Emre")),
    (("prs", "fa"), 5, ("Mariam", "Hamid", "Shabnam", "Rahim", "Parisa")),
    (("fa",), 2, ("Javad", "Nazanin")),
    (("ar-yemeni", "ar"), 3, ("Abdullah", "Huda", "Saleh")),
    (("so",), 4, ("Fadumo", "Mahad", "Ifrah", "Sahra")),
    (("kmr", "ar-syrian"), 3, ("Rojin", "Dilovan", "Hevi")),
    (("am",), 2, ("Meron", "Abebe")),
    (("uk", "ru"), 2, ("Iryna", "Oleksandr")),
    (("ckb", "ar"), 1, ("Shilan",)),
]

DUTCH_LEVELS = [("none", 4), ("a0", 5), ("a1", 6), ("a2", 4), ("b1", 1)]
LEARNING_ROUTES = [("b1", 6), ("z", 3), ("education", 2), ("unknown", 2)]
CONSENT_SCOPE = (
    "Ondersteuning door een sleutelpersoon bij afspraken met instanties, school en zorg."
)
CONSENT_METHODS = [("paper", 5), ("verbal", 3), ("digital", 2)]

# --- words for titles and texts -------------------------------------------------------------------

#: Adjective for a language community, used in titles ("voor Eritrese ouders").
GROUP = {
    "ti": "Eritrese",
    "am": "Ethiopische",
    "ar": "Arabischtalige",
    "ar-syrian": "Syrische",
    "ar-yemeni": "Jemenitische",
    "tr": "Turkse",
    "prs": "Afghaanse",
    "fa": "Perzischtalige",
    "so": "Somalische",
    "kmr": "Koerdische",
    "ckb": "Koerdische",
    "uk": "Oekraïense",
    "nl": "nieuwe",
}

#: The language's Dutch name, used in descriptions ("in het Tigrinya").
LANGUAGE_NL = {
    "ti": "het Tigrinya",
    "am": "het Amhaars",
    "ar": "het Arabisch",
    "ar-syrian": "het Syrisch-Arabisch",
    "ar-yemeni": "het Jemenitisch-Arabisch",
    "tr": "het Turks",
    "prs": "het Dari",
    "fa": "het Farsi",
    "so": "het Somalisch",
    "kmr": "het Kurmanji",
    "ckb": "het Sorani",
    "uk": "het Oekraïens",
    "nl": "eenvoudig Nederlands",
}

GGD_TOPICS = [
    "gezonde voeding",
    "vrouwengezondheid",
    "stress en slapen",
    "bewegen en fietsen",
    "vaccinaties voor kinderen",
    "zwangerschap en kraamzorg",
    "gezonde tanden",
]

DECLINE_REASONS = [
    "Ik heb die dag examen bij de taalschool.",
    "Ik werk die dag, het lukt niet om vrij te nemen.",
    "Zonder auto is dit voor mij te ver reizen op dat tijdstip.",
    "Mijn kinderen zijn ziek, ik moet thuisblijven.",
    "Ik heb die week al veel inzetten gedaan; liever iemand anders.",
    "Ik ben die week bij familie in Duitsland.",
]
DECLINE_KNOWS_FAMILY = "Ik ken deze familie persoonlijk; beter iemand die geen familie of buur is."
DECLINE_CLASH = "Ik heb op dat moment al een andere afspraak."

STEP_BACK_REASONS = [
    "Ik ben ziek geworden, het spijt me.",
    "Familieomstandigheden: ik moet onverwacht naar mijn moeder.",
    "Mijn werkrooster is veranderd, ik moet die dag werken.",
]

REQUESTER_CANCEL_REASONS = {
    "group": [
        "Te weinig aanmeldingen; we plannen een nieuwe datum.",
        "De bijeenkomst is verplaatst naar na de vakantie.",
        "De zaal is niet beschikbaar; we laten weten wanneer het wel kan.",
    ],
    "individual": [
        "De afspraak is door de instantie verzet; nieuwe aanvraag volgt.",
        "Het gezin is verhuisd naar een andere gemeente.",
        "Mevrouw heeft zelf iemand gevonden die meegaat.",
        "Niet meer nodig: het is telefonisch opgelost.",
    ],
}
NO_KEY_PERSON_REASON = (
    "Geen sleutelpersoon beschikbaar die {lang} spreekt op dit tijdstip. "
    "Aanvrager verwezen naar een professionele tolk."
)
PAUSE_REASON = "{name} pauzeert tijdelijk (examens); we zoeken iemand anders."

RETURN_COMMENTS = {
    "hours": "Je schreef {hours} uur; gepland was {planned} uur. Klopt dit? Pas het anders even aan.",
    "outcome": "Wil je in een paar zinnen beschrijven wat er is besproken en wat de afspraak is?",
}


@dataclass(frozen=True)
class Template:
    """A kind of request that organisations of the region file, with words to fill it in."""

    code: str
    weight: int
    orgs: tuple[tuple[str, int], ...]
    kind: str
    roles: tuple[str, ...]
    domains: tuple[str, ...]
    chain_links: tuple[str, ...]
    titles: tuple[str, ...]
    descriptions: tuple[str, ...]
    outcomes: tuple[str, ...]
    follow_ups: tuple[str, ...]
    weekdays: tuple[int, ...]
    slots: tuple[tuple[dt.time, int], ...]  # start, minutes
    languages: tuple[tuple[str, int], ...] = ()  # weighted; empty: the newcomer's main language
    newcomer: float = 0.0  # chance that the request is about one newcomer
    key_persons: tuple[int, ...] = (1,)
    participants: tuple[int, int] | None = None
    lead_days: tuple[int, int] = (4, 14)
    urgency: tuple[tuple[int, int], ...] = ((2, 1),)
    gender: str = ""
    gender_required: bool = False
    requires_vog: bool = False
    interpreter: float = 0.0
    place: str = ""  # empty: the organisation's place
    saturday_slot: tuple[dt.time, int] | None = None
    extra_domains: tuple[str, ...] = ()


WEEKDAYS = (0, 1, 2, 3, 4)
MON_THU = (0, 1, 2, 3)

TEMPLATES: list[Template] = [
    Template(
        "parent_evening",
        9,
        orgs=(("school_regenboog", 2), ("school_vlinder", 2), ("school_kompas", 2)),
        kind="group_session",
        roles=("translator", "educator", "connector"),
        domains=("education", "family"),
        chain_links=("execution",),
        titles=(
            "Ouderavond voor {group} ouders: hoe werkt de basisschool?",
            "Informatieavond groep 8 voor {group} ouders: schooladvies en voortgezet onderwijs",
            "Ouderavond voor {group} ouders: rapport en tienminutengesprekken",
            "Uitleg voor {group} ouders over leerplicht en verlof",
        ),
        descriptions=(
            (
                "We nodigen ongeveer {n} ouders uit. Graag iemand die in {lang} uitlegt hoe de school werkt "
                "en vragen van ouders durft door te vertalen naar de leerkrachten."
            ),
            (
                "Veel ouders komen nog niet naar ouderavonden. We zoeken iemand die de uitnodiging persoonlijk "
                "toelicht en op de avond vertaalt en uitlegt."
            ),
        ),
        outcomes=(
            "Ouders weten nu wat het rapport betekent en hoe ze een gesprek met de leerkracht aanvragen.",
            (
                "Goede avond: ouders stelden veel vragen over huiswerk en verlof buiten de vakanties. De school "
                "zet de uitleg op papier in {lang}."
            ),
            (
                "Minder ouders dan verwacht, maar wie er was ging tevreden naar huis. Twee ouders willen "
                "meehelpen bij de volgende avond."
            ),
            "Ouders hoorden voor het eerst over het schooladvies en de doorstroomtoets; er komt een vervolgavond.",
        ),
        follow_ups=(
            "",
            "School stuurt de presentatie mee in eenvoudige taal.",
            "Leerkracht groep 8 belt twee ouders na.",
            "Vervolgavond in het voorjaar.",
        ),
        weekdays=MON_THU,
        slots=((T(19), 120),),
        languages=(("ti", 4), ("ar-syrian", 4), ("so", 1), ("tr", 1), ("prs", 1), ("uk", 1)),
        key_persons=(1, 1, 1, 2),
        participants=(6, 16),
        lead_days=(7, 21),
        extra_domains=("language",),
    ),
    Template(
        "gp_registration",
        7,
        orgs=(("vwn", 3), ("gp", 2)),
        kind="accompaniment",
        roles=("connector", "trust_builder"),
        domains=("health",),
        chain_links=("execution",),
        titles=(
            "Mee naar inschrijving bij de huisarts",
            "Uitleg huisarts, apotheek en huisartsenpost",
            "Mee naar eerste afspraak bij de huisarts",
        ),
        descriptions=(
            (
                "{name} is net verhuisd naar {muni} en moet zich nog inschrijven. Graag uitleg over afspraken "
                "maken, de apotheek en wanneer je de huisartsenpost of 112 belt."
            ),
            (
                "Medische inhoud gaat via de tolkentelefoon; de sleutelpersoon helpt vooral met vertrouwen en "
                "uitleg over hoe het hier werkt."
            ),
        ),
        outcomes=(
            (
                "{name} is ingeschreven en weet hoe je een afspraak maakt. Uitgelegd wanneer je de "
                "huisartsenpost belt en wanneer 112."
            ),
            (
                "Samen de app van de praktijk geïnstalleerd. Het gezin was eerst wantrouwig over de vragenlijst; "
                "na uitleg ging het goed."
            ),
            "Inschrijving gelukt; medicijnen uit het azc worden overgezet naar de apotheek in de buurt.",
        ),
        follow_ups=(
            "",
            "Afspraak bij de praktijkondersteuner over twee weken.",
            "Gezin wil ook uitleg over de tandarts.",
        ),
        weekdays=WEEKDAYS,
        slots=((T(9, 30), 90), (T(10, 30), 60), (T(14), 90)),
        newcomer=1.0,
        lead_days=(3, 10),
        interpreter=0.25,
        place="Huisartsenpraktijk, {muni}",
        extra_domains=("family", "administration"),
    ),
    Template(
        "letter_review",
        4,
        orgs=(("gem_dtc", 2), ("gem_wsw", 1), ("gem_oij", 1)),
        kind="document_review",
        roles=("advisor",),
        domains=("administration", "language"),
        chain_links=("intake",),
        titles=(
            "Meelezen: uitnodigingsbrief voor de brede intake",
            "Meelezen: brief over ontzorgen en vaste lasten",
            "Meelezen: folder over het PIP in eenvoudige taal",
            "Meelezen: brief over de leerbaarheidstoets",
            "Meelezen: welkomstbrief voor nieuwe inwoners",
        ),
        descriptions=(
            (
                "We willen weten of de brief begrijpelijk is voor nieuwkomers en of de toon goed is. Graag "
                "eerlijke feedback; de brief is in het Nederlands."
            ),
        ),
        outcomes=(
            (
                "Brief is te lang en te formeel. Voorstel: begin met wat de inburgeraar moet doen en wanneer, en "
                "zet de juridische tekst achteraan."
            ),
            (
                "Het woord 'ontzorgen' zegt nieuwkomers niets. Advies: uitleggen dat de gemeente de eerste "
                "maanden de vaste lasten betaalt."
            ),
            "Sleutelpersonen raden aan een nummer met WhatsApp te noemen; veel nieuwkomers bellen niet graag.",
            "Folder is duidelijk; alleen de plaatjes passen niet bij iedereen. Twee suggesties gegeven.",
        ),
        follow_ups=(
            "Gemeente past de brief aan en legt hem opnieuw voor.",
            "",
            "Advies gaat naar het team inburgering.",
        ),
        weekdays=(1, 3),
        slots=((T(10), 90), (T(19, 30), 90)),
        languages=(("nl", 1),),
        key_persons=(2, 2, 3),
        lead_days=(10, 25),
        urgency=((1, 2), (2, 1)),
    ),
    Template(
        "sounding_board",
        2,
        orgs=(("gem_dtc", 2), ("gem_oij", 1), ("gem_wsw", 1)),
        kind="consultation",
        roles=("advisor", "role_model"),
        domains=("language", "work", "social"),
        chain_links=("intake",),
        titles=(
            "Klankbordgroep PIP: ervaringen met het persoonlijk plan",
            "Klankbordgroep: ervaringen met de overgang van azc naar gemeente",
            "Klankbordgroep over werk en participatie",
            "Klankbordgroep: hoe gaat het met de taalcoach?",
        ),
        descriptions=(
            (
                "Sleutelpersonen en enkele inburgeraars praten mee over hoe de gemeente het PIP opstelt. We "
                "willen horen wat goed gaat en wat beter kan."
            ),
        ),
        outcomes=(
            (
                "Advies: neem meer tijd voor de brede intake en laat de inburgeraar iemand meenemen die hij of "
                "zij vertrouwt."
            ),
            (
                "Deelnemers missen uitleg over de gevolgen van het PIP; de gemeente maakt een korte uitleg in "
                "vijf talen."
            ),
            "Goede opkomst. Belangrijkste punt: het duurt te lang voordat de taalles start na de verhuizing.",
            "Adviesnotitie opgesteld met drie punten over werk naast de taalles.",
        ),
        follow_ups=(
            "Gemeente reageert binnen zes weken op het advies (jullie zeiden, wij deden).",
            "Volgende klankbordgroep over de Z-route.",
        ),
        weekdays=(1, 2),
        slots=((T(19), 120),),
        languages=(("nl", 1),),
        key_persons=(3,),
        participants=(6, 12),
        lead_days=(14, 28),
        urgency=((1, 1),),
    ),
    Template(
        "azc_info",
        6,
        orgs=(("coa", 1),),
        kind="group_session",
        roles=("role_model", "educator"),
        domains=("housing", "social", "language"),
        chain_links=("reception",),
        titles=(
            "Voorlichting in het azc: wonen en leven in {muni}",
            "Informatiemiddag azc: je eerste weken in de gemeente",
            "Voorlichting in het azc voor {group} statushouders: wat regelt de gemeente?",
            "Rolmodel in het azc: mijn eerste jaar in de Achterhoek",
        ),
        descriptions=(
            (
                "Statushouders die binnenkort naar {muni} verhuizen, willen weten wat hen te wachten staat: "
                "woning, school, taalles en werk."
            ),
        ),
        outcomes=(
            (
                "Veel vragen over wanneer de woning klaar is en of je zelf meubels moet kopen. Uitgelegd hoe de "
                "inrichtingskosten werken."
            ),
            (
                "Deelnemers waren blij iemand te spreken die het zelf heeft meegemaakt. Drie mensen vroegen om "
                "een kennismaking na de verhuizing."
            ),
            (
                "Uitleg over de Achterhoek: fietsen, dorpen, verenigingen. Zorgen over weinig landgenoten in de "
                "buurt besproken."
            ),
            "Goed gesprek over de taalschool en wanneer je mag gaan werken.",
        ),
        follow_ups=(
            "COA geeft de namen door aan VluchtelingenWerk voor een warme overdracht.",
            "",
            "Volgende voorlichting in een andere taal.",
        ),
        weekdays=(1, 2, 3, 5),
        slots=((T(14), 120),),
        saturday_slot=(T(11), 120),
        languages=(("ti", 3), ("ar-syrian", 3), ("tr", 2), ("prs", 2), ("so", 1), ("ar-yemeni", 1)),
        key_persons=(1, 1, 2),
        participants=(8, 25),
        lead_days=(7, 18),
        extra_domains=("work", "education"),
    ),
    Template(
        "workplace",
        3,
        orgs=(("employer", 2), ("uwv", 1)),
        kind="mediation",
        roles=("connector", "translator", "advisor"),
        domains=("work",),
        chain_links=("execution",),
        titles=(
            "Cultuurvertaling op de werkvloer: misverstand over werkafspraken",
            "Driegesprek met werkgever en nieuwe medewerker tijdens de proefplaatsing",
            "Uitleg Nederlandse werkcultuur voor nieuwe collega's",
            "Cultuurvertaling: omgangsvormen en ziekmelden",
        ),
        descriptions=(
            (
                "Een nieuwe medewerker en zijn leidinggevende begrijpen elkaar niet goed. We zoeken iemand die "
                "de taal spreekt en beide werkculturen kent."
            ),
        ),
        outcomes=(
            (
                "Het misverstand ging over een gebaar dat hier onschuldig is en daar beledigend. Beide kanten "
                "begrijpen elkaar nu beter."
            ),
            (
                "Uitgelegd hoe ziekmelden werkt en waarom je op tijd belt. Werkgever zet de afspraken nu ook op "
                "papier."
            ),
            (
                "Leidinggevende begreep niet waarom de medewerker geen vragen stelde; uitgelegd dat dit uit "
                "respect is. Afgesproken dat ze elke vrijdag kort evalueren."
            ),
            (
                "Proefplaatsing loopt goed; werkgever wil verlengen en vraagt of ik over een maand nog eens "
                "meekijk."
            ),
        ),
        follow_ups=("Evaluatie over een maand.", "", "Werkcoach UWV bespreekt verlenging."),
        weekdays=WEEKDAYS,
        slots=((T(10), 90), (T(13, 30), 90)),
        languages=(("ar-syrian", 3), ("ti", 2), ("prs", 1), ("tr", 1)),
        newcomer=0.5,
        lead_days=(3, 10),
        place="",
        extra_domains=("language",),
    ),
    Template(
        "women_health",
        4,
        orgs=(("ggd", 1),),
        kind="outreach",
        roles=("activator", "trust_builder", "educator"),
        domains=("health", "social"),
        chain_links=("execution",),
        titles=(
            "Vrouwen activeren voor de GGD-bijeenkomst over {topic}",
            "{Group} vrouwen uitnodigen: bijeenkomst over {topic}",
            "Vrouwenochtend over {topic}",
        ),
        descriptions=(
            (
                "De GGD organiseert een bijeenkomst voor vrouwen over {topic}. We bereiken {group} vrouwen "
                "slecht; graag iemand die persoonlijk uitnodigt en op de ochtend zelf aanwezig is."
            ),
        ),
        outcomes=(
            (
                "Via persoonlijke uitnodigingen en de WhatsApp-groep kwamen {n} vrouwen. Veel vragen; de sfeer "
                "was open."
            ),
            (
                "Vrouwen kwamen vooral omdat ze mij kennen. Twee vrouwen willen een vervolg met de "
                "jeugdverpleegkundige."
            ),
            (
                "Opkomst lager dan gehoopt, maar goede gesprekken. Signaal: zorgen over lange wachttijd bij de "
                "tandarts."
            ),
            "Vrouwen durfden vragen te stellen die ze bij de huisarts niet stellen. GGD past de folder aan.",
        ),
        follow_ups=(
            "GGD plant een vervolgochtend.",
            "",
            "Twee vrouwen doorverwezen naar het consultatiebureau.",
        ),
        weekdays=(0, 1, 2, 3, 4, 5),
        slots=((T(10), 120),),
        saturday_slot=(T(10), 120),
        languages=(("ti", 2), ("so", 2), ("ar-syrian", 3), ("prs", 2), ("am", 1), ("kmr", 1)),
        key_persons=(1, 1, 2),
        participants=(5, 15),
        lead_days=(10, 21),
        gender="f",
        gender_required=True,
        place="Wijkcentrum, {muni}",
        extra_domains=("family",),
    ),
    Template(
        "housing",
        5,
        orgs=(("housing", 2), ("vwn", 1)),
        kind="accompaniment",
        roles=("connector", "translator"),
        domains=("housing", "finances"),
        chain_links=("reception", "execution"),
        titles=(
            "Sleuteloverdracht en uitleg huurcontract",
            "Gesprek over huisregels, afval scheiden en buren",
            "Uitleg energierekening en goed ventileren",
            "Huisbezoek na klacht over geluidsoverlast",
        ),
        descriptions=(
            (
                "{name} krijgt binnenkort de sleutel van een woning in {muni}. Graag iemand die het huurcontract "
                "en de huisregels in {lang} uitlegt."
            ),
            "Er zijn vragen over de woning en de buren. Graag iemand die meegaat en helpt uitleggen.",
        ),
        outcomes=(
            (
                "Huurcontract doorgenomen; {name} wist niet dat de huur automatisch wordt afgeschreven. Uitgelegd "
                "wat servicekosten zijn."
            ),
            (
                "Afval scheiden uitgelegd met de afvalkalender van de gemeente. Buren komen volgende week "
                "kennismaken."
            ),
            "Uitgelegd waarom ventileren belangrijk is tegen schimmel; samen de thermostaat ingesteld.",
            "De klacht ging over laat koken en bezoek. Goed gesprek met beide buren; afspraken gemaakt.",
        ),
        follow_ups=(
            "Woonconsulent komt over zes weken terug.",
            "",
            "Doorverwezen naar de budgetcoach voor de energierekening.",
        ),
        weekdays=WEEKDAYS,
        slots=((T(10), 90), (T(13, 30), 90)),
        newcomer=1.0,
        lead_days=(3, 10),
        place="Bij de woning, {muni}",
        extra_domains=("social", "administration"),
    ),
    Template(
        "mail_and_money",
        4,
        orgs=(("vwn", 3), ("welfare", 1)),
        kind="individual_support",
        roles=("educator", "translator"),
        domains=("finances", "administration"),
        chain_links=("execution",),
        titles=(
            "Samen de post doornemen: brieven van Belastingdienst en gemeente",
            "Uitleg toeslagen en eerste rekeningen",
            "Hulp bij een aanmaning van de zorgverzekeraar",
            "Uitleg over het einde van ontzorgen: zelf vaste lasten betalen",
        ),
        descriptions=(
            "{name} heeft een stapel brieven en weet niet wat dringend is. Graag samen doornemen in {lang}.",
        ),
        outcomes=(
            (
                "Brieven gesorteerd in 'nu doen', 'bewaren' en 'weggooien'. Huurtoeslag aangevraagd samen met de "
                "vrijwilliger."
            ),
            (
                "{name} dacht dat de aanmaning een boete van de politie was. Uitgelegd en een betalingsregeling "
                "aangevraagd."
            ),
            "Overzicht gemaakt van vaste lasten na ontzorgen. {name} zet nu zelf de betalingen klaar.",
            "Uitgelegd wat een voorlopige aanslag is; niets te betalen, wel bewaren.",
        ),
        follow_ups=(
            "Vrijwilliger VluchtelingenWerk helpt bij de aangifte.",
            "",
            "Over een maand samen kijken of alles betaald is.",
        ),
        weekdays=WEEKDAYS,
        slots=((T(10), 60), (T(13), 90), (T(18, 30), 60)),
        newcomer=1.0,
        lead_days=(2, 8),
        urgency=((2, 2), (3, 1)),
        extra_domains=("digital",),
    ),
    Template(
        "uwv",
        3,
        orgs=(("uwv", 1),),
        kind="accompaniment",
        roles=("translator", "connector"),
        domains=("work",),
        chain_links=("execution", "completion"),
        titles=(
            "Mee naar kennismakingsgesprek met de werkcoach",
            "Uitleg over solliciteren en het cv",
            "Gesprek over werk naast de taalles",
        ),
        descriptions=(
            (
                "De werkcoach wil {name} beter leren kennen: opleiding, werkervaring en wensen. Graag iemand die "
                "helpt uitleggen wat er van beide kanten verwacht wordt."
            ),
        ),
        outcomes=(
            (
                "Werkcoach en {name} begrepen elkaar beter na uitleg over de opleiding in het land van herkomst. "
                "Diploma laten waarderen is de volgende stap."
            ),
            "Samen een eerste cv gemaakt. {name} wil in de zorg werken; uitgelegd wat een BBL-traject is.",
            "Afgesproken dat {name} twee dagen per week werkt en drie dagen naar de taalschool gaat.",
        ),
        follow_ups=("Diplomawaardering aanvragen.", "", "Werkcoach plant een vervolggesprek."),
        weekdays=WEEKDAYS,
        slots=((T(9, 30), 60), (T(11), 60), (T(14), 60)),
        newcomer=1.0,
        lead_days=(4, 12),
        extra_domains=("language", "finances"),
    ),
    Template(
        "parent_talk",
        3,
        orgs=(("school_regenboog", 2), ("school_vlinder", 1), ("school_kompas", 1)),
        kind="mediation",
        roles=("translator", "trust_builder"),
        domains=("education", "family"),
        chain_links=("execution",),
        titles=(
            "Oudergesprek over schoolverzuim",
            "Oudergesprek over de overgang naar het voortgezet onderwijs",
            "Gesprek met ouders over extra ondersteuning in de klas",
            "Oudergesprek over zwemles en schoolreisje",
        ),
        descriptions=(
            (
                "De leerkracht wil met de ouders praten, maar het vorige gesprek liep stroef. Graag iemand die "
                "vertaalt en helpt om vertrouwen op te bouwen."
            ),
        ),
        outcomes=(
            "Ouders wisten niet dat verlof vooraf moet worden aangevraagd. Afspraken gemaakt met de leerkracht.",
            (
                "Ouders schrokken van het advies; uitgelegd dat je later nog kunt doorstromen. Vertrouwen in de "
                "school hersteld."
            ),
            (
                "Gesprek ging over schaamte rond het woord 'speciaal onderwijs'. Ouders stemmen in met een "
                "onderzoek."
            ),
            "Ouders dachten dat zwemles niet nodig was; uitgelegd waarom het hier belangrijk is.",
        ),
        follow_ups=(
            "Intern begeleider plant een vervolggesprek.",
            "",
            "Leerkracht belt over twee weken.",
        ),
        weekdays=WEEKDAYS,
        slots=((T(15), 60), (T(15, 30), 60)),
        newcomer=1.0,
        lead_days=(3, 10),
        requires_vog=True,
        extra_domains=("health",),
    ),
    Template(
        "guest_lesson",
        3,
        orgs=(("taalschool", 1),),
        kind="group_session",
        roles=("role_model", "educator"),
        domains=("language", "work"),
        chain_links=("execution",),
        titles=(
            "Gastles in de inburgeringsklas: mijn weg naar werk",
            "Gastles: vrijwilligerswerk als opstap",
            "Gastles: hoe ik Nederlands leerde naast mijn gezin",
            "Gastles KNM: omgaan met instanties",
        ),
        descriptions=(
            (
                "Een groep inburgeraars op A2-niveau. We zoeken een sleutelpersoon die over de eigen weg vertelt "
                "en vragen beantwoordt."
            ),
        ),
        outcomes=(
            "Cursisten vroegen veel over erkenning van diploma's. Mijn eigen verhaal gaf hoop.",
            (
                "Gesproken over vrijwilligerswerk bij de voetbalclub en de kringloop. Vier cursisten willen een "
                "kijkje nemen."
            ),
            "Mooie les; cursisten oefenden Nederlands door vragen aan mij te stellen.",
            "Uitleg over brieven van instanties en waar je hulp kunt vragen.",
        ),
        follow_ups=(
            "",
            "Docent organiseert een bezoek aan het vrijwilligerspunt.",
            "Nieuwe gastles over drie maanden.",
        ),
        weekdays=(1, 2, 3),
        slots=((T(10), 120), (T(13, 30), 90)),
        languages=(("nl", 3), ("ti", 1), ("ar-syrian", 1)),
        participants=(10, 18),
        lead_days=(10, 21),
        urgency=((1, 1), (2, 2)),
    ),
    Template(
        "home_visit",
        2,
        orgs=(("gem_dtc", 2), ("gem_wsw", 1), ("gem_oij", 1), ("welfare", 1)),
        kind="mediation",
        roles=("trust_builder", "connector"),
        domains=("family", "education", "safety"),
        chain_links=("execution",),
        titles=(
            "Huisbezoek samen met de jeugdconsulent",
            "Huisbezoek bij gezin met zorgen over opvoeding",
            "Kennismaking wijkteam bij een gezin met veel vragen",
        ),
        descriptions=(
            (
                "Het wijkteam maakt zich zorgen en wil kennismaken. Het gezin is wantrouwig; een bekende uit de "
                "eigen gemeenschap kan helpen."
            ),
        ),
        outcomes=(
            (
                "Gezin was bang dat de kinderen zouden worden weggehaald. Uitgelegd wat het wijkteam doet; het "
                "gezin staat open voor hulp."
            ),
            "Gesprek ging vooral over stress en huisvesting. Wijkteam zoekt een opvoedcursus in de eigen taal.",
            "Goede kennismaking; vader wilde eerst niet praten, daarna wel. Vervolgafspraak gemaakt.",
        ),
        follow_ups=(
            "Wijkteam komt over twee weken terug.",
            "Gecertificeerde tolk aanvragen voor het volgende gesprek.",
            "",
        ),
        weekdays=WEEKDAYS,
        slots=((T(16), 90), (T(10), 90)),
        newcomer=1.0,
        lead_days=(2, 7),
        urgency=((2, 1), (3, 1)),
        requires_vog=True,
        interpreter=0.4,
        place="Bij het gezin thuis, {muni}",
        extra_domains=("health",),
    ),
    Template(
        "unburdening",
        2,
        orgs=(("gem_dtc", 2), ("gem_wsw", 1), ("gem_oij", 1)),
        kind="group_session",
        roles=("educator", "translator"),
        domains=("finances", "administration"),
        chain_links=("intake",),
        titles=(
            "Informatiebijeenkomst ontzorgen: wat betaalt de gemeente de eerste maanden?",
            "Voorlichting: zelf je vaste lasten betalen na ontzorgen",
            "Bijeenkomst over geldzaken voor nieuwe inwoners",
        ),
        descriptions=(
            (
                "Voor {group} inwoners die net in de gemeente wonen. Graag iemand die in {lang} uitlegt en "
                "vragen ophaalt."
            ),
        ),
        outcomes=(
            "Veel vragen over wat er gebeurt na zes maanden. Uitleg gegeven met een eenvoudig kasboekje.",
            (
                "Deelnemers wilden vooral weten hoe je een betalingsregeling treft. Contact gelegd met de "
                "budgetcoach."
            ),
            "Onduidelijkheid over de zorgtoeslag opgehelderd; gemeente past de uitleg aan.",
        ),
        follow_ups=(
            "Budgetcoach houdt spreekuur in het buurthuis.",
            "",
            "Gemeente maakt een overzicht in eenvoudige taal.",
        ),
        weekdays=MON_THU,
        slots=((T(14), 120), (T(19), 90)),
        languages=(("ti", 2), ("ar-syrian", 2), ("prs", 1), ("so", 1)),
        participants=(8, 20),
        lead_days=(10, 21),
    ),
    Template(
        "digid",
        2,
        orgs=(("welfare", 2), ("taalschool", 1), ("vwn", 1)),
        kind="group_session",
        roles=("educator", "translator"),
        domains=("digital", "administration"),
        chain_links=("execution",),
        titles=(
            "Workshop DigiD aanvragen en veilig gebruiken",
            "Digitaal spreekuur: inloggen bij de gemeente en de Belastingdienst",
            "Workshop: e-mail, wachtwoorden en nepberichten herkennen",
        ),
        descriptions=(
            "Kleine groep, eigen telefoon meenemen. Graag iemand die stap voor stap in {lang} uitlegt.",
        ),
        outcomes=(
            "Zes deelnemers hebben nu een DigiD met de app. Uitgelegd dat je je code nooit deelt.",
            "Veel deelnemers kregen nepberichten over pakketjes; samen geleerd ze te herkennen.",
            (
                "Niet iedereen had een telefoon met genoeg geheugen; dat lossen we volgende keer op met de "
                "bibliotheek."
            ),
        ),
        follow_ups=("Bibliotheek biedt een vervolgles aan.", ""),
        weekdays=WEEKDAYS,
        slots=((T(13, 30), 120),),
        languages=(("ti", 2), ("ar-syrian", 2), ("prs", 1), ("tr", 1), ("uk", 1)),
        participants=(5, 12),
        lead_days=(7, 18),
        place="Buurthuis, {muni}",
    ),
    Template(
        "baby_clinic",
        3,
        orgs=(("ggd", 1),),
        kind="accompaniment",
        roles=("connector", "trust_builder"),
        domains=("health", "family"),
        chain_links=("execution",),
        titles=(
            "Mee naar het consultatiebureau",
            "Uitleg over vaccinaties en het consultatiebureau",
            "Mee naar afspraak met de jeugdverpleegkundige",
        ),
        descriptions=(
            (
                "Moeder is onzeker over de afspraak. Een tolk is via de telefoon geregeld; graag een "
                "sleutelpersoon die meegaat voor vertrouwen en uitleg."
            ),
        ),
        outcomes=(
            (
                "Moeder was onzeker over de vaccinaties; uitgelegd waarom ze hier worden gegeven en dat ze "
                "gratis zijn."
            ),
            "Afspraak liep goed; de jeugdverpleegkundige sprak via de tolkentelefoon, ik legde de gewoonten uit.",
            "Moeder wist niet dat ze zelf afspraken kon verzetten; samen de website bekeken.",
        ),
        follow_ups=(
            "",
            "Volgende afspraak over drie maanden.",
            "Kind doorverwezen naar de fysiotherapeut.",
        ),
        weekdays=WEEKDAYS,
        slots=((T(9), 90), (T(10, 30), 60)),
        newcomer=1.0,
        lead_days=(3, 12),
        gender="f",
        interpreter=0.4,
        place="Consultatiebureau, {muni}",
    ),
    Template(
        "youth",
        2,
        orgs=(("welfare", 2), ("gem_dtc", 1)),
        kind="outreach",
        roles=("activator", "advisor", "trust_builder"),
        domains=("social", "health", "work"),
        chain_links=("execution",),
        titles=(
            "Gesprekken met {group} jongeren over eenzaamheid en toekomst",
            "Signalen ophalen: zorgen over jongeren in de wijk",
            "Sporten met {group} jongeren: kennismaken met de vereniging",
        ),
        descriptions=(
            (
                "We horen zorgen over jongeren die thuis zitten. Graag iemand die ze kent of kan bereiken en "
                "signalen ophaalt."
            ),
        ),
        outcomes=(
            (
                "Jongeren vertelden over verveling en weinig contact met Nederlandse leeftijdsgenoten. Signaal "
                "doorgegeven aan de gemeente."
            ),
            "Vier jongeren willen meedoen met de voetbalclub; kennismaking geregeld.",
            "Zorgen over gokken en schulden bij enkele jongeren. Besproken met het jongerenwerk.",
        ),
        follow_ups=(
            "Jongerenwerker sluit volgende keer aan.",
            "",
            "Signaal gaat naar de beleidsadviseur.",
        ),
        weekdays=(0, 1, 2, 3, 5),
        slots=((T(19), 120),),
        saturday_slot=(T(14), 120),
        languages=(("ti", 2), ("ar-syrian", 2), ("so", 1), ("prs", 1), ("tr", 1)),
        participants=(5, 20),
        lead_days=(7, 18),
        place="Buurthuis, {muni}",
    ),
    Template(
        "preschool",
        2,
        orgs=(("ggd", 1), ("school_regenboog", 1), ("school_kompas", 1)),
        kind="group_session",
        roles=("educator", "translator"),
        domains=("education", "family"),
        chain_links=("execution",),
        titles=(
            "Voorlichting voor ouders over peuteropvang en vve",
            "Koffieochtend voor {group} ouders van peuters",
        ),
        descriptions=(
            "Veel ouders kennen de peuteropvang niet of vinden het te duur. Graag uitleg in {lang}.",
        ),
        outcomes=(
            "Ouders wisten niet dat de peuteropvang met toeslag bijna gratis is. Drie kinderen aangemeld.",
            "Goede ochtend met veel vragen over tweetalig opvoeden: uitgelegd dat de moedertaal juist helpt.",
            "Ouders waren bang dat de peuteropvang de cultuur van thuis verdringt; open gesprek gehad.",
        ),
        follow_ups=(
            "",
            "Jeugdverpleegkundige neemt contact op met twee gezinnen.",
            "Vervolgochtend over voorlezen.",
        ),
        weekdays=WEEKDAYS,
        slots=((T(9), 90),),
        languages=(("tr", 2), ("ar-syrian", 2), ("ti", 2), ("so", 1)),
        participants=(5, 12),
        lead_days=(7, 18),
        place="",
    ),
    Template(
        "health_info",
        2,
        orgs=(("ggd", 2), ("coa", 1)),
        kind="group_session",
        roles=("educator", "translator", "connector"),
        domains=("health",),
        chain_links=("reception", "execution"),
        titles=(
            "Voorlichting: hoe werkt de zorg in Nederland?",
            "Voorlichting over de huisarts, de huisartsenpost en 112",
            "Voorlichting over mentale gezondheid en waar je hulp vindt",
        ),
        descriptions=(
            (
                "Voorlichting voor {group} nieuwkomers over de zorg. De GGD-verpleegkundige vertelt, de "
                "sleutelpersoon vertaalt en legt uit."
            ),
        ),
        outcomes=(
            (
                "Veel verbazing dat je niet direct naar de specialist gaat. Uitgelegd waarom de huisarts de "
                "poortwachter is."
            ),
            (
                "Gesprek over stress en slecht slapen; de schaamte om hulp te vragen is groot. Uitgelegd wat de "
                "praktijkondersteuner doet."
            ),
            "Deelnemers oefenden wanneer je 112 belt en wanneer de huisartsenpost.",
        ),
        follow_ups=(
            "GGD deelt de folder in vijf talen.",
            "",
            "Vervolgbijeenkomst over mentale gezondheid.",
        ),
        weekdays=(1, 2, 3),
        slots=((T(13, 30), 120),),
        languages=(("ti", 2), ("ar-syrian", 2), ("ar-yemeni", 1), ("prs", 1), ("so", 1)),
        participants=(8, 20),
        lead_days=(7, 18),
        extra_domains=("social",),
    ),
    Template(
        "broad_intake",
        3,
        orgs=(("gem_dtc", 2), ("gem_wsw", 1), ("gem_oij", 1)),
        kind="accompaniment",
        roles=("trust_builder", "connector", "translator"),
        domains=("language", "work", "health", "family"),
        chain_links=("intake",),
        titles=(
            "Mee naar de brede intake",
            "Voorbereiding op de brede intake",
            "Mee naar het gesprek over het PIP",
        ),
        descriptions=(
            (
                "Brede intake met {name}. Een gecertificeerde tolk is geregeld voor het gesprek; de "
                "sleutelpersoon is er voor vertrouwen en uitleg over wat er van {name} wordt verwacht."
            ),
            (
                "{name} is zenuwachtig voor het gesprek met de gemeente. Graag iemand die vooraf uitlegt wat er "
                "gaat gebeuren en meegaat."
            ),
        ),
        outcomes=(
            (
                "{name} durfde tijdens de intake te vertellen over de zorgen om familie in het land van "
                "herkomst. Klantmanager neemt dat mee in het PIP."
            ),
            "Uitgelegd wat de leerroutes zijn; {name} kiest voor de B1-route en wil daarna werken.",
            (
                "Gesprek duurde lang; de tolk vertaalde, ik hielp met uitleg over wat er van {name} wordt "
                "verwacht."
            ),
            "Samen de vragen van de intake doorgenomen zodat {name} weet wat er komt.",
        ),
        follow_ups=(
            "PIP wordt over twee weken besproken.",
            "",
            "Klantmanager vraagt een taaltoets aan.",
        ),
        weekdays=WEEKDAYS,
        slots=((T(9, 30), 120), (T(13, 30), 120)),
        newcomer=1.0,
        lead_days=(5, 14),
        interpreter=0.5,
        extra_domains=("housing", "finances"),
    ),
    Template(
        "cycling",
        1,
        orgs=(("welfare", 1),),
        kind="outreach",
        roles=("activator", "role_model"),
        domains=("social", "health"),
        chain_links=("execution",),
        titles=(
            "Fietsles voor vrouwen: deelnemers werven en begeleiden",
            "Fietsles voor vrouwen: eerste les op het schoolplein",
        ),
        descriptions=(
            (
                "Welzijn start een fietsles voor vrouwen. Graag een vrouw uit de eigen gemeenschap die werft en "
                "de eerste les meedoet."
            ),
        ),
        outcomes=(
            (
                "Acht vrouwen kwamen naar de eerste les. Enkele vrouwen hadden nog nooit gefietst; grote trots "
                "aan het einde."
            ),
            "Werving via de WhatsApp-groep en de taalschool; zes vrouwen doen mee.",
        ),
        follow_ups=("", "Welzijn zoekt tweedehands fietsen."),
        weekdays=(2, 5),
        slots=((T(10), 120),),
        saturday_slot=(T(10), 120),
        languages=(("ti", 2), ("ar-syrian", 1), ("prs", 2), ("so", 1)),
        participants=(4, 12),
        lead_days=(10, 21),
        gender="f",
        place="Schoolplein, {muni}",
    ),
]


@dataclass(frozen=True)
class Scripted:
    """A hand-placed request so the demo key person has work waiting in every state.

    `day` counts from today; `offer_days_ago` is when the coordinator offered it (None: the
    normal flow); `state` says how far it gets: offered (no answer yet), accepted (no report
    yet), returned (report sent back, not yet corrected).
    """

    template: str
    org: str
    title: str
    day: int
    start: dt.time
    minutes: int
    state: str
    newcomer: bool = False
    participants: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


SCRIPTED: list[Scripted] = [
    Scripted(
        "parent_evening",
        "school_regenboog",
        "Ouderavond groep 5-6 voor Eritrese ouders: rapport en tienminutengesprekken",
        -19,
        T(19),
        120,
        "returned",
        participants=12,
    ),
    Scripted(
        "parent_evening",
        "school_regenboog",
        "Ouderavond voor Eritrese ouders: hoe werkt de basisschool?",
        -5,
        T(19),
        120,
        "accepted",
        participants=14,
    ),
    Scripted(
        "gp_registration",
        "vwn",
        "Mee naar inschrijving bij de huisarts",
        -3,
        T(10),
        90,
        "accepted",
        newcomer=True,
    ),
    Scripted(
        "broad_intake",
        "gem_dtc",
        "Mee naar de brede intake",
        3,
        T(9, 30),
        120,
        "accepted",
        newcomer=True,
    ),
    Scripted(
        "parent_evening",
        "school_regenboog",
        "Informatieavond groep 8 voor Eritrese ouders: schooladvies en doorstroomtoets",
        2,
        T(19),
        120,
        "offered",
        participants=10,
    ),
    Scripted(
        "azc_info",
        "coa",
        "Voorlichting in het azc: wonen en leven in Doetinchem",
        5,
        T(14),
        120,
        "offered",
        participants=18,
    ),
    Scripted(
        "housing",
        "vwn",
        "Sleuteloverdracht en uitleg huurcontract",
        8,
        T(10),
        90,
        "offered",
        newcomer=True,
    ),
]
