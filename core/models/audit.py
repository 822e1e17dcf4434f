"""Models of the audit subsystem (see core/audit.py)."""
