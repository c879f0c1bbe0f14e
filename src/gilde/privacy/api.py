"""JSON API operations of privacy: the access report and erasure of a person (network managers)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from gilde.core.web import current_member
from gilde.privacy.access import access_report
from gilde.privacy.erasure_requests import erasure_request
from gilde.privacy.models import ErasureRequest
from gilde.privacy.services import require_privacy_officer
from gilde.relations.selectors import person_get

router = Router(tags=["privacy"])


@router.get("/persons/{person_id}/access-report", response=dict[str, Any])
def get_access_report(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """Everything Gilde holds about the person (AVG art. 15); recorded in the audit trail."""
    member = current_member(request)
    person = person_get(user=request.user, pk=person_id)
    require_privacy_officer(member)
    return access_report(actor=member, person=person, audit_format="api")


class ErasureRequestOut(Schema):
    id: int
    person_id: int
    status: str = Field(description="queued, running, done or failed")
    requested_at: dt.datetime


@router.post("/persons/{person_id}/erase", response={202: ErasureRequestOut})
def erase_person(request: HttpRequest, person_id: int) -> tuple[int, ErasureRequest]:
    """Queue the anonymisation of the person (AVG art. 17); it runs in the background, in one
    transaction, and is registered when done. Cannot be undone. Refused (422) while an erasure
    of the same person is queued or running; the erasure register page shows each request's
    state."""
    member = current_member(request)
    person = person_get(user=request.user, pk=person_id)
    require_privacy_officer(member)
    return 202, erasure_request(actor=member, person=person)
