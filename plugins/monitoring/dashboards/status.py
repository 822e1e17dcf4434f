"""The status of an indicator against its target: on track, at risk or off track (the documented rule).

The rule compares the share of the planned change already achieved with the share of time elapsed:

- *achieved* = (latest value − baseline) / (target − baseline): 0 at the baseline, 1 at the target,
  negative when the indicator moved away from its target (the direction — lower or higher is
  better — is the sign of target − baseline, so no per-indicator flag is needed);
- *expected* = the time elapsed from the baseline's year-end to the target's year-end, as a share
  (0 to 1), counted at the end of the latest measured period (a quarter or a year).

**On track** (en camino): achieved ≥ expected − :data:`TOLERANCE` (or the target is reached).
**At risk** (en riesgo): some progress (achieved > 0) but below that line.
**Off track** (desviado): no progress, or moving away from the target.
**No data** (sin datos): no measurement, no baseline or no target.
A target equal to its baseline asks to keep the value: on track while not worse by more than the
tolerance of the baseline, else off track.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

#: How far (a share of the planned change) progress may lag behind time and still be on track.
TOLERANCE = Decimal("0.10")

STATUSES = {
    "on_track": _l("On track"),
    "at_risk": _l("At risk"),
    "off_track": _l("Off track"),
    "no_data": _l("No data"),
}
#: Spanish labels for documents (legal text is Spanish directly).
STATUS_ES = {"on_track": "En camino", "at_risk": "En riesgo", "off_track": "Desviado", "no_data": "Sin datos"}


def elapsed_share(baseline_year: int, target_year: int, year: int, quarter: int | None) -> Decimal:
    """Share of the time from the baseline's year-end to the target's year-end that has passed at the
    end of ``year`` (of its ``quarter``, if given), between 0 and 1."""
    if target_year <= baseline_year:
        return Decimal(1)
    now = Decimal(year) if quarter is None else Decimal(year - 1) + Decimal(quarter) / 4
    share = (now - baseline_year) / (target_year - baseline_year)
    return min(Decimal(1), max(Decimal(0), share))


def status_of(
    baseline: Decimal | None,
    target: Decimal | None,
    value: Decimal | None,
    expected: Decimal = Decimal(1),
) -> str:
    """The key of :data:`STATUSES` for a latest ``value`` against ``baseline`` → ``target``."""
    if value is None or baseline is None or target is None:
        return "no_data"
    baseline, target, value = Decimal(baseline), Decimal(target), Decimal(value)
    if target == baseline:
        slack = abs(baseline) * TOLERANCE
        return "on_track" if abs(value - baseline) <= slack or value == target else "off_track"
    achieved = (value - baseline) / (target - baseline)
    if achieved >= 1 or achieved >= expected - TOLERANCE:
        return "on_track"
    if achieved > 0:
        return "at_risk"
    return "off_track"


def gap_to_target(target: Decimal | None, value: Decimal | None) -> Decimal | None:
    """What is left to reach the target (value − target): for a lower-is-better indicator a positive
    gap is still to be reduced; None without a value or a target."""
    if target is None or value is None:
        return None
    return Decimal(value) - Decimal(target)
