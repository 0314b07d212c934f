"""Boundary and label repairs of organisation spans, applied by ``kg_consistency`` before it propagates names.

Why: the statistical model finds most organisation names but often cuts
or stretches them in ways German and English name grammar rules out. Each
repair below is a piece of that grammar (world knowledge, no names):

- a capitalised adjective in ``-sch-`` right before an organisation belongs to
  its name, because German writes such adjectives in lower case unless they
  are part of a name ("Sächsisches Staatsministerium", "Brandenburgische
  Technische Universität", "Chinesisch-Deutsches Zentrum");
- an English organisation name starts at the place or pinyin word before it
  ("Dalian Maritime University", "Liaoning Port Group");
- an acronym directly followed by a place is one organisation ("CCPIT
  Zhejiang", "LEG Thüringen");
- a German descriptor before a name is not part of it ("Tochtergesellschaft
  X GmbH", "Logistikdienstleisters X");
- a name ends before a lower-case word that follows a comma or a closing
  parenthesis ("Ministerium für X (MOST) die Arbeit" -> "Ministerium für X (MOST)");
- a span the model took for a place but that starts with an organisation head
  word is an organisation ("Universitätsklinikum Düsseldorf", "Messe München");
  so is a "person" after a company descriptor ("Roboterhersteller Kuka").

Measured on documents the model and rules never saw (README, "Extraction quality").
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.nlp.names import is_pinyin

#: capitalised adjectives that only occur in names: "Sächsischen", "Deutsche", "Technische", "Rheinisch-Westfälische"
NAME_ADJECTIVE = re.compile(r"^[A-ZÄÖÜ][\w\-]*sch(e|en|er|es)$")
NOT_NAME_ADJECTIVES = {"Zwische", "Tische", "Frische"}
#: English words that start an organisation name together with a place ("Northeast Agricultural University")
ENGLISH_NAME_WORDS = {
    "North", "South", "East", "West", "Northeast", "Northwest", "Southeast", "Southwest", "Central", "Western",
    "Eastern", "Northern", "Southern", "Industrial", "Commercial", "Municipal", "Provincial", "National",
    "International", "Agricultural", "Maritime", "Gulf", "Port", "New", "Greater", "Sino-German", "China", "Chinese",
    "Great", "Normal", "Medical", "Jiaotong", "Tongji",
}
ENGLISH_ORG_WORDS = {
    "University", "Institute", "Agency", "Council", "Chamber", "Office", "Association", "Federation", "Corporation",
    "Group", "Bank", "Center", "Centre", "Commission", "Administration", "School", "Academy", "Authority", "Ministry",
    "Bureau", "Committee", "Company", "Holdings", "Holding", "Technology", "Technologies", "Systems", "Electronics",
    "Industries", "Industry", "Motors", "Logistics", "Airlines", "Foundation", "Society", "Shipping", "Energy",
    "Department", "Port", "Co.", "Ltd", "Ltd.", "Inc.", "Automobile", "Materials", "Machinery", "Trading",
}
#: Words that only describe companies; a descriptor of them never describes a person (unlike "Investor",
#: "Partner", "Entwickler" below).
_COMPANY_WORDS = (
    "dienstleister|dienstleisters|hersteller|herstellers|konzern|konzerns|unternehmen|unternehmens|reederei|zulieferer"
    "|zulieferers|maschinenbauer|maschinenbauers|autobauer|autobauers|logistiker|logistikers|versicherer|versicherers"
)
#: German descriptors before a name ("der Logistikdienstleister X", "die Tochtergesellschaft X GmbH")
DESCRIPTOR = re.compile(
    r"^(?=[A-ZÄÖÜ])(?!.*-[A-ZÄÖÜ])(?:[\w\-]+(?i:gesellschaft|verband|verbands|verbandes)"
    rf"|[\w\-]*?(?i:{_COMPANY_WORDS}|konzerne|tochter|tochtergesellschaft|landesgesellschaft|fluggesellschaft|netzwerk"
    r"|netzwerks|anbieter|anbieters|spezialist|spezialisten|betreiber|betreibers|investor|investors|nachbarn|nachbar"
    r"|entwickler|entwicklers|startup|start-up|händler|händlers|partner|partners|firma))$"
)
#: descriptors that only describe companies ("Roboterhersteller X" is a company, "Investor X" may be a person)
COMPANY_DESCRIPTOR = re.compile(rf"^(?=[A-ZÄÖÜ])[\w\-]*?(?i:{_COMPANY_WORDS})$")
#: a place adjective before a descriptor ("das Wuppertaler Unternehmen X"); "-sch-" adjectives belong to names
#: ("Chinesischer Unternehmerverband X", see NAME_ADJECTIVE)
DESCRIBING_ADJECTIVE = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+er$")
#: head words that make a "place" span an organisation ("Universitätsklinikum Düsseldorf", "IHK Köln")
ORG_START = re.compile(
    r"^(IHK|HWK|AHK|Messe|Flughafen|Industriepark|Universitätsklinikum|Klinikum|Stadtarchiv|Stadtwerke|Sparkasse"
    r"|Stadtsparkasse|Kreissparkasse|Volksbank|Raiffeisenbank|Landesbank|Universität|Hochschule|Fachhochschule|Wirtschaftsförderung|Handwerkskammer"
    r"|Handelskammer|Konfuzius-Institut|Konfuzius-Instituts|Generalkonsulat|Generalkonsulats|Botschaft|Cluster)$"
)
ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ0-9&]{1,6}$")
#: agencies named after their place: "Invest in Bavaria", "Berlin Partner", "Hamburg Invest", "Bayern Innovativ"
AGENCY_AFTER_PLACE = {"Invest", "Partner", "Innovativ", "Global"}


def _english_org(span: Span) -> bool:
    """An English organisation word in the span; areas named like organisations ("... Development Zone") stay places."""
    if span[-1].text in {"Zone", "Area", "Park", "District"}:
        return False
    return any(t.text in ENGLISH_ORG_WORDS and t.text != "Port" for t in span)


def _place_agency(doc: Doc, place: Span) -> Span | None:
    """ "Invest in Bavaria" / "Hamburg Invest" around a one-token place, as an ORG span (or None)."""
    i = place.start
    if i >= 2 and doc[i - 1].text == "in" and doc[i - 2].text == "Invest" and _same_line(doc, i - 2, i):
        return Span(doc, i - 2, place.end, label="ORG")
    j = place.end
    if j < len(doc) and doc[j].text in AGENCY_AFTER_PLACE and _same_line(doc, i, j):
        nxt = doc[j + 1] if j + 1 < len(doc) else None
        if nxt is None or not nxt.text[:1].isupper() or nxt.text in {"GmbH", "AG", "e.V.", "SE"}:
            end = j + 2 if nxt is not None and nxt.text in {"GmbH", "AG", "e.V.", "SE"} else j + 1
            return Span(doc, i, end, label="ORG")
    return None


def _same_line(doc: Doc, left: int, right: int) -> bool:
    """Tokens left..right-1 are separated by single spaces only (no punctuation, no line break)."""
    return all(doc[i].whitespace_ == " " for i in range(left, right))


def _extend_adjectives(doc: Doc, span: Span, taken: dict[int, Span]) -> int:
    """Start of the span after taking in the name adjectives before it (one-token entities among them too)."""
    start = span.start
    while start > 0 and _same_line(doc, start - 1, start):
        token = doc[start - 1]
        if not NAME_ADJECTIVE.match(token.text) or token.text in NOT_NAME_ADJECTIVES:
            break
        other = taken.get(start - 1)
        if other is not None and (len(other) > 1 or other.label_ == "PER"):
            break
        start -= 1
    return start


def _extend_english(doc: Doc, span: Span, taken: dict[int, Span]) -> int:
    """Start of an English organisation name, taking in the place and pinyin words before it."""
    if not any(t.text in ENGLISH_ORG_WORDS for t in span) or not span[0].text[:1].isupper():
        return span.start
    start = span.start
    while start > 0 and span.start - start < 3 and _same_line(doc, start - 1, start):
        token = doc[start - 1]
        other = taken.get(start - 1)
        if other is not None and other.label_ == "LOC":
            start = other.start
            continue
        pinyin = token.text[:1].isupper() and not token.is_stop and is_pinyin(token.text)
        if other is None and (token.text in ENGLISH_NAME_WORDS or pinyin):
            start -= 1
            continue
        break
    return start


def _trim_start(doc: Doc, start: int, end: int) -> int:
    """Without a sentence-initial article ("Die X Co., Ltd.") or a descriptor ("Tochtergesellschaft X GmbH")."""
    if end - start >= 2 and doc[start].is_stop and doc[start].text[:1].isupper() and doc[start + 1].text[:1].isupper():
        start += 1
    if end - start >= 2 and DESCRIPTOR.match(doc[start].text) and doc[start + 1].text[:1].isupper():
        start += 1
    # "Wuppertaler Unternehmen X GmbH", "Oldenburger Futtermittelhersteller X": a place adjective and a descriptor
    elif end - start >= 3 and DESCRIBING_ADJECTIVE.match(doc[start].text) and DESCRIPTOR.match(doc[start + 1].text) and doc[start + 2].text[:1].isupper():
        start += 2
    return start


def _extend_right(doc: Doc, end: int, taken: dict[int, Span], places: AbstractSet[str]) -> int:
    """End of a chamber name that goes on with its district: "IHK für München und Oberbayern", "IHK Lippe zu Detmold"."""
    head = doc[end - 1]
    chamber = head.text in {"IHK", "HWK"} or (end >= 2 and doc[end - 2].text in {"IHK", "HWK"} and head.text in places)
    if not chamber or end + 1 >= len(doc) or doc[end].lower_ not in {"für", "zu"}:
        return end
    place = taken.get(end + 1)
    if place is None or place.label_ != "LOC" or place.start != end + 1:
        return end
    end = place.end
    if end + 1 < len(doc) and doc[end].lower_ == "und":
        other = taken.get(end + 1)
        if other is not None and other.label_ == "LOC" and other.start == end + 1:
            end = other.end
    return end


def _cut_after_clause(doc: Doc, start: int, end: int) -> int:
    """End of the name before a lower-case word that follows "," or ")" inside the span, and before a full stop
    and an article ("... GmbH. Die ...")."""
    for i in range(start + 1, end):
        if doc[i - 1].text == "." and doc[i].is_stop and doc[i].text[:1].isupper():
            end = i - 1
            break
        if doc[i - 1].text in {",", ")"} and doc[i].text[:1].islower() and doc[i].text not in {"und", "sowie"}:
            end = i
            break
        if doc[i - 1].text == "," and doc[i].text in {"und", "sowie"} and i + 1 < end and doc[i + 1].text[:1].islower():
            end = i
            break
    while end - 1 > start and doc[end - 1].text in {",", "und", "sowie", "("}:
        end -= 1
    return end


def repair_org_spans(doc: Doc, ents: list[Span], places: AbstractSet[str]) -> list[Span]:
    """``ents`` with organisation spans repaired (see the module docstring); overlaps resolved in favour of the repair."""
    taken = {i: e for e in ents for i in range(e.start, e.end)}
    out: list[Span] = []
    for ent in ents:
        label = ent.label_
        if label == "LOC" and len(ent) > 1 and (ORG_START.match(ent[0].text) or _english_org(ent)):
            label = "ORG"
        elif label == "PER" and _english_org(ent):
            label = "ORG"
        elif label == "PER" and len(ent) >= 2 and COMPANY_DESCRIPTOR.match(ent[0].text):
            label = "ORG"  # "Roboterhersteller Kuka": a company word makes the name a company's (trimmed below)
        elif label == "LOC" and len(ent) == 1:
            span = _place_agency(doc, ent)
            if span is not None:
                out.append(span)
                continue
        if label != "ORG":
            out.append(ent)
            continue
        start, end = ent.start, ent.end
        start = _trim_start(doc, start, end)
        end = _cut_after_clause(doc, start, end)
        end = _extend_right(doc, end, taken, places)
        current = Span(doc, start, end, label="ORG")
        new_start = _extend_adjectives(doc, current, taken)
        if new_start == start:
            new_start = _extend_english(doc, current, taken)
        # "CCPIT Zhejiang": an acronym and the place right after it
        if end - start == 1 and ACRONYM.match(doc[start].text) and end < len(doc) and _same_line(doc, end - 1, end):
            after = taken.get(end)
            if after is not None and after.label_ == "LOC" and after.start == end and len(after) == 1 and doc[end].text in places:
                end = after.end
        out.append(Span(doc, new_start, end, label="ORG"))
    return filter_spans(out)  # the swallowed entities lie inside the longer repaired spans
