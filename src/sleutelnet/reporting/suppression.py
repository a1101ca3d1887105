"""Statistical disclosure control for the counts a policy officer or an export sees.

The reports are about refugees in small municipalities: a count of 1 to threshold-1 (the
threshold is set per region, 5 by default) can point to a person, so it is shown as "<5"
(primary suppression). Hiding it is not enough when the table shows totals: a row total minus
the other published cells gives the hidden cell back. So more cells are hidden (secondary
suppression) until no hidden value can be worked out from what is published.

Pure Python, no Django: the dashboard, the exports and the tests call the same functions.

The model. A table with its totals is an "extended" grid: cell (i, j); row i's total at
(i, n_cols); column j's total at (n_rows, j); the grand total at (n_rows, n_cols). Every row
of the extended grid (the totals row too) is an equation "members add up to the total" when row
totals are shown, every column when column totals are shown. A suppressed total is an unknown
like a suppressed cell: the column of row totals adds up to the grand total, so it is a line
like any other.

The rules, applied to a fixed point:

1. Primary: every position (cell or total) with 0 < value < threshold.
2. Lines: a line with exactly one hidden position gives it away by subtraction (or, when that
   one is the total, by addition). Hide the line's smallest published non-zero member as well
   (ties: the lowest index); when there is none, hide the line's total.
3. Combinations: two or more hidden positions per line is not always enough. Adding and
   subtracting several lines can isolate a hidden value (two blocks of hidden cells joined by
   one hidden cell, for instance). In graph terms (rows and columns are nodes, hidden
   positions are edges, lines without a published equation merge into one free node) a hidden
   value can be worked out exactly when its edge is a bridge. Each bridge gets the cheapest
   path of published non-zero positions (least total value, then fewest positions) that closes
   a cycle through it.

Zero is never suppressed: it does not point to a person, hiding zeros would hide most of a
sparse table, and a hidden zero protects nothing (its neighbours' bounds stay as they are).
Every hidden position is therefore at least 1, so every hidden value can move by at least one
in both directions while all published figures stay true: no hidden value is exact, not even
with the knowledge that counts are non-negative integers.

Known limits: the protection is per table. Two tables that share cells or totals (a period and
its sub-period, the same figures per municipality and per role) can still be subtracted from
each other, and the interval an attacker can derive for a hidden value may be narrow (at least
plus or minus one); a protection interval as in tau-ARGUS is not enforced.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

DEFAULT_THRESHOLD: Final = 5

Position = tuple[int, int]


@dataclass(frozen=True)
class Suppressed:
    """A hidden count. It carries only the threshold, so that a primary and a secondary
    suppression look the same (telling them apart would say which cells are small)."""

    threshold: int

    def __str__(self) -> str:
        return f"<{self.threshold}"

    def __eq__(self, other: object) -> bool:
        # Hidden is hidden: a secondary cell equals a primary one of the same threshold.
        return isinstance(other, Suppressed) and other.threshold == self.threshold

    def __hash__(self) -> int:
        return hash(("suppressed", self.threshold))


@dataclass(frozen=True, eq=False)
class Secondary(Suppressed):
    """A count hidden only so that a small one cannot be worked out from a total.

    It shows as "x", not "<5": it is usually not small, and saying so would be false.
    """

    def __str__(self) -> str:
        return "x"


SUPPRESSED: Final = Suppressed(DEFAULT_THRESHOLD)
"""The marker for the default threshold; test with `isinstance(value, Suppressed)`."""


def is_small(value: int | Decimal | None, threshold: int) -> bool:
    """Whether `value` must be hidden: 0 < value < threshold.

    Zero is never small: "nobody" points to no one, and hiding zeros would blank out sparse
    tables without protecting anyone. None (no figure) is not small either.
    """
    if value is None:
        return False
    return 0 < value < threshold


@dataclass(frozen=True)
class SuppressedTable:
    """A table as it may be shown: hidden positions are `Suppressed`, the rest are true values.

    `suppressed` and `primary` use the extended grid's positions: (i, j) is a cell,
    (i, n_cols) row i's total, (n_rows, j) column j's total, (n_rows, n_cols) the grand total
    (present only when both row and column totals are shown).
    """

    cells: list[list[int | Suppressed]]
    row_totals: list[int | Suppressed] | None
    column_totals: list[int | Suppressed] | None
    grand_total: int | Suppressed | None
    suppressed: set[Position]
    primary: set[Position]

    @property
    def secondary(self) -> set[Position]:
        """Positions hidden only to protect the primary ones."""
        return self.suppressed - self.primary


def suppress_table(
    cells: list[list[int]], *, threshold: int, row_totals: bool = True, column_totals: bool = True
) -> SuppressedTable:
    """Hide small counts in `cells` and enough others that no hidden value can be worked out.

    Totals are sums of the true cells; a small total is itself hidden. The grand total is
    shown only with both row and column totals (it is the total of both margins).
    """
    _check_threshold(threshold)
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    for row in cells:
        if len(row) != n_cols:
            raise ValueError("every row must have the same number of cells")
        for value in row:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"counts must be int, not {type(value).__name__}")
            if value < 0:
                raise ValueError("counts cannot be negative")

    grid = _Grid(cells, row_totals=row_totals, column_totals=column_totals)
    primary = {p for p, value in grid.values.items() if is_small(value, threshold)}
    suppressed = set(primary)
    while True:
        grid.fix_lines(suppressed)
        bridge = grid.first_bridge(suppressed)
        if bridge is None:
            break
        suppressed |= grid.cheapest_cycle(bridge, suppressed)

    marker, secondary = Suppressed(threshold), Secondary(threshold)

    def shown(position: Position) -> int | Suppressed:
        if position not in suppressed:
            return grid.values[position]
        return marker if position in primary else secondary

    return SuppressedTable(
        cells=[[shown((i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown((i, n_cols)) for i in range(n_rows)] if row_totals else None,
        column_totals=[shown((n_rows, j)) for j in range(n_cols)] if column_totals else None,
        grand_total=shown((n_rows, n_cols)) if row_totals and column_totals else None,
        suppressed=suppressed,
        primary=primary,
    )


def suppress_vector(
    values: list[int], *, threshold: int, total: bool = True
) -> tuple[list[int | Suppressed], int | Suppressed | None]:
    """One row of counts with (optionally) its total: the same rules as one line of a table."""
    table = suppress_table(
        [list(values)], threshold=threshold, row_totals=total, column_totals=False
    )
    return table.cells[0], (table.row_totals[0] if table.row_totals is not None else None)


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise TypeError("threshold must be an int")
    if threshold < 1:
        raise ValueError("threshold must be at least 1")


class _Grid:
    """The extended grid (cells plus totals), its lines and its graph of hidden positions."""

    def __init__(self, cells: list[list[int]], *, row_totals: bool, column_totals: bool) -> None:
        n_rows = len(cells)
        n_cols = len(cells[0]) if cells else 0
        self.values: dict[Position, int] = {
            (i, j): value for i, row in enumerate(cells) for j, value in enumerate(row)
        }
        if row_totals:
            for i, row in enumerate(cells):
                self.values[(i, n_cols)] = sum(row)
        if column_totals:
            for j in range(n_cols):
                self.values[(n_rows, j)] = sum(row[j] for row in cells)
        if row_totals and column_totals:
            self.values[(n_rows, n_cols)] = sum(map(sum, cells))
        self.height = n_rows + (1 if column_totals else 0)
        self.width = n_cols + (1 if row_totals else 0)
        self.row_totals = row_totals
        self.column_totals = column_totals

        # A line: its members (in index order, for the tie-break) and its total.
        self.lines: list[tuple[list[Position], Position]] = []
        if row_totals:
            for i in range(self.height):
                self.lines.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
        if column_totals:
            for j in range(self.width):
                self.lines.append(([(i, j) for i in range(n_rows)], (n_rows, j)))

        # Graph nodes: rows 0..height-1, columns after them; lines without an equation
        # (no totals in that direction) all merge into one free node.
        self.free = self.height + self.width

    def fix_lines(self, suppressed: set[Position]) -> None:
        """Rule 2 to a fixed point, in a fixed order (rows, then columns) so results repeat."""
        changed = True
        while changed:
            changed = False
            for members, total in self.lines:
                hidden = sum(1 for p in members if p in suppressed) + (total in suppressed)
                if hidden != 1:
                    continue
                candidates = [p for p in members if p not in suppressed and self.values[p] != 0]
                if candidates:
                    pick = min(candidates, key=self.values.__getitem__)  # first of equals
                elif total not in suppressed:
                    pick = total
                else:  # a hidden total is at least 1, so some member is non-zero
                    raise RuntimeError("a hidden total with only zero members")
                suppressed.add(pick)
                changed = True

    def _ends(self, position: Position) -> tuple[int, int]:
        i, j = position
        row = i if self.row_totals else self.free
        column = self.height + j if self.column_totals else self.free
        return row, column

    def first_bridge(self, suppressed: set[Position]) -> Position | None:
        """Rule 3's test: the first hidden position that is a bridge (Tarjan, iterative, with
        edge ids so that two hidden cells between the same nodes count as a cycle)."""
        edges = [(p, *self._ends(p)) for p in sorted(suppressed)]
        adjacent: list[list[tuple[int, int]]] = [[] for _ in range(self.free + 1)]
        for k, (_, a, b) in enumerate(edges):
            if a != b:  # a loop at the free node is never a bridge
                adjacent[a].append((b, k))
                adjacent[b].append((a, k))
        discovered = [-1] * len(adjacent)
        low = [0] * len(adjacent)
        clock = 0
        bridges: list[int] = []
        for root in range(len(adjacent)):
            if discovered[root] != -1 or not adjacent[root]:
                continue
            discovered[root] = low[root] = clock
            clock += 1
            stack = [(root, -1, iter(adjacent[root]))]
            while stack:
                node, via, neighbours = stack[-1]
                descended = False
                for nxt, k in neighbours:
                    if k == via:
                        continue
                    if discovered[nxt] == -1:
                        discovered[nxt] = low[nxt] = clock
                        clock += 1
                        stack.append((nxt, k, iter(adjacent[nxt])))
                        descended = True
                        break
                    low[node] = min(low[node], discovered[nxt])
                if descended:
                    continue
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > discovered[parent]:
                        bridges.append(via)
        return edges[min(bridges)][0] if bridges else None

    def cheapest_cycle(self, bridge: Position, suppressed: set[Position]) -> set[Position]:
        """Published positions that close a cycle through `bridge`: the cheapest path between
        its ends (Dijkstra; hidden positions cost nothing, a published one its value and one
        more position). Such a path exists: the values, with the totals' sign flipped, form a
        circulation, and a non-zero edge of a circulation lies on a cycle of non-zero edges."""
        source, target = self._ends(bridge)
        adjacent: list[list[tuple[int, Position, tuple[int, int]]]] = [
            [] for _ in range(self.free + 1)
        ]
        for p, value in sorted(self.values.items()):
            if p == bridge or value == 0:
                continue
            a, b = self._ends(p)
            if a == b:
                continue
            cost = (0, 0) if p in suppressed else (value, 1)
            adjacent[a].append((b, p, cost))
            adjacent[b].append((a, p, cost))
        best: dict[int, tuple[int, int]] = {source: (0, 0)}
        came_from: dict[int, tuple[int, Position]] = {}
        heap = [((0, 0), source)]
        while heap:
            cost, node = heapq.heappop(heap)
            if node == target:
                break
            if cost > best[node]:
                continue
            for nxt, p, step in adjacent[node]:
                total = (cost[0] + step[0], cost[1] + step[1])
                if nxt not in best or total < best[nxt]:
                    best[nxt] = total
                    came_from[nxt] = (node, p)
                    heapq.heappush(heap, (total, nxt))
        if target not in came_from:
            raise RuntimeError("no cycle through a hidden position")
        added: set[Position] = set()
        node = target
        while node != source:
            node, p = came_from[node]
            if p not in suppressed:
                added.add(p)
        return added
