"""kg: a knowledge graph of German-Chinese economic relations from press releases.

Data flows corpus -> extraction (spaCy) -> identity -> RDF -> store, and
from the store to questions (SPARQL, networkx) and maps (pyvis).
"""

__version__ = "0.1.0"
