"""The worker's schedule, instead of cron: the digest e-mails every morning, the recompute
every night, housekeeping every day, at the times in settings (GILDE_SCHEDULE_*, local time).

Every worker's clock calls schedules_enqueue; the first to pass a day's time writes that day's
job, and the database's unique (kind, slot) keeps any other worker from writing a second. A
worker that was down at the time catches up the same day when it starts again."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .jobs import job_enqueue
from .models import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    kind: str
    setting: str
    # The setting is a number of minutes (0: off) instead of a time of day: the job runs every
    # so many minutes, one job per interval (its slot) however many workers look.
    every: bool = False

    @property
    def at(self) -> dt.time | None:
        value = str(getattr(settings, self.setting, "") or "")
        if not value:
            return None
        if self.every:
            return dt.time(0, 0) if int(value) > 0 else None
        hours, minutes = value.split(":")
        return dt.time(int(hours), int(minutes))

    def slot(self, local: dt.datetime) -> str:
        if not self.every:
            return local.date().isoformat()
        minutes = int(getattr(settings, self.setting))
        start = (local.hour * 60 + local.minute) // minutes * minutes
        return f"{local.date().isoformat()}T{start // 60:02d}:{start % 60:02d}"

    def next_after(self, local: dt.datetime) -> dt.datetime:
        minutes = int(getattr(settings, self.setting))
        start = (local.hour * 60 + local.minute) // minutes * minutes + minutes
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight + dt.timedelta(minutes=start)


SCHEDULES = (
    Schedule("digest.send", "GILDE_SCHEDULE_DIGEST"),
    Schedule("network.recompute", "GILDE_SCHEDULE_RECOMPUTE"),
    Schedule("housekeeping", "GILDE_SCHEDULE_HOUSEKEEPING"),
    Schedule("events.reminders", "GILDE_SCHEDULE_EVENT_REMINDERS"),
    Schedule("autolog.sync", "GILDE_AUTOLOG_EVERY_MINUTES", every=True),
    # Host briefings for tomorrow and surveys about yesterday, at the same time.
    Schedule("events.results_mail", "GILDE_SCHEDULE_EVENT_REMINDERS"),
)


def schedules_enqueue(*, now: dt.datetime | None = None) -> list[Job]:
    """Queue each scheduled job whose time today has come and that has no job for today yet.
    Returns the jobs queued by this call."""
    local = timezone.localtime(now or timezone.now())
    queued = []
    for schedule in SCHEDULES:
        at = schedule.at
        if at is None or local.time() < at:
            continue
        slot = schedule.slot(local)
        if Job.objects.filter(kind=schedule.kind, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                queued.append(job_enqueue(kind=schedule.kind, slot=slot))
        except IntegrityError:  # another worker wrote this slot's job first
            continue
        log.info("Scheduled job %s for %s queued", schedule.kind, slot)
    return queued


def schedules_next(*, now: dt.datetime | None = None) -> list[tuple[str, dt.datetime]]:
    """When each scheduled job runs next (for the jobs page)."""
    local = timezone.localtime(now or timezone.now())
    upcoming = []
    for schedule in SCHEDULES:
        at = schedule.at
        if at is None:
            continue
        if schedule.every:
            upcoming.append((schedule.kind, schedule.next_after(local)))
            continue
        day = local.date()
        if local.time() >= at:
            day += dt.timedelta(days=1)
        when = timezone.make_aware(dt.datetime.combine(day, at), timezone.get_current_timezone())
        upcoming.append((schedule.kind, when))
    return upcoming
