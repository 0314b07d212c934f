"""Name normalisation: one spelling per real-world name.

German text inflects names ("der Bergischen ...gesellschaft", "des China
Competence Centers", "Wuppertals"), persons come with titles ("Prof. Dr.")
and Chinese names in either order and capitalisation ("ZHU Wenlong",
"Wenlong ZHU"). These pure functions map a mention's text (and the word
before it) to the base form that the guidelines call canonical; both the
within-document component (kg.nlp.coref) and the corpus resolver
(kg.identity) use them, so the two never disagree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.nlp.gazetteer import place_name_set
from kg.nlp.places import exonym, is_known_place
from kg.nlp.roles import is_title

#: Frequent Chinese family names in pinyin (world knowledge, lower case).
CHINESE_SURNAMES: frozenset[str] = frozenset(
    """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo
    zheng liang xie song tang xu han feng deng cao peng zeng xiao tian dong yuan pan yu jiang
    cai lu wei jia ding xue ye yan fu shen du dai xia zhong wan qian tan ren liao yao jin qiu
    shi hou bai meng qin gu duan lei hao kong shao mao chang wen niu fan fang lai yin long
    tao he qi bao jiao ou xing kang su mo lan an qiao geng cui xiong ji shan zou""".split()
)

_PINYIN = re.compile(
    r"^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ue|ui|er|a|e|i|o|u|ü|v))+$",
    re.IGNORECASE,
)

_ARTICLES = frozenset("der die das des dem den ein eine einer eines einem einen".split())
_GENITIVE_CONTEXT = frozenset("des eines dieses jenes".split())
_OBLIQUE_CONTEXT = frozenset("der des dem den einer eines einem einen dieser diesem diesen im vom beim zum zur am ans".split())
_LEGAL_FORM = re.compile(
    r"(?:,?\s+(?:e\.\s?v\.|gmbh(?:\s*&\s*co\.?\s*kg)?|mbh|ag|se|kg|co\.,?\s*ltd\.?|ltd\.?|inc\.?|llc|plc|s\.a\.|"
    r"technologies|technology|corporation|corp\.?|group|gruppe|holding|holdings|company|co\.?|limited))+$"
)
_ORDINALS = ("erst", "zweit", "dritt", "viert", "fünft", "sechst", "siebt", "acht", "neunt", "zehnt")
_ORDINAL_WORD = re.compile(r"^(?:erst|zweit|dritt|viert|fünft|sechst|siebt|acht|neunt|zehnt)(?:e|en|er|es|em)$", re.IGNORECASE)


def _ordinal(word: str) -> str:
    if word[0].isdigit():
        return word
    stem = re.sub(r"(?:e|en|er|es|em)$", "", word.lower())
    return f"{_ORDINALS.index(stem) + 1}."


_POST_HEAD = frozenset("für zur zum in im der des von vom an am auf and of for".split())
#: Noun endings of feminine nouns, which take no genitive -s.
_FEMININE = ("ung", "heit", "keit", "schaft", "tät", "ion", "ei", "ik", "ur", "enz", "anz", "ie")


def is_pinyin(word: str) -> bool:
    """True when ``word`` splits into pinyin syllables ("Wenlong", "ZHU")."""
    return bool(word) and bool(_PINYIN.match(word.replace("-", "").replace("'", "")))


def strip_titles(text: str) -> str:
    """Drop honorifics and academic titles: "Prof. Dr. Andreas Pinkwart" -> "Andreas Pinkwart"."""
    words = text.split()
    while words and (is_title(words[0]) or words[0].lower().rstrip(".") in {"dr", "prof"}):
        words.pop(0)
    return " ".join(words) if words else text.strip()


def person_name(text: str) -> str:
    """Canonical person name: titles dropped, given name first, usual capitalisation.

    "ZHU Wenlong", "Wenlong ZHU" and "Zhu Wenlong" all give "Wenlong Zhu";
    "Dr. Jürgen Friedrich" gives "Jürgen Friedrich".
    """
    words = strip_titles(_clean(text)).split()
    words = [w for w in words if w]
    if not words:
        return text.strip()
    caps = [i for i, w in enumerate(words) if _is_caps_name(w)]
    if len(words) >= 2 and len(caps) == 1 and len(caps) < len(words):
        family = words.pop(caps[0])
        words.append(family)
    elif (
        len(words) == 2
        and words[0].lower() in CHINESE_SURNAMES
        and words[1].lower() not in CHINESE_SURNAMES
        and is_pinyin(words[1])
        and len(words[1]) >= 3
    ):  # "Zhang Hui" (family name first, the Chinese order) -> "Hui Zhang"
        words = [words[1], words[0]]
    return " ".join(_recase(w) for w in words)


def preferred_person_rank(name: str) -> int:
    """0 for "Given Family" spellings of Chinese names ("Wenlong Zhu"), 1 for
    family-first ones ("Zhu Wenlong"): the guidelines' order when both occur."""
    words = name.split()
    if len(words) >= 2 and words[0].lower() in CHINESE_SURNAMES and words[-1].lower() not in CHINESE_SURNAMES:
        return 1
    return 0


def family_name(canonical_person: str) -> str:
    """The family name of a canonical person name (its last word)."""
    parts = canonical_person.split()
    return parts[-1] if parts else canonical_person


def org_name(text: str, before: str = "") -> str:
    """Base form of an organisation / agreement / event name.

    ``before`` is the word in front of the mention ("der", "des"): after an
    article, a leading adjective loses its weak ending ("Bergischen" ->
    "Bergische") and after a genitive article the last noun its "-s"
    ("Centers" -> "Center").
    """
    words = re.sub(r"^(\d{1,3}\.)(?=[A-ZÄÖÜ])", r"\1 ", _clean(text)).split()  # "5.Kooperationsvertrag"
    if words and words[0].lower() in _ARTICLES:
        before, words = words[0], words[1:]
    if not words:
        return text.strip()
    ordinal = None
    if len(words) >= 2 and (re.fullmatch(r"\d{1,3}\.", words[0]) or _ORDINAL_WORD.match(words[0])):
        ordinal = _ordinal(words.pop(0))  # "ersten Deutsch-Chinesischen ..." -> "1. Deutsch-Chinesischer ..."
    context = before.strip().lower()
    gender = _head_gender(words)
    if gender is not None and len(words) >= 2:
        k = 0
        while k < len(words) - 1 and _is_inflected_adjective(words[k]):
            words[k] = _strong_adjective(words[k], gender)
            k += 1
    elif context in _OBLIQUE_CONTEXT and len(words) >= 2:
        words[0] = _weak_adjective(words[0], words)
    if context in _GENITIVE_CONTEXT and len(words) >= 1:
        head = len(words) - 1
        for i, w in enumerate(words[:-1]):
            if words[i + 1] in _POST_HEAD:
                head = i
                break
        first = next((k for k, w in enumerate(words) if not _is_inflected_adjective(w)), None)
        if first is not None and first < head and words[first].lower().endswith(("s", "es")) and (
            words[first].lower()[:-1].endswith(_NEUTER_HEADS + _MASCULINE_HEADS)
            or words[first].lower()[:-2].endswith(_NEUTER_HEADS + _MASCULINE_HEADS)
        ):
            head = first  # "des Repräsentanzbüros NRW.Invest": the noun before the name
        words[head] = _strip_genitive(words[head])
    elif words:
        # "im Produktionstechnischen Zentrums", "des deutschen Bundesministeriums für ...": a known
        # head noun in the genitive is never part of a name's base form
        head = next((i for i, w in enumerate(words[:-1]) if words[i + 1] in _POST_HEAD), len(words) - 1)
        words[head] = _strip_known_genitive(words[head])
    if ordinal:
        words.insert(0, ordinal)
    return " ".join(words)


def place_name(text: str, before: str = "") -> str:
    """Base form of a place name: "Wuppertals" -> "Wuppertal", "Peking" -> "Beijing",
    "Bergischen Land" -> "Bergisches Land", "NRW" -> "Nordrhein-Westfalen"."""
    name = _clean(text)
    words = name.split()
    if words and words[0].lower() in _ARTICLES:
        words = words[1:]
    if words and words[0].lower() in {"provinz", "bundesland", "land", "stadt", "freistaat", "region", "kreis"} and len(words) > 1:
        if is_known_place(" ".join(words[1:])):
            words = words[1:]
    name = " ".join(words) or name
    if before.strip().lower() in {"des", "eines"} and re.fullmatch(r"\S+[^s\W]s", name) and not is_known_place(name):
        name = name[:-1]  # "des Perlflussdeltas" -> "Perlflussdelta"
    if name.endswith("n") and not is_known_place(name) and len(name) > 4 and is_known_place(name[:-1]):
        name = name[:-1]  # "den Niederlanden" -> "Niederlande"
    if name.endswith("s") and not is_known_place(name) and len(name) > 3:
        stem = name[:-1]
        if is_known_place(stem):
            name = stem
    if len(words) == 2 and words[1] == "Land" and re.fullmatch(r"[A-ZÄÖÜ]\w+(?:isch|sch)(?:e|en|es)", words[0]):
        name = re.sub(r"(?:e|en|es)$", "es", words[0]) + " Land"
    return exonym(name)


@lru_cache(maxsize=65536)  # pure, and asked again for each repeat of a name
def canonical_name(label: str, text: str, before: str = "") -> str:
    """Base form of a mention by label (PER, ORG, LOC, AGREEMENT, EVENT)."""
    if label == "PER":
        return person_name(text)
    if label == "LOC":
        return place_name(text, before)
    return org_name(text, before)


@lru_cache(maxsize=65536)  # pure, and asked again for each repeat of a name
def name_key(label: str, name: str) -> str:
    """A comparison key: case, whitespace, hyphen spacing and word order (persons) folded."""
    text = re.sub(r"\s+", " ", name.strip().lower().replace("ß", "ss"))
    text = re.sub(r"\s*-\s*", "-", text)
    if label == "PER":
        return " ".join(sorted(text.split()))
    text = _LEGAL_FORM.sub("", text).strip(" ,")
    words = text.split()
    for k in range(len(words) - 1):
        if not _is_inflected_adjective(words[k].capitalize()):
            break
        words[k] = re.sub(r"(isch|sch|lich|ig|al|är|iv|ell|t|neu|frei|groß|hoh|ober|en)(e|en|er|es|em)$", r"\1e", words[k])
    return re.sub(r"[^\w]+", "", " ".join(words))


#: Legal-form words that look like acronyms but name no organisation.
LEGAL_FORM_WORDS = frozenset({"GmbH", "mbH", "AöR", "KGaA", "PartG"})


@lru_cache(maxsize=65536)  # pure, and asked again for each repeat of a name
def is_acronym(text: str) -> bool:
    """True for "BSW", "CIIPA", "NRW.INVEST", "GmbH"-free short capitals such as "IHK"."""
    t = text.strip()
    if re.fullmatch(r"[A-ZÄÖÜ]{1,4}[0-9²³]", t):  # "C³", "C3", "K2": letters and a number
        return True
    if re.fullmatch(r"[A-ZÄÖÜ][A-ZÄÖÜ0-9&.\-]{1,9}[a-z]?", t) and sum(ch.isupper() for ch in t) >= 2:
        return True
    # mixed case with the capitals in the majority: "BfArM", "KfW" (not "GmbH", not "BaFin")
    return (
        bool(re.fullmatch(r"[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,6}[A-ZÄÖÜ]", t))
        and sum(ch.isupper() for ch in t) >= max(2, sum(ch.islower() for ch in t) + 1)
        and t not in LEGAL_FORM_WORDS
    )



def acronym_of(expansion: str) -> set[str]:
    """Plausible acronyms of an expansion: initials of its capitalised words (and of
    compound parts after hyphens): "China International Investment Promotion Agency" -> {"CIIPA"}."""
    words = re.findall(r"[A-Za-zÄÖÜäöüß]+", expansion)
    caps = [w for w in words if w[0].isupper()]
    out = {"".join(w[0] for w in caps).upper()}
    out.add("".join(w[0] for w in words if w.lower() not in {"und", "and", "of", "for", "für", "der", "des", "the", "de"}).upper())
    out.add("".join(w[0] for w in words if w.lower() not in {"of", "for", "für", "der", "des", "the", "de"}).upper())  # "GTAI"
    return {o for o in out if len(o) >= 2}


def matches_acronym(acronym: str, expansion: str) -> bool:
    """Loose check that an acronym can abbreviate an expansion: its letters appear in
    order as word initials or inside compounds ("BSW" ~ "Bergische Struktur- und
    Wirtschaftsförderungsgesellschaft")."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if not letters:
        return False
    if acronym.upper() in acronym_of(expansion):
        return True
    words = re.findall(r"[A-Za-zÄÖÜäöüß]+", expansion)
    if not words or words[0][0].lower() != letters[0]:
        return False
    # greedy: each letter must be a word initial or a letter later in the current word
    text = " ".join(words).lower()
    pos = 0
    for i, letter in enumerate(letters):
        if i == 0:
            pos = 1
            continue
        found = text.find(letter, pos)
        if found < 0:
            return False
        pos = found + 1
    initials = sum(1 for w in words if w[0].lower() in letters)
    return initials >= max(1, len(letters) // 2)


def _clean(text: str) -> str:
    text = text.replace("\u00ad", "").replace("\n", " ")
    text = re.sub(r"\s+", " ", text).strip()
    text = text.strip("„“\"'‚‘’”»«,;:")
    # "Nordrhein- Westfalen" -> "Nordrhein-Westfalen" (but keep "Struktur- und")
    text = re.sub(r"(\w)- (?!(?:und|oder|sowie|bzw\.?|bis|and|or)\b)(\w)", r"\1-\2", text)
    return text


def _is_caps_name(word: str) -> bool:
    core = word.replace("-", "")
    return len(core) >= 2 and core.isalpha() and core.isupper()


def _recase(word: str) -> str:
    if _is_caps_name(word):
        return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))
    return word


_NEUTER_HEADS = (
    "zentrum", "zentrums", "institut", "instituts", "ministerium", "ministeriums", "konsortium", "konsortiums",
    "amt", "amts", "amtes", "werk", "werks", "haus", "hauses", "forum", "forums", "netzwerk", "netzwerks", "büro",
    "büros", "center", "centers", "kolleg", "kollegs", "museum", "museums", "komitee", "komitees", "konsulat",
    "konsulats", "generalkonsulat", "generalkonsulats", "sekretariat", "sekretariats", "kompetenzzentrum",
)
_MASCULINE_HEADS = (
    "verband", "verbands", "verbandes", "tag", "tags", "tages", "rat", "rats", "rates", "kongress", "kongresses",
    "verein", "vereins", "kreis", "kreises", "dienst", "dienstes", "park", "parks", "bund", "bundes", "ausschuss",
    "ausschusses", "konzern", "konzerns", "vertrag", "vertrags", "tisch", "tischs", "tisches", "abend", "abends", "cluster", "clusters", "arbeitskreis", "arbeitskreises", "fonds",
)
_FEMININE_HEADS = (
    "ung", "heit", "keit", "schaft", "tät", "ion", "kammer", "schule", "universität", "hochschule", "agentur",
    "stiftung", "bank", "behörde", "akademie", "allianz", "messe", "gruppe", "initiative", "partei", "regierung",
    "kommission", "organisation", "plattform", "gmbh",
)


def _head_gender(words: list[str]) -> str | None:
    """Gender of the head noun of a name (the first word that is not an inflected adjective)."""
    skip = False
    for word in words:
        if skip or word.lower() in {"und", "oder", "&"}:
            skip = False
            continue
        if word.endswith("-"):  # "Industrie- und Handelskammertag": the head is after "und"
            skip = True
            continue
        if _is_inflected_adjective(word):
            continue
        low = re.sub(r"[^a-zäöüß-]", "", word.lower()).split("-")[-1]
        if low.endswith(_FEMININE_HEADS):
            return "f"
        if low.endswith(_NEUTER_HEADS):
            return "n"
        if low.endswith(_MASCULINE_HEADS):
            return "m"
        return None
    return None


def _is_place_word(word: str) -> bool:
    """A place name ("Westfalen", "Nordrhein-Westfalen"), which looks like an inflected adjective."""
    return word in place_name_set() or is_known_place(word)


def _is_inflected_adjective(word: str) -> bool:
    m = re.fullmatch(r"([A-ZÄÖÜ][\wäöüß-]*?)(e|en|em|er|es)", word)
    if not m or _is_place_word(word):  # "Westfalen" is no adjective "Westfal-en"
        return False
    stem = m.group(1) + "e"
    if stem.lower().endswith("te") and len(stem) < 7:  # "Muster", "Center": nouns, not "Vereinigte"
        return False
    return _adjective_like(stem)


def _strong_adjective(word: str, gender: str) -> str:
    """Nominative form used in names without article: "Hessische(n)" + neuter -> "Hessisches"."""
    stem = re.sub(r"(e|en|em|er|es)$", "", word)
    return stem + {"n": "es", "m": "er", "f": "e"}[gender]


def _weak_adjective(word: str, words: list[str]) -> str:
    """"Bergischen" -> "Bergische" when it is an adjective in front of a noun."""
    if len(words) >= 2 and word[:1].isupper() and word.endswith("en") and _adjective_like(word[:-1]) and not _is_place_word(word):
        return word[:-1]
    return word


_ADJECTIVE_ENDINGS = ("ische", "sche", "liche", "ige", "ale", "äre", "ive", "elle", "te", "neue", "freie", "große", "hohe", "obere", "ene")


@lru_cache(maxsize=4096)
def _adjective_like(stem: str) -> bool:
    return stem.lower().endswith(_ADJECTIVE_ENDINGS)


_HEAD_BASES = tuple(h for h in _NEUTER_HEADS + _MASCULINE_HEADS if not h.endswith("s") or h in {"haus", "fonds"})


def _strip_known_genitive(word: str) -> str:
    """"Zentrums" -> "Zentrum", "Bundesministeriums" -> "Bundesministerium"; other words kept."""
    low = word.lower()
    if len(word) < 5 or not word[0].isupper() or word.isupper():
        return word
    if low.endswith("es") and low[:-2].endswith(_HEAD_BASES) and not low[:-2].endswith(("haus", "fonds")):
        return word[:-2]
    if low.endswith("s") and low[:-1].endswith(_HEAD_BASES) and not low.endswith("ss"):
        return word[:-1]
    return word


def _strip_genitive(word: str) -> str:
    """"Centers" -> "Center", "Instituts" -> "Institut", "Hauses" -> "Haus"; acronyms kept."""
    if len(word) < 4 or not word[0].isupper() or word.isupper():
        return word
    low = word.lower()
    if low.endswith("s") and low[:-1].endswith(_NEUTER_HEADS + _MASCULINE_HEADS):
        return word[:-1]
    if low.endswith("es") and low[:-2].endswith(_NEUTER_HEADS + _MASCULINE_HEADS):
        return word[:-2]  # "Vertrages" -> "Vertrag"
    if low.endswith("es") and re.search(r"(ss|ß|s|x|z|tz|sch)es$", low):
        return word[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is", "os", "as")):
        stem = low[:-1]
        if not stem.endswith(_FEMININE):
            return word[:-1]
    return word
