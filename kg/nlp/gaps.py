"""Gap patterns: the plain text between two entity mentions that states a relation.

kg.nlp.relations cuts a sentence into entity units and the gaps between
them; the regular expressions and small parsers here decide what a gap says
("', Geschäftsführer der '" makes the person before the Geschäftsführer of
the organisation after). German press wording only; no names of particular
people or organisations.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.nlp import roles


_TEXT_CACHE: list = [None, -1, ""]  # [the last Doc asked about, its length in tokens, its text]


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document.

    spaCy rebuilds ``Doc.text`` from every token on each access, so slicing
    gaps out of it was the pipeline's hot spot (O(document) per gap: the
    relation and identity components ran at ~15k and ~34k words/s because of
    it). A Doc's text does not change (retokenizing keeps it), and the
    components look at one document at a time, so one slot keyed on the Doc
    object (held, so its id cannot be reused; the token count guards against
    a Doc refilled in place by from_bytes) is enough.
    """
    if _TEXT_CACHE[0] is not doc or _TEXT_CACHE[1] != len(doc):
        _TEXT_CACHE[:] = [doc, len(doc), doc.text]
    return _TEXT_CACHE[2]

PLACE_TYPES = (
    r"(?:Stadt|Provinz|Metropole|Hauptstadt|Provinzhauptstadt|Landeshauptstadt|Region|Bundesland|Land|Kreis|"
    r"Bezirk|Stadtteil|Stadtbezirk|Sonderverwaltungszone|Hafenstadt|Millionenstadt|Partnerprovinz|Partnerstadt|"
    r"Partnerregion|Gemeinde|Kommune|Freistaat|Bundesstaat|Wirtschaftsmetropole|Sonderwirtschaftszone|"
    r"Wirtschaftszone|Hightech-Zone|Entwicklungszone|Küstenstadt|Kreisstadt|Großstadt|Hansestadt|Regierungsbezirk|"
    r"Landkreis|Ortsteil|Stadtviertel|Neugebiet|Verwaltungsgebiet)"
)
_DET = r"(?:der|die|das|des|dem|den|einer|eines|einem)"
_ADJ = r"(?:[a-zäöüß][\wäöüß-]*(?:en|er|e|em|es)\s+)"
_PLACE_SUFFIX = (
    r"(?:büro|niederlassung|vertretung|repräsentanz|standort|zentrale|werk|fabrik|tochter|"
    r"auslandsniederlassung|filiale|office|center|zentrum|außenstelle|dependance)"
)

#: Gap from an organisation/event/place to a place it lies in ("in der chinesischen Stadt").
LOCATIVE_GAP = re.compile(
    rf"^(?:-?\w*{_PLACE_SUFFIX}\w*)?\s*,?\s*(?:(?:mit|und|seinem|ihrem|seinen|ihren)\s+)?"
    rf"(?:(?:Haupt)?[Ss]itz|Standort|Standorten|Büro|Büros|Niederlassung|Niederlassungen|Repräsentanz|Repräsentanzen|"
    rf"Zentrale|Vertretung|Vertretungen|Tochtergesellschaft|Tochtergesellschaften|Werk|Werken|Produktion|Fertigung)?\s*"
    rf"(?:in|im|nahe|bei)\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$",
    re.IGNORECASE,
)
PAREN_PLACE_GAP = re.compile(rf"^\s*\(\s*(?:{PLACE_TYPES}\s+)?$")
CAPITAL_OF_GAP = re.compile(
    rf"^\s*(?:,|\bist|\bals|\bwar)\s*(?:\S+\s+){{0,3}}?(?:die\s+|der\s+|eine\s+|ein\s+)?(?:\w+\s+)?{_ADJ}?(?:{PLACE_TYPES}|Hauptstadt)\s+"
    rf"(?:der|des|von|im|in der)\s+{_ADJ}?(?:{PLACE_TYPES}\s+)?$"
)
#: "NRW.INVEST unterhält fünf Wirtschaftsvertretungen in", "hat ein Büro in": an office in a place.
OFFICE_GAP = re.compile(
    rf"^(?:\s+\w+){{0,5}}?\s+\w*(?:vertretung|vertretungen|büro|büros|niederlassung|niederlassungen|sitz|repräsentanz|"
    rf"repräsentanzen|standort|standorte|standorten|werk|werke|werken|tochter|tochtergesellschaft|zentrale|filiale|filialen|regionalbüro|"
    rf"außenstelle|center|zentrum)\s+(?:in|im)\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$",
    re.IGNORECASE,
)
#: Verbs that make an actor a party of the agreement after it ("pflegt eine Partnerschaft").
ATTACH_VERB = re.compile(
    r"\b(?:pfleg\w*|unterh[aä]lt\w*|verbinde?t\w*|verband|schlie[ßs]\w*|schloss\w*|unterzeichne\w*|unterschr\w*|"
    r"feier\w*|besiegel\w*|vereinbar\w*|gründe\w*|hat|haben|eingegangen|geschlossen|ist|sind)\b",
    re.IGNORECASE,
)
#: The gap from an agreement to a party after it: "mit", "zu den drei chinesischen Provinzen", "des", "zwischen dem".
AGREEMENT_ATTACH_GAP = re.compile(
    rf"^\s*(?:mit|zu|zwischen|des|der|von|vom|mit\s+der|in)\s+(?:{_DET}\s+)?(?:\w+\s+)?{_ADJ}?(?:{PLACE_TYPES}n?\s+|\w+n\s+)?$"
)
PARTNERSHIP = re.compile(r"(?i)partner|freundschaft|kooperation|zusammenarbeit|joint venture|allianz")
#: An occasion or venue, not an actor: "auf der Hannover Messe", "am Rande des Kongresses".
OCCASION_BEFORE = re.compile(
    r"\b(?:auf\s+der|auf\s+dem|beim|bei\s+der|während\s+der|während\s+des|im\s+Rahmen\s+der|im\s+Rahmen\s+des|"
    r"am\s+Rande\s+der|am\s+Rande\s+des|anlässlich\s+der|anlässlich\s+des|in\s+der|im)\s+(?:\S+\s+)?$"
)
#: Organisations settled in a place: "X und Y haben sich in der Provinz Z angesiedelt".
SETTLED = re.compile(r"\b(?:angesiedelt|niedergelassen|ansässig|präsent|beheimatet|sitzen|sitzt|produzier\w*|tätig)\b")
#: A place after "mit den Städten" / "und ihre kreisfreie Stadt" lies in the place before.
HAS_PLACES_GAP = re.compile(
    rf"^\s*(?:,\s*)?(?:mit\s+den|mit\s+der|und\s+(?:ihre|seine|ihren|seinen|deren|dessen))\s+{_ADJ}?(?:Städten|Stadt|Städte|Provinzen|Bezirken|Bezirk|Metropolen|Metropole|Kreisen|Hauptstadt|Provinzhauptstadt|Landeshauptstadt)\s+$"
)
COUNTRY_ADJECTIVES = {
    "chinesisch": "China", "deutsch": "Deutschland", "indisch": "Indien", "japanisch": "Japan",
    "koreanisch": "Korea", "südkoreanisch": "Südkorea", "französisch": "Frankreich", "italienisch": "Italien",
}
NATIONAL_PLACE = re.compile(
    rf"\b({'|'.join(COUNTRY_ADJECTIVES)})(?:e|en|er|es|em)\s+(?:\w+(?:e|en|er|es)\s+)?(?:Provinz|Stadt|Metropole|Millionenmetropole|"
    rf"Millionenstadt|Hafenstadt|Partnerprovinz|Partnerstadt|Region|Bundesstaat|Bundesland|Hauptstadt|Küstenstadt|Großstadt)\s+$",
    re.IGNORECASE,
)
#: "Jiangsu im Osten Chinas", "Nordrhein-Westfalen, im Herzen Europas", "Chengdu in Sichuan".
REGION_OF_GAP = re.compile(
    r"^\s*,?\s*(?:als\s+[\w\s-]{0,40}?)?(?:in|im)\s+(?:der\s+|dem\s+)?"
    r"(?:(?:Süden|Norden|Osten|Westen|Südwesten|Südosten|Nordwesten|Nordosten|Herzen|Zentrum|Mitte|Inneren|"
    r"südlichen|nördlichen|östlichen|westlichen|Teil)\s+)?$"
)
#: "Sichuan ist die fünftgrößte Provinz Chinas": a place type right before a genitive place.
GENITIVE_TYPE_GAP = re.compile(rf"{PLACE_TYPES}\s+$")
#: After a genitive place in an apposition, the place type that makes the place before it a part:
#: "Nordrhein-Westfalen, Deutschlands (wirtschaftlich bedeutendstes) Bundesland".
TYPE_AFTER_GENITIVE = re.compile(rf"^\s+(?:[a-zäöü][\w-]*\s+){{0,3}}?[\w-]*{PLACE_TYPES}\b")
#: ORG -> ORG: "CDHAW der Tongji-Universität", ", eine Tochter der ...".
PART_OF_GAP = re.compile(r"^\s*(?:der|des|im|am|beim|vom|of the|of)\s*$")
UNIT_OF_GAP = re.compile(
    r"^\s*(?:[a-zäöüß]+\s*)?,\s*(?:(?:eine?|die|der|das|dem|einer)\s+)?(?:\w+\s+)?(?:\w*[Tt]ochter\w*|Einrichtung|Abteilung|Behörde|Agentur|"
    r"Unterorganisation|Teil|Organisation|Dienststelle|Stiftung|Initiative|Plattform|Gesellschaft|Institut|Unternehmen|"
    r"Mitglied|\w*[Vv]erband|\w*[Vv]ertretung|Außenstelle|Niederlassung)\s+(?:der|des|von|vom|im)\s*$"
)
#: "X untersteht dem Y": a subordinate body
SUBORDINATE_GAP = re.compile(r"^\s*,?\s*(?:untersteht|unterstehen|unterstellt\s+ist)\s+(?:dem|der|den)\s*$")
#: "Nanjing" <- "Jiangsu mit der Hauptstadt": "Taizhou liegt an der Küste der Provinz": "Billwerder, einem Stadtteil im Osten"
LIES_IN_GAP = re.compile(
    rf"^\s+(?:liegt|liegen|gehört|gehören)\s+(?:(?:an\s+der\s+Küste|im\s+\w+en|im\s+\w+|zur|zum|mitten)\s+)?"
    rf"(?:in\s+)?(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$"
)
DISTRICT_OF_GAP = re.compile(
    rf"^\s*,\s*(?:{_DET}|eine|einen|ein)\s+{_ADJ}?(?:Stadtteil|Bezirk|Stadtbezirk|Kreis|Landkreis|Vorort|Ortsteil|"
    rf"Stadt|Gemeinde|Region)\s+(?:mit\s+[^,;()]{{0,50}}?\s+)?(?:(?:im|in\s+der|in)\s+(?:\w+\s+)?)?(?:von\s+|des\s+|der\s+)?"
    rf"(?:{PLACE_TYPES}\s+)?$"
)
#: "X aus Rosenheim": the home town of a company
FROM_PLACE_GAP = re.compile(rf"^\s+aus\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$")
#: "die in Dalian ansässige (Reederei) X"
BASED_GAP = re.compile(r"^\s+(?:ansässige|ansässigen|beheimatete|beheimateten|ansässiger)\s+(?:[A-ZÄÖÜ]\w+\s+)?$")
FACILITY = re.compile(r"(?i)(?:werk|werke|fabrik|büro|niederlassung|standort|produktion|fertigung|zentrale|labor|center)\b")
RUNS_AFTER = re.compile(r"^\s*(?:\)\s*)?(?:betreibt|betreiben|unterhält|unterhalten|eröffnet|eröffnete|hat|besitzt)\b")
#: A site of an organisation, as a (compound) noun: "Werk", "Europazentrale", "Niederlassungen",
#: "Servicegesellschaft", "Terminals", "Labore".
SITE_NOUN = (
    r"\w*(?:werk|werke|werken|fabrik|fabriken|büro|büros|büroräume|niederlassung|niederlassungen|standort|standorte|"
    r"standorten|zentrale|zentralen|sitz|labor|labore|laboren|lager|zentrum|zentren|drehkreuz|repräsentanz|repräsentanzen|"
    r"vertretung|vertretungen|gesellschaft|terminal|terminals|filiale|filialen|außenstelle|dependance|campus|"
    r"produktion|fertigung|produktionsstätte|hub)"
)
#: The words right before a place that make it the site of the organisation before them:
#: "..., die Labore in", "... an Standorten in", "... eine Vertriebs- und Servicegesellschaft in".
SITE_IN_BEFORE = re.compile(rf"(?i)\b{SITE_NOUN}\s+(?:in|im|nahe|bei)\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$")
#: Verbs (or a possessive) by which an organisation has a site: "betreibt", "unterhält",
#: "hat ... eröffnet", "deren Terminals", "mit Sitz".
SITE_VERB = re.compile(
    r"(?i)\b(?:betreib\w*|unterh[äa]lt\w*|hat|haben|hatte|eröffne\w*|errichte\w*|beschäftigt\w*|bezogen|bezieh\w*|"
    r"gründe\w*|gegründet|baut|bauen|verfügt|fertigt|produziert|mit|deren|dessen|ihre[nmrs]?|seine[nmrs]?|sein|ihr)\b"
)
#: After a place: the site that an organisation opened or built there ("hat in X ihre erste
#: Niederlassung eröffnet", "errichtet in X sein erstes Servicezentrum").
SITE_AFTER = re.compile(rf"(?i)^\s*(?:\S+\s+){{0,4}}?{SITE_NOUN}\b")
SITE_OPEN_VERB = re.compile(r"(?i)\b(?:hat|haben|eröffne\w*|errichte\w*|bezogen|bezieh\w*|gründe\w*|baut|bauen|plant|verlegt)\b")
#: "Staatssekretär X aus dem Ministerium ...": the body a person comes from
FROM_BODY_GAP = re.compile(r"^\s*(?:aus\s+dem|aus\s+der|von\s+dem|von\s+der|vom)\s+(?:[A-ZÄÖÜ][a-zäöüß]+(?:er|en|e)\s+)?$")
#: "Geschäftsführer der X ist Y", "Zum Leiter der X wurde Y (berufen)": a copula between organisation and person
COPULA_GAP = re.compile(
    r"^\s*(?:ist|sind|wird|wurde|bleibt|war)\s+(?:(?:seit|ab|künftig|nun|jetzt|weiterhin)\s+(?:\d{4}\s+)?)?"
    r"(?:(?:Herr|Frau|Dr\.|Prof\.|die|der)\s+)*(?:(?<=die )[A-ZÄÖÜ][a-zäöüß]+in\s+|(?<=der )[A-ZÄÖÜ][a-zäöüß]+(?:er|e)\s+)?"
    r"(?:(?:Dr\.|Prof\.)\s*)*$"
)
#: "Geleitet wird die X von der Sinologin Dr. Y": "von", a describing noun and titles before the person
LED_VON_GAP = re.compile(r"^\s*von\s+(?:(?:der|dem)\s+)?(?:[a-zäöüß]+e[nr]?\s+)?(?:[A-ZÄÖÜ][\w-]+\s+)?(?:(?:Dr|Prof)\.\s*)*$")
#: "... und dem chinesischen Co-Direktor Z": the next person of such a list, with its role word
LED_NEXT_GAP = re.compile(r"^\s*(?:,|und|sowie)\s+(?:(?:der|dem|die)\s+)?(?:[a-zäöüß]+e[nr]?\s+)?(?P<role>[A-ZÄÖÜ][\w-]+\s+)?(?:(?:Dr|Prof)\.\s*)*$")
#: A contact block: "Pressekontakt: X GmbH, Anna Beispiel, Pressesprecherin"
CONTACT = re.compile(r"(?i)\b(?:presse|medien)?kontakt\b|\bansprechpartner(?:in)?\b|\bpressestelle\b")
LED_PASSIVE_BEFORE = re.compile(r"\b(?:[Gg]eleitet|[Gg]eführt)\s+(?:wird|werden|wurde)\s+(?:die|der|das|den)?\s*$")
LED_BY_GAP = re.compile(r"^\s*(?:wird|wurde)\s+(?:seit\s+\S+\s+)?von\s+(?:(?:Herr|Frau|Dr\.|Prof\.)\s+)*$")
LED_AFTER = re.compile(r"^\s*(?:geleitet|geführt)\b")
#: Person -> organisation without a role word: "Hanno Rademacher (BSW)", "X vom Y", list items "X, Y,".
PLAIN_AFFILIATION_GAP = re.compile(r"^\s*(?:\(|vom|von der|von|bei der|beim|from|für den|für die|für das)\s*$")
LIST_GAP = re.compile(r"^\s*[,/–|-]\s*$")
#: A place-type phrase that may end a role phrase: "Minister ... des Landes".
ROLE_PLACE_TAIL = re.compile(
    r"(?:des|der|von)\s+(?:Landes|Stadt|Provinz|Bundeslandes|Freistaates?|Volksrepublik|Bundesrepublik|Kreises|"
    r"Region|Gemeinde|Regierung|Stadtregierung|Landesregierung|Provinzregierung|Bezirks)\s*$"
)
_CONNECTOR = r"(?:der|die|den|dem|des|von|vom|bei|beim|im|am|an der|in der|für|at|of|for|the|in|des|zu|zur|zum)"
STATT = re.compile(r"\b(?:statt|stattfinden|stattfand|stattgefunden|tagte|tagt|veranstaltet|ausgerichtet)\b")
IN_BEFORE = re.compile(rf"\b(?:in|im|nach)\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$")
ZWISCHEN = re.compile(rf"\bzwischen\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$", re.IGNORECASE)
#: A common noun that classifies the organisation named after it in a list: "und dem chinesischen
#: Automobilhersteller X", "sowie die Baumaschinenkonzerne X und Y".
ORG_CLASS_NOUN = (
    r"(?:[A-ZÄÖÜ][a-zäöüß-]*(?:hersteller|konzern|unternehmen|anbieter|zulieferer|dienstleister|gesellschaft|"
    r"verband|institut|hochschule|universität|bank|kammer|agentur|reederei|gruppe|ministerium|behörde|partner)"
    r"(?:e|en|n|s|es|innen|in)?\s+)"
)
COORD_GAP = re.compile(
    rf"^\s*(?:,|und|sowie|&|and|,\s*und)\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+|{ORG_CLASS_NOUN})?$|^\s*,\s*$"
)
#: A common noun that describes the organisation named after it: "dem Branchennetzwerk X",
#: "der Hafenmarketinggesellschaft X", "dem Hamburger Operateur X".
ORG_DESCRIPTOR = (
    r"(?:[A-ZÄÖÜ][a-zäöüß]+er\s+)?[A-ZÄÖÜ][a-zäöüß-]*(?:gesellschaft|netzwerk|verband|unternehmen|operateur|hersteller|"
    r"institut|universität|hochschule|dienstleister|konzern|gruppe|cluster|verein|initiative|agentur|bank|kammer|zentrum|"
    r"firma|zulieferer|reederei|klinikum|partner|partnerin)\s+"
)
MIT_BEFORE = re.compile(rf"\bmit\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+|[A-ZÄÖÜ]\w+n\s+|{ORG_DESCRIPTOR})?$")
RELATIONSHIP_GAP = re.compile(
    r"(?:^\s*(?:und|mit)\s+(?:die\s+|der\s+|dem\s+|ihre[rnm]?\s+|seine[rnm]?\s+)?(?:\w+en\s+|\w+e\s+)?Partner(?:provinz|stadt|region|land|städte|hochschule|universität)\s*$"
    r"|^[^.;:()]{0,40}\b(?:\w*[Pp]artner\w*|Freundschaftsstadt|Schwesterstadt)\b[^.;:()]{0,30}$"
    r"|Beziehungen\s+(?:zu|mit)\s+(?:der\s+|dem\s+|den\s+)?\w*\s*$|(?:kooperier|arbeite)\w*\s+(?:eng\s+|seit\s+\w+\s+)?mit\s+(?:der\s+|dem\s+|den\s+)?$)",
    re.IGNORECASE,
)
PARTNER_OF_GAP = re.compile(
    rf"Partner\w*\s+(?:{_DET}|von|vom)\s+(?:{_ADJ})?(?:Landes|Stadt|Provinz|Freistaates|Bundeslandes)?\s*$"
)


#: A one-token compound of a name and a role word right before a person: "IBS-Leiterin ", "NRW-Wirtschaftsminister Dr. ".
COMPOUND_ROLE_BEFORE = re.compile(
    r"(?:^|\s)(?P<name>[A-ZÄÖÜ][\wÄÖÜäöüß.&]*?[A-ZÄÖÜ.][\wÄÖÜäöüß.&]*)-(?P<role>[A-ZÄÖÜ][\wäöüß-]+)\s+"
    r"(?:(?:Dr\.|Prof\.|Herr|Frau|Dr\.-Ing\.)\s+)*$"
)
#: A list of examples after a place: "Unternehmen in Changzhou, darunter X und Y".
AMONG_GAP = re.compile(r"^\s*,?\s*(?:darunter|u\.\s?a\.|unter anderem|etwa|wie|beispielsweise|z\.\s?B\.)\s+(?:die\s+|der\s+|das\s+)?$")
#: "(l.)", "(r.)", "(Mitte)" after a name in photo captions.
PHOTO_POSITION = re.compile(r"\s*\((?:l|r|li|re|links|rechts|m|Mitte|v\.\s?l\.(?:\s?n\.\s?r\.)?)\.?\)")


#: "X ist (seit 2019) Geschäftsführer der Y", "X wurde zum Präsidenten der Y gewählt": a copula before the role
COPULA_START = re.compile(r"^(?:ist|war|wird|wurde|bleibt)\b")
_AFTER_COPULA = {"ab", "künftig", "nun", "jetzt", "weiterhin", "bereits", "neuer", "neue", "neuen", "ein", "eine", "einer",
                 "zum", "zur", "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
                 "oktober", "november", "dezember"}


def role_after_person(gap: str) -> str | None:
    """Role word of a gap after a person and before an organisation/place, "" if a role
    phrase without word, None if the gap is no role phrase.

    ", Geschäftsführer der " -> "Geschäftsführer"; ", der stellvertretende
    Ministerpräsident des Bundeslandes " -> "stellvertretende Ministerpräsident";
    ", Minister für Wirtschaft, Innovation ... des Landes " -> "Minister".
    """
    text = gap.strip()
    copula = COPULA_START.match(text)
    if not text.startswith(",") and not text.startswith("(") and not copula:
        return None
    words = text[copula.end():].split() if copula else text.lstrip(",(").split()
    while words and (words[0].lower() in {"der", "die", "den", "dem", "als", "seit", "damals", "jetzt", "heute"}
                     or (copula and (words[0].lower() in _AFTER_COPULA or re.fullmatch(r"\d{4}|\d{1,2}\.", words[0])))):
        words.pop(0)
    mods: list[str] = []
    while words and roles.is_role_modifier(words[0]) and not roles.role_word(words[0]):
        mods.append(words.pop(0))
    if not words:
        return None
    role = roles.role_word(words[0].rstrip(","))
    if role is None:
        return None
    rest = " ".join(words[1:])
    if words[0].endswith(","):
        return None
    ok = (
        not rest
        or re.fullmatch(rf"(?:{_CONNECTOR}\s+)*(?:{_ADJ})?(?:{_CONNECTOR}\s+)*", rest + " ") is not None
        or (len(words) <= 8 and not re.search(r"[,;:()]", rest) and re.search(rf"{_CONNECTOR}$", rest))
        or (len(words) <= 16 and ROLE_PLACE_TAIL.search(rest) and not re.search(r"[;:()]", rest))
    )
    if not ok:
        return None
    return " ".join(mods + [role])


#: Role words of public offices held for a place (AFFILIATED when no organisation is named).
PUBLIC_OFFICES = re.compile(
    r"(?:^|[\s-])((?:stellvertretende[rn]?\s+|Vize-?)?(?:Ministerpräsident(?:in|en)?|\w*[Mm]inister(?:in)?|Gouverneur(?:in|s)?|"
    r"Vizegouverneur(?:in|s)?|(?:Ober)?[Bb]ürgermeister(?:in)?|Staatssekretär(?:in)?|Landrat|Landrätin|Regierungspräsident(?:in)?))"
    r"(?:\s+(?:Dr\.|Prof\.|Herr|Frau))*\s*$"
)


def public_office(text: str) -> str | None:
    """The public office right before a person: "Ministerpräsidentin " -> "Ministerpräsidentin"."""
    match = PUBLIC_OFFICES.search(text)
    return match.group(1) if match else None


LED_BY = re.compile(
    r"^,?\s*(?:vertreten\s+durch|unter\s+(?:der\s+)?Leitung|geleitet\s+von|angeführt\s+von)\s+"
    r"(?:den|die|der|dem|ihres|seines|ihrer|seiner|ihren|seinen|von)?\s*(?P<rest>[^;:()]{2,80})$"
)


def role_before_person(gap: str) -> str | None:
    """Role word of a gap after an organisation/place and before a person:
    "-Leiterin " -> "Leiterin", "s Ministerpräsident " / " Ministerpräsident " (after
    a genitive) -> "Ministerpräsident"; titles may follow ("-Präsident Dr. ")."""
    text = gap.strip()
    led = LED_BY.match(text)
    if led:  # "(DHIK), vertreten durch den Vorsitzenden, Professor Dr.-Ing. " / "unter Leitung ihres Präsidenten "
        words = [w for w in led.group("rest").replace(",", " ").split() if not roles.is_title(w)]
        if len(words) == 1 or (len(words) == 2 and roles.is_role_modifier(words[0])):
            role = roles.role_word(words[-1])
            return " ".join(words[:-1] + [role]) if role else None
        return None
    if not text or text.startswith(","):
        return None
    words = text.split()
    while words and roles.is_title(words[-1]):
        words.pop()
    if not words or len(words) > 3:
        return None
    first = words[0]
    if first.startswith("-"):
        first = first[1:]
    elif first == "s" and len(words) > 1:
        words = words[1:]
        first = words[0]
    elif not gap.startswith((" ", "-")):
        return None
    words[0] = first
    *mods, last = words
    if not all(roles.is_role_modifier(m) for m in mods):
        return None
    role = roles.role_word(last)
    return " ".join(mods + [role]) if role else None


def role_ending(text: str) -> str | None:
    """Role word at the end of ``text`` followed by an article: "Der Geschäftsführer der " ->
    "Geschäftsführer" (for "... der CHKD, Herr DUAN Wei")."""
    match = re.search(
        rf"(\S+)\s+(?:(?:{_DET}|von|vom|bei|beim|im)\s+)?(?:{_ADJ})?(?:(?:{PLACE_TYPES}|Landes|Bundeslandes|Freistaates)\s+)?$", text
    )  # "Wirtschaftsministerin des Landes " X

    if not match:
        return None
    return roles.role_word(match.group(1))


def _title_gap(gap: str) -> bool:
    """", Herr " / ", " / " " between an organisation and the person whose role preceded it."""
    words = gap.replace(",", " ").split()
    return all(roles.is_title(w) for w in words) and len(gap) <= 25


def _list_end(after: str) -> bool:
    """The organisation of a list item "X, ORG" is followed by a separator or the end."""
    return bool(re.match(r"^\s*(?:[,;/|–)]|und\b|sowie\b|$)", after)) or not after.strip()
