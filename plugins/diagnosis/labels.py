"""Translatable labels of the plugin's codes (English msgids; Spanish in translations/es)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTOR_KIND_LABELS = {
    "public": _l("Public"),
    "private": _l("Private"),
    "civil_society": _l("Civil society"),
    "church": _l("Church"),
    "cooperation": _l("International cooperation"),
}
ACTOR_LEVEL_LABELS = {"national": _l("National"), "regional": _l("Regional"), "local": _l("Local")}
RELATION_KIND_LABELS = {
    "coordination": _l("Coordination"),
    "funding": _l("Funding"),
    "technical_assistance": _l("Technical assistance"),
    "service": _l("Service delivery"),
    "oversight": _l("Oversight"),
    "conflict": _l("Conflict"),
}
CAUSE_LEVEL_LABELS = {
    "immediate": _l("Immediate causes"),
    "underlying": _l("Underlying causes"),
    "basic": _l("Basic causes"),
}
WEALTH_CATEGORY_LABELS = {
    "social": _l("Social"),
    "natural": _l("Natural"),
    "productive": _l("Productive"),
    "geographic": _l("Geographic"),
    "tourist": _l("Tourist"),
    "cultural": _l("Cultural"),
    "other": _l("Other"),
}
SURVEY_SECTION_LABELS = {
    "geographic_location": _l("Geographic location"),
    "existing_services": _l("Existing services"),
    "projects": _l("Social investment and production projects"),
    "potential_resources": _l("Potential resources"),
    "socioeconomic": _l("Local socio-economic information"),
    "accessibility": _l("Accessibility"),
}
FUNDING_SOURCE_LABELS = {
    "RO": _l("Ordinary resources (RO)"),
    "RDR": _l("Directly collected resources (RDR)"),
    "ROOC": _l("Official credit operations (ROOC)"),
    "DyT": _l("Donations and transfers (DyT)"),
    "RD": _l("Determined resources (RD: canon, FONCOMUN…)"),
    "OTHER": _l("Other"),
}
APPROVAL_INSTRUMENT_LABELS = {"ordinance": _l("Ordinance"), "resolution": _l("Resolution")}

# Documents are Spanish whatever the user's language: their own fixed labels.
SPANISH = {
    "funding": {
        "RO": "Recursos Ordinarios",
        "RDR": "Recursos Directamente Recaudados",
        "ROOC": "Recursos por Operaciones Oficiales de Crédito",
        "DyT": "Donaciones y Transferencias",
        "RD": "Recursos Determinados",
        "OTHER": "Otra",
    },
    "cause": {"immediate": "Causas inmediatas", "underlying": "Causas subyacentes", "basic": "Causas básicas"},
    "actor_kind": {
        "public": "Público",
        "private": "Privado",
        "civil_society": "Sociedad civil",
        "church": "Iglesia",
        "cooperation": "Cooperación",
    },
    "actor_level": {"national": "Nacional", "regional": "Regional", "local": "Local"},
    "relation": {
        "coordination": "Coordinación",
        "funding": "Financiamiento",
        "technical_assistance": "Asistencia técnica",
        "service": "Prestación de servicios",
        "oversight": "Vigilancia",
        "conflict": "Conflicto",
    },
    "wealth": {
        "social": "Social",
        "natural": "Natural",
        "productive": "Productiva",
        "geographic": "Geográfica",
        "tourist": "Turística",
        "cultural": "Cultural",
        "other": "Otra",
    },
    "survey": {
        "geographic_location": "Ubicación geográfica",
        "existing_services": "Servicios existentes",
        "projects": "Proyectos de inversión social y productivos",
        "potential_resources": "Recursos potenciales",
        "socioeconomic": "Información socioeconómica local",
        "accessibility": "Accesibilidad",
    },
    "instrument": {"ordinance": "Ordenanza", "resolution": "Resolución"},
}
MONTHS_SHORT = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Set", "Oct", "Nov", "Dic")


def label(mapping: dict, code: str | None) -> str:
    """The translated label of ``code`` (the code itself when unknown, empty for None)."""
    if code is None:
        return ""
    return str(mapping.get(code, code))
