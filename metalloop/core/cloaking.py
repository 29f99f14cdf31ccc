"""Where a site that must stay unknown is shown: reciprocal cloaking on a fixed grid.

Before two members consent to meet, neither may learn where the other's anonymous listing
is. A viewer sees instead a cell of a fixed hierarchy of grid cells, from about 90 × 80 km
down to about 10 × 10 km, chosen so that

- the cell holds sites of at least ``CROWD - 1`` organisations besides the owner, never
  counting the viewer's own organisation (the public member registry lists every site: a
  cell with fewer organisations would point at the owner);
- the cell is the same wherever in it the site lies (*reciprocity*): the choice is made top
  down, halving the cell alternately north–south and east–west, and going into the half
  that holds the site only when *both* halves are crowded enough; so the published cell
  depends on the cell and the other organisations' sites, never on the position of the
  site inside it;
- nothing the owner or the viewer does with their own sites changes the cell, because
  neither counts;
- any two cells ever shown for a site are nested (the halvings are fixed, a k-d tree over a
  fixed grid): what different viewers, or one viewer at different times, are shown never
  intersects to anything smaller than one of the cells shown.

Everything a viewer is shown about such a site (its position, distances, which limits it
meets) is then computed from the cell alone.

References
----------
P. Kalnis, G. Ghinita, K. Mouratidis and D. Papadias, "Preventing location-based identity
inference in anonymous spatial queries", IEEE Transactions on Knowledge and Data
Engineering 19(12), 2007 (the reciprocity property of a cloaking region).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from metalloop.core.geo import Coordinates, great_circle_km

CELL_LATITUDE_DEG = 0.1
"""Height of the base cell [deg] (about 11 km)."""
CELL_LONGITUDE_DEG = 0.15
"""Width of the base cell [deg] (about 10 km in Germany)."""
SHAPES = ((8, 8), (4, 8), (4, 4), (2, 4), (2, 2), (1, 2), (1, 1))
"""The cells of the hierarchy, coarsest first, as (rows, columns) of base cells: each is a
half of the one before, cut north–south and east–west in turn."""
CROWD = 3
"""Organisations a viewer must not be able to tell apart in a published cell: the owner and
at least ``CROWD - 1`` others, the viewer's own organisation never among them."""
KM_PER_DEGREE_LATITUDE = 111.2
"""Length of one degree of latitude [km] (mean Earth radius 6371 km × π / 180)."""

CellKey = tuple[int, int, int, int]
"""A cell: its shape (rows and columns of base cells) and its row and column among the cells
of that shape."""


def base_index(point: Coordinates) -> tuple[int, int]:
    """Row and column of the base cell holding ``point``.

    Larger cells are derived from these by integer division, so that a point lies in the
    half of its cell that its base cell says, whatever the rounding of the division.
    """
    return (
        math.floor(point.latitude / CELL_LATITUDE_DEG),
        math.floor(point.longitude / CELL_LONGITUDE_DEG),
    )


def _key(row: int, column: int, shape: tuple[int, int]) -> CellKey:
    rows, columns = shape
    return rows, columns, row // rows, column // columns


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the hierarchy.

    Parameters
    ----------
    rows, columns : int
        Its size in base cells [-], one of :data:`SHAPES`.
    row, column : int
        Its index among the cells of that size [-].
    """

    rows: int
    columns: int
    row: int
    column: int

    @property
    def size_deg(self) -> tuple[float, float]:
        """Height and width [deg]."""
        return CELL_LATITUDE_DEG * self.rows, CELL_LONGITUDE_DEG * self.columns

    @property
    def size_km(self) -> tuple[int, int]:
        """Height and width at the cell's centre [km], to 10 km: how the pages name it."""
        height, width = self.size_deg
        across = width * KM_PER_DEGREE_LATITUDE * math.cos(math.radians(self.centre.latitude))
        return int(round(height * KM_PER_DEGREE_LATITUDE, -1)), int(max(10, round(across, -1)))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """South, west, north and east edge [deg]."""
        height, width = self.size_deg
        south, west = self.row * height, self.column * width
        return south, west, south + height, west + width

    @property
    def centre(self) -> Coordinates:
        south, west, north, east = self.bounds
        return Coordinates(round((south + north) / 2, 6), round((west + east) / 2, 6))

    def nearest_km(self, point: Coordinates) -> float:
        """Great-circle distance [km] from ``point`` to the nearest point of the cell.

        Notes
        -----
        The nearest point is taken by clamping latitude and longitude into the cell's
        bounds; for cells of a few tens of kilometres this differs from the spherical
        nearest point by far less than a kilometre.
        """
        south, west, north, east = self.bounds
        clamped = Coordinates(
            min(max(point.latitude, south), north), min(max(point.longitude, west), east)
        )
        return great_circle_km(point, clamped)

    def farthest_km(self, point: Coordinates) -> float:
        """Great-circle distance [km] from ``point`` to the farthest corner of the cell."""
        south, west, north, east = self.bounds
        return max(
            great_circle_km(point, Coordinates(lat, lon))
            for lat in (south, north)
            for lon in (west, east)
        )

    def contains(self, point: Coordinates) -> bool:
        row, column = base_index(point)
        return _key(row, column, (self.rows, self.columns)) == (
            self.rows,
            self.columns,
            self.row,
            self.column,
        )


@dataclass(frozen=True)
class Crowds:
    """The organisations with a site in each cell of the hierarchy, for one network.

    Parameters
    ----------
    members : Mapping[CellKey, frozenset]
        Per cell, the organisations with at least one site in it.
    """

    members: Mapping[CellKey, frozenset[Hashable]]

    def _crowded(self, key: CellKey, unseen: frozenset[Hashable]) -> bool:
        return len(self.members.get(key, frozenset()) - unseen) >= CROWD - 1

    def cloak(self, point: Coordinates, *, unseen: Iterable[Hashable]) -> Cell | None:
        """The cell shown instead of a site at ``point``, or ``None`` where no cell may be
        shown at all.

        Parameters
        ----------
        point : Coordinates
            The site [deg].
        unseen : iterable of organisation keys
            Organisations that do not count: the owner of the site and the viewer's own.

        Returns
        -------
        Cell or None
            The largest cell when it holds sites of ``CROWD - 1`` other organisations, then
            its half holding the point as long as both halves do; ``None`` when even the
            largest cell does not.
        """
        excluded = frozenset(unseen)
        row, column = base_index(point)
        shown = SHAPES[0]
        if not self._crowded(_key(row, column, shown), excluded):
            return None
        for half in SHAPES[1:]:
            if not all(self._crowded(key, excluded) for key in _halves(row, column, shown, half)):
                break
            shown = half
        return Cell(*_key(row, column, shown))


def _halves(
    row: int, column: int, shape: tuple[int, int], half: tuple[int, int]
) -> tuple[CellKey, CellKey]:
    """The two halves (of shape ``half``) of the cell of ``shape`` around a base cell."""
    rows, columns, top, left = _key(row, column, shape)
    if half[0] < rows:  # cut north–south
        return (half[0], columns, top * 2, left), (half[0], columns, top * 2 + 1, left)
    return (rows, half[1], top, left * 2), (rows, half[1], top, left * 2 + 1)


def crowds_of(sites: Iterable[tuple[Hashable, Coordinates]]) -> Crowds:
    """Crowds from ``(organisation, site)`` pairs of a network's member sites."""
    members: dict[CellKey, set[Hashable]] = {}
    for organisation, point in sites:
        row, column = base_index(point)
        for shape in SHAPES:
            members.setdefault(_key(row, column, shape), set()).add(organisation)
    return Crowds({key: frozenset(found) for key, found in members.items()})
