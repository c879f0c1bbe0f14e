"""The demo network holds a measured dinner: hosts, meeting goals logged on the night, survey
answers, so the event report shows real figures."""

from __future__ import annotations

import pytest

from gilde.accounts.models import Member
from gilde.demo.generator import build_demo
from gilde.events import report
from gilde.events.models import Event, EventStatus


@pytest.fixture
def demo(db):
    return build_demo(size="small", seed=3)


def test_the_measured_dinner_has_a_report_with_real_figures(demo):
    dinner = Event.objects.get(status=EventStatus.EVALUATED)
    manager = Member.objects.get(user__username="beheer")
    figures = report.event_report(user=manager.user, event=dinner)
    assert figures.attended > 5 and figures.invited > figures.attended
    assert figures.goals.total >= 4 and 0 < figures.goals.met <= figures.goals.total
    assert figures.goals.open == 0  # every goal was logged
    assert figures.high.share is not None
    assert figures.survey.answers > 0 and figures.survey.nps is not None
    assert figures.favours_received > 0 and figures.signals > 0
    assert figures.cost_per_goal is not None


def test_the_measured_dinner_was_seated_by_a_plan_the_engine_checker_confirms(demo):
    from gilde.events.pairvalues import seating_instance
    from gilde.events.seating_plan import current_plan
    from gilde.seating.model import parse_instance
    from gilde.seating.plan import check_plan

    dinner = Event.objects.get(status=EventStatus.EVALUATED)
    plan = current_plan(dinner)
    assert plan is not None and plan.status == "ready" and plan.feasible
    inst = seating_instance(dinner)
    checked = check_plan(parse_instance(inst.data), {"rounds": plan.seats})
    assert checked.feasible and checked.objective == plan.objective
    seated = {gid for rnd in plan.seats for gids in rnd["tables"].values() for gid in gids}
    assert seated == set(inst.guests)
    assert plan.objective > 0  # meeting goals and hosts at the tables count
