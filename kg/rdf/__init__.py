"""RDF side of kg: vocabulary, mapping of Extraction records to triples, the store."""
