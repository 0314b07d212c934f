"""Names of agreements that the text calls by a generic word ("die Partnerschaft").

Press releases rarely name a partnership: "Nordrhein-Westfalen und Jiangsu
verbindet eine Partnerschaft", "die Partnerschaft zwischen dem Land
Niedersachsen und der Provinz Anhui". The canonical name of such an
agreement is the generic word plus its two sides, the German side first:
"Partnerschaft Niedersachsen–Anhui" (the project's annotation convention),
so that "Partnerschaft" in two documents about different pairs is not one
entity, and an agreement named after its qualifier ("Freihandelsabkommen
zwischen Korea und der EU") keeps that qualifier. Runs after the relation
patterns, because the sides come from the PARTY_TO relations they found.
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.tokens import Doc, Span

from kg.nlp.extensions import RelationSpan
from kg.nlp.gaps import PLACE_TYPES, doc_text
from kg.nlp.places import contains, lookup

#: A partnership-like agreement word: the name gets its two sides ("Städtepartnerschaft").
PARTNERSHIP_WORD = re.compile(r"(?i)^[\w-]*(?:partnerschaft|partnerschaften|freundschaft|städtefreundschaft)$")
#: A generic agreement word without qualifier (the whole canonical name).
GENERIC_AGREEMENT = re.compile(
    r"(?i)^(?:\d+\.\s*)?[\w-]*(?:partnerschaft|partnerschaften|freundschaft|vereinbarung|abkommen|abkommens|vertrag|vertrages|"
    r"vertrags|erklärung|absichtserklärung|memorandum|abmachung|kooperation|allianz)(?:\s+of\s+understanding)?$"
)
#: Literal qualifier after a generic agreement word: "zwischen Korea und der EU", "mit dem X".
_QUALIFIER = re.compile(r"^\s*(?:zwischen|mit)\s+(?:(?:der|dem|den|des)\s+)?$")
_JOIN = re.compile(r"^\s*(?:und|sowie)\s+(?:(?:der|dem|den|des)\s+)?$")
#: Place-type words between "zwischen" and the name ("zwischen dem Land X und der Provinz Y").
_PLACE_WORDS = rf"(?:Landes|Freistaates|Millionenmetropole|{PLACE_TYPES})"
_SIDE_BEFORE = re.compile(
    rf"^\s*zwischen\s+(?:(?:der|dem|den|des)\s+)?(?:[a-zäöü]\w*(?:en|er|e|em|es)\s+)?(?:{_PLACE_WORDS}\s+)?$"
)
_SIDE_AND = re.compile(rf"^\s*(?:und|sowie)\s+(?:(?:der|dem|den|des)\s+)?(?:[a-zäöü]\w*(?:en|er|e|em|es)\s+)?(?:{_PLACE_WORDS}\s+)?$")


def _canonical(span: Span) -> str:
    return span._.canonical or span.text


def _is_german(name: str) -> bool:
    region = lookup(name)
    return region is not None and region.country_code == "DE"


def _ordered(sides: list[str]) -> list[str]:
    """German side first, otherwise the order of the text (stable)."""
    return sorted(sides, key=lambda s: 0 if _is_german(s) else 1)


def _zwischen_sides(doc: Doc, ents: list[Span], k: int) -> list[Span]:
    """The two entities of "AGREEMENT zwischen (dem Land) X und (der Provinz) Y" after ents[k]."""
    if k + 2 >= len(ents):
        return []
    a, b = ents[k + 1], ents[k + 2]
    if a.label_ not in {"LOC", "ORG"} or b.label_ not in {"LOC", "ORG"}:
        return []
    if _SIDE_BEFORE.match(doc_text(doc)[ents[k].end_char : a.start_char]) and _SIDE_AND.match(doc_text(doc)[a.end_char : b.start_char]):
        return [a, b]
    return []


def _literal_qualifier(doc: Doc, ents: list[Span], k: int) -> str | None:
    """"Freihandelsabkommen zwischen Korea und der EU" / "Rahmenvertrag mit dem X": the
    text from the agreement word to the end of the qualifier's last entity."""
    if k + 1 >= len(ents) or ents[k + 1].label_ not in {"LOC", "ORG"}:
        return None
    gap = doc_text(doc)[ents[k].end_char : ents[k + 1].start_char]
    if "\n" in gap:
        return None
    if not _QUALIFIER.match(gap):
        # "mit der chinesischen Millionenmetropole Xuzhou" -> "mit Xuzhou"
        if re.match(r"^\s*mit\s", gap) and _SIDE_BEFORE.match(gap.replace("mit", "zwischen", 1)):
            return f"mit {_canonical(ents[k + 1])}"
        return None
    end = ents[k + 1]
    if gap.strip().startswith("zwischen"):
        if k + 2 >= len(ents) or not _JOIN.match(doc_text(doc)[ents[k + 1].end_char : ents[k + 2].start_char]):
            return None
        end = ents[k + 2]
    return re.sub(r"\s+", " ", doc_text(doc)[ents[k].end_char : end.end_char]).strip()


def _sides(doc: Doc, ents: list[Span], k: int, parties: list[Span]) -> list[Span]:
    """The two sides of the partnership ents[k]: "zwischen X und Y" right after it, else
    its two PARTY_TO heads (a region dropped when a place inside it is a side too:
    "eine Städtefreundschaft in Dongguan in der Provinz Guangdong")."""
    sides = _zwischen_sides(doc, ents, k)
    if len(sides) == 2:
        return sides
    unique: dict[str, Span] = {}
    for span in parties:
        unique.setdefault(_canonical(span), span)
    spans = list(unique.values())
    spans = [s for s in spans if not any(o is not s and _contains(s, o) for o in spans)]
    return spans if len(spans) == 2 else []


def _contains(outer: Span, inner: Span) -> bool:
    if outer.label_ != "LOC" or inner.label_ != "LOC":
        return False
    a, b = lookup(_canonical(outer)), lookup(_canonical(inner))
    return a is not None and b is not None and a != b and contains(a, b)


def _joined(a: str, b: str) -> str:
    """"Hessen–Hunan": the two sides joined by an en dash."""
    return f"{a}–{b}"


def name_agreements(doc: Doc, relations: list[RelationSpan]) -> None:
    """Give generic agreement mentions ("Partnerschaft") a name with their sides.

    Sets ``Span._.canonical`` of AGREEMENT entities in place; other labels and
    agreements with a proper name are left alone.
    """
    ents = list(doc.ents)
    agreements = [k for k, e in enumerate(ents) if e.label_ == "AGREEMENT"]
    if not agreements:
        return
    # the PARTY_TO heads of each agreement mention
    parties: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for rel in relations:
        if rel.type == "PARTY_TO" and rel.head.label_ in {"LOC", "ORG"}:
            parties[(rel.tail.start_char, rel.tail.end_char)].append(rel.head)
    names: dict[int, str] = {}
    place_pairs: set[int] = set()  # agreements named after two places
    for k in agreements:
        ent = ents[k]
        base = _canonical(ent)
        qualifier = _literal_qualifier(doc, ents, k)
        if not GENERIC_AGREEMENT.match(base):
            # "Vereinbarung über ... Zusammenarbeit zwischen Hunan und Hessen": the sides belong to the name
            if qualifier and qualifier.startswith("zwischen ") and " zwischen " not in base and not PARTNERSHIP_WORD.match(base.split()[0]):
                names[k] = f"{base} {qualifier}"
            continue
        if PARTNERSHIP_WORD.match(base.split()[-1]):
            sides = _sides(doc, ents, k, parties.get((ent.start_char, ent.end_char), []))
            if len(sides) == 2:
                a, b = _ordered([_canonical(s) for s in sides])
                names[k] = f"{base} {_joined(a, b)}"
                if all(s.label_ == "LOC" for s in sides):
                    place_pairs.add(k)
            elif qualifier and qualifier.startswith("mit "):
                names[k] = f"{base} {qualifier}"  # "Städtepartnerschaft mit Xuzhou"
        elif qualifier:
            names[k] = f"{base} {qualifier}"
    # bare mentions of the same word take the first name built for it in the document
    # ("Die Partnerschaft umfasst ..."); a bare "Partnerschaft" also the one name of a
    # partnership of two places ("Regionalpartnerschaft X–Y")
    first: dict[str, str] = {}
    for k in sorted(names):
        first.setdefault(_canonical(ents[k]).lower(), names[k])
    for k in agreements:
        if k in names:
            continue
        base = _canonical(ents[k])
        if not GENERIC_AGREEMENT.match(base):
            continue
        low = base.lower()
        if low in first:
            names[k] = first[low]
        elif PARTNERSHIP_WORD.match(base):
            longer = sorted({names[m] for m in place_pairs if _canonical(ents[m]).lower().endswith(low)})
            if len(longer) == 1:
                names[k] = longer[0]
    _prefer_pairs(ents, names)
    _prefer_compound(ents, names, agreements)
    for k, name in names.items():
        ents[k]._.canonical = name


def _prefer_pairs(ents: list[Span], names: dict[int, str]) -> None:
    """"Partnerschaft mit Anhui" where the document also says "Partnerschaft zwischen
    Niedersachsen und Anhui": the name with both sides."""
    pairs = {v for v in names.values() if "–" in v}
    for k, name in list(names.items()):
        match = re.fullmatch(r"(.+?) mit (.+)", name)
        if match is None:
            continue
        base, side = match.groups()
        full = sorted(p for p in pairs if p.startswith(base + " ") and (p.endswith("–" + side) or p.startswith(f"{base} {side}–")))
        if len(full) == 1:
            names[k] = full[0]


def _prefer_compound(ents: list[Span], names: dict[int, str], agreements: list[int]) -> None:
    """"Regionalpartnerschaft" (unnamed) and "Partnerschaft zwischen Hessen und Hunan" in one
    document: the fuller word names the pair ("Regionalpartnerschaft Hessen–Hunan")."""
    compounds = sorted(
        {_canonical(ents[k]) for k in agreements if k not in names and PARTNERSHIP_WORD.match(_canonical(ents[k]))}
        - {"Partnerschaft", "Partnerschaften"}
    )
    plain = sorted({v for v in names.values() if v.startswith("Partnerschaft ") and "–" in v})
    if len(compounds) != 1 or len(plain) != 1:
        return
    fuller = compounds[0] + plain[0][len("Partnerschaft") :]
    for k in agreements:
        if names.get(k) == plain[0] or (k not in names and _canonical(ents[k]) == compounds[0]):
            names[k] = fuller
