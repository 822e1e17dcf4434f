"""The alignment check reads a fixed number of SQL statements whatever the number of budget lines (the
benchmark's plan, benchmarks/bench_budget.py, at 1 and 10 districts): statements, not timings."""

from __future__ import annotations

from benchmarks.bench_budget import budget_plan, statement_counts
from core.testing import login


def test_alignment_statements_do_not_grow_with_the_lines(app, client, make_user, govs):  # noqa: ANN001
    with app.app_context():
        small, large = budget_plan(1, activities_per_result=3), budget_plan(10, activities_per_result=3)
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    counts = statement_counts(app, client, small, large)
    assert len(counts) == 4
    for label, (one, ten) in counts.items():
        assert one == ten, (label, one, ten)
