"""The contract's schemas: valid JSON Schemas, and the committed copies are the shared ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "matching"
PACKAGE = ROOT / "src" / "sleutelnet" / "matching"
SHARED = ROOT.parent / "shared" / "matching"
SCHEMAS = ("instance.schema.json", "plan.schema.json")


@pytest.mark.parametrize("name", SCHEMAS)
def test_committed_schemas_are_valid_json_schemas(name: str) -> None:
    for folder in (DOCS, PACKAGE):
        schema = json.loads((folder / name).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMAS)
def test_package_copy_is_the_docs_copy(name: str) -> None:
    docs = json.loads((DOCS / name).read_text(encoding="utf-8"))
    assert json.loads((PACKAGE / name).read_text(encoding="utf-8")) == docs


@pytest.mark.parametrize("name", [*SCHEMAS, "README.md"])
def test_docs_copies_match_the_shared_contract(name: str) -> None:
    if not SHARED.is_dir():
        pytest.skip("no shared/matching beside the repository")
    ours, theirs = (
        (DOCS / name).read_text(encoding="utf-8"),
        (SHARED / name).read_text(encoding="utf-8"),
    )
    if name.endswith(".json"):
        assert json.loads(ours) == json.loads(theirs)
    else:
        assert ours == theirs


def test_generated_instances_follow_the_schema() -> None:
    from sleutelnet.matching.generate import generate

    validator = Draft202012Validator(
        json.loads((DOCS / "instance.schema.json").read_text(encoding="utf-8"))
    )
    for seed in range(3):
        validator.validate(generate(key_persons=20, requests=30, seed=seed))
