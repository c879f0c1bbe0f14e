"""JSON API operations of privacy: the access report and erasure of a person (network managers)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from gilde.core.web import current_member
from gilde.privacy.access import access_report
from gilde.privacy.erasure import person_erase
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


@router.post("/persons/{person_id}/erase", response={204: None})
def erase_person(request: HttpRequest, person_id: int) -> tuple[int, None]:
    """Anonymise the person (AVG art. 17) and register the erasure. Cannot be undone."""
    member = current_member(request)
    person = person_get(user=request.user, pk=person_id)
    require_privacy_officer(member)
    person_erase(actor=member, person=person)
    return 204, None
