"""Models of the documents subsystem (see core/documents.py)."""
