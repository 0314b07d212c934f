"""The spaCy side of kg: pipeline, components, gazetteers, training."""
