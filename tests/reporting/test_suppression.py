"""Small-count suppression: hand-built tables with known answers, and properties on random tables.

The checks do not reuse the module's graph: a hidden value counts as recoverable when linear
algebra over the rationals (every line's equation, all published figures known) pins it down.
Property tests are derandomized and keep no example database, like the engine's (see
tests/matching/conftest.py): the same examples on every run and no .hypothesis/ folder.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sleutelnet.reporting.suppression import (
    SUPPRESSED,
    Suppressed,
    SuppressedTable,
    is_small,
    suppress_table,
    suppress_vector,
)

Position = tuple[int, int]
Line = tuple[list[Position], Position]
Case = tuple[list[list[int]], int, bool, bool]  # cells, threshold, row totals, column totals

S5 = Suppressed(5)


# --- an independent view of the extended grid ---------------------------------------------------


def truth(cells: list[list[int]], row_totals: bool, column_totals: bool) -> dict[Position, int]:
    """Every position of the extended grid with its true value."""
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    values = {(i, j): v for i, row in enumerate(cells) for j, v in enumerate(row)}
    if row_totals:
        values |= {(i, n_cols): sum(row) for i, row in enumerate(cells)}
    if column_totals:
        values |= {(n_rows, j): sum(row[j] for row in cells) for j in range(n_cols)}
    if row_totals and column_totals:
        values[(n_rows, n_cols)] = sum(map(sum, cells))
    return values


def shown(table: SuppressedTable, n_rows: int, n_cols: int) -> dict[Position, int | Suppressed]:
    """Every position of the extended grid as the table shows it."""
    values = {(i, j): v for i, row in enumerate(table.cells) for j, v in enumerate(row)}
    if table.row_totals is not None:
        values |= {(i, n_cols): v for i, v in enumerate(table.row_totals)}
    if table.column_totals is not None:
        values |= {(n_rows, j): v for j, v in enumerate(table.column_totals)}
    if table.grand_total is not None:
        values[(n_rows, n_cols)] = table.grand_total
    return values


def lines(n_rows: int, n_cols: int, row_totals: bool, column_totals: bool) -> list[Line]:
    """The equations "members add up to total": rows (totals row included), then columns."""
    height = n_rows + column_totals
    width = n_cols + row_totals
    found: list[Line] = []
    if row_totals:
        found += [([(i, j) for j in range(n_cols)], (i, n_cols)) for i in range(height)]
    if column_totals:
        found += [([(i, j) for i in range(n_rows)], (n_rows, j)) for j in range(width)]
    return found


def hidden(values: dict[Position, int | Suppressed]) -> set[Position]:
    return {p for p, v in values.items() if isinstance(v, Suppressed)}


def derivable_from_one_line(
    values: dict[Position, int | Suppressed], all_lines: list[Line]
) -> set[Position]:
    """Hidden positions that one line gives away: total minus the published members, or the sum
    of the members when only the total is hidden."""
    found: set[Position] = set()
    for members, total in all_lines:
        unknown = [p for p in [*members, total] if isinstance(values[p], Suppressed)]
        if len(unknown) == 1:
            found.add(unknown[0])
    return found


def determinable(unknown: set[Position], all_lines: list[Line]) -> set[Position]:
    """Hidden positions fixed by any combination of the lines: those whose unit vector lies in
    the row space of the equations restricted to the unknowns (an RREF row with one entry)."""
    order = sorted(unknown)
    column = {p: k for k, p in enumerate(order)}
    matrix: list[list[Fraction]] = []
    for members, total in all_lines:
        row = [Fraction(0)] * len(order)
        for p in members:
            if p in column:
                row[column[p]] = Fraction(1)
        if total in column:
            row[column[total]] = Fraction(-1)
        if any(row):
            matrix.append(row)
    rank = 0
    for c in range(len(order)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][c] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][c]
        matrix[rank] = [x / lead for x in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][c] != 0:
                factor = matrix[r][c]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    found: set[Position] = set()
    for row in matrix[:rank]:
        nonzero = [k for k, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            found.add(order[nonzero[0]])
    return found


# --- the marker and is_small ---------------------------------------------------------------------


def test_marker_shows_the_threshold() -> None:
    assert str(Suppressed(5)) == "<5"
    assert str(Suppressed(10)) == "<10"
    assert SUPPRESSED == Suppressed(5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        SUPPRESSED.threshold = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "threshold", "expected"),
    [
        (0, 5, False),  # zero points to no one
        (None, 5, False),
        (1, 5, True),
        (4, 5, True),
        (5, 5, False),
        (6, 5, False),
        (-1, 5, False),
        (1, 2, True),
        (2, 2, False),
        (9, 10, True),
        (Decimal("4.5"), 5, True),
        (Decimal("0"), 5, False),
        (Decimal("5.0"), 5, False),
    ],
)
def test_is_small(value: int | Decimal | None, threshold: int, expected: bool) -> None:
    assert is_small(value, threshold) is expected


# --- hand-built tables ---------------------------------------------------------------------------


def test_one_small_cell_in_a_two_by_two() -> None:
    # (0,0) is small. Row 0 would give it back as 13 - 10 and column 0 as 15 - 12, so 10 and 12
    # are hidden too; then column 1 would give 10 back as 30 - 20, so 20 goes as well.
    table = suppress_table([[3, 10], [12, 20]], threshold=5)
    assert table.primary == {(0, 0)}
    assert table.suppressed == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert table.secondary == {(0, 1), (1, 0), (1, 1)}
    assert table.cells == [[S5, S5], [S5, S5]]
    assert table.row_totals == [13, 32]
    assert table.column_totals == [15, 30]
    assert table.grand_total == 45


def test_without_secondary_suppression_the_small_cell_follows_by_subtraction() -> None:
    cells = [[3, 10], [12, 20]]
    table = suppress_table(cells, threshold=5)
    # What primary suppression alone would publish, and what it gives away.
    primary_only = {
        p: (S5 if p in table.primary else v) for p, v in truth(cells, True, True).items()
    }
    assert primary_only[(0, 2)] - primary_only[(0, 1)] == 3  # type: ignore[operator]
    assert derivable_from_one_line(primary_only, lines(2, 2, True, True)) == {(0, 0)}
    # The real result gives nothing away.
    assert isinstance(table.cells[0][1], Suppressed)
    assert isinstance(table.cells[1][0], Suppressed)
    assert derivable_from_one_line(shown(table, 2, 2), lines(2, 2, True, True)) == set()


def test_smallest_neighbour_is_hidden_ties_go_to_the_lowest_index() -> None:
    assert suppress_vector([3, 12, 10], threshold=5) == ([S5, 12, S5], 25)
    assert suppress_vector([3, 10, 10], threshold=5) == ([S5, S5, 10], 23)
    assert suppress_vector([10, 3, 10], threshold=5) == ([S5, S5, 10], 23)


def test_two_small_cells_protect_each_other() -> None:
    assert suppress_vector([3, 4, 10], threshold=5) == ([S5, S5, 10], 17)


def test_zero_is_never_hidden_and_a_small_total_is() -> None:
    # 3 is small and so is its total; the zero is shown even though it is the only neighbour.
    assert suppress_vector([3, 0], threshold=5) == ([S5, 0], S5)
    table = suppress_table([[0, 3], [0, 3]], threshold=5)
    assert table.cells == [[0, S5], [0, S5]]
    assert table.row_totals == [S5, S5]
    assert table.column_totals == [0, 6]
    assert table.grand_total == 6
    assert table.secondary == set()


def test_a_line_with_only_zeros_left_hides_its_total() -> None:
    # 3 is small; row 0 then hides 10, column 0 hides 7. Column 1 has nothing but a zero left,
    # so its total goes, and so does row 1's; the totals row and the totals column need a
    # second hidden figure each (10 and 13). Only the zero and the grand total remain.
    table = suppress_table([[3, 10], [7, 0]], threshold=5)
    assert table.primary == {(0, 0)}
    assert table.cells == [[S5, S5], [S5, 0]]
    assert table.row_totals == [S5, S5]
    assert table.column_totals == [S5, S5]
    assert table.grand_total == 20
    assert determinable(table.suppressed, lines(2, 2, True, True)) == set()


def test_a_small_row_total_is_protected_within_the_column_of_totals() -> None:
    # Row 0's total (4) is small; the column of row totals adds up to the grand total, so
    # another row total must go as well: the smallest other one (12 over 30).
    table = suppress_table([[2, 2], [6, 6], [15, 15]], threshold=5)
    assert table.row_totals == [S5, S5, 30]
    assert table.grand_total == 46
    assert determinable(table.suppressed, lines(3, 2, True, True)) == set()


def test_two_hidden_per_line_is_not_enough_when_lines_combine() -> None:
    # Two blocks of small cells joined by one small cell, (1,2). Every line has 0 or at least
    # 2 hidden cells, yet rows 0+1 minus columns 0+1 isolate (1,2).
    cells = [
        [1, 1, 50, 50],
        [1, 1, 2, 50],
        [50, 50, 1, 1],
        [50, 50, 1, 1],
    ]
    all_lines = lines(4, 4, True, True)
    values = truth(cells, True, True)
    primary = {p for p, v in values.items() if 0 < v < 5}
    assert not any(sum(p in primary for p in [*m, t]) == 1 for m, t in all_lines)
    r0, r1, c0, c1 = values[(0, 4)], values[(1, 4)], values[(4, 0)], values[(4, 1)]
    outside = 50 + 50 + 50  # rows 0-1 outside columns 0-1, all published
    below = 4 * 50  # columns 0-1 outside rows 0-1, all published
    assert r0 + r1 - c0 - c1 - outside + below == 2 == cells[1][2]
    assert determinable(primary, all_lines) == {(1, 2)}

    table = suppress_table(cells, threshold=5)
    assert table.primary == primary
    assert table.secondary == {(0, 2)}  # closes a cycle through (1,2) at the least cost (50)
    assert determinable(table.suppressed, all_lines) == set()


def test_without_totals_only_small_cells_are_hidden() -> None:
    table = suppress_table([[3, 10], [12, 20]], threshold=5, row_totals=False, column_totals=False)
    assert table.cells == [[S5, 10], [12, 20]]
    assert (table.row_totals, table.column_totals, table.grand_total) == (None, None, None)
    assert suppress_vector([3, 10], threshold=5, total=False) == ([S5, 10], None)


def test_row_totals_only() -> None:
    table = suppress_table([[3, 10], [12, 20]], threshold=5, column_totals=False)
    assert table.cells == [[S5, S5], [12, 20]]
    assert table.row_totals == [13, 32]
    assert table.column_totals is None and table.grand_total is None


def test_column_totals_only() -> None:
    table = suppress_table([[3, 10], [12, 20]], threshold=5, row_totals=False)
    assert table.cells == [[S5, 10], [S5, 20]]
    assert table.column_totals == [15, 30]
    assert table.row_totals is None and table.grand_total is None


def test_the_marker_carries_the_regions_threshold() -> None:
    cells, total = suppress_vector([7, 12], threshold=10)
    assert cells == [Suppressed(10), Suppressed(10)]
    assert [str(c) for c in cells] == ["<10", "x"]  # 12 is hidden only to protect the 7
    assert total == 19


def test_empty_tables() -> None:
    assert suppress_table([], threshold=5) == SuppressedTable([], [], [], 0, set(), set())
    assert suppress_table([[], []], threshold=5) == SuppressedTable(
        [[], []], [0, 0], [], 0, set(), set()
    )
    assert suppress_vector([], threshold=5) == ([], 0)


@pytest.mark.parametrize(
    ("cells", "threshold", "error"),
    [
        ([[1, 2], [3]], 5, ValueError),
        ([[1, -2]], 5, ValueError),
        ([[1, 2]], 0, ValueError),
        ([[1, 2]], True, TypeError),
        ([[1, 2.0]], 5, TypeError),
        ([[1, True]], 5, TypeError),
        ([[1, Decimal(2)]], 5, TypeError),
    ],
)
def test_bad_input_is_refused(
    cells: list[list[int]], threshold: int, error: type[Exception]
) -> None:
    with pytest.raises(error):
        suppress_table(cells, threshold=threshold)


# --- properties ------------------------------------------------------------------------------------

COUNTS = st.one_of(st.integers(0, 12), st.integers(0, 300))
THRESHOLDS = st.integers(2, 10)


@st.composite
def tables(draw: st.DrawFn) -> Case:
    n_rows = draw(st.integers(0, 5))
    n_cols = draw(st.integers(0, 5))
    row = st.lists(COUNTS, min_size=n_cols, max_size=n_cols)
    cells = draw(st.lists(row, min_size=n_rows, max_size=n_rows))
    return cells, draw(THRESHOLDS), draw(st.booleans()), draw(st.booleans())


PROPERTY = settings(max_examples=300, deadline=None, database=None, derandomize=True)


@PROPERTY
@given(tables())
def test_published_figures_are_true_and_small_ones_hidden(case: Case) -> None:
    cells, threshold, row_totals, column_totals = case
    table = suppress_table(
        cells, threshold=threshold, row_totals=row_totals, column_totals=column_totals
    )
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    true = truth(cells, row_totals, column_totals)
    values = shown(table, n_rows, n_cols)
    assert values.keys() == true.keys()
    assert hidden(values) == table.suppressed
    assert table.primary == {p for p, v in true.items() if 0 < v < threshold}
    assert table.primary <= table.suppressed
    for p, v in values.items():
        if isinstance(v, Suppressed):
            assert v == Suppressed(threshold)
            assert str(v) == (f"<{threshold}" if p in table.primary else "x")
            assert true[p] != 0  # zero is never hidden
            assert p in table.primary or true[p] >= threshold
        else:
            assert v == true[p]
    if not row_totals and not column_totals:
        assert table.suppressed == table.primary  # nothing to subtract from


@PROPERTY
@given(tables())
def test_no_line_gives_a_hidden_figure_away(case: Case) -> None:
    cells, threshold, row_totals, column_totals = case
    table = suppress_table(
        cells, threshold=threshold, row_totals=row_totals, column_totals=column_totals
    )
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    values = shown(table, n_rows, n_cols)
    all_lines = lines(n_rows, n_cols, row_totals, column_totals)
    for members, total in all_lines:
        if not isinstance(values[total], Suppressed):
            assert sum(isinstance(values[p], Suppressed) for p in members) != 1
    assert derivable_from_one_line(values, all_lines) == set()


@PROPERTY
@given(tables())
def test_no_combination_of_lines_gives_a_hidden_figure_away(case: Case) -> None:
    cells, threshold, row_totals, column_totals = case
    table = suppress_table(
        cells, threshold=threshold, row_totals=row_totals, column_totals=column_totals
    )
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    assert determinable(table.suppressed, lines(n_rows, n_cols, row_totals, column_totals)) == set()


@PROPERTY
@given(tables())
def test_nothing_is_hidden_without_a_small_figure(case: Case) -> None:
    cells, threshold, row_totals, column_totals = case
    table = suppress_table(
        cells, threshold=threshold, row_totals=row_totals, column_totals=column_totals
    )
    if not table.primary:
        assert table.suppressed == set()


@PROPERTY
@given(tables())
def test_same_input_same_output_and_input_untouched(case: Case) -> None:
    cells, threshold, row_totals, column_totals = case
    copy = [list(row) for row in cells]
    first = suppress_table(
        cells, threshold=threshold, row_totals=row_totals, column_totals=column_totals
    )
    again = suppress_table(
        copy, threshold=threshold, row_totals=row_totals, column_totals=column_totals
    )
    assert first == again
    assert cells == copy


@PROPERTY
@given(st.lists(COUNTS, max_size=10), THRESHOLDS, st.booleans())
def test_vector(values: list[int], threshold: int, with_total: bool) -> None:
    shown_values, total = suppress_vector(values, threshold=threshold, total=with_total)
    true_total = sum(values)
    assert len(shown_values) == len(values)
    for v, true in zip(shown_values, values, strict=True):
        if isinstance(v, Suppressed):
            assert str(v) == (f"<{threshold}" if 0 < true < threshold else "x")
            assert true != 0
        else:
            assert v == true
        if 0 < true < threshold:
            assert isinstance(v, Suppressed)
    n_hidden = sum(isinstance(v, Suppressed) for v in shown_values)
    if not with_total:
        assert total is None
        assert n_hidden == sum(0 < v < threshold for v in values)
        return
    if isinstance(total, Suppressed):
        assert 0 < true_total
        n_hidden += 1
    else:
        assert total == true_total
        # no hidden value is the total minus the published ones
        assert n_hidden != 1
    if 0 < true_total < threshold:
        assert isinstance(total, Suppressed)
    assert n_hidden != 1  # nor the total the sum of published values
    if n_hidden == 0:
        assert shown_values == values


def test_secondary_cells_read_x_not_a_false_small_count() -> None:
    """A cell hidden only to protect a small one is usually large: it shows "x", not "<5"."""
    table = suppress_table([[3, 10], [12, 20]], threshold=5)
    assert str(table.cells[0][0]) == "<5"
    assert {str(table.cells[0][1]), str(table.cells[1][0]), str(table.cells[1][1])} == {"x"}
    assert table.secondary == {(0, 1), (1, 0), (1, 1)}
