"""Hand translations to translators and take them back, without hand-editing .po files.

    .venv/bin/python scripts/po_tool.py export ar /tmp/ar.json   # untranslated entries as JSON
    .venv/bin/python scripts/po_tool.py merge ar /tmp/ar.json /tmp/ar.out.json [--machine]
    .venv/bin/python scripts/po_tool.py status

`export` writes a list of {"key", "msgctxt", "msgid", "msgid_plural", "nl", "nplurals", "where"}.
`merge` reads the exported list and the answers {"key": "translation"} or {"key": ["form 0", "form 1", ...]} for plurals, refuses a
translation whose placeholders or tags differ from the source, and with --machine marks each
entry as a machine translation (translator comment) so that native speakers find them.
Run `make messages` afterwards to compile.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sleutelnet.conf.settings")

import django  # noqa: E402

django.setup()

import polib  # noqa: E402

from sleutelnet.web import translations  # noqa: E402


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt or ''}\x04{entry.msgid}"


def _nplurals(catalogue: polib.POFile) -> int:
    header = catalogue.metadata.get("Plural-Forms", "nplurals=2;")
    return int(header.split("nplurals=")[1].split(";")[0])


def export(code: str, out: str) -> None:
    catalogue = polib.pofile(str(translations.po_path(code)))
    dutch = {_key(e): e for e in polib.pofile(str(translations.po_path("nl")))}
    rows = []
    for number, entry in enumerate(catalogue):
        if entry.obsolete or (translations.is_done(entry) and "fuzzy" not in entry.flags):
            continue
        nl = dutch.get(_key(entry))
        rows.append(
            {
                "key": str(number),
                "msgctxt": entry.msgctxt,
                "msgid": entry.msgid,
                "msgid_plural": entry.msgid_plural or None,
                "nl": (nl.msgstr_plural if nl and entry.msgid_plural else (nl.msgstr if nl else "")),
                "nplurals": _nplurals(catalogue) if entry.msgid_plural else 1,
                "where": entry.occurrences[0][0] if entry.occurrences else "",
            }
        )
    Path(out).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(rows)} entries to translate written to {out}")


def merge(code: str, exported: str, source: str, *, machine: bool) -> int:
    """Keys point into the exported list, which names each entry by context and text, so a
    catalogue that gained entries since the export still gets each answer in the right place."""
    path = translations.po_path(code)
    catalogue = polib.pofile(str(path))
    by_text = {_key(e): e for e in catalogue if not e.obsolete}
    asked = {row["key"]: f"{row['msgctxt'] or ''}\x04{row['msgid']}" for row in json.loads(Path(exported).read_text(encoding="utf-8"))}
    answers: dict[str, object] = json.loads(Path(source).read_text(encoding="utf-8"))
    problems, merged = [], 0
    for key, value in answers.items():
        entry = by_text.get(asked.get(key, ""))
        if entry is None:
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = {i: str(text) for i, text in enumerate(forms)}
        else:
            entry.msgstr = str(value[0] if isinstance(value, list) else value)
        problem = translations.placeholder_problem(entry)
        if problem:
            problems.append(problem)
            entry.msgstr, entry.msgstr_plural = "", ({i: "" for i in entry.msgstr_plural} if entry.msgid_plural else {})
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if machine and not translations.is_machine(entry):
            entry.tcomment = "\n".join(filter(None, [entry.tcomment, translations.MACHINE_MARK]))
        merged += 1
    catalogue.save(str(path))
    print(f"{merged} entries merged into {path}")
    for problem in problems:
        print(f"refused (placeholders differ): {problem}", file=sys.stderr)
    return 1 if problems else 0


def show_status() -> None:
    for s in translations.all_statuses():
        print(f"{s.code:3} {s.translated:5}/{s.total} translated, {s.machine} machine-made, {s.reviewed} reviewed")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "export":
        export(sys.argv[2], sys.argv[3])
    elif command == "merge":
        sys.exit(merge(sys.argv[2], sys.argv[3], sys.argv[4], machine="--machine" in sys.argv))
    elif command == "status":
        show_status()
    else:
        print(__doc__)
        sys.exit(2)
