"""Role words, person titles and trigger words: the lexicon of relation extraction.

Data, not code: relation patterns (kg.nlp.relations) and name normalisation
(kg.nlp.names) read these tables. They are world knowledge about German
press language (function words, honorifics), never names of particular
people or organisations.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Heads of role words; a role word is one of these, possibly compounded
#: ("Wirtschaftsminister", "Hauptgeschäftsführer", "Vize-Direktor") and
#: inflected ("Leiterin", "Vorsitzenden", "Direktors").
ROLE_STEMS: tuple[str, ...] = (
    "geschäftsführer", "leiter", "direktor", "präsident", "vorsitzende", "minister",
    "bürgermeister", "botschafter", "konsul", "gouverneur", "vorstand", "vorstandsmitglied",
    "chef", "sprecher", "sekretär", "staatssekretär", "beauftragte", "manager", "managerin",
    "gründer", "inhaber", "rektor", "dekan", "kanzler", "professor", "landrat", "landrätin",
    "referent", "koordinator", "berater", "repräsentant", "gesandte", "attaché", "delegierte",
    "vertreter", "generalsekretär", "schatzmeister", "aufsichtsrat", "chairman", "president",
    "director", "ceo", "cfo", "cto", "coo", "mitglied", "obmann",
    "bevollmächtigte", "geschäftsleiter", "prokurist", "senator", "abgeordnete",
    "korrespondent", "gesellschafter", "stellvertreter",
)

#: Words that modify a following role word and belong to it
#: ("stellvertretender Hauptgeschäftsführer", "Senior Vize President").
ROLE_MODIFIERS: tuple[str, ...] = (
    "stellvertretende", "stellvertretender", "stellvertretenden", "stellv.", "kommissarische",
    "kommissarischer", "kommissarischen", "ehemalige", "ehemaliger", "ehemaligen", "damalige",
    "damaliger", "damaligen", "neue", "neuer", "neuen", "neugewählte", "neugewählter",
    "neugewählten", "amtierende", "amtierender", "amtierenden", "geschäftsführende",
    "geschäftsführender", "geschäftsführenden", "kaufmännische", "kaufmännischer",
    "kaufmännischen", "technische", "technischer", "technischen", "erste", "erster", "ersten",
    "senior", "executive", "vize", "vice", "general", "regional", "managing", "deputy",
)

#: Honorifics and academic titles that are not part of a person's name.
TITLES: tuple[str, ...] = (
    "herr", "herrn", "frau", "dr.", "dr", "prof.", "prof", "professor", "professorin", "dipl.-ing.",
    "dipl.-ing", "dr.-ing.", "dr.-ing", "dr.h.c.", "h.c.", "mr.", "mrs.", "ms.", "mr", "mrs", "ms",
    "dipl.", "ing.", "mag.", "ph.d.", "phd", "sir", "dame", "madame", "monsieur", "exzellenz",
    "dres.", "med.", "rer.", "nat.", "pol.", "oec.", "jur.", "phil.", "mba", "ll.m.", "a.d.",
)

#: Words that turn a sentence into evidence of a type (lower-case stems, matched as prefixes
#: of words or inside compounds as documented next to each).
SIGN_TRIGGERS = re.compile(
    r"(unterzeichn|unterschr|signed|signing|besiegel|abgeschlossen|abschluss|geschlossen|schlossen|"
    r"schließen|vereinbart|unterfertigt|beigetreten|beitritt|gründungsmitglied|mitglied|"
    r"treten .* bei|trat .* bei|paraphiert|ratifiziert)",
    re.IGNORECASE,
)
MEET_TRIGGERS = re.compile(
    r"\b(traf|trafen|getroffen|treffen|treffens|gespräch|gespräche|gesprächen|empfing|empfingen|"
    r"empfangen|begrüßte|begrüßten|besuchte|besuchten|unterzeichnet|unterzeichneten|"
    r"unterzeichnete|unterschrieben|unterschrieb|austausch|tauschten|sprach mit|sprachen mit|"
    r"zusammenkunft|besiegeln|besiegelten|besiegelte|meeting|met|beisein|empfängt|trifft|trafen sich|begegnung|podiumsdiskussion|diskutierten|diskussionsrunde|einladung|schließen|schlossen|vereinbarten)\b",
    re.IGNORECASE,
)
COOP_TRIGGERS = re.compile(
    r"(kooperation|kooperier|zusammenarbeit|zusammenarbeiten|arbeite\w*\b.*\bzusammen|partnerschaft|"
    r"partner|joint venture|gemeinsam|allianz|verbindet|verbinden|verbunden|schulterschluss|"
    r"cooperation|partnership|bündnis|städtepartner|freundschaft|zusammen mit|mitwirkung|unterstützung)",
    re.IGNORECASE,
)
EVENT_TRIGGERS = re.compile(
    r"(teil\b|teilnahm|teilnehm|teilgenommen|teilnahme|organisier|veranstalt|ausgerichtet|"
    r"ausgetragen|ausrichte|eröffne|rede\b|sprach|vortrag|grußwort|keynote|präsentier|aussteller|"
    r"stand\b|vertreten|besuch|gast|gäste|delegation|begrüß|moderier|podium|referent|"
    r"mitveranstalt|initiiert|ausricht|beteiligt|beteiligte|dabei|auftritt|vorgestellt|stellte|"
    r"einlad|lad(?:t|en)\b[^.]{0,120}\bein\b|richte[nt]?\b(?!\s+sich)|spricht|sprechen|partner\s+(?:des|der|beim))",
    re.IGNORECASE,
)


@lru_cache(maxsize=None)
def _role_regex() -> re.Pattern[str]:
    stems = "|".join(sorted((re.escape(s) for s in ROLE_STEMS), key=len, reverse=True))
    # compound prefix (letters, optional hyphen) + stem + inflection ending
    return re.compile(
        rf"^(?P<prefix>[A-Za-zÄÖÜäöüß.\-]*?-?)(?P<stem>{stems})(?P<ending>in|innen|en|er|s|nen|n|e|r)?$",
        re.IGNORECASE,
    )


#: Compound prefixes that make a role word something else ("Parteichef" is a role,
#: "Minister" prefixes are fine, but "Partnerschaft" is no role).
_NOT_ROLES = frozenset({
    "partnerschaft", "partnerschaften", "partnerstadt", "partnerprovinz", "partnerregion",
    "mitglieder", "mitgliedern", "vertretung", "vertretungen", "leitung", "leitungen",
    "vorstands", "head", "partners", "kanzlei", "ministerium", "ministerien", "konsulat",
    "botschaft", "direktion", "präsidium", "rektorat", "dekanat", "sprecherin der",
})


def role_word(word: str) -> str | None:
    """The role word in ``word``, as written, or None.

    "Geschäftsführer" -> "Geschäftsführer"; "IBS-Leiterin" -> "Leiterin";
    "Wirtschaftsminister" -> "Wirtschaftsminister"; "Partnerschaft" -> None.
    A hyphenated prefix in capitals or with a dot names the organisation
    ("IBS-", "NRW.INVEST-") and is cut off; a lower-case compound part is
    part of the role ("Wirtschafts-").
    """
    text = word.strip()
    if not text or text.lower() in _NOT_ROLES:
        return None
    if "-" in text:
        head, _, tail = text.rpartition("-")
        if head and tail and _looks_like_name_prefix(head):
            return role_word(tail)
    match = _role_regex().match(text)
    if match is None:
        return None
    prefix = match.group("prefix")
    if prefix and not re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+s?-?|[A-ZÄÖÜ][a-zäöüß]+(?:-[A-Za-zäöüß]+)*-?|[Vv]ize-?", prefix):
        return None
    if prefix and prefix.lower().rstrip("-") in {"partner", "vertretung", "leitung"}:
        return None
    return text


def _looks_like_name_prefix(head: str) -> bool:
    """True for "IBS", "NRW", "CIIPA", "NRW.INVEST", "Huawei-": a name before a hyphen."""
    if re.fullmatch(r"[A-ZÄÖÜ0-9.&]{2,}", head):
        return True
    return "." in head or any(ch.isupper() for ch in head[1:])


def is_title(word: str) -> bool:
    """True for honorifics and academic titles ("Dr.", "Prof.", "Herr")."""
    return word.strip().lower() in TITLES


def is_role_modifier(word: str) -> bool:
    return word.strip().lower().rstrip("-") in ROLE_MODIFIERS or word.lower().startswith("vize-")
