"""JSON API operations of imports: batches (upload, preview, commit, undo), the duplicate queue
and merge, and person exports. The same services as the pages."""

import datetime as dt
from typing import Any, Literal, get_args

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gilde.core.schemas import ERRORS_403, Id, InputSchema, Paging
from gilde.core.web import current_member
from gilde.interchange import ImportFileError
from gilde.relations.merge import MergeField, person_merge
from gilde.relations.selectors import person_get

from . import selectors, services
from .duplicates import pair_dismiss
from .errors import describe
from .exports import persons_export
from .models import DuplicatePair, ImportBatch
from .views import filters_from

router = Router(tags=["imports"])


class BatchOut(Schema):
    id: int
    file_name: str
    format: str
    status: str
    created_at: dt.datetime
    created_by_id: int | None
    owner_id: int | None
    new: int = Field(alias="new_count")
    matched: int = Field(alias="matched_count")
    probable_duplicates: int = Field(alias="duplicate_count")
    rejected: int = Field(alias="rejected_count")
    warnings: int = Field(alias="warning_count")
    columns: list[str]
    mapping: dict[str, str]
    preview: dict[str, Any]
    phase: str
    progress_done: int
    progress_total: int
    error_code: str
    error_message: str
    created_persons: int
    committed_at: dt.datetime | None
    undone_at: dt.datetime | None


class MappingIn(InputSchema):
    mapping: dict[str, str]


class ErrorOut(Schema):
    detail: Any


# The formats an import reads and an export writes (tests/imports check them against
# gilde.interchange.FORMATS and EXPORT_FORMATS).
ImportFormat = Literal[
    "auto", "csv", "xlsx", "linkedin", "linkedin_zip", "google", "outlook", "vcard"
]
ExportFormat = Literal["csv", "csv_excel", "xlsx", "vcard3", "vcard4"]

# What an import reads; the upload's own Content-Type is not trusted (the file is sniffed).
IMPORT_MEDIA_TYPES = ", ".join(
    (
        "text/csv",
        "text/plain",
        "text/vcard",
        "text/x-vcard",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
    )
)


def _invalid(error: ImportFileError) -> ValidationError:
    return ValidationError({"file": describe(error)})


@router.get("/import-batches", response=list[BatchOut])
def batch_list(request: HttpRequest) -> Any:
    """Imports you made (network managers: all imports), newest first."""
    current_member(request)
    return selectors.batch_list(user=request.user)[:200]


@router.post(
    "/import-batches",
    response={201: BatchOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {"encoding": {"file": {"contentType": IMPORT_MEDIA_TYPES}}}
            }
        }
    },
)
def batch_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[ImportFormat] = "auto",
    shared: Form[Literal["true", "false"]] = "false",
) -> Any:
    """Upload a file and get its preview (large files are read in the background: poll the
    batch until status is previewed)."""
    # A field sent empty reaches the parameters as missing (its default): refuse it here.
    for name, allowed in (("format", get_args(ImportFormat)), ("shared", ("true", "false"))):
        sent = request.POST.get(name)
        if sent is not None and sent not in allowed:
            raise ValidationError(
                {name: _("Choose one of: %(values)s.") % {"values": ", ".join(allowed)}}
            )
    member = current_member(request)
    try:
        batch = services.batch_upload(
            actor=member,
            content=file.read(),
            file_name=file.name or "upload",
            format=format,
            shared=shared == "true",
        )
    except ImportFileError as error:
        raise _invalid(error) from error
    return Status(201, batch)


@router.get("/import-batches/{batch_id}", response=BatchOut)
def batch_detail(request: HttpRequest, batch_id: Id) -> ImportBatch:
    """The batch with its preview and progress."""
    return selectors.batch_get(user=request.user, pk=batch_id)


@router.post("/import-batches/{batch_id}/mapping", response=BatchOut)
def batch_mapping(request: HttpRequest, batch_id: Id, body: MappingIn) -> ImportBatch:
    """Read the file again with this column → field mapping."""
    batch = selectors.batch_get(user=request.user, pk=batch_id)
    return services.batch_remap(actor=current_member(request), batch=batch, mapping=body.mapping)


@router.post("/import-batches/{batch_id}/commit", response=BatchOut)
def batch_commit(request: HttpRequest, batch_id: Id) -> ImportBatch:
    """Import the previewed batch: all of it or nothing."""
    batch = selectors.batch_get(user=request.user, pk=batch_id)
    return services.batch_commit(actor=current_member(request), batch=batch)


@router.post("/import-batches/{batch_id}/undo", response=BatchOut)
def batch_undo(request: HttpRequest, batch_id: Id) -> ImportBatch:
    """Remove everything the batch made; refused (422) once anything of it changed. A large
    batch is undone in the background: status is "undoing"; poll the batch until it is "undone",
    or "committed" again with error_code undo_refused or undo_failed (nothing was changed)."""
    batch = selectors.batch_get(user=request.user, pk=batch_id)
    return services.batch_undo(actor=current_member(request), batch=batch)


class PairOut(Schema):
    id: int
    person_a: int = Field(alias="person_a_id")
    person_b: int = Field(alias="person_b_id")
    score: int
    kind: str
    reasons: list[dict[str, str]]
    status: str


class MergeIn(InputSchema):
    keep: Id = Field(..., description="Id of the person that survives")
    other: Id = Field(..., description="Id of the person merged into it and removed")
    choose: dict[MergeField, Literal["keep", "other"]] = Field(
        default_factory=dict, description='Field → "keep" or "other": whose value to keep'
    )


@router.get("/duplicates", response={200: list[PairOut], **ERRORS_403})
@paginate(Paging)
def duplicate_list(request: HttpRequest) -> Any:
    """Open probable-duplicate pairs, best score first (network managers)."""
    current_member(request)
    return selectors.duplicate_queue(user=request.user)


@router.post("/duplicates/{pair_id}/dismiss", response=PairOut)
def duplicate_dismiss(request: HttpRequest, pair_id: Id) -> DuplicatePair:
    """Not a duplicate: remembered, never proposed again."""
    pair = selectors.duplicate_get(user=request.user, pk=pair_id)
    return pair_dismiss(actor=current_member(request), pair=pair)


class MergedOut(Schema):
    id: int
    full_name: str


@router.post("/merges", response=MergedOut)
def merge(request: HttpRequest, body: MergeIn) -> Any:
    """Merge two persons: every e-mail, job, tie, note, contact moment and favour moves to
    `keep`; `other` is removed. Audited."""
    member = current_member(request)
    keep = person_get(user=request.user, pk=body.keep)
    other = person_get(user=request.user, pk=body.other)
    return person_merge(
        actor=member,
        keep=keep,
        other=other,
        choose={str(k): str(v) for k, v in body.choose.items()},
    )


class ExportQuery(Schema):
    format: ExportFormat = "csv"
    language: Literal["nl", "en"] = "nl"
    q: str = ""
    tier: str = ""
    type: str = ""
    tag: str = ""
    sector: str = ""
    known_by: Id | None = None
    order: str = "name"


@router.get("/exports/persons", response={200: None, 403: ErrorOut})
def export_persons(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    """The person list as CSV (`csv`, `csv_excel`), `xlsx`, `vcard3` or `vcard4`, with the same
    filters as /persons and only what you may see."""
    member = current_member(request)
    params = request.GET.copy()
    exported = persons_export(
        actor=member,
        user=request.user,
        filters=filters_from(params),
        format=query.format,
        language="en" if query.language == "en" else "nl",
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
