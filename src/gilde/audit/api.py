"""JSON API operations of audit: the trail, for network managers."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from gilde.audit.models import AuditAction
from gilde.audit.selectors import AuditFilters, audit_entries, require_audit_reader
from gilde.core.dates import ApiDate
from gilde.core.schemas import ERRORS_403, Id, Line, Paging
from gilde.core.web import current_member

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    username: str
    action: str
    target_type: str
    target_id: int | None
    detail: dict[str, Any]
    ip_address: str | None


class AuditListFilters(FilterSchema):
    actor: Id | None = Field(None, description="Member id")
    username: Line = Field("", max_length=150)
    action: AuditAction | None = None
    target_type: Line = Field("", max_length=40)
    target_id: Id | None = None
    since: ApiDate | None = Field(None, description="First day (inclusive)")
    until: ApiDate | None = Field(None, description="Last day (inclusive)")


@router.get("/audit-entries", response={200: list[AuditEntryOut], **ERRORS_403})
@paginate(Paging)
def list_audit_entries(request: HttpRequest, filters: Query[AuditListFilters]) -> Any:
    """The audit trail, newest first (network managers and administrators only)."""
    require_audit_reader(current_member(request))
    data = filters.model_dump()
    data["action"] = str(data["action"]) if data["action"] else ""
    return audit_entries(user=request.user, filters=AuditFilters(**data))
