"""Annotation layers over article text (time expressions, ...), as standoff spans."""
