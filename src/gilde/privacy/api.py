"""JSON API operations of privacy: the access report and erasure of a person, and following an
erasure request (network managers)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from gilde.core.schemas import ERRORS_403, Id
from gilde.core.web import current_member
from gilde.permissions import is_privacy_officer, require_privacy_officer
from gilde.privacy.access import access_report
from gilde.privacy.erasure_requests import erasure_request
from gilde.privacy.models import ErasureRequest, ErasureStatus
from gilde.relations.selectors import person_get

router = Router(tags=["privacy"])


@router.get("/persons/{person_id}/access-report", response={200: dict[str, Any], **ERRORS_403})
def get_access_report(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    """Everything Gilde holds about the person (AVG art. 15); recorded in the audit trail."""
    member = current_member(request)
    person = person_get(user=request.user, pk=person_id)
    require_privacy_officer(member)
    return access_report(actor=member, person=person, audit_format="api")


class ErasureRequestOut(Schema):
    """An erasure request by person number only, like the erasure register: no personal data,
    before or after the erasure."""

    id: int
    person_id: int
    status: str = Field(description="queued, running, done or failed")
    requested_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str = Field(description="why a failed request erased nothing; empty otherwise")

    @staticmethod
    def resolve_status(request: ErasureRequest) -> str:
        # A job that stopped reporting was interrupted: its transaction was rolled back.
        return ErasureStatus.FAILED if request.is_stale else request.status

    @staticmethod
    def resolve_outcome(request: ErasureRequest) -> str:
        return str(request.outcome)


@router.post("/persons/{person_id}/erase", response={202: ErasureRequestOut})
def erase_person(request: HttpRequest, person_id: Id) -> Status[ErasureRequest]:
    """Queue the anonymisation of the person (AVG art. 17); it runs in the background, in one
    transaction, and is registered when done. Cannot be undone. Refused (422) while an erasure
    of the same person is queued or running; follow it with GET /erasure-requests/{id} (or on
    the erasure register page)."""
    member = current_member(request)
    person = person_get(user=request.user, pk=person_id)
    require_privacy_officer(member)
    return Status(202, erasure_request(actor=member, person=person))


@router.get("/erasure-requests/{request_id}", response=ErasureRequestOut)
def get_erasure_request(request: HttpRequest, request_id: Id) -> ErasureRequest:
    """The state of an erasure request: queued, running, done or failed (with the reason).
    Only to those who may ask for an erasure; to anyone else it does not exist (404)."""
    member = current_member(request)
    requests = (
        ErasureRequest.objects.all()
        if is_privacy_officer(member)
        else ErasureRequest.objects.none()
    )
    return requests.get(pk=request_id)
