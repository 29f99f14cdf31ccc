"""Reciprocal cloaking: the cell shown for a hidden site depends on the cell and on the other
organisations' sites only (never on where in the cell the site lies, nor on the owner's or
the viewer's own sites), and always holds enough other organisations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metalloop.core.cloaking import (
    CELL_LATITUDE_DEG,
    CELL_LONGITUDE_DEG,
    CROWD,
    SHAPES,
    Cell,
    base_index,
    crowds_of,
)
from metalloop.core.geo import Coordinates, great_circle_km

DUISBURG = Coordinates(51.43247, 6.76516)
# A window of the Ruhr and the Rhineland, aligned to the 80 km grid, so that random sites
# crowd some cells and leave others sparse.
SOUTH, WEST, NORTH, EAST = 50.4, 6.0, 52.0, 8.4


def test_the_grid_is_fixed_and_cells_are_named_by_shape_row_and_column():
    cell = Cell(1, 1, 514, 45)
    assert cell.bounds == pytest.approx((51.4, 6.75, 51.5, 6.9))
    assert cell.centre == Coordinates(51.45, 6.825)
    assert cell.size_km == (10, 10)
    assert cell.contains(DUISBURG)
    assert Cell(8, 8, 64, 5).size_km == (90, 80)
    assert Cell(4, 8, 128, 5).size_km == (40, 80)
    assert (CELL_LATITUDE_DEG, CELL_LONGITUDE_DEG, CROWD) == (0.1, 0.15, 3)
    assert SHAPES == ((8, 8), (4, 8), (4, 4), (2, 4), (2, 2), (1, 2), (1, 1))


def test_the_cell_shown_needs_two_other_organisations_and_halves_only_into_crowded_halves():
    owner, viewer = "owner", "viewer"
    # Only the owner's and the viewer's sites: nothing may be shown.
    alone = crowds_of([(owner, DUISBURG), (viewer, Coordinates(51.44, 6.77))])
    assert alone.cloak(DUISBURG, unseen={owner, viewer}) is None
    # Two others in the same 10 km cell, but the other half of the 90 × 80 km cell is empty:
    # the whole cell is shown, not the crowded 10 km cell (that would depend on the site).
    two = crowds_of(
        [(owner, DUISBURG), ("a", Coordinates(51.44, 6.77)), ("b", Coordinates(51.41, 6.80))]
    )
    assert two.cloak(DUISBURG, unseen={owner, viewer}) == Cell(8, 8, 64, 5)
    # Two others in the northern and the southern half: the southern half is shown, and no
    # further, because its western half is empty.
    north_south = crowds_of(
        [
            (owner, DUISBURG),
            ("a", Coordinates(51.44, 6.77)),
            ("b", Coordinates(51.41, 6.80)),
            ("a", Coordinates(51.9, 6.1)),
            ("b", Coordinates(51.9, 6.1)),
        ]
    )
    assert north_south.cloak(DUISBURG, unseen={owner, viewer}) == Cell(4, 8, 128, 5)
    # Two others in every 10 km cell: the 10 km cell is shown.
    everywhere = crowds_of(
        (name, Coordinates(51.2 + 0.1 * i + 0.05, 6.0 + 0.15 * j + 0.07))
        for i in range(8)
        for j in range(8)
        for name in ("a", "b")
    )
    assert everywhere.cloak(DUISBURG, unseen={owner, viewer}) == Cell(1, 1, 514, 45)
    # The viewer's own sites never count: as viewer "a", the cell is hidden again.
    assert everywhere.cloak(DUISBURG, unseen={owner, "a"}) is None


def test_distances_to_a_cell_bound_the_distance_to_every_point_in_it():
    cell = Cell(2, 2, 257, 22)
    assert cell.nearest_km(DUISBURG) == 0.0
    assert cell.farthest_km(DUISBURG) > great_circle_km(DUISBURG, cell.centre)


organisations = st.sampled_from([f"org{k}" for k in range(8)])
points = st.builds(
    Coordinates,
    st.floats(SOUTH, NORTH - 1e-6, allow_nan=False),
    st.floats(WEST, EAST - 1e-6, allow_nan=False),
)
sites = st.lists(st.tuples(organisations, points), max_size=60)
fractions = st.floats(0.0, 0.999999, allow_nan=False)


def _inside(cell: Cell, up: float, right: float) -> Coordinates:
    south, west, north, east = cell.bounds
    return Coordinates(south + up * (north - south), west + right * (east - west))


@settings(max_examples=300, deadline=None)
@given(sites, points, organisations, organisations, fractions, fractions)
def test_every_site_inside_a_shown_cell_is_shown_as_that_cell(
    others, site, owner, viewer, up, right
):
    crowds = crowds_of([*others, (owner, site)])
    cell = crowds.cloak(site, unseen={owner, viewer})
    if cell is None:
        return
    moved = _inside(cell, up, right)
    if not cell.contains(moved):  # rounding at the far edge
        return
    after = crowds_of([*others, (owner, moved)])
    assert after.cloak(moved, unseen={owner, viewer}) == cell


@settings(max_examples=300, deadline=None)
@given(sites, points, organisations, organisations, sites)
def test_the_owners_and_the_viewers_own_sites_never_change_the_cell(
    others, site, owner, viewer, changes
):
    unseen = {owner, viewer}
    before = crowds_of([*others, (owner, site)]).cloak(site, unseen=unseen)
    # The owner and the viewer add, move and remove sites of their own, anywhere.
    kept = [(org, point) for org, point in others if org not in unseen]
    theirs = [(org if org in unseen else viewer, point) for org, point in changes]
    after = crowds_of([*kept, *theirs, (owner, site)]).cloak(site, unseen=unseen)
    assert after == before


@settings(max_examples=300, deadline=None)
@given(sites, points, organisations, organisations)
def test_a_shown_cell_holds_sites_of_enough_other_organisations(others, site, owner, viewer):
    crowds = crowds_of([*others, (owner, site)])
    cell = crowds.cloak(site, unseen={owner, viewer})
    holding = {org for org, point in others if org not in {owner, viewer}}
    if cell is None:  # even the 80 km cell around the site is too sparse
        row, column = base_index(site)
        eighty = Cell(8, 8, row // 8, column // 8)
        assert len({org for org, point in others if org in holding and eighty.contains(point)}) < (
            CROWD - 1
        )
        return
    inside = {org for org, point in others if org in holding and cell.contains(point)}
    assert len(inside) >= CROWD - 1
    assert cell.contains(site)
