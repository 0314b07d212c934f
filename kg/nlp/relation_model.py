"""Component ``kg_relation_model``: a trained classifier over entity pairs, beside the patterns.

The patterns of ``kg_relations`` are precise but only see the wordings they
were written for. This classifier reads every pair of entities in a sentence
(the words between them, the words around them, their labels and head words)
and proposes a relation where the patterns found none between the two. It is
a multinomial logistic regression (scikit-learn) trained on the relation
annotations of the project's own training documents (in-domain annotations
and synthetic press releases, never a gold file); the weights ship as a small
gzipped JSON file so that running the pipeline needs no scikit-learn and no
pickle. It only adds relations, of the types where it measured better than
nothing, above a probability threshold picked on held-out documents (figures
in kg/nlp/pipeline.py).
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.extensions import RelationSpan, register_extensions
from kg.records import SYMMETRIC_RELATIONS

WEIGHTS_PATH = Path(__file__).parent / "model" / "relations.json.gz"
NONE = "NONE"
MAX_TOKENS_BETWEEN = 30  # farther pairs are rarely related in one clause, and cost time
#: relation types the classifier may add (ROLE needs a role word, which a pair classifier does not give)
ADDED_TYPES = frozenset({"PART_OF", "LOCATED_IN", "COOPERATES", "PARTY_TO", "PARTICIPATED", "MET", "AFFILIATED"})
THRESHOLD = 0.5


def _bucket(n: int) -> str:
    for limit, name in ((0, "0"), (1, "1"), (2, "2"), (4, "3-4"), (8, "5-8"), (15, "9-15")):
        if n <= limit:
            return name
    return "16+"


def _word(token) -> str:
    return token.lower_


def pair_features(doc: Doc, sent: Span, ents: list[Span], i: int, j: int) -> list[str]:
    """Sparse binary features of the ordered pair (ents[i], ents[j]), i < j, in ``sent``.

    Word features are lower-cased surface forms plus 6-character prefixes and
    suffixes, because there is no lemmatiser: "Kooperationspartner" and
    "Partnerschaft" share "partne", "Tochtergesellschaft" ends like
    "Gesellschaft".
    """
    a, b = ents[i], ents[j]
    lab = f"{a.label_}|{b.label_}"
    between = [t for t in doc[a.end : b.start] if not t.is_space]
    words = [_word(t) for t in between]
    features = [f"lab={lab}", f"dist={lab}|{_bucket(len(words))}", f"nents={lab}|{min(j - i - 1, 3)}"]
    for w in set(words):
        features.append(f"w={w}")
        features.append(f"lw={lab}|{w}")
        if len(w) > 6:
            features.append(f"pre={w[:6]}")
            features.append(f"suf={w[-6:]}")
    features.append(f"first={lab}|{words[0] if words else '<adjacent>'}")
    features.append(f"last={lab}|{words[-1] if words else '<adjacent>'}")
    if len(words) <= 4:
        features.append(f"gap={lab}|{' '.join(words)}")
    mid = sorted({e.label_ for e in ents[i + 1 : j]})
    features.append(f"mid={lab}|{','.join(mid)}")
    for k in (1, 2):
        left = a.start - k
        features.append(f"b{k}={_word(doc[left]) if left >= sent.start else '<s>'}")
        right = b.end + k - 1
        features.append(f"a{k}={_word(doc[right]) if right < sent.end else '</s>'}")
    features.append(f"hh={a.label_}|{_word(a[-1])}")
    features.append(f"th={b.label_}|{_word(b[-1])}")
    features.append(f"hf={a.label_}|{_word(a[0])}")
    features.append(f"tf={b.label_}|{_word(b[0])}")
    return features


def candidate_pairs(ents: list[Span]) -> Iterator[tuple[int, int]]:
    """Ordered pairs of entities of one sentence that are near enough to be classified."""
    for i in range(len(ents)):
        for j in range(i + 1, len(ents)):
            if ents[j].start - ents[i].end > MAX_TOKENS_BETWEEN:
                break
            yield i, j


def pair_class(type_: str, head_first: bool) -> str:
    """The class of a relation between a pair in text order: "PART_OF>" (head first), "PART_OF<", "MET"."""
    if type_ in SYMMETRIC_RELATIONS:
        return type_
    return f"{type_}{'>' if head_first else '<'}"


def decode_class(name: str) -> tuple[str, bool]:
    """(type, head_first) of a class name."""
    if name.endswith(">"):
        return name[:-1], True
    if name.endswith("<"):
        return name[:-1], False
    return name, True


@dataclass
class RelationModel:
    """Weights of the classifier: feature -> {class index: weight}, plus intercepts."""

    classes: list[str]
    intercept: list[float]
    weights: dict[str, dict[int, float]]

    def probabilities(self, features: Iterable[str]) -> list[float]:
        scores = list(self.intercept)
        for f in set(features):
            for k, w in self.weights.get(f, {}).items():
                scores[k] += w
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def to_json(self) -> dict:
        return {
            "classes": self.classes,
            "intercept": [round(x, 5) for x in self.intercept],
            "weights": {f: {str(k): round(w, 5) for k, w in ws.items()} for f, ws in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: dict) -> "RelationModel":
        weights = {f: {int(k): float(w) for k, w in ws.items()} for f, ws in data["weights"].items()}
        return cls(list(data["classes"]), [float(x) for x in data["intercept"]], weights)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # mtime=0: the same weights give the same bytes, so a retrain can be compared with cmp
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> "RelationModel":
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return cls.from_json(json.load(handle))


# --- training -------------------------------------------------------------------------------


def labelled_pairs(doc: Doc, relations: list[tuple[str, int, int]], entity_of: dict[int, str]) -> Iterator[tuple[list[str], str]]:
    """Training examples of one gold-annotated Doc.

    ``relations`` are (type, head ent index, tail ent index) over ``doc.ents``;
    ``entity_of`` maps an ent index to its gold entity name. A pair without a
    relation of its own is a negative unless its two entities are related
    through other mentions (the annotators mark one evidence pair per
    relation), in which case it is left out rather than taught as "none".
    """
    from kg.nlp.relations import evidence_spans

    ents = list(doc.ents)
    index = {(e.start_char, e.end_char): n for n, e in enumerate(ents)}
    direct = {}
    related_entities: set[frozenset[str]] = set()
    for type_, h, t in relations:
        direct[(min(h, t), max(h, t))] = pair_class(type_, h < t)
        related_entities.add(frozenset((entity_of[h], entity_of[t])))
    for sent in evidence_spans(doc):
        sent_ents = [e for e in ents if sent.start_char <= e.start_char and e.end_char <= sent.end_char]
        for i, j in candidate_pairs(sent_ents):
            x, y = index[(sent_ents[i].start_char, sent_ents[i].end_char)], index[(sent_ents[j].start_char, sent_ents[j].end_char)]
            label = direct.get((x, y))
            if label is None:
                if frozenset((entity_of[x], entity_of[y])) in related_entities:
                    continue
                label = NONE
            yield pair_features(doc, sent, sent_ents, i, j), label


def training_examples(records: Iterable[dict]) -> tuple[list[list[str]], list[str]]:
    """Features and classes of all candidate pairs of gold-format records (entities with ids, relations)."""
    import spacy

    from kg.nlp.convert import doc_with_exact_spans
    import kg.nlp.sentences  # noqa: F401  (registers kg_sentences)

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_sentences")
    X: list[list[str]] = []
    y: list[str] = []
    for record in records:
        mentions = record.get("entities", [])
        doc = doc_with_exact_spans(nlp, record["text"], [(m["start"], m["end"], m["label"]) for m in mentions])
        for _, pipe in nlp.pipeline:
            doc = pipe(doc)
        ent_index = {(e.start_char, e.end_char): n for n, e in enumerate(doc.ents)}
        by_id = {m["id"]: ent_index.get((m["start"], m["end"])) for m in mentions}
        entity_of = {ent_index[(m["start"], m["end"])]: m.get("entity") or m["text"]
                     for m in mentions if (m["start"], m["end"]) in ent_index}
        relations = [(r["type"], by_id.get(r["head"]), by_id.get(r["tail"])) for r in record.get("relations", [])]
        relations = [(t, h, k) for t, h, k in relations if h is not None and k is not None and h != k]
        for features, label in labelled_pairs(doc, relations, entity_of):
            X.append(features)
            y.append(label)
    return X, y


def train_relation_model(records: Iterable[dict], *, min_count: int = 2, c: float = 1.0, seed: int = 0) -> RelationModel:
    """Fit the classifier on gold-format records; features seen fewer than ``min_count`` times are dropped."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X, y = training_examples(records)
    counts = Counter(f for features in X for f in set(features))
    rows = [{f: 1.0 for f in features if counts[f] >= min_count} for features in X]
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    model.fit(matrix, y)
    classes = [str(k) for k in model.classes_]
    coef = model.coef_
    if len(classes) == 2:  # binary: scikit-learn keeps one row; make it two opposite ones
        coef = [-coef[0] / 2, coef[0] / 2]
        intercept = [-model.intercept_[0] / 2, model.intercept_[0] / 2]
    else:
        intercept = list(model.intercept_)
    weights: dict[str, dict[int, float]] = {}
    for f, column in vectorizer.vocabulary_.items():
        ws = {k: float(coef[k][column]) for k in range(len(classes)) if abs(coef[k][column]) >= 1e-3}
        if ws:
            weights[f] = ws
    return RelationModel(classes, [float(x) for x in intercept], weights)


# --- the component --------------------------------------------------------------------------


class RelationClassifier:
    """Adds the classifier's relations between pairs that the patterns left unrelated."""

    def __init__(self, model: RelationModel | None, threshold: float, types: frozenset[str]) -> None:
        self.model = model
        self.threshold = threshold
        self.types = types

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            return doc
        from kg.nlp.relations import _key, _unique, evidence_spans

        found = list(doc._.relations or [])
        related = {frozenset((r.head.start_char, r.tail.start_char)) for r in found}
        doc_ents = list(doc.ents)
        added: list[RelationSpan] = []
        for sent in evidence_spans(doc):
            ents = [e for e in doc_ents if sent.start_char <= e.start_char and e.end_char <= sent.end_char]
            for i, j in candidate_pairs(ents):
                a, b = ents[i], ents[j]
                if frozenset((a.start_char, b.start_char)) in related:
                    continue
                probs = self.model.probabilities(pair_features(doc, sent, ents, i, j))
                # the likeliest relation, if likely enough (it need not beat "none" when the threshold is low)
                best = max((k for k, name in enumerate(self.model.classes) if name != NONE), key=probs.__getitem__)
                name = self.model.classes[best]
                if probs[best] < self.threshold:
                    continue
                type_, head_first = decode_class(name)
                if type_ not in self.types:
                    continue
                head, tail = (a, b) if head_first else (b, a)
                added.append(RelationSpan(type_, head, tail, None, sent))
        if added:
            keys = {_key(r) for r in found}
            doc._.relations = _unique(found + [r for r in added if _key(r) not in keys])
        return doc


@Language.factory(
    "kg_relation_model",
    default_config={"weights": None, "threshold": THRESHOLD, "types": sorted(ADDED_TYPES)},
)
def make_relation_model(nlp: Language, name: str, weights: str | None, threshold: float, types: list[str]) -> RelationClassifier:
    register_extensions()
    path = Path(weights) if weights else WEIGHTS_PATH
    model = RelationModel.load(path) if path.is_file() else None
    return RelationClassifier(model, threshold, frozenset(types))
