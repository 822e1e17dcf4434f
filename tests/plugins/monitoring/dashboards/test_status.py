"""The status rule (plugins/monitoring/dashboards/status.py): progress towards the goal against time elapsed."""

from __future__ import annotations

from decimal import Decimal as D

from plugins.monitoring.dashboards.status import elapsed_share, gap_to_target, status_of


def test_elapsed_share_counts_quarters_from_the_baseline_year_end() -> None:
    assert elapsed_share(2007, 2011, 2007, None) == 0
    assert elapsed_share(2007, 2011, 2009, None) == D("0.5")
    assert elapsed_share(2007, 2011, 2008, 2) == D("0.125")  # half of 2008 out of four years
    assert elapsed_share(2007, 2011, 2015, 4) == 1
    assert elapsed_share(2007, 2007, 2008, 1) == 1


def test_lower_is_better_progress_against_time() -> None:
    # desnutrición crónica: 30 → 20 by 2011; half the time elapsed
    assert status_of(D(30), D(20), D(25), D("0.5")) == "on_track"  # half the change: on track
    assert status_of(D(30), D(20), D(26), D("0.5")) == "on_track"  # 40 %: within the 10-point tolerance
    assert status_of(D(30), D(20), D("26.5"), D("0.5")) == "at_risk"  # 35 %: below it
    assert status_of(D(30), D(20), D(27), D("0.5")) == "at_risk"  # 30 % of the change, expected 50 %
    assert status_of(D(30), D(20), D(30), D("0.5")) == "off_track"  # no progress
    assert status_of(D(30), D(20), D(32), D("0.5")) == "off_track"  # moving away
    assert status_of(D(30), D(20), D(19), D("0.1")) == "on_track"  # target passed


def test_higher_is_better_works_by_the_sign_of_the_planned_change() -> None:
    # lactancia materna exclusiva: 50 → 70
    assert status_of(D(50), D(70), D(65), D("0.75")) == "on_track"
    assert status_of(D(50), D(70), D(55), D("0.75")) == "at_risk"
    assert status_of(D(50), D(70), D(45), D("0.75")) == "off_track"


def test_without_data_or_with_a_goal_to_keep() -> None:
    assert status_of(None, D(20), D(25)) == "no_data"
    assert status_of(D(30), None, D(25)) == "no_data"
    assert status_of(D(30), D(20), None) == "no_data"
    assert status_of(D(10), D(10), D("10.5")) == "on_track"
    assert status_of(D(10), D(10), D(12)) == "off_track"


def test_gap_to_target() -> None:
    assert gap_to_target(D(20), D(25)) == D(5)
    assert gap_to_target(None, D(25)) is None
