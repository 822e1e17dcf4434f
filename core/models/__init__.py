"""The platform's models; importing this package registers them all with SQLAlchemy."""

from core.models.case import (
    STAGES,
    Case,
    CaseParticipant,
    CaseSearchTerm,
    CaseTransition,
    CustomField,
    Cycle,
    ReferenceCounter,
    ReferencePattern,
    WorkflowDefinition,
)
from core.models.catalog import (
    Institution,
    InterventionLine,
    KeyIndicator,
    SocialInfoItem,
    SocialProgram,
    StrategicProgram,
)
from core.models.seed import PluginState, SeedRecord
from core.models.territory import GOVERNMENT_KINDS, TERRITORY_LEVELS, Government, Territory
from core.models.user import GLOBAL_ROLES, ROLES, ApiToken, LoginAttempt, Membership, User

__all__ = [
    "STAGES",
    "Case",
    "CaseParticipant",
    "CaseSearchTerm",
    "CaseTransition",
    "CustomField",
    "Cycle",
    "ReferenceCounter",
    "ReferencePattern",
    "WorkflowDefinition",
    "GLOBAL_ROLES",
    "GOVERNMENT_KINDS",
    "ROLES",
    "TERRITORY_LEVELS",
    "ApiToken",
    "Government",
    "Institution",
    "InterventionLine",
    "KeyIndicator",
    "LoginAttempt",
    "Membership",
    "PluginState",
    "SeedRecord",
    "SocialInfoItem",
    "SocialProgram",
    "StrategicProgram",
    "Territory",
    "User",
]

# The subsystems' models import the ones above, so they are registered last.
from core.models import attachments, audit, submissions  # noqa: E402, F401
