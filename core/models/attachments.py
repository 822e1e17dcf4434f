"""Models of the attachments subsystem (see core/attachments.py)."""
