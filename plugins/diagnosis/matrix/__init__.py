"""The Plan Articulado's matrix (Appendix 5): values.py parses what people type (the declared fields'
parsers and catalog lookups), rows.py loads, seeds, copies and edits its rows, checks.py totals it
and lists what keeps it from approval. Callers import from here."""

from plugins.diagnosis.matrix.checks import Totals, gaps, totals
from plugins.diagnosis.matrix.rows import (
    CRECER_OBJECTIVE,
    apply_row,
    apply_sections,
    copy_structure,
    load_plan,
    seed_new_plan,
)
from plugins.diagnosis.matrix.values import (
    MatrixError,
    check_funding,
    clean_text,
    fold,
    funding_label,
    institutions_by_key,
    institutions_from_text,
    parse_money,
    parse_months,
    parse_number,
    strategic_program_by_key,
)

__all__ = [
    "CRECER_OBJECTIVE",
    "MatrixError",
    "Totals",
    "apply_row",
    "apply_sections",
    "check_funding",
    "clean_text",
    "copy_structure",
    "fold",
    "funding_label",
    "gaps",
    "institutions_by_key",
    "institutions_from_text",
    "load_plan",
    "parse_money",
    "parse_months",
    "parse_number",
    "seed_new_plan",
    "strategic_program_by_key",
    "totals",
]
