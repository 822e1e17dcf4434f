"""The diagnosis plugin's named operations (core.operations): every write of stage 2.

plan.py: the Plan Articulado and its matrix; diagnosis.py: the diagnosis's instruments;
common.py: loading a case for editing and moving its version on."""

from plugins.diagnosis.operations import diagnosis, plan

OPERATIONS = [*plan.OPERATIONS, *diagnosis.OPERATIONS]
