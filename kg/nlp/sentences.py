"""Component ``kg_sentences``: undo sentence starts that German orthography rules out.

Why: spaCy's rule-based ``sentencizer`` ends a sentence at every full stop
token, also the one of "Co., Ltd." or of an abbreviation the tokenizer does
not know, and a relation is only looked for inside a sentence ("X Co., Ltd.,
eine Tochtergesellschaft der Y"). A German sentence never starts with a
lower-case word or with ",", ";" or ")", so such a start is merged back into
the previous sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

NO_SENTENCE_START = {",", ";", ")", ":", "]"}


def merge_false_starts(doc: Doc) -> Doc:
    """Clear ``is_sent_start`` on tokens that cannot begin a German sentence."""
    for token in doc[1:]:
        if not token.is_sent_start or "\n" in doc[token.i - 1].text_with_ws:
            continue
        # a Doc built around given spans can start a sentence at a space token: judge the word after it
        first = token
        while first.is_space and "\n" not in first.text and first.i + 1 < len(doc):
            first = doc[first.i + 1]
        if first.text in NO_SENTENCE_START or first.text[:1].islower():
            token.is_sent_start = False
            if first is not token:
                first.is_sent_start = False
    return doc


@Language.component("kg_sentences")
def kg_sentences(doc: Doc) -> Doc:
    return merge_false_starts(doc)
