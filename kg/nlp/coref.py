"""Within-document identity component ``kg_coref``: sets ``Span._.canonical``.

Mentions of one thing in one document take many forms: an acronym defined
in parentheses ("China International Investment Promotion Agency (CIIPA)")
and used bare later, a person's family name alone ("Rademacher"), inflected
forms ("des China Competence Centers"), exonyms ("Peking"). This component
gives each entity of ``doc.ents`` the fullest base form the document offers
(see kg.nlp.names for the per-mention normalisation). Cross-document merging
is kg.identity's job.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.extensions import register_extensions
from kg.nlp.gaps import doc_text
from kg.nlp.places import is_known_place
from kg.nlp.names import (
    acronym_of,
    canonical_name,
    family_name,
    is_acronym,
    is_pinyin,
    matches_acronym,
    name_key,
    preferred_person_rank,
)


def _before(ent: Span) -> str:
    """The word in front of a mention (inflection context), '' at the start."""
    doc = ent.doc
    if ent.start == 0:
        return ""
    text = doc_text(doc)[max(0, ent.start_char - 12) : ent.start_char]
    text = text.rstrip("„“\"»«‚‘")  # 'eines „Vertrages“': the article before the quote
    words = text.split()
    return words[-1] if words and text.endswith((" ", "\n")) else ""


def acronym_definitions(doc: Doc, bases: dict[int, str], ents: list[Span] | None = None) -> dict[tuple[str, str], str]:
    """{(label, acronym): expansion} for "Expansion (ACR)" and "ACR (Expansion)" in ``doc``
    (``ents``: ``list(doc.ents)`` if the caller has it already; each doc.ents builds new spans)."""
    ents = list(doc.ents) if ents is None else ents
    found: dict[tuple[str, str], str] = {}
    for first, second in zip(ents, ents[1:]):
        gap = doc_text(doc)[first.end_char : second.start_char].strip()
        after = doc_text(doc)[second.end_char : second.end_char + 3].lstrip()
        if not (gap in {"(", "(kurz:", "(kurz", "(engl.", "(englisch"} and after.startswith(")")):
            continue
        a, b = bases[first.start_char], bases[second.start_char]
        if is_acronym(second.text) and not is_acronym(first.text):
            acronym, expansion, label = second.text, a, first.label_
        elif is_acronym(first.text) and not is_acronym(second.text):
            acronym, expansion, label = first.text, b, second.label_
        else:
            continue
        if first.label_ != second.label_ and not matches_acronym(acronym, expansion):
            continue
        found.setdefault((label, acronym), expansion)
    return found


def harmonise_labels(doc: Doc) -> list[Span]:
    """One label per name within a document ("one sense per discourse").

    A model may tag "ZHU" as ORG in one sentence although "Wenlong ZHU" is a
    person two lines up. A mention whose text is the family name of a person
    of the document becomes PER; otherwise a surface form that carries
    several labels takes the label most of its mentions have (ties keep the
    model's choice). Returns the (possibly relabelled) entities, also set on
    ``doc.ents``.
    """
    ents = list(doc.ents)
    families = {
        ent.text.split()[-1].casefold()
        for ent in ents
        if ent.label_ == "PER" and len(ent.text.split()) >= 2
    }
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in ents:
        votes[ent.text.casefold()][ent.label_] += 1
    changed = False
    out: list[Span] = []
    for ent in ents:
        key = ent.text.casefold()
        label = ent.label_
        if label != "PER" and " " not in ent.text.strip() and key in families and not is_acronym(ent.text) or (
            label != "PER" and key in families and ent.text.isupper() and len(ent.text) <= 6 and is_pinyin(ent.text)
        ):
            label = "PER"
        else:
            ranked = votes[key].most_common()
            if len(ranked) > 1 and ranked[0][1] > ranked[1][1]:
                label = ranked[0][0]
        if label != ent.label_:
            ent = Span(doc, ent.start, ent.end, label=label)
            changed = True
        out.append(ent)
    if changed:
        doc.ents = out
        return list(doc.ents)
    return out  # the spans of doc.ents, unchanged


#: "Chengdu (chinesisch 成都市)": the native spelling in parentheses names the same thing.
NATIVE_SPELLING_GAP = re.compile(r"^\(\s*(?:chinesisch|chin\.|chinesischer\s+Name|Chinesisch|pinyin|Pinyin|japanisch|koreanisch):?$")


def native_spellings(doc: Doc, ents: list[Span] | None = None) -> dict[int, int]:
    """{start of the native spelling: start of the name it spells} for "Name (chinesisch 名字)"."""
    ents = list(doc.ents) if ents is None else ents
    out: dict[int, int] = {}
    for first, second in zip(ents, ents[1:]):
        gap = doc_text(doc)[first.end_char : second.start_char].strip()
        if first.label_ == second.label_ and NATIVE_SPELLING_GAP.match(gap) and doc_text(doc)[second.end_char : second.end_char + 2].lstrip().startswith(")"):
            out[second.start_char] = first.start_char
    return out


class WithinDocumentIdentity:
    """Gives every entity mention the document's fullest name for its referent."""

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        ents = harmonise_labels(doc)
        bases = {ent.start_char: canonical_name(ent.label_, ent.text, _before(ent)) for ent in ents}
        names: dict[int, str] = dict(bases)

        # 1. acronyms: defined in parentheses, else the unique expansion whose initials match
        definitions = acronym_definitions(doc, bases, ents)
        long_names: dict[str, set[str]] = defaultdict(set)
        for ent in ents:
            if not is_acronym(ent.text):
                long_names[ent.label_].add(bases[ent.start_char])
        for ent in ents:
            if not is_acronym(ent.text):
                continue
            expansion = definitions.get((ent.label_, ent.text))
            if expansion is None:
                expansion = next((v for (lab, acr), v in definitions.items() if acr == ent.text), None)
            if expansion is None:
                candidates = sorted(n for n in long_names[ent.label_] if ent.text.upper() in acronym_of(n))
                if len(candidates) == 1:
                    expansion = candidates[0]
            if expansion is not None:
                names[ent.start_char] = expansion

        for native, name_start in native_spellings(doc, ents).items():
            names[native] = names[name_start]

        # 1b. a genitive "-s" on a name the document also uses bare: "Maharashtras" -> "Maharashtra"
        plain = {(ent.label_, names[ent.start_char]) for ent in ents}
        for ent in ents:
            name = names[ent.start_char]
            if ent.label_ in {"LOC", "ORG"} and len(name) > 4 and name.endswith("s") and not name.endswith("ss"):
                if (ent.label_, name[:-1]) in plain:
                    names[ent.start_char] = name[:-1]

        # 2. persons: a family name alone -> the one full name with that family name
        full: dict[str, set[str]] = defaultdict(set)
        for ent in ents:
            name = names[ent.start_char]
            if ent.label_ == "PER" and len(name.split()) >= 2:
                full[family_name(name).lower()].add(name)
                if preferred_person_rank(name) == 1:  # "Zhu Wenlong": family name first
                    full[name.split()[0].lower()].add(name)
        for ent in ents:
            name = names[ent.start_char]
            if ent.label_ == "PER" and len(name.split()) == 1:
                matches = full.get(name.lower(), set())  # family names compare caseless: "ZHU" ~ "Zhu"
                if len(matches) == 1:
                    names[ent.start_char] = next(iter(matches))

        # 3. "die Partnerschaft" after "Partnerschaft zwischen NRW und Jiangsu": the one longer
        #    agreement/event name of the document that starts with the short one
        for label in ("AGREEMENT", "EVENT"):
            longer = sorted({names[e.start_char] for e in ents if e.label_ == label})
            for ent in ents:
                if ent.label_ != label:
                    continue
                short = names[ent.start_char]
                candidates = [n for n in longer if n != short and n.lower().startswith(short.lower() + " ")]
                if len(candidates) == 1:
                    names[ent.start_char] = candidates[0]

        # 3b. organisations: a short form of a longer name of the document ("die Staatskanzlei"
        #     after "Staatskanzlei Nordrhein-Westfalen", "Arbeitskreis China" after
        #     "IHK-Arbeitskreis China") takes the one longer name it begins or ends
        orgs = sorted({names[e.start_char] for e in ents if e.label_ == "ORG" and not is_acronym(names[e.start_char])})
        for ent in ents:
            short = names[ent.start_char]
            if ent.label_ != "ORG" or is_acronym(short):
                continue
            low = short.lower()
            candidates = [
                n for n in orgs
                if n != short
                and (
                    (n.lower().startswith(low + " ") and not _subsidiary_suffix(n[len(short) + 1 :]))
                    or (len(short.split()) >= 2 and n.lower().endswith((" " + low, "-" + low)))
                )
            ]
            if len(candidates) == 1:
                names[ent.start_char] = candidates[0]

        # 4. one spelling per key: the most frequent variant, then the first seen
        variants: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        first_seen: dict[str, int] = {}
        for ent in ents:
            name = names[ent.start_char]
            variants[(ent.label_, name_key(ent.label_, name))][name] += 1
            first_seen.setdefault(name, ent.start_char)
        for ent in ents:
            name = names[ent.start_char]
            counter = variants[(ent.label_, name_key(ent.label_, name))]
            fullest = ent.label_ in {"ORG", "EVENT", "AGREEMENT"}
            best = sorted(
                counter,
                key=lambda n: (
                    preferred_person_rank(n) if ent.label_ == "PER" else 0,
                    -len(re.split(r"[\s-]+", n)) if fullest else 0,  # the fullest name: "... e. V." over the bare name
                    not n[:1].isupper() if fullest else False,
                    -counter[n],
                    _proper_case_rank(n),
                    first_seen[n],
                ),
            )[0]
            ent._.canonical = best
        return doc


_LEGAL_FORM_WORD = re.compile(r"\b(?:GmbH|Ltd\.?|AG|SE|KG|Inc\.?|LLC|B\.V\.|S\.A\.|Co\.)(?!\w)")


def _subsidiary_suffix(rest: str) -> bool:
    """True when ``rest``, what a longer name adds to a shorter one, makes it a subsidiary
    ("Messe Frankfurt" + "(HK) Ltd", "Bohai Wind" + "Europe GmbH"): a place in parentheses,
    or a place and a legal form. Then the short name is the parent, not a short form."""
    if rest.startswith("("):
        return True
    words = re.findall(r"[\w-]+", rest)
    return bool(_LEGAL_FORM_WORD.search(rest)) and any(w in {"Europe", "Germany", "Asia", "International"} or is_known_place(w) for w in words)


def _proper_case_rank(name: str) -> int:
    """Prefer "NRW.Invest" over "NRW.INVEST" when both occur equally often."""
    return sum(1 for ch in name if ch.isupper())


@Language.factory("kg_coref")
def make_kg_coref(nlp: Language, name: str) -> WithinDocumentIdentity:
    register_extensions()
    return WithinDocumentIdentity()
