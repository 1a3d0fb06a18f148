"""The configured entities the inventory refers to: responsible units and industry tracks."""

from __future__ import annotations

from dataclasses import dataclass

REQUIREMENTS = (
    "min_floor_load_kn_m2",
    "min_clear_height_m",
    "exhaust",
    "wet_lab_drainage",
    "min_power_kva",
    "max_clean_room_iso",
)
"""A track's requirements of a carrier, in the order they are checked and explained."""


@dataclass(frozen=True)
class Unit:
    """A responsible unit (责任单位) that keeps carriers and serves their enterprises.

    Attributes
    ----------
    capacity_per_window
        Carriers the unit can serve when released in one window; None: no limit.
    """

    id: str
    name_zh: str
    name_en: str
    capacity_per_window: int | None = None

    def validate(self, where: str) -> None:
        """Raise ValueError naming ``where`` if the unit cannot be used."""
        _check_id(self.id, where)
        if self.capacity_per_window is not None and self.capacity_per_window < 0:
            raise ValueError(
                f"{where}.capacity_per_window = {self.capacity_per_window} must be at least 0"
            )


@dataclass(frozen=True)
class Track:
    """An industry track (赛道) and the specifications its R&D carriers need.

    A numeric minimum of zero or less, a maximum clean-room class left out and a flag set to
    false require nothing (`planning.facts` decides what "meets" means, once for the whole
    product).
    """

    id: str
    name_zh: str
    name_en: str
    priority: int
    min_floor_load_kn_m2: float | None = None
    min_clear_height_m: float | None = None
    exhaust: bool = False
    wet_lab_drainage: bool = False
    min_power_kva: float | None = None
    max_clean_room_iso: int | None = None

    def validate(self, where: str) -> None:
        """Raise ValueError naming ``where`` if the track cannot be used."""
        _check_id(self.id, where)
        if self.priority < 1:
            raise ValueError(f"{where}.priority = {self.priority} must be at least 1")
        for key in ("min_floor_load_kn_m2", "min_clear_height_m", "min_power_kva"):
            value = getattr(self, key)
            if value is not None and value < 0:
                raise ValueError(f"{where}.{key} = {value:g} must not be negative")
        iso = self.max_clean_room_iso
        if iso is not None and not 1 <= iso <= 9:
            raise ValueError(f"{where}.max_clean_room_iso = {iso} must be an ISO class 1–9")


def _check_id(value: str, where: str) -> None:
    if not value.strip() or value != value.strip():
        raise ValueError(f"{where}.id = {value!r} must be a non-empty code without spaces")
