"""The score of a supervision visit.

    score = 100 × Σ wᵢ · pᵢ / mᵢ  ÷  Σ wᵢ

over the items **answered with points**: wᵢ the item's weight, pᵢ the points given (0..mᵢ) and mᵢ the
item's highest points (1 for a cumple / no cumple item). Items answered «no aplica» (N/A) and items left
unanswered are in neither sum: they neither raise nor lower the score. With no item answered with points
there is no score (None). Rounded to one decimal, half up.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from plugins.monitoring.supervision.models import VisitAnswer


def score_of(answers: Iterable[VisitAnswer]) -> Decimal | None:
    achieved = Decimal("0")
    possible = Decimal("0")
    for answer in answers:
        if answer.points is None:  # no aplica
            continue
        weight = Decimal(answer.item.weight)
        achieved += weight * Decimal(answer.points) / Decimal(answer.item.max_points or 1)
        possible += weight
    if not possible:
        return None
    return (achieved * 100 / possible).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
