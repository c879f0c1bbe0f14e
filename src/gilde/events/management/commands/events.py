"""`gilde events export-seating EVENT_ID --instance FILE --plan FILE`: write the seating engine's
instance built from the event's data and its saved plan, in the engine's JSON formats, so anyone
can check the plan outside the app with `gilde seating check INSTANCE PLAN`. For a re-plan the
instance holds the seats of the plan it kept (`saved`, with the move penalty), so the check gives
the score the app stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.events.hosts import seating_setup
from gilde.events.models import Event, SeatingPlanStatus
from gilde.events.pairvalues import seating_instance
from gilde.events.seating_plan import current_plan, plan_instance


class Command(BaseCommand):
    help = "Event tools: export-seating writes an event's seating instance and saved plan."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export-seating", help="write the engine instance and the plan")
        export.add_argument("event_id", type=int)
        export.add_argument("--instance", required=True, help="where to write the instance JSON")
        export.add_argument("--plan", help="where to write the saved plan JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        event = Event.objects.filter(pk=options["event_id"]).first()
        if event is None:
            raise CommandError(f"no event with id {options['event_id']}")
        setup = seating_setup(event)
        plan = current_plan(event)
        ready = plan is not None and plan.status == SeatingPlanStatus.READY
        if options.get("plan") and not ready:
            # Checked before anything is written: no instance file left behind by a refusal.
            raise CommandError(f"event {event.pk} has no saved seating plan")
        try:
            if plan is not None and ready:
                # A re-plan is scored with the seats it kept (the move penalty) as the app did.
                inst = plan_instance(plan)
            else:
                inst = seating_instance(
                    event, rounds=setup.rounds, hosts_per_table=setup.hosts_per_table
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.write(options["instance"], inst.data)
        if options.get("plan") and plan is not None:
            self.write(
                options["plan"],
                {
                    "rounds": plan.seats,
                    "objective": plan.objective,
                    "feasible": plan.feasible,
                    "violations": plan.violations,
                },
            )
        self.stdout.write(
            f"{len(inst.guests)} guests, {len(inst.tables)} tables, {len(inst.data['pairs'])} pair"
            f" values -> {options['instance']}"
            + (f", plan -> {options['plan']}" if options.get("plan") else "")
        )

    def write(self, path: str, data: Any) -> None:
        try:
            Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error.strerror}") from error
