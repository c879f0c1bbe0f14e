"""The guests' survey after the event: a short questionnaire through a personal signed link,
sent the day after to each relation who came (nl/en by the guest's language). Rating (1-5),
"did you meet the people you hoped to meet?", whom they met who matters, and the Net Promoter
question (0-10). One answer per guest, changed as often as they like until the survey closes
(GILDE_EVENT_SURVEY_DAYS after the event); the link carries the guest's random token signed
with a salt of its own, so an RSVP link does not open the survey and a changed link opens
nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.events.models import Guest, GuestStatus, MetHoped, SurveyAnswer

SIGNING_SALT = "gilde.events.survey"


class SurveyProblem(Enum):
    INVALID = "invalid"  # tampered, unknown, or the guest did not come
    CLOSED = "closed"  # past the survey's deadline


class SurveyError(Exception):
    def __init__(self, problem: SurveyProblem, guest: Guest | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.guest = guest


def survey_key(guest: Guest) -> str:
    return signing.Signer(salt=SIGNING_SALT).sign(guest.token)


def survey_url(guest: Guest) -> str:
    return settings.GILDE_BASE_URL + reverse("events:survey", args=[survey_key(guest)])


def guest_from_survey_key(key: str) -> Guest:
    """The guest a survey link stands for; only a relation who attended has a survey."""
    try:
        token = signing.Signer(salt=SIGNING_SALT).unsign(key)
    except signing.BadSignature as exc:
        raise SurveyError(SurveyProblem.INVALID) from exc
    guest = (
        Guest.objects.select_related("event", "person")
        .filter(token=token, person__isnull=False, status=GuestStatus.ATTENDED)
        .first()
    )
    if guest is None:
        raise SurveyError(SurveyProblem.INVALID)
    return guest


def survey_deadline(guest: Guest) -> dt.datetime:
    return guest.event.ends_at + dt.timedelta(days=settings.GILDE_EVENT_SURVEY_DAYS)


def survey_open(guest: Guest, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return guest.event.starts_at <= now < survey_deadline(guest)


@dataclass(frozen=True)
class SurveyInput:
    rating: str | None
    met_hoped: str | None
    nps: str | None
    met_who: str = ""
    comment: str = ""


def _number(value: str | None, low: int, high: int, message: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(message) from None
    if not low <= number <= high:
        raise ValidationError(message)
    return number


def survey_answer(*, key: str, given: SurveyInput) -> SurveyAnswer:
    """Record (or change) the guest's answers. Raises SurveyError for a link that cannot be
    used and ValidationError, naming what is missing, for incomplete answers."""
    guest = guest_from_survey_key(key)
    if not survey_open(guest):
        raise SurveyError(SurveyProblem.CLOSED, guest)
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    checks = (
        ("rating", lambda: _number(given.rating, 1, 5, _("Choose a rating from 1 to 5."))),
        ("nps", lambda: _number(given.nps, 0, 10, _("Choose a number from 0 to 10."))),
    )
    for name, check in checks:
        try:
            values[name] = check()
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if given.met_hoped not in MetHoped.values:
        errors["met_hoped"] = _("Say whether you met the people you hoped to meet.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        answer = SurveyAnswer.objects.select_for_update().filter(guest=guest).first()
        if answer is None:
            answer = SurveyAnswer(guest=guest, answered_at=now)
        answer.rating = int(values["rating"])  # type: ignore[call-overload]
        answer.nps = int(values["nps"])  # type: ignore[call-overload]
        answer.met_hoped = str(given.met_hoped)
        answer.met_who = given.met_who.strip()[:2000]
        answer.comment = given.comment.strip()[:2000]
        answer.updated_at = now
        answer.full_clean()
        answer.save()
    return answer
