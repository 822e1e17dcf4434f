"""The national and a regional dashboard read a fixed number of SQL statements whatever the years of
measurements stored (the benchmark's data, benchmarks/bench_dashboards.py): statements, not timings."""

from __future__ import annotations

from typing import Any

from benchmarks.bench_dashboards import add_measurements, reads, region_id, statement_count


def test_dashboard_statements_do_not_grow_with_the_rows(app: Any, client: Any, people: Any, api_token: Any) -> None:
    headers = {"Authorization": f"Bearer {api_token(people['national'])}"}
    people.login(client, "national")
    with app.app_context():
        region = region_id()
        add_measurements([2008], department="10")
    paths = reads(region)
    one_year = {label: statement_count(app, client, path, headers) for label, path in paths}
    with app.app_context():
        add_measurements([2009, 2010, 2011, 2012], department="10")
    five_years = {label: statement_count(app, client, path, headers) for label, path in paths}
    assert one_year == five_years
    assert all(count <= 25 for count in one_year.values()), one_year
