"""gilde recompute: rebuild every relation's last contact, all tie strengths and who is best
placed to contact whom, from the whole contact history. Contact moments logged in Gilde update
these at once; the worker runs this nightly at GILDE_SCHEDULE_RECOMPUTE (strengths fade with
time); run it by hand after imports or a demo build."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gilde.maintenance.services import network_recompute


class Command(BaseCommand):
    help = "Recompute tie strengths and relation statuses for the whole network."

    def handle(self, *args: Any, **options: Any) -> None:
        result = network_recompute()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.ties} tie strengths and {result.persons} relations recomputed "
                f"in {result.seconds:.1f} s."
            )
        )
