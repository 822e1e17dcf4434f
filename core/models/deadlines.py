"""Models of the deadlines subsystem (see core/deadlines.py)."""
