"""Where a site that must stay unknown is shown: reciprocal cloaking on a fixed grid.

Before two members consent to meet, neither may learn where the other's anonymous listing
is. A viewer sees instead a cell of a fixed grid (about 10, 20, 40 or 80 km) chosen so that

- the cell holds sites of at least ``CROWD - 1`` organisations besides the owner, never
  counting the viewer's own organisation (the public member registry lists every site: a
  cell with fewer organisations would point at the owner);
- the cell is the same wherever in it the site lies (*reciprocity*): the choice is made top
  down, from the 80 km cell into the quarter holding the site only when *every* quarter is
  crowded enough, so the published cell depends on the cell and the other organisations'
  sites, never on the position of the site inside it;
- nothing the owner or the viewer does with their own sites changes the cell, because
  neither counts.

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
CELL_LEVELS = (1, 2, 4, 8)
"""Cell sizes, in base cells per side, from the finest to the coarsest."""
CROWD = 3
"""Organisations a viewer must not be able to tell apart in a published cell: the owner and
at least ``CROWD - 1`` others, the viewer's own organisation never among them."""
KM_PER_DEGREE_LATITUDE = 111.2
"""Length of one degree of latitude [km] (mean Earth radius 6371 km × π / 180)."""

CellKey = tuple[int, int, int]
"""A cell: its level (base cells per side), row and column at that level."""


def base_index(point: Coordinates) -> tuple[int, int]:
    """Row and column of the base cell holding ``point``.

    Coarser cells are derived from these by integer division, so that a point lies in the
    quarter of its cell that its base cell says, whatever the rounding of the division.
    """
    return (
        math.floor(point.latitude / CELL_LATITUDE_DEG),
        math.floor(point.longitude / CELL_LONGITUDE_DEG),
    )


def _key(row: int, column: int, level: int) -> CellKey:
    return level, row // level, column // level


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the grid.

    Parameters
    ----------
    level : int
        Base cells per side [-]: 1, 2, 4 or 8.
    row, column : int
        Index of the cell among the cells of its level [-].
    """

    level: int
    row: int
    column: int

    @property
    def size_deg(self) -> tuple[float, float]:
        """Height and width [deg]."""
        return CELL_LATITUDE_DEG * self.level, CELL_LONGITUDE_DEG * self.level

    @property
    def size_km(self) -> int:
        """Height [km], to 10 km: how the pages name the cell's size."""
        return int(round(self.size_deg[0] * KM_PER_DEGREE_LATITUDE, -1))

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
        return _key(row, column, self.level) == (self.level, self.row, self.column)


@dataclass(frozen=True)
class Crowds:
    """The organisations with a site in each cell of each level, for one network.

    Parameters
    ----------
    members : Mapping[CellKey, frozenset]
        Per cell, the organisations with at least one site in it.
    """

    members: Mapping[CellKey, frozenset[Hashable]]

    def _others(self, key: CellKey, unseen: frozenset[Hashable]) -> int:
        return len(self.members.get(key, frozenset()) - unseen)

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
            The 80 km cell when it holds sites of ``CROWD - 1`` other organisations, then
            its quarter holding the point as long as every quarter does; ``None`` when even
            the 80 km cell does not.
        """
        excluded = frozenset(unseen)
        needed = CROWD - 1
        row, column = base_index(point)
        level = CELL_LEVELS[-1]
        if self._others(_key(row, column, level), excluded) < needed:
            return None
        while level > CELL_LEVELS[0]:
            quarter = level // 2
            top, left = row // level * 2, column // level * 2
            quarters = [(quarter, top + i, left + j) for i in (0, 1) for j in (0, 1)]
            if any(self._others(key, excluded) < needed for key in quarters):
                break
            level = quarter
        return Cell(*_key(row, column, level))


def crowds_of(sites: Iterable[tuple[Hashable, Coordinates]]) -> Crowds:
    """Crowds from ``(organisation, site)`` pairs of a network's member sites."""
    members: dict[CellKey, set[Hashable]] = {}
    for organisation, point in sites:
        row, column = base_index(point)
        for level in CELL_LEVELS:
            members.setdefault(_key(row, column, level), set()).add(organisation)
    return Crowds({key: frozenset(found) for key, found in members.items()})
