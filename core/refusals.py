"""The one refusal type of the operations layer (core.operations), in a ground module so that the
declared fields (core.fields) and anything below the operations can raise it without importing them."""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """The one way an operation says no: a translated message, an HTTP status, per-field errors."""

    def __init__(self, message: str, status: int = 400, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.status = status
        self.errors = {name: [str(e) for e in problems] for name, problems in (errors or {}).items()}

    @property
    def reasons(self) -> list[str]:
        """The message and every field error, for callers that list them."""
        reasons = [self.message] if self.message else []
        for problems in self.errors.values():
            reasons += [p for p in problems if p not in reasons]
        return reasons

    def as_json(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.status,
                "message": " ".join(self.reasons),
                "reasons": self.reasons,
                "fields": self.errors,
            }
        }
