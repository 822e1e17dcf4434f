"""Declared fields (core.fields): refusals name each field by its label in the reader's language, keyed
by the field; numbers keep within their declared limits in the one parser, the input schema and the
form generated from the declaration."""

from __future__ import annotations

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from core import values
from core.fields import Field, RecordFields
from core.refusals import Refusal

THING = RecordFields(
    "thing",
    [
        Field("name", "text", "Nombre del local", required=True, max_length=20),
        Field("rooms", "integer", "Número de aulas", maximum=40),
        Field("seats", "integer", "Asientos"),
        Field("rent", "money", "Alquiler mensual", minimum=100, maximum=5000),
        Field("done", "percentage", "Avance"),
        Field("share", "decimal", "Participación", places=2, minimum=Decimal("0.5"), maximum=1),
    ],
)


def _refusal(data: dict) -> Refusal:
    with pytest.raises(Refusal) as refused:
        THING.parse(data)
    return refused.value


def test_refusals_name_the_field_by_its_label_and_are_keyed_by_the_field(app):  # noqa: ANN001
    with app.test_request_context(headers={"Accept-Language": "es"}):
        refusal = _refusal({"rooms": "muchas"})
    assert refusal.errors == {
        "name": ["«Nombre del local» es obligatorio."],
        "rooms": ["«Número de aulas» debe ser un número, no «muchas»."],
    }


def test_numbers_keep_within_their_declared_limits(app):  # noqa: ANN001
    with app.test_request_context(headers={"Accept-Language": "es"}):
        refusal = _refusal(
            {
                "name": "Local",
                "rooms": "41",
                "seats": str(values.DB_INT_MAX + 1),
                "rent": "S/ 50",
                "done": "101",
                "share": "1,5",
            }
        )
        assert THING.parse({"name": "Local", "rooms": "40", "rent": "S/ 5,000.00", "done": "100", "share": "0,5"}) == {
            "name": "Local",
            "rooms": 40,
            "rent": Decimal("5000.00"),
            "done": Decimal("100"),
            "share": Decimal("0.5"),
        }
    assert refusal.errors == {
        "rooms": ["«Número de aulas» debe ser como máximo 40."],
        "seats": ["«Asientos» debe ser como máximo 2,147,483,647."],
        "rent": ["«Alquiler mensual» debe estar entre 100 y 5,000."],
        "done": ["«Avance» debe ser un porcentaje entre 0 y 100."],
        "share": ["«Participación» debe estar entre 0.5 y 1."],
    }


def test_the_input_schema_shows_the_limits():
    properties = THING.json_schema(for_input=True)["properties"]
    limits = {name: (p.get("minimum"), p.get("maximum")) for name, p in properties.items()}
    assert limits == {
        "name": (None, None),
        "rooms": (0, 40),
        "seats": (0, values.DB_INT_MAX),
        "rent": (100, 5000),
        "done": (0, 100),
        "share": (0.5, 1),
    }


def test_the_generated_form_refuses_a_value_over_the_limit_beside_its_field(app):  # noqa: ANN001
    form_class = THING.form_class(versioned=False)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        form = form_class(formdata=MultiDict({"name": "Local", "rooms": "41", "rent": "200"}), meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {"rooms": ["«Número de aulas» debe ser como máximo 40."]}
        form = form_class(formdata=MultiDict({"name": "Local", "rooms": "40", "rent": "200"}), meta={"csrf": False})
        assert form.validate(), form.errors
