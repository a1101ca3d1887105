"""docs/permissions.md says what the code enforces: it is generated from the matrix."""

from sleutelnet.core.matrix_doc import default_path, render


def test_the_committed_permission_matrix_is_current() -> None:
    committed = default_path().read_text(encoding="utf-8")
    assert committed == render(), "docs/permissions.md is stale: run `sleutelnet permissions_matrix`."
