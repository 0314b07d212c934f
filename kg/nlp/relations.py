"""Relation component ``kg_relations``: fills ``Doc._.relations``.

No German dependency parser can be installed here, so relations come from
patterns over the entity-labelled sentence: the sentence is cut into entity
*units* (an entity plus an acronym in parentheses after it, "China
Competence Center (CCC)") and the *gaps* of plain text between them. A
pattern is a test on the labels of two units and the gap(s) around them
("PER ', Geschäftsführer der ' ORG" is a ROLE). Working on gap text rather
than tokens keeps the patterns independent of how the tokenizer cuts
compounds ("IBS-Leiterin" as one token or three). The lexicon (role words,
trigger words) lives in kg.nlp.roles; every relation keeps its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp import roles
from kg.nlp.agreements import name_agreements
from kg.nlp.coref import NATIVE_SPELLING_GAP
from kg.nlp.extensions import RelationSpan, register_extensions
from kg.nlp.gaps import (
    AGREEMENT_ATTACH_GAP,
    AMONG_GAP,
    ATTACH_VERB,
    BASED_GAP,
    CAPITAL_OF_GAP,
    COMPOUND_ROLE_BEFORE,
    COORD_GAP,
    CONTACT,
    COPULA_GAP,
    COUNTRY_ADJECTIVES,
    DISTRICT_OF_GAP,
    FACILITY,
    FROM_BODY_GAP,
    FROM_PLACE_GAP,
    GENITIVE_TYPE_GAP,
    HAS_PLACES_GAP,
    IN_BEFORE,
    LED_AFTER,
    LED_BY_GAP,
    LED_NEXT_GAP,
    LED_VON_GAP,
    LED_PASSIVE_BEFORE,
    LIES_IN_GAP,
    LIST_GAP,
    LOCATIVE_GAP,
    MIT_BEFORE,
    NATIONAL_PLACE,
    OCCASION_BEFORE,
    OFFICE_GAP,
    PAREN_PLACE_GAP,
    PARTNERSHIP,
    PARTNER_OF_GAP,
    PART_OF_GAP,
    PHOTO_POSITION,
    PLACE_TYPES,
    PLAIN_AFFILIATION_GAP,
    REGION_OF_GAP,
    RELATIONSHIP_GAP,
    RUNS_AFTER,
    SETTLED,
    SITE_AFTER,
    SITE_IN_BEFORE,
    SITE_OPEN_VERB,
    SITE_VERB,
    STATT,
    SUBORDINATE_GAP,
    TYPE_AFTER_GENITIVE,
    UNIT_OF_GAP,
    ZWISCHEN,
    _ADJ,
    _DET,
    _list_end,
    _title_gap,
    doc_text,
    public_office,
    role_after_person,
    role_before_person,
    role_ending,
)
from kg.nlp.names import CHINESE_SURNAMES, canonical_name, is_acronym, is_pinyin
from kg.nlp.places import contains, lookup

@dataclass
class Unit:
    """An entity mention, with an acronym/alias in parentheses right after it absorbed."""

    ent: Span
    end_char: int  # end of the unit (after the closing parenthesis, if any)
    members: tuple[Span, ...]

    @property
    def label(self) -> str:
        return self.ent.label_

    @property
    def start_char(self) -> int:
        return self.ent.start_char


def canonical(span: Span) -> str:
    return span._.canonical or span.text


def make_units(doc: Doc, ents: list[Span]) -> list[Unit]:
    """Group "Name (ACR)" into one unit; other entities are units of their own."""
    units: list[Unit] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        if i + 1 < len(ents):
            nxt = ents[i + 1]
            gap = doc_text(doc)[ent.end_char : nxt.start_char]
            after = doc_text(doc)[nxt.end_char : nxt.end_char + 3]
            same = nxt.label_ == ent.label_ and canonical(nxt) == canonical(ent)
            acronym = nxt.label_ == ent.label_ != "LOC" and is_acronym(nxt.text)
            native = NATIVE_SPELLING_GAP.match(gap.strip()) and nxt.label_ == ent.label_
            if (gap.strip() == "(" or native) and after.lstrip().startswith(")") and (same or acronym or native):
                close = doc_text(doc).index(")", nxt.end_char)
                units.append(Unit(ent, close + 1, (ent, nxt)))
                i += 2
                continue
        units.append(Unit(ent, ent.end_char, (ent,)))
        i += 1
    return units


#: Words near "X und Y" that make the pair partners: "X und Y verbindet eine Partnerschaft",
#: "unter Mitwirkung der Stadt X und der Y", "X und Y sind maßgeblich beteiligt".
JOINT_CONTEXT = re.compile(
    r"(kooperier|verbind|verbunden|partnerschaft|zusammenarbeit|arbeiten|pflegen|partner|freundschaft|"
    r"mitwirkung|beteiligt|gemeinsam|gründung|organisiert|veranstaltet|ausgerichtet)",
    re.IGNORECASE,
)
#: "gemeinsam mit" / "zusammen mit" right before the partner (not a bare "mit")
JOINTLY_WITH = re.compile(
    r"(?i)\b(?:gemeinsam|zusammen|in\s+kooperation|in\s+zusammenarbeit|im\s+verbund|in\s+partnerschaft)\s+mit\s+\S*\s*\S*\s*$"
)
#: Support by a partner: "mit (freundlicher) Unterstützung der X", "unterstützt von X".
SUPPORT_BEFORE = re.compile(
    r"(?i)\bmit\s+(?:freundlicher\s+|finanzieller\s+)?unterstützung\s+(?:von|vom|durch|der|des)\s+(?:der\s+|dem\s+|den\s+|des\s+)?"
    rf"{_ADJ}?$"
)
#: A passive of accompanying or supporting with the agent after it: "wurde X von der Y begleitet",
#: "begleitet wurde X (gemeinsam) von der Y und der Z".
ACCOMPANIED_GAP = re.compile(
    rf"^\s+(?:\w+\s+){{0,3}}?(?:gemeinsam\s+)?(?:von|vom)\s+(?:der\s+|dem\s+|den\s+)?{_ADJ}?(?:[A-ZÄÖÜ][a-zäöüß-]+\s+)?$"
)
ACCOMPANIED_VERB = re.compile(r"(?i)\b(?:begleitet|unterstützt|betreut|beraten)\b")
#: "Kooperationspartner von X (auf chinesischer Seite) ist Y"
PARTNER_OF_BEFORE = re.compile(r"(?i)partner\w*\s+(?:von|vom|des|der)\s+(?:der\s+|dem\s+)?$")
PARTNER_IS_GAP = re.compile(rf"^[^.;:()]{{0,40}}?\b(?:ist|sind|war|waren)\s+(?:der\s+|die\s+|das\s+)?{_ADJ}?$")
#: Words before a list of organisations that make the list joint organisers or joint owners.
JOINT_BODY_BEFORE = re.compile(
    r"(?i)(?:\b(?:mit)?(?:veranstalter|ausrichter|gastgeber)(?:in|innen)?\s+(?:sind|waren)|\b(?:organisiert|veranstaltet|ausgerichtet|getragen|"
    r"initiiert)\s+(?:\w+\s+){0,4}?(?:von|vom)|\b(?:gemeinschafts\w+|joint\s+venture)\s+(?:von|vom)?"
    r"|\b(?:projekt|kooperations)?partner(?:innen)?\s+(?:\w+\s+){0,3}?(?:sind|waren))"
    rf"\s*(?:der|die|das|des|dem|den)?\s*{_ADJ}?(?:[A-ZÄÖÜ][a-zäöüß-]+\s+)?$"
)
#: ORG -> ORG membership stated by a verb: "X gehört seit 2010 zur Y", "X ist Teil der Y",
#: "X ist eine Tochtergesellschaft der Y", "X ist Mitglied im Y".
BELONGS_GAP = re.compile(
    r"^\s*[,–-]?\s*(?:(?:gehört|gehören|gehörte)\s+(?:\S+\s+){0,3}?(?:zur|zum|zu\s+der|zu\s+dem|zu)"
    r"|(?:ist|sind|war|wurde|als)\s+(?:\S+\s+){0,2}?(?:ein|eine|einer|eines\s+der)?\s*(?:\w+\s+)?"
    r"(?:Teil|Tochter\w*|Mitglied\w*|Einrichtung(?:en)?|Abteilung|Unterorganisation|Bestandteil|Institut(?:e|en)?|Mitgliedsinstitut\w*"
    r"|Agentur|Behörde|Dienststelle|Unterbehörde)"
    r"\s+(?:der|des|von|vom|im|in\s+der|in\s+dem|bei\s+der))\s*"
    # the parent's kind before its name: "eine Agentur des chinesischen Handelsministeriums MOFCOM", "Mitglied im Netzwerk X"
    rf"(?:{_ADJ}?(?=[A-ZÄÖÜ])[\w-]*?(?i:ministeriums|ministerium|netzwerk|netzwerks|verband|verbands|verbandes|verein|vereins|cluster|clusters)\s+)?$"
)
#: "X ... deren Tochter Y": the organisation after the gap is a unit of the one before it
OWN_UNIT_GAP = re.compile(r"\b(?:deren|dessen|ihre|seine|ihrer|seiner)\s+(?:[a-zäöüß]+e[nr]?\s+)?(?:Tochter\w*|Einrichtung|Niederlassung|Außenstelle)\s*$")
BELONGS_BEFORE_GAP = re.compile(r"^\s*,\s*(?:die|der|das|welche|welcher|welches)\s+(?:\S+\s+){0,3}?(?:zur|zum|zu)\s*$")
BELONGS_AFTER = re.compile(r"^\s*(?:gehört|gehören|gehörte)\b")
#: ", die (seit 1990) in " before a place and a settling verb after it (LOCATED_IN).
RELATIVE_IN_GAP = re.compile(
    rf"^\s*,\s*(?:die|der|das|welche|welcher|welches)\s+(?:[\w.-]+\s+){{0,5}}?(?:in|im)\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$"
)
SETTLED_AFTER = re.compile(
    r"^\s*(?:\)\s*)?(?:arbeitet|arbeiten|produziert|produzieren|sitzt|sitzen|ansässig|tätig|angesiedelt|niedergelassen|"
    r"beheimatet|vertreten\s+ist|präsent|forscht|fertigt|ihren\s+Sitz|seinen\s+Sitz)\b"
)
#: Helpers, not parties or actors: "in Abstimmung mit dem X", "im Auftrag des X", "mit Unterstützung der X".
ASSISTANT_BEFORE = re.compile(
    r"\b(?:in\s+Abstimmung\s+mit|im\s+Auftrag|mit\s+(?:freundlicher\s+)?Unterstützung|unter\s+Schirmherrschaft|"
    r"gefördert\s+(?:durch|von)|finanziert\s+(?:durch|von))\s+(?:der|des|dem|den|von)?\s*(?:\w+(?:en|e)\s+)?$",
    re.IGNORECASE,
)
#: The gap between a person with a role and the next person who holds another function in the same
#: body: ", und der stellvertretende Direktor (Dr.) " (the role word is checked by roles.role_word).
DEPUTY_GAP = re.compile(
    r"^\s*,?\s*(?:und|sowie)\s+(?:der|die|dem|den|des)\s+(?P<mods>(?:[a-zäöü][\w-]*(?:e|en|er)\s+){0,2})"
    r"(?P<role>[A-ZÄÖÜ][\w-]+)\s+(?:(?:Dr\.|Prof\.|Professor|Herr|Frau|Herrn)\s+)*$"
)
DEPUTY_ROLE = re.compile(r"(?i)^(?:vize|stellv|co-|ko-|haupt)")
#: A unit of an organisation between a role word and the organisation: "Leiterin des
#: Sprachenzentrums der " (X), cut off so that the role word ends the text.
SUBUNIT_END = re.compile(r"\s[A-ZÄÖÜ][\w-]*s\s+(?:der|des)\s+$")
#: A plural place type that introduces a list of places: "die Städte X, Y und Z", "den Kreisen X und Y".
PLACE_LIST_BEFORE = re.compile(
    r"\b(?:Städte[n]?|Kommunen|Gemeinden|Kreise[n]?|Landkreise[n]?|Provinzen|Bezirke[n]?|Stadtteile[n]?|Regionen|Länder[n]?|"
    r"Bundesländer[n]?|Großstädte[n]?|Metropolen)\s+$"
)
#: "X, Y und Z bilden (gemeinsam) das Bergische Städtedreieck": the places make up the larger one.
PLACES_FORM_GAP = re.compile(rf"^\s+(?:bilden|bildet|formen)\s+(?:gemeinsam\s+|zusammen\s+)?(?:das|die|den)\s+{_ADJ}?$")
#: Witnesses of a signing are not its parties: "Im Beisein von Ministerpräsident X unterzeichneten ..."
WITNESS_BEFORE = re.compile(r"(?i)\b(?:im\s+beisein|in\s+(?:anwesenheit|gegenwart))\s+(?:von|vom|des|der)\s+(?:\S+\s+){0,3}$")
QUOTES = re.compile(r"[„“”\"»«‚‘’]")


def evidence_spans(doc: Doc) -> Iterator[Span]:
    """The sentences of ``doc``, cut again at line breaks.

    A line break in a press release ends a heading, a caption or a list item
    even where the sentencizer saw no full stop ("Mobilität der Zukunft ...
    China\n\nAuf Einladung ..."), so no relation and no evidence sentence
    crosses one.
    """
    sentences = doc.sents if (doc.has_annotation("SENT_START") or len(doc) == 0) else [doc[:]]
    text = doc_text(doc)  # span.text == text[span.start_char : span.end_char], without a walk over tokens
    for sent in sentences:
        start = sent.start_char
        for match in re.finditer(r"\n", text[sent.start_char : sent.end_char]):
            end = sent.start_char + match.start()
            span = doc.char_span(start, end, alignment_mode="contract") if end > start else None
            if span is not None and text[span.start_char : span.end_char].strip():
                yield span
            start = end + 1
        span = doc.char_span(start, sent.end_char, alignment_mode="contract") if sent.end_char > start else None
        if span is not None and text[span.start_char : span.end_char].strip():
            yield span


class RelationExtractor:
    """Pattern-based extractor of the eight guideline relation types."""

    def __call__(self, doc: Doc) -> Doc:
        found: list[RelationSpan] = []
        seen: set[tuple[str, str, str]] = set()
        doc_ents = list(doc.ents)  # doc.ents builds new Span objects on every access
        for sent in evidence_spans(doc):
            ents = [e for e in doc_ents if sent.start_char <= e.start_char and e.end_char <= sent.end_char]
            if not ents:  # one mention may still relate to a mention elsewhere ("IBS-Leiterin X")
                continue
            for rel in SentenceRelations(doc, sent, ents, doc_ents).all():
                key = _key(rel)
                if key[1] == key[2] or key in seen:
                    continue
                seen.add(key)
                found.append(rel)
        found += [r for r in _event_anaphora(doc, doc_ents) if _key(r) not in seen]
        name_agreements(doc, found)
        doc._.relations = _unique(found)
        return doc


class SentenceRelations:
    """The patterns, applied to one sentence."""

    def __init__(self, doc: Doc, sent: Span, ents: list[Span], doc_ents: list[Span] | None = None) -> None:
        self.doc = doc
        self.sent = sent
        self.text = doc_text(doc)[sent.start_char : sent.end_char]  # == sent.text, without a walk over its tokens
        self.units = make_units(doc, ents)
        self.doc_ents = list(doc.ents) if doc_ents is None else doc_ents  # all entities of the document

    # -- helpers -----------------------------------------------------------------------------
    def gap(self, i: int, j: int) -> str:
        """Text between unit i and unit j (i < j), photo positions such as "(l.)" removed."""
        text = doc_text(self.doc)[self.units[i].end_char : self.units[j].start_char]
        return QUOTES.sub("", PHOTO_POSITION.sub("", text))

    def before(self, i: int, chars: int = 80) -> str:
        """Text of the sentence before unit i (up to ``chars`` characters, not past unit i-1)."""
        start = self.units[i - 1].end_char if i > 0 else self.sent.start_char
        start = max(start, self.units[i].start_char - chars)
        return doc_text(self.doc)[start : self.units[i].start_char]

    def after(self, i: int, chars: int = 80) -> str:
        end = self.units[i + 1].start_char if i + 1 < len(self.units) else self.sent.end_char
        return doc_text(self.doc)[self.units[i].end_char : min(end, self.units[i].end_char + chars)]

    def rel(self, type_: str, head: Unit, tail: Unit, role: str | None = None) -> RelationSpan:
        return RelationSpan(type_, head.ent, tail.ent, role, self.sent)

    def all(self) -> Iterator[RelationSpan]:
        for pattern in (self.roles, self.contacts, self.locations, self.part_of, self.agreements, self.cooperation, self.events, self.meetings):
            yield from pattern()

    # -- ROLE / AFFILIATED -------------------------------------------------------------------
    def roles(self) -> Iterator[RelationSpan]:
        held: dict[int, RelationSpan] = {}  # person start -> the ROLE found for that person
        for rel in self._roles():
            if rel.type == "ROLE":
                held.setdefault(rel.head.start_char, rel)
            yield rel
        yield from self._deputies(held)

    def _deputies(self, held: dict[int, RelationSpan]) -> Iterator[RelationSpan]:
        """ "Der Direktor der X, A, und der stellvertretende Direktor B": B holds a function in
        the body of the person before, if it is a deputy's or the same function ("und der
        Botschafter B" may serve elsewhere). ``held`` maps a person's start to its ROLE."""
        units = self.units
        for k in range(1, len(units)):
            previous = held.get(units[k - 1].start_char)
            if units[k].label != "PER" or previous is None or units[k].start_char in held:
                continue
            match = DEPUTY_GAP.match(self.gap(k - 1, k))
            role = roles.role_word(match.group("role")) if match else None
            if match and role and (match.group("mods").strip() or DEPUTY_ROLE.match(role) or role == previous.role):
                rel = RelationSpan("ROLE", units[k].ent, previous.tail, " ".join(match.group("mods").split() + [role]), self.sent)
                held[units[k].start_char] = rel
                yield rel

    def _roles(self) -> Iterator[RelationSpan]:
        units = self.units
        for i, unit in enumerate(units):
            if unit.label != "PER":
                continue
            # PER ", Geschäftsführer der" ORG|LOC
            if i + 1 < len(units):
                tail = units[i + 1]
                role = role_after_person(self.gap(i, i + 1))
                if role is not None and tail.label in {"ORG", "LOC"} and not self._role_of_next_person(i + 1):
                    yield self.rel("ROLE" if tail.label == "ORG" else "AFFILIATED", unit, tail, role or None)
                    continue
                if tail.label == "ORG" and (PLAIN_AFFILIATION_GAP.match(self.gap(i, i + 1)) or re.fullmatch(r"[ \t]+", self.gap(i, i + 1))):
                    yield self.rel("ROLE", unit, tail, self._role_before(i))
                    continue
                # "Staatssekretär Dr. X aus dem Ministerium für ...": a function before the name, the body after it
                if tail.label == "ORG" and FROM_BODY_GAP.match(self.gap(i, i + 1)):
                    role = self._role_before(i)
                    if role is not None:
                        yield self.rel("ROLE", unit, tail, role)
                        continue
                if tail.label == "LOC" and re.match(r"^\s*(?:vom|für\s+den|für\s+die|für\s+das)\s*$", self.gap(i, i + 1)):
                    yield self.rel("AFFILIATED", unit, tail, None)
                    for k in self._coordinated_before(i):  # "Landrat X und Y vom Lahn-Dill-Kreis"
                        if units[k].label == "PER":
                            yield self.rel("AFFILIATED", units[k], tail, None)
                    continue
                if tail.label == "ORG" and LIST_GAP.match(self.gap(i, i + 1)) and _list_end(self.after(i + 1)):
                    yield self.rel("ROLE", unit, tail, None)
                    continue
            # ORG "-Leiterin" PER, LOC"s Ministerpräsident" PER, "Leiter des" ORG ", Herr" PER
            if i > 0:
                prev = units[i - 1]
                if prev.label in {"ORG", "LOC"}:
                    gap = self.gap(i - 1, i)
                    role = role_before_person(gap)
                    if role is None and (_title_gap(gap) or COPULA_GAP.match(gap)) and not self._is_apposition(i - 1):
                        # "Leiter des X, Herr Y"; "Geschäftsführer der X ist Y", "Zum Leiter der X wurde Y berufen"
                        role = role_ending(self.before(i - 1)) or role_ending(SUBUNIT_END.sub(" ", self.before(i - 1)))
                    if role is None and prev.label == "ORG" and (
                        (LED_VON_GAP.match(gap) and LED_PASSIVE_BEFORE.search(self.before(i - 1, 40)))
                        or (LED_BY_GAP.match(gap) and LED_AFTER.match(self.after(i, 30)))
                    ):
                        role = ""  # "Geleitet wird die X von Y", "X wird von Y geleitet": a role without its word
                        # "... von Dr. Y und dem chinesischen Co-Direktor Z": Z too
                        k = i
                        while k + 1 < len(units) and units[k + 1].label == "PER":
                            follow = LED_NEXT_GAP.match(self.gap(k, k + 1))
                            if follow is None:
                                break
                            k += 1
                            word = roles.role_word(follow.group("role").strip()) if follow.group("role") else None
                            yield self.rel("ROLE", units[k], prev, word)
                    if role is not None:
                        yield self.rel("ROLE" if prev.label == "ORG" else "AFFILIATED", unit, prev, role or None)
                        continue
            # "IBS-Leiterin Annette Klerks" where "IBS-Leiterin" is one token: the organisation is
            # another mention of "IBS" in the document
            compound = COMPOUND_ROLE_BEFORE.search(self.before(i, 60))
            if compound is not None and (i == 0 or units[i - 1].end_char <= self.units[i].start_char - len(compound.group(0))):
                role = roles.role_word(compound.group("role"))
                target = self._named_elsewhere(compound.group("name")) if role else None
                if target is not None:
                    yield RelationSpan("ROLE" if target.label_ == "ORG" else "AFFILIATED", unit.ent, target, role, self.sent)
                    continue
            # "Ministerpräsidentin Hannelore Kraft ... NRW": a public office and the one region of the sentence
            office = public_office(self.before(i, 60))
            if office is not None:
                # "Landrat X (Kreis Mettmann)": the place in parentheses right after the office holder
                if i + 1 < len(units) and units[i + 1].label == "LOC" and self._place_in_parentheses(i):
                    yield self.rel("AFFILIATED", unit, units[i + 1], office)
                    continue
                place = self._office_place(i, office)
                if place is not None:
                    yield self.rel("AFFILIATED", unit, place, office)

    def contacts(self) -> Iterator[RelationSpan]:
        """A contact block ("Pressekontakt: X GmbH, Anna Beispiel, Pressesprecherin"): each
        person speaks for the nearest organisation of the block with no other person between;
        the role is the function word after the name, if any."""
        contact = CONTACT.search(self.text)
        if contact is None:
            return
        units = self.units
        start = self.sent.start_char + contact.end()
        block = [k for k, u in enumerate(units) if u.start_char >= start]
        for k in block:
            if units[k].label != "PER":
                continue
            orgs = [
                o for o in block
                if units[o].label == "ORG"
                and not any(units[m].label == "PER" for m in range(min(o, k) + 1, max(o, k)))
                and not re.search(r"[.;]\s", self.gap(min(o, k), max(o, k)))  # another entry or sentence
            ]
            if not orgs:
                continue
            o = min(orgs, key=lambda o: abs(o - k))
            words = self.after(k, 40).lstrip(" ,").split(",")[0].split()
            role = roles.role_word(words[0]) if words else None
            yield self.rel("ROLE", units[k], units[o], role)

    # -- LOCATED_IN / PART_OF (places) -------------------------------------------------------
    def locations(self) -> Iterator[RelationSpan]:
        units = self.units
        for i, head in enumerate(units[:-1]):
            tail = units[i + 1]
            if tail.label != "LOC" or head.label not in {"ORG", "EVENT", "LOC"}:
                continue
            gap = self.gap(i, i + 1)
            paren = self._place_in_parentheses(i)
            if head.label == "LOC":
                stated = (
                    re.match(rf"^\s*,?\s*(?:in|im)\s+(?:{_DET}\s+)?{_ADJ}?{PLACE_TYPES}\s+$", gap)
                    or paren
                    or CAPITAL_OF_GAP.match(gap)
                    or (REGION_OF_GAP.match(gap) and _lies_in(head.ent, tail.ent, strict=True))
                    or (GENITIVE_TYPE_GAP.search(gap) and tail.ent.text.endswith("s") and _lies_in(head.ent, tail.ent, strict=True))
                    or (
                        gap.strip() == ","
                        and tail.ent.text.endswith("s")
                        and TYPE_AFTER_GENITIVE.match(self.after(i + 1, 60))
                        and _lies_in(head.ent, tail.ent, strict=True)
                    )
                    or LIES_IN_GAP.match(gap)
                    or DISTRICT_OF_GAP.match(gap)
                    # "im Bezirk Wujin in Changzhou": a district named as such, in its city
                    or (gap.strip() == "in" and re.search(rf"\b{PLACE_TYPES}\s+$", self.before(i, 30)))
                    # "der Bezirk Bao'an von Shenzhen" (not "die Provinzhauptstadt Hefei von Shanghai aus")
                    or (gap.strip() == "von" and re.search(r"(?i)\b(?:stadt)?(?:bezirk|teil|distrikt|ortsteil|kreis)\s+$", self.before(i, 30)))
                    # "Die Städte X, Y und Z im Bergischen Land", "X, Y und Z bilden das Bergische Städtedreieck"
                    or (gap.strip() in {"in", "im", "in der"} and PLACE_LIST_BEFORE.search(self.before(min([i] + self._coordinated_before(i)), 40)))
                    or PLACES_FORM_GAP.match(gap)
                    # "im Medienhafen in Düsseldorf": a bare preposition
                    # only where the gazetteer agrees or does not know the smaller place
                    or (gap.strip() in {"in", "im"} and (lookup(canonical(head.ent)) is None or _lies_in(head.ent, tail.ent, strict=True)))
                )
                if stated and _lies_in(head.ent, tail.ent):
                    yield self.rel("PART_OF", head, tail)
                    # "die Städte Taicang und Changzhou in Jiangsu": the coordinated places too
                    k = i
                    while k > 0 and units[k - 1].label == "LOC" and re.fullmatch(r"\s*(?:,|und|sowie)\s*", self.gap(k - 1, k)):
                        k -= 1
                        if _lies_in(units[k].ent, tail.ent):
                            yield self.rel("PART_OF", units[k], tail)
            elif LOCATIVE_GAP.match(gap) or paren or (OFFICE_GAP.match(gap) and not re.search(r"[,;:()]", gap)):
                yield self.rel("LOCATED_IN", head, tail)
                # "Vertretungen in China (Beijing, Shanghai, ...)": the cities listed after the country
                if i + 2 < len(units) and self.gap(i + 1, i + 2).strip() == "(":
                    for k in [i + 2] + self._coordinated_after(i + 2):
                        if units[k].label == "LOC" and _lies_in(units[k].ent, tail.ent, strict=True):
                            yield self.rel("LOCATED_IN", head, units[k])
                for k in self._coordinated_after(i + 1):  # "Büros in Beijing, Shanghai und Nanjing"
                    if units[k].label == "LOC" and not _lies_in(units[k].ent, tail.ent, strict=True):
                        yield self.rel("LOCATED_IN", head, units[k])
                # "in Chengdu in der chinesischen Provinz Sichuan": the larger place too
                if i + 2 < len(units) and units[i + 2].label == "LOC" and _lies_in(tail.ent, units[i + 2].ent, strict=True):
                    if re.match(rf"^\s*,?\s*(?:in|im)\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$", self.gap(i + 1, i + 2)):
                        yield self.rel("LOCATED_IN", head, units[i + 2])
            # "China (Beijing, Shanghai, Nanjing)": places listed in parentheses after a region
            if head.label == "LOC" and gap.strip() == "(":
                for k in [i + 1] + self._coordinated_after(i + 1):
                    if units[k].label == "LOC" and _lies_in(units[k].ent, head.ent, strict=True):
                        yield self.rel("PART_OF", units[k], head)
            # "Maharashtra mit den Städten Pune, Nashik und Mumbai", "Jiangsu und ihre kreisfreie Stadt Suqian"
            if head.label == "LOC" and HAS_PLACES_GAP.match(gap):
                for k in [i + 1] + self._coordinated_after(i + 1):
                    if units[k].label == "LOC" and _lies_in(units[k].ent, head.ent):
                        yield self.rel("PART_OF", units[k], head)
        # "X, die weiterhin erfolgreich in Y (Z) arbeitet": a relative clause that settles an organisation
        for i, head in enumerate(units[:-1]):
            if head.label == "ORG" and units[i + 1].label == "LOC" and RELATIVE_IN_GAP.match(self.gap(i, i + 1)):
                k = i + 1
                tail_text = self.after(k, 60)
                if k + 1 < len(units) and units[k + 1].label == "LOC" and self.gap(k, k + 1).strip() == "(":
                    tail_text = doc_text(self.doc)[units[k + 1].end_char : units[k + 1].end_char + 60].lstrip(") ")
                if SETTLED_AFTER.match(tail_text) or (FACILITY.search(self.gap(i, i + 1)) and RUNS_AFTER.match(tail_text)):
                    yield self.rel("LOCATED_IN", head, units[k])  # "..., die seit 2009 ein Werk in Y betreibt"
        # "die Gruber GmbH aus Rosenheim"; "die in Dalian ansässige Reederei X"
        for i, head in enumerate(units[:-1]):
            tail = units[i + 1]
            if head.label == "ORG" and tail.label == "LOC" and FROM_PLACE_GAP.match(self.gap(i, i + 1)):
                yield self.rel("LOCATED_IN", head, tail)
            if head.label == "LOC" and tail.label == "ORG" and BASED_GAP.match(self.gap(i, i + 1)) and IN_BEFORE.search(self.before(i, 30)):
                yield self.rel("LOCATED_IN", tail, head)
        yield from self._sites()
        # "Unternehmen in Changzhou, darunter X und Y"
        for k, place in enumerate(units[:-1]):
            if place.label == "LOC" and IN_BEFORE.search(self.before(k, 50)) and AMONG_GAP.match(self.gap(k, k + 1)):
                for m in [k + 1] + self._coordinated_after(k + 1):
                    if units[m].label == "ORG":
                        yield self.rel("LOCATED_IN", units[m], place)
        # "X und Y haben sich in der Provinz Z angesiedelt"
        if SETTLED.search(self.text):
            for k, place in enumerate(units):
                if place.label != "LOC" or k == 0 or not IN_BEFORE.search(self.before(k, 50)):
                    continue
                j = k - 1
                if units[j].label != "ORG" or len(self.gap(j, k)) > 50 or re.search(r"[,;:()]", self.gap(j, k)):
                    continue
                for m in [j] + self._coordinated_before(j):
                    if units[m].label == "ORG":
                        yield self.rel("LOCATED_IN", units[m], place)
        # "Der 1. ...kongress findet am 5. Mai in Wuppertal statt": an event and the next venue
        for e, event in enumerate(units):
            if event.label != "EVENT":
                continue
            for k in range(e + 1, len(units)):
                if units[k].label in {"EVENT", "ORG"} and not IN_BEFORE.search(self.before(k, 40)):
                    break
                # "... in Wuppertal statt"; "kamen zum Forum nach Düsseldorf" (travel to the event: its venue)
                travel = k == e + 1 and re.fullmatch(r"\s+nach\s+", self.gap(e, k)) and re.search(r"\b(?:zum|zur)\s+(?:\S+\s+)?$", self.before(e, 20))
                if units[k].label == "LOC" and (re.search(r"\b(?:in|im)\s+$", self.before(k, 20)) or travel):
                    region = lookup(canonical(units[k].ent))
                    if region is None or region.level >= 3:
                        yield self.rel("LOCATED_IN", event, units[k])
                    break
        # "der chinesischen Provinz Jiangsu": a place that the text calls Chinese lies in China,
        # if the document names China (the relation points at the nearest such mention)
        for k, unit in enumerate(units):
            if unit.label != "LOC":
                continue
            match = NATIONAL_PLACE.search(self.before(k, 60))
            if match is None:
                continue
            country = COUNTRY_ADJECTIVES[match.group(1).lower()]
            if canonical(unit.ent) == country:
                continue
            tail = self._nearest_named(country, unit.ent)
            if tail is not None and _lies_in(unit.ent, tail):
                yield RelationSpan("PART_OF", unit.ent, tail, None, self.sent)
        # "fand in Düsseldorf der 3. Runde Tisch statt": an event and its venue in one sentence
        if STATT.search(self.text):
            events = [u for u in units if u.label == "EVENT"]
            places = [(k, u) for k, u in enumerate(units) if u.label == "LOC" and IN_BEFORE.search(self.before(k, 40))]
            if len(events) == 1 and places:
                yield self.rel("LOCATED_IN", events[0], places[0][1])

    def _sites(self) -> Iterator[RelationSpan]:
        """An organisation's sites named later in its clause: "X beschäftigt ... an Standorten
        in A, B und C", "X, deren Terminals in A und B ...", "X hat in A ihre erste
        Niederlassung eröffnet". The organisation is the nearest one before the place, with
        only places between them."""
        units = self.units
        for j, place in enumerate(units):
            if place.label != "LOC" or j == 0:
                continue
            i = j - 1
            while i >= 0 and units[i].label == "LOC":
                i -= 1
            if i < 0 or units[i].label != "ORG":
                continue
            gap = self.gap(i, j)
            if len(gap) > 160 or re.search(r"[;:„“\"()]", gap):
                continue
            # places between them are locatives or lists ("nach Nanjing und Shanghai"), not a subject
            if not all(
                IN_BEFORE.search(self.before(k, 40)) or (units[k - 1].label == "LOC" and re.fullmatch(r"\s*(?:,|und|sowie)\s*", self.gap(k - 1, k)))
                for k in range(i + 1, j)
            ):
                continue
            if j == i + 1 and LOCATIVE_GAP.match(gap):
                continue  # the plain patterns above
            before = self.before(j, 80)
            heads = [i]
            if SITE_IN_BEFORE.search(before) and SITE_VERB.search(gap):
                found = [j] + [k for k in self._coordinated_after(j) if not _lies_in(units[k].ent, place.ent, strict=True)]
            elif (
                j == i + 1
                and IN_BEFORE.search(before)
                and SITE_OPEN_VERB.search(gap)
                and "," not in gap
                and SITE_AFTER.match(self.after(j, 60))
            ):
                found = [j]
                # "XCMG und Sany haben in NRW ihre Europazentralen": every organisation of the subject
                heads += [k for k in self._coordinated_before(i) if units[k].label == "ORG"]
            else:
                continue
            for h in heads:
                for k in found:
                    if units[k].label == "LOC":
                        yield self.rel("LOCATED_IN", units[h], units[k])

    # -- PART_OF (organisations) --------------------------------------------------------------
    def part_of(self) -> Iterator[RelationSpan]:
        units = self.units
        for i, head in enumerate(units[:-1]):
            tail = units[i + 1]
            if head.label == "ORG" and tail.label == "ORG":
                gap = self.gap(i, i + 1)
                if BELONGS_GAP.match(gap):
                    # "X, Y und Z sind Institute der W"; "eine gemeinsame Einrichtung der V und der W"
                    heads = [i] + [k for k in self._coordinated_before(i) if units[k].label == "ORG"]
                    tails = [i + 1] + [k for k in self._coordinated_after(i + 1) if units[k].label == "ORG"]
                    for h in heads:
                        for t in tails:
                            yield self.rel("PART_OF", units[h], units[t])
                elif PART_OF_GAP.match(gap) or UNIT_OF_GAP.match(gap) or SUBORDINATE_GAP.match(gap):
                    yield self.rel("PART_OF", head, tail)
                elif OWN_UNIT_GAP.search(gap) and len(gap) < 60:
                    yield self.rel("PART_OF", tail, head)  # "X steuert deren Tochter Y"
                elif BELONGS_BEFORE_GAP.match(gap) and BELONGS_AFTER.match(self.after(i + 1, 30)):
                    yield self.rel("PART_OF", head, tail)  # "X, die zur Y gehört"

    # -- PARTY_TO -------------------------------------------------------------------------------
    def agreements(self) -> Iterator[RelationSpan]:
        agreements = [k for k, u in enumerate(self.units) if u.label == "AGREEMENT"]
        if not agreements:
            return
        signed = bool(roles.SIGN_TRIGGERS.search(self.text))
        for a in agreements:
            yield from self._named_parties(a)
            parties: list[int] = []
            between = self._zwischen_list(a)
            if signed:
                # signers are parties ("unterzeichneten X und Y die Absichtserklärung"); with
                # "Vereinbarung zwischen A und B" the organisations that are parties are named
                parties = [
                    k
                    for k, u in enumerate(self.units)
                    if (u.label == "PER" or (u.label == "ORG" and not between))
                    and not self._is_role_tail(k)
                    and not OCCASION_BEFORE.search(self.before(k, 40))
                    and not ASSISTANT_BEFORE.search(self.before(k, 40))
                    and not WITNESS_BEFORE.search(self.before(k, 50))
                ]
                parties += [k for k, u in enumerate(self.units) if u.label == "LOC" and not between and self._is_actor_place(k)]
                # several agreements: a partner attached by "mit" to another agreement is that
                # agreement's ("einen Rahmenvertrag mit X sowie eine Absichtserklärung mit Y")
                others = {k for b in agreements if b != a for k in self._mit_partners(b)}
                parties = [k for k in parties if k not in others]
            before, after, joint = self._attached_parties(a)
            parties = sorted(set(parties + between + before + after) - {a})
            for k in parties:
                yield self.rel("PARTY_TO", self.units[k], self.units[a])
            # the two sides of a partnership cooperate: "X pflegt eine Partnerschaft mit Y",
            # "Partnerschaft zwischen X und Y", "X und Y verbindet eine Partnerschaft"
            if PARTNERSHIP.search(self.units[a].ent.text):
                pairs = [(x, y) for x in before for y in after]
                pairs += list(combinations(between, 2))
                if joint:
                    pairs += list(combinations(before, 2))
                for x, y in pairs:
                    if {self.units[x].label, self.units[y].label} <= {"ORG", "LOC"} and not self._nested_places(x, y):
                        yield self.rel("COOPERATES", self.units[x], self.units[y])

    # -- COOPERATES ---------------------------------------------------------------------------
    def cooperation(self) -> Iterator[RelationSpan]:
        triggered = bool(roles.COOP_TRIGGERS.search(self.text))
        units = self.units
        actor = {"ORG", "LOC"}
        pairs = self._joint_partners()
        for i, unit in enumerate(units):
            if not triggered or unit.label not in actor:
                continue
            # "Zusammenarbeit zwischen X und Y" (not "Flugverbindung zwischen ...", and not the
            # parties of "Abkommen zwischen X und Y", which the agreement patterns handle)
            before = self.before(i, 60)
            zwischen = ZWISCHEN.search(before)
            if zwischen and roles.COOP_TRIGGERS.search(before[: zwischen.start()]) and not (i > 0 and units[i - 1].label == "AGREEMENT"):
                group = [i] + self._coordinated_after(i)
                pairs.update(combinations([g for g in group if units[g].label in actor], 2))
            # "X ... (kooperiert|gemeinsam|Partnerschaft) mit Y"; everyone on either side of "gemeinsam
            # mit" works together: "X und Y planen gemeinsam mit Z und W" relates all four
            if MIT_BEFORE.search(self.before(i, 60)) and not re.search(r"Abstimmung\s+mit\s+\S*\s*$", self.before(i, 40)):
                j = self._actor_before(i)
                if j is not None:
                    partners = [y for y in [i] + self._coordinated_after(i) if units[y].label in actor]
                    for y in partners:
                        pairs.add((j, y))
                    if JOINTLY_WITH.search(self.before(i, 60)):
                        side = [j] + [k for k in self._coordinated_before(j) if units[k].label in actor]
                        pairs.update((x, y) for x in side for y in partners)
                        pairs.update(combinations(sorted(side), 2))
                        pairs.update(combinations(partners, 2))
            # "X ... Partnerprovinz des Landes Y", "X und die chinesische Partnerprovinz Y",
            # "X pflegt enge Beziehungen zu Y"
            left = i - 1
            # "die Y GmbH aus Hildesheim ist Partner von X": the company, not its home town
            if left > 0 and units[left].label == "LOC" and units[left - 1].label == "ORG" and re.fullmatch(r"\s+aus\s+", self.gap(left - 1, left)):
                left -= 1
            if i > 0 and units[left].label in actor:
                gap = self.gap(left, i)
                if PARTNER_OF_GAP.search(gap) or (
                    len(gap) < 60 and not re.search(r"[.;:()]", gap) and RELATIONSHIP_GAP.search(gap)
                ):
                    for y in [i] + self._coordinated_after(i):  # "Beziehungen zu Japan und den USA"
                        # not "... Handelspartner in Asien", "... in der Partnerprovinz Anhui angesiedelt"
                        if units[y].label in actor and not IN_BEFORE.search(self.before(y, 50)):
                            pairs.add((left, y))
        # "X arbeitet eng mit Y und Z zusammen" is caught by "mit" above; "X und Y verbindet
        # eine Partnerschaft", "X und Y kooperieren":
        for i in range(len(units) - 1):
            if units[i].label in actor and units[i + 1].label in actor and re.match(
                rf"^\s*(?:und|sowie)\s+(?:{_DET}\s+)?{_ADJ}?(?:{PLACE_TYPES}\s+)?$", self.gap(i, i + 1)
            ):
                context = self.after(i + 1, 60) + " " + self.before(i, 40)
                # a place word of a locative ("in der Partnerprovinz") or a list's head
                # ("die Partnerprovinzen X und Y") says nothing about X and Y together
                context = re.sub(r"\b(?:in|im)\s+(?:der|dem|den)\s+\w*[Pp]artner\w*", " ", context)
                if re.search(r"[Pp]artner\w*\s+(?:(?:aus|in|von)\s+)?(?:(?:der|den|dem)\s+)?$", self.before(i, 40)):
                    continue
                if JOINT_CONTEXT.search(context):
                    if not ZWISCHEN.search(self.before(i, 60)) and not MIT_BEFORE.search(self.before(i, 60)):
                        pairs.add((i, i + 1))
        for a, b in sorted(pairs):
            if a != b and canonical(units[a].ent) != canonical(units[b].ent) and not self._nested_places(a, b):
                yield self.rel("COOPERATES", units[a], units[b])

    def _joint_partners(self) -> set[tuple[int, int]]:
        """Organisations that work together without a cooperation verb between them: joint
        organisers and owners, supporters, named partners, "Gemeinsam mit X ... Y"."""
        units = self.units
        pairs: set[tuple[int, int]] = set()
        for i, unit in enumerate(units):
            if unit.label != "ORG":
                continue
            # "Veranstalter sind X, Y und Z", "organisiert vom Netzwerk X aus A und der Y",
            # "Gemeinschaftsunternehmen der X, der Y und der Z"
            joint_body = JOINT_BODY_BEFORE.search(self.before(i, 50))
            # "X hat mit Unterstützung der Y ...": the supporter works with the actor
            supported = SUPPORT_BEFORE.search(self.before(i, 60))
            # "Bei der Ansiedlung wurde X von der Y und der Z begleitet"
            accompanied = i > 0 and units[i - 1].label == "ORG" and ACCOMPANIED_GAP.match(self.gap(i - 1, i))
            # "Kooperationspartner von X und Y auf chinesischer Seite ist Z"
            partner_of = PARTNER_OF_BEFORE.search(self.before(i, 40))
            # "Gemeinsam mit der X betreibt die Y ...": the actor comes after the partner
            jointly = JOINTLY_WITH.search(self.before(i, 40))
            if not (joint_body or supported or accompanied or partner_of or jointly):
                continue
            group = [k for k in [i] + self._coordinated_after(i) if units[k].label == "ORG"]
            last = group[-1]
            if joint_body:
                pairs.update(combinations(group, 2))
            if supported:
                j = self._actor_before(i)
                if j is not None and units[j].label == "ORG":
                    pairs.update((j, y) for y in group)
            if accompanied and ACCOMPANIED_VERB.search(self.before(i - 1, 50) + self.gap(i - 1, i) + self.after(last, 40)):
                pairs.update((i - 1, y) for y in group)
            if partner_of and last + 1 < len(units) and units[last + 1].label == "ORG" and PARTNER_IS_GAP.match(self.gap(last, last + 1)):
                pairs.update((x, last + 1) for x in group)
            if jointly and self._actor_before(i) is None:
                if last + 1 < len(units) and units[last + 1].label == "ORG" and not re.search(r"[.;:]", self.gap(last, last + 1)):
                    pairs.update((y, last + 1) for y in group)
        return pairs

    # -- PARTICIPATED -------------------------------------------------------------------------
    def events(self) -> Iterator[RelationSpan]:
        events = [k for k, u in enumerate(self.units) if u.label == "EVENT"]
        if not events:
            return
        # "auf der X stellte Y vor", "am Rande des X unterzeichneten Y und Z": being at the
        # event is stated by the preposition, whatever the verb
        at_event = any(EVENT_OCCASION_BEFORE.search(self.before(e, 50)) for e in events)
        if not at_event and not roles.EVENT_TRIGGERS.search(self.text):
            return
        for e in events:
            for k, unit in enumerate(self.units):
                if (
                    unit.label in {"PER", "ORG"}
                    and not (unit.label == "ORG" and self._is_employer(k))
                    and not IN_BEFORE.search(self.before(k, 40))
                    and not ASSISTANT_BEFORE.search(self.before(k, 40))
                ):
                    yield self.rel("PARTICIPATED", unit, self.units[e])

    # -- MET ----------------------------------------------------------------------------------
    def meetings(self) -> Iterator[RelationSpan]:
        people = [k for k, u in enumerate(self.units) if u.label == "PER"]
        if len(people) < 2:
            return
        trigger = roles.MEET_TRIGGERS.search(self.text)
        if trigger:
            # "X und Y trafen sich mit A und B": the two sides met, not the members of one side
            split = re.search(r"\bmit\b", self.text[trigger.start() :])
            if split is not None:
                at = self.sent.start_char + trigger.start() + split.start()
                left = [k for k in people if self.units[k].end_char <= at]
                right = [k for k in people if self.units[k].start_char >= at]
                if left and right:
                    for a in left:
                        for b in right:
                            yield self.rel("MET", self.units[a], self.units[b])
                    return
            for a, b in combinations(people, 2):
                yield self.rel("MET", self.units[a], self.units[b])
            return
        # a caption line of names only: "Dr. Peter Kurz und Zhang Hui"
        rest = self.text
        for unit in reversed(self.units):
            rest = rest[: unit.start_char - self.sent.start_char] + rest[unit.end_char - self.sent.start_char :]
        if all(u.label == "PER" for u in self.units) and re.fullmatch(r"[\s,&]*(?:(?:und|sowie|,|&)[\s,]*|Dr\.|Prof\.|Herr|Frau|\s)*", rest):
            for a, b in combinations(people, 2):
                yield self.rel("MET", self.units[a], self.units[b])
            return
        # photo captions: "X (l.) und Y (r.)"
        if PHOTO_POSITION.search(self.text):
            for a, b in zip(people, people[1:]):
                raw = doc_text(self.doc)[self.units[a].end_char : self.units[b].start_char]
                if PHOTO_POSITION.search(raw) and len(raw) < 120:
                    yield self.rel("MET", self.units[a], self.units[b])

    # -- shared tests -------------------------------------------------------------------------
    def _is_role_tail(self, k: int) -> bool:
        """True when unit k is the organisation of a person's role in this sentence
        (then the person, not the organisation, is the actor)."""
        units = self.units
        if units[k].label != "ORG":
            return False
        if k > 0 and units[k - 1].label == "PER" and role_after_person(self.gap(k - 1, k)) is not None:
            return True
        if k + 1 < len(units) and units[k + 1].label == "PER" and role_before_person(self.gap(k, k + 1)) is not None:
            return True
        return False

    def _is_employer(self, k: int) -> bool:
        """True when organisation unit k only says where a person of the sentence works: a
        role tail, or an apposition/"von der" right after a person ("Prof. X von der Y")."""
        units = self.units
        if self._is_role_tail(k):
            return True
        if k > 0 and units[k - 1].label == "PER" and re.match(r"^\s*(?:,|von\b|vom\b|\()", self.gap(k - 1, k)):
            return True
        # "der Ärztliche Direktor des X, Prof. Dr. Y"
        if k + 1 < len(units) and units[k + 1].label == "PER" and re.fullmatch(r"\s*,\s*(?:(?:Prof|Dr|Ing)\.\s*)*", self.gap(k, k + 1)):
            role = re.search(r"(\S+)\s+(?:des|der|vom|von\s+der|von\s+dem)\s+(?:\w+(?:en|e)\s+)?$", self.before(k, 60))
            return bool(role and roles.role_word(role.group(1)))
        return False

    def _mit_partners(self, a: int) -> list[int]:
        """Organisations/places right after agreement unit a joined by "mit (dem|der)":
        "Rahmenvertrag mit dem X (XY) in Z" -> [X]."""
        if a + 1 < len(self.units) and self.units[a + 1].label in {"ORG", "LOC"}:
            if re.fullmatch(r"\s*mit\s+(?:der|dem|den)?\s*", self.gap(a, a + 1)):
                return [a + 1]
        return []

    def _attached_parties(self, a: int) -> tuple[list[int], list[int], bool]:
        """Actors attached to agreement unit a by the words around it:
        "X und Y verbindet eine Partnerschaft", "X pflegt eine Städtefreundschaft in Y",
        "Partnerschaft mit Y und Z", "Schulpartnerschaft des X mit dem Y"."""
        units = self.units
        actor = {"ORG", "LOC", "PER"}
        before: list[int] = []
        after: list[int] = []
        joint = False
        # before: a subject group close to the agreement
        if a > 0 and units[a - 1].label in actor:
            gap = self.gap(a - 1, a)
            if len(gap.split()) <= 8 and not re.search(r"[,.;:()]", gap) and ATTACH_VERB.search(gap):
                before = [a - 1] + [k for k in self._coordinated_before(a - 1) if units[k].label in actor]
                joint = bool(re.search(r"(?i)verbind|verband|gemeinsam", gap))
        # after: "mit/zu/zwischen/des ... Y (und Z)", possibly "des X mit Y"
        k = a + 1
        while k < len(units) and k <= a + 2:
            gap = self.gap(k - 1, k)
            if units[k].label in actor and AGREEMENT_ATTACH_GAP.match(gap):
                group = [k] + [m for m in self._coordinated_after(k) if units[m].label in actor]
                if re.match(r"^\s*(?:des|der|von|vom)\b", gap) and not after:
                    before = before + group  # "Schulpartnerschaft des X mit Y": X is a subject side
                else:
                    after += group
                k = group[-1] + 1
                continue
            break
        return before, after, joint

    def _named_parties(self, a: int) -> Iterator[RelationSpan]:
        """"Partnerschaft zwischen Nordrhein-Westfalen und Jiangsu", "Partnerschaft mit X und Y":
        places/organisations named inside the agreement's name are its parties (the
        mention used is the nearest one of that name in the document)."""
        agreement = self.units[a]
        name = agreement.ent.text
        match = re.search(r"\b(zwischen|mit)\s+(.+)$", name)
        if not match:
            return
        parts = [p.strip() for p in re.split(r",|\bund\b|\bsowie\b", match.group(2)) if p.strip()]
        others = [e for e in self.doc_ents if e.label_ in {"LOC", "ORG"} and not (agreement.ent.start_char <= e.start_char < agreement.ent.end_char)]
        named: list[Span] = []
        for part in parts:
            candidates = [e for e in others if e.text == part or canonical(e) == part or canonical(e) == _base(e.label_, part)]
            if candidates:
                named.append(min(candidates, key=lambda e: abs(e.start_char - agreement.start_char)))
        for ent in named:
            yield RelationSpan("PARTY_TO", ent, agreement.ent, None, self.sent)
        if match.group(1) == "mit":
            j = self._actor_before(a)
            if j is not None:
                yield self.rel("PARTY_TO", self.units[j], agreement)
        elif len(named) >= 2:
            for x, y in combinations(named, 2):
                yield RelationSpan("COOPERATES", x, y, None, self.sent)

    def _named_elsewhere(self, name: str) -> Span | None:
        """An organisation/place mention of the document called ``name`` (by text or
        canonical name), the one nearest to this sentence."""
        wanted = {name, canonical_name("ORG", name), canonical_name("LOC", name)}
        candidates = [e for e in self.doc_ents if e.label_ in {"ORG", "LOC"} and (e.text in wanted or canonical(e) in wanted)]
        if not candidates:
            return None
        return min(candidates, key=lambda e: abs(e.start_char - self.sent.start_char))

    def _nearest_named(self, name: str, near: Span) -> Span | None:
        """The mention of the document whose canonical name is ``name`` nearest to ``near``."""
        candidates = [e for e in self.doc_ents if e.label_ == "LOC" and canonical(e) == name]
        return min(candidates, key=lambda e: abs(e.start_char - near.start_char)) if candidates else None

    def _role_before(self, k: int) -> str | None:
        """The function word right before person k, titles skipped ("Staatssekretär Dr. X" -> "Staatssekretär")."""
        words = self.before(k, 50).split()
        while words and roles.is_title(words[-1]):
            words.pop()
        return roles.role_word(words[-1].strip(",;:(")) if words else None

    def _is_apposition(self, k: int) -> bool:
        """True when the text before unit k belongs to an earlier unit as its apposition
        (", Vize-Direktor der" CIIPA after a person), so it cannot introduce a later name."""
        gap = self.gap(k - 1, k) if k > 0 else ""
        # ", und der Präsident des X" starts a new list item, not an apposition
        return k > 0 and self.units[k - 1].label in {"PER", "ORG"} and bool(re.match(r"^\s*,(?!\s*(?:und|sowie)\b)", gap))

    def _role_of_next_person(self, k: int) -> bool:
        """True when the organisation/place unit k is directly followed by a person (titles
        and an "in PLACE" aside allowed): "X, Generalkonsulin der Bundesrepublik Deutschland
        in Shanghai Dr. Y" - the role belongs to Y, not to X."""
        units = self.units
        j = k + 1
        if j < len(units) and units[j].label == "LOC" and re.fullmatch(r"\s*(?:in|im)\s+", self.gap(k, j)):
            k, j = j, j + 1
        if j >= len(units) or units[j].label != "PER":
            return False
        gap = self.gap(k, j)
        return "\n" not in gap and not gap.lstrip().startswith(",") and _title_gap(gap)

    def _office_place(self, i: int, office: str) -> Unit | None:
        """The region a public office of person unit i belongs to: the nearest place of
        the right level in the sentence (states/provinces for ministers and governors,
        cities for mayors)."""
        want = 3 if "bürgermeister" in office.lower() else 2
        country = "CN" if _chinese_name(canonical(self.units[i].ent)) else "DE"
        best: tuple[int, Unit] | None = None
        for k, unit in enumerate(self.units):
            if unit.label != "LOC" or IN_BEFORE.search(self.before(k, 40)):
                continue  # "Staatssekretär X ... in Nordrhein-Westfalen": a place where, not whose
            region = lookup(canonical(unit.ent))
            if region is None or region.level != want or region.country_code != country:
                continue
            distance = abs(k - i)
            if best is None or distance < best[0]:
                best = (distance, unit)
        return best[1] if best else None

    def _place_in_parentheses(self, i: int) -> bool:
        """Unit i+1 stands alone in parentheses after unit i, a place type allowed: "X (Provinz Y)"."""
        after = doc_text(self.doc)[self.units[i + 1].end_char : self.units[i + 1].end_char + 2]
        return bool(PAREN_PLACE_GAP.match(self.gap(i, i + 1))) and after.lstrip().startswith(")")

    def _is_actor_place(self, k: int) -> bool:
        """A place that acts (a state, a city as party), not one where something happens."""
        before = self.before(k, 40)
        if IN_BEFORE.search(before) or re.search(r"\b(?:aus|nach|von)\s+(?:der\s+|dem\s+)?$", before):
            return False
        return bool(ZWISCHEN.search(before) or re.search(r"(?:Land|Stadt|Provinz|Freistaat)\s+$", before) or re.match(r"^\s*(?:und|,)", self.after(k, 10)))

    def _zwischen_list(self, a: int) -> list[int]:
        """Units coordinated after "zwischen" right behind agreement unit a."""
        out: list[int] = []
        for k in range(a + 1, min(a + 2, len(self.units))):
            if ZWISCHEN.search(self.gap(a, k)) and len(self.gap(a, k)) < 120:
                out = [k] + self._coordinated_after(k)
        return [k for k in out if self.units[k].label in {"PER", "ORG", "LOC"}]

    def _coordinated_after(self, i: int) -> list[int]:
        """Units coordinated with unit i after it ("X, Y und Z"); an origin or seat right after a
        member is not a member ("die Rheintal GmbH aus Bruchsal und die Y": Y is, Bruchsal is not)."""
        out: list[int] = []
        k = i
        while k + 1 < len(self.units):
            if COORD_GAP.match(self.gap(k, k + 1)):
                k += 1
                out.append(k)
            elif (
                k + 2 < len(self.units)
                and self.units[k + 1].label == "LOC"
                and self.units[k].label != "LOC"
                and re.fullmatch(r"\s*(?:aus|in)\s+", self.gap(k, k + 1))
                and COORD_GAP.match(self.gap(k + 1, k + 2))
            ):
                k += 2
                out.append(k)
            else:
                break
        return out

    def _coordinated_before(self, i: int) -> list[int]:
        out: list[int] = []
        k = i
        while k > 0 and re.fullmatch(r"\s*(?:,|und|sowie|oder)\s*(?:die|der|das)?\s*", self.gap(k - 1, k)):
            k -= 1
            out.append(k)
        return out

    def _actor_before(self, i: int) -> int | None:
        """The nearest organisation/place before unit i that is not itself after "mit"."""
        for j in range(i - 1, -1, -1):
            if self.units[j].label in {"ORG", "LOC"}:
                if MIT_BEFORE.search(self.before(j, 60)) or IN_BEFORE.search(self.before(j, 40)):
                    continue
                if self.units[j].label == "LOC" and re.search(r"\baus\s+$", self.before(j, 10)):
                    continue  # "die Y GmbH aus Hildesheim ist Partner von X": the origin is not the actor
                return j
        return None

    def _nested_places(self, a: int, b: int) -> bool:
        ea, eb = self.units[a].ent, self.units[b].ent
        if ea.label_ == "LOC" and eb.label_ == "LOC":
            return _lies_in(ea, eb, strict=True) or _lies_in(eb, ea, strict=True)
        return False


#: The preposition of an occasion right before an event's name: "auf der X", "beim X",
#: "am Rande des X", "im Rahmen der X".
EVENT_OCCASION_BEFORE = re.compile(
    r"(?i)\b(?:(?:auf|bei|während|anlässlich|am\s+Rande|im\s+Rahmen|zum\s+Abschluss|zu\s+Beginn|zum\s+Auftakt)\s+(?:der|des|dem|den)|"
    r"beim|zum|zur)\s+(?:\w+(?:en|e|n)\s+)?$"
)
#: Nouns by which a sentence refers back to an event named earlier ("auf dem Forum",
#: "Zu Beginn des Kongresses"); the noun picks the event whose name contains it.
EVENT_NOUNS = (
    r"Forums?|Konferenz|Kongress(?:es)?|Symposiums?|Tagung|Festakt(?:s|es)?|Empfang(?:s|es)?|Gipfels?|"
    r"Treffens?|Messe|Fachmesse|Ausstellung|Reise|Delegationsreise|Workshops?|Seminars?|Dialogs?|Wirtschaftstags?"
)
#: Nouns of any event ("der Veranstaltung"): they pick the document's main event.
GENERIC_EVENT_NOUNS = r"Veranstaltung|Events?|Podiums?|Podiumsdiskussion|Panels?|Stand|Gemeinschaftsstand|Messestand|Delegation"
#: A sentence that speaks of taking part in "the" event without naming it: "Zu Beginn des
#: Forums verdeutlichten X und Y in ihren Grußworten", "Teilnehmer ... waren X, Y",
#: "Zu den Referenten zählen X und Y", "Veranstalter sind X und Y".
EVENT_ANAPHOR = re.compile(
    rf"\b(?:(?:des|dem|das|der|die|beim|zum|zur|am|im)\s+(?:\w+(?:en|e)\s+)?(?P<noun>{EVENT_NOUNS}|{GENERIC_EVENT_NOUNS})\b|"
    r"Grußworte?n?\b|Keynote\b|Teilnehmer(?:innen)?\s+(?:von|aus|der|des|waren)|"
    r"(?:Referent|Redner|Sprecher|Gäste|Gast)\w*(?:\s+und\s+(?:Referent|Redner|Sprecher)\w*)?\s+(?:zählen|zählten|gehören|gehörten|sind|waren)\b|"
    r"(?:Mit)?[Vv]eranstalter(?:in)?\b(?:\s+\S+){0,4}?\s+(?:sind|ist|waren|war)\b|"
    r"beteiligten?\s+sich\s+daran|nahmen?\s+(?:auch\s+)?(?:daran\s+)?teil)"
)
#: Words that make an organisation of such a sentence a participant (organiser, exhibitor,
#: host), not just an employer named in a person's apposition.
ORGANISER_WORDS = re.compile(
    r"(?i)\b(?:mit)?veranstalt\w*|organisier\w*|ausgerichtet|ausrichte\w*|richte[nt]?\b(?!\s+sich)|aussteller\w*|"
    r"präsentier\w*|stellen\b[^.]{0,80}\bvor\b|nahmen?\b[^.]{0,60}\bteil\b|beteiligt\w*|vertreten|vertreter\w*|zeig\w*"
)


def _referenced_event(noun: str | None, events: list[Span], before: int) -> Span | None:
    """The event that an anaphoric sentence at ``before`` speaks of: among the events named
    before it (whose name contains ``noun`` when it is specific), the one the document
    names most often; None when two are named equally often (ambiguous)."""
    if noun and not re.fullmatch(GENERIC_EVENT_NOUNS, noun):
        stem = noun.lower()[:5]  # "Kongresses" -> "kongr", found in "Logistikkongress"
        events = [e for e in events if stem in e.text.lower()]
    counts: dict[str, int] = {}
    first: dict[str, Span] = {}
    for e in events:
        counts[canonical(e)] = counts.get(canonical(e), 0) + 1
        first.setdefault(canonical(e), e)
    ranked = sorted((kv for kv in counts.items() if first[kv[0]].start_char < before), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return first[ranked[0][0]]


def _event_anaphora(doc: Doc, doc_ents: list[Span] | None = None) -> list[RelationSpan]:
    """PARTICIPATED across sentences: persons (and organisers) of a sentence that speaks of
    an event's programme without naming it ("Zu den Referenten zählen X und Y",
    "Veranstalter sind X und Y", "auf dem Forum sprach X") took part in the event named
    earlier that the sentence refers to (see _referenced_event)."""
    doc_ents = list(doc.ents) if doc_ents is None else doc_ents
    events = [e for e in doc_ents if e.label_ == "EVENT"]
    if not events:
        return []
    out: list[RelationSpan] = []
    for sent in evidence_spans(doc):
        text = doc_text(doc)[sent.start_char : sent.end_char]
        anaphor = EVENT_ANAPHOR.search(text)
        if anaphor is None:
            continue
        ents = [e for e in doc_ents if sent.start_char <= e.start_char and e.end_char <= sent.end_char]
        if any(e.label_ == "EVENT" for e in ents):
            continue  # the sentence patterns decide
        event = _referenced_event(anaphor.group("noun"), events, sent.start_char)
        if event is None:
            continue
        organisers = bool(ORGANISER_WORDS.search(text))
        relations = SentenceRelations(doc, sent, ents, doc_ents)
        for k, unit in enumerate(relations.units):
            if IN_BEFORE.search(relations.before(k, 40)) or ASSISTANT_BEFORE.search(relations.before(k, 40)):
                continue
            if unit.label == "PER" or (unit.label == "ORG" and organisers and not relations._is_employer(k)):
                out.append(RelationSpan("PARTICIPATED", unit.ent, event, None, sent))
    return out


def _key(rel: RelationSpan) -> tuple[str, str, str]:
    key = (rel.type, canonical(rel.head), canonical(rel.tail))
    return (rel.type, *sorted(key[1:])) if rel.type in {"COOPERATES", "MET"} else key  # type: ignore[return-value]


def _unique(relations: list[RelationSpan]) -> list[RelationSpan]:
    """Relations without repeats of one (type, head name, tail name) triple (names may have
    changed after the patterns ran: agreements get their sides) and without self-loops."""
    out: list[RelationSpan] = []
    seen: set[tuple[str, str, str]] = set()
    for rel in relations:
        key = _key(rel)
        if key[1] == key[2] or key in seen:
            continue
        seen.add(key)
        out.append(rel)
    return out


def _base(label: str, text: str) -> str:
    return canonical_name(label, text)


def _chinese_name(name: str) -> bool:
    """A person name made of pinyin syllables with a Chinese family name ("Wu Zhenglong")."""
    words = name.split()
    return len(words) >= 2 and all(is_pinyin(w) for w in words) and any(w.lower() in CHINESE_SURNAMES for w in (words[0], words[-1]))


def _lies_in(inner: Span, outer: Span, strict: bool = False) -> bool:
    """Gazetteer check for PART_OF(inner, outer).

    ``strict``: both places known and the gazetteer says that inner lies in outer.
    Otherwise (the text states the nesting: "im Bezirk Futian in Shenzhen", "Taizhou in
    der Provinz Zhejiang") the gazetteer only vetoes what it knows to be wrong: the
    other direction, a larger unit in a smaller one, places of different countries,
    or two countries or two provinces. City-level names are often ambiguous (two
    Taizhous; a district listed as a city), so two known cities pass.
    """
    a, b = lookup(canonical(inner)), lookup(canonical(outer))
    if a is None or b is None:
        return not strict
    inside = contains(b, a)
    if strict or inside:
        return inside
    if contains(a, b) or a.level < b.level:
        return False
    if a.level > 0 and b.level > 0 and a.country_code != b.country_code:
        return False
    return a.level >= 3


@Language.factory("kg_relations")
def make_kg_relations(nlp: Language, name: str) -> RelationExtractor:
    register_extensions()
    return RelationExtractor()

