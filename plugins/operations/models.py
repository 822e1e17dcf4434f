"""Tables of the operations plugin: each record type's models, imported here so the app registers them."""

from plugins.operations.agreements import models as agreements_models  # noqa: F401
from plugins.operations.budget import models as budget_models  # noqa: F401
from plugins.operations.incentives import models as incentives_models  # noqa: F401
from plugins.operations.investment import models as investment_models  # noqa: F401
from plugins.operations.sessions import models as sessions_models  # noqa: F401
from plugins.operations.training import models as training_models  # noqa: F401
