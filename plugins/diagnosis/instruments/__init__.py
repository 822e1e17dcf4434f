"""The diagnosis's instruments, one module each: scope.py (districts in scope, seed catalogs),
fichas.py (Fichas Distritales), baselines.py (the nine key indicators, CSV/XLSX import),
coverage.py (Mapa de Coincidencias), actors.py (Mapa de Actores, causes, production) and gaps.py
(the check before validation). Callers import from here."""

from plugins.diagnosis.instruments.actors import (
    apply_actor,
    apply_cause,
    apply_relation,
    apply_wealth,
    set_survey_answer,
)
from plugins.diagnosis.instruments.baselines import (
    LEVEL_NAMES,
    baselines_by_indicator,
    check_measure,
    check_source,
    check_source_level,
    check_year,
    data_sources,
    import_baselines,
    indicator_lookup,
    measures_of,
    upsert_baseline,
)
from plugins.diagnosis.instruments.coverage import (
    CoincidenceMatrix,
    coincidence_matrix,
    import_coverage,
    program_lookup,
    set_coverage,
)
from plugins.diagnosis.instruments.fichas import create_records, parse_as_of, records_with_values, set_record_value
from plugins.diagnosis.instruments.gaps import gaps
from plugins.diagnosis.instruments.scope import districts_in_scope, key_indicators, social_items, territories_in_scope
from plugins.diagnosis.tabular import TableError

__all__ = [
    "LEVEL_NAMES",
    "CoincidenceMatrix",
    "TableError",
    "apply_actor",
    "apply_cause",
    "apply_relation",
    "apply_wealth",
    "baselines_by_indicator",
    "check_measure",
    "check_source",
    "check_source_level",
    "check_year",
    "coincidence_matrix",
    "create_records",
    "data_sources",
    "districts_in_scope",
    "gaps",
    "import_baselines",
    "import_coverage",
    "indicator_lookup",
    "key_indicators",
    "measures_of",
    "parse_as_of",
    "program_lookup",
    "records_with_values",
    "set_coverage",
    "set_record_value",
    "set_survey_answer",
    "social_items",
    "territories_in_scope",
    "upsert_baseline",
]
