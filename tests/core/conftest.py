"""Fixtures shared by the core tests (on top of tests/conftest.py); none of them is autouse."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash


@pytest.fixture
def fast_hashing(monkeypatch):  # noqa: ANN001, ANN201
    """Cheap password hashes for users created during the test.

    scrypt (the real scheme) costs ~0.1 s per hash and per sign-in check; tests about other things
    use a one-round PBKDF2 instead. Hashes carry their method, so sign-in verifies them the same way.
    test_auth.py and test_cli.py check that real passwords are stored with scrypt.
    """
    monkeypatch.setattr(
        "core.models.user.generate_password_hash",
        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"),
    )
