"""The JSON API under /api/v1/: personal access tokens, one error shape, the same services and
selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer

from gilde.accounts.models import ApiToken
from gilde.core.openapi import document_errors, fill_codes
from gilde.relations.services import TAG_QUOTA


class TokenAuth(HttpBearer):
    """`Authorization: Bearer gld_…`: a personal access token made on the account page."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.find(token)
        if found is None:
            return None
        found.mark_used()
        request.user = found.member.user
        return found


class GildeApi(NinjaAPI):
    """The API whose schema also documents every error answer (gilde.core.openapi)."""

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
        codes: bool = True,
    ) -> OpenAPISchema:
        """The schema; `codes=False` leaves out the codes read from the database (for a caller
        that only needs the operations, before any database is there)."""
        from gilde.relations.models import StakeholderType, Tier

        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        if not codes:
            return schema
        fill_codes(
            schema,
            {
                "tier": list(Tier.objects.order_by("code").values_list("code", flat=True)),
                "stakeholder_type": list(
                    StakeholderType.objects.order_by("code").values_list("code", flat=True)
                ),
            },
        )
        return schema


api = GildeApi(
    title="Gilde API",
    version="1",
    description="Relations, organisations, ties and contact moments. Authenticate with a personal "
    "access token (Authorization: Bearer …), created on the account page.",
    auth=TokenAuth(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A refusal by a service: each item has type "rule" (a rule between fields, about the
    record's current state or today's date, which a schema cannot state); a quota on shared
    tags answers 429."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": " ".join(e.messages), "type": "rule"}
            for field, errors in exc.error_dict.items()
            for e in [ValidationError(errors)]
        ]
        codes = {e.code for errors in exc.error_dict.values() for e in errors}
    else:
        detail = [{"loc": ["body"], "msg": message, "type": "rule"} for message in exc.messages]
        codes = {e.code for e in exc.error_list}
    return _error(request, 429 if TAG_QUOTA in codes else 422, detail)


@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Your role does not allow this.")


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    return _error(
        request, 409, "This conflicts with existing data (a duplicate or a reference in use)."
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A number larger than the database's integers (an id like 10**30) names nothing.
    return _error(request, 422, [{"loc": ["query"], "msg": "A number is out of range."}])


@api.exception_handler(AuthenticationError)
def on_unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "A valid personal access token is required.")


def unknown_path(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other path under /api/v1/: the API's own 404, in JSON, not the HTML page."""
    return JsonResponse({"detail": "Not found: no such API path."}, status=404)


def _routers() -> None:
    from gilde.audit.api import router as audit_router
    from gilde.contacts.api import router as contacts_router
    from gilde.events.api import router as events_router
    from gilde.events.api_directed import router as event_directed_router
    from gilde.events.api_guestlist import router as event_guestlist_router
    from gilde.events.api_invitations import router as event_invitations_router
    from gilde.goodwill.api import router as goodwill_router
    from gilde.imports.api import router as imports_router
    from gilde.maintenance.api import router as maintenance_router
    from gilde.members.api import router as members_router
    from gilde.members.api_manage import router as members_manage_router
    from gilde.network.api import router as network_router
    from gilde.privacy.api import router as privacy_router
    from gilde.relations.api import router as relations_router
    from gilde.strategy.api import router as strategy_router

    api.add_router("/", relations_router)
    api.add_router("/", contacts_router)
    api.add_router("/", maintenance_router)
    api.add_router("/", goodwill_router)
    api.add_router("/", imports_router)
    api.add_router("/", audit_router)
    api.add_router("/", privacy_router)
    api.add_router("/", events_router)
    api.add_router("/", event_guestlist_router)
    api.add_router("/", event_invitations_router)
    api.add_router("/", event_directed_router)
    api.add_router("/", network_router)
    api.add_router("/", strategy_router)
    api.add_router("/", members_router)
    api.add_router("/", members_manage_router)


_routers()
