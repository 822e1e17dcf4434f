"""Models of the submissions subsystem (see core/submissions.py)."""
