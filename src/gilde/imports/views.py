"""Pages for imports, the duplicate queue and exports. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde import permissions, visibility
from gilde.core.web import (
    current_member,
    get_or_404,
    int_param,
    member_required,
    paginate,
    parse_id,
)
from gilde.interchange import ImportFileError
from gilde.permissions import can_merge
from gilde.relations.merge import MERGE_FIELDS, person_merge
from gilde.relations.models import Person
from gilde.relations.selectors import PersonFilters, person_list, with_current_affiliations

from . import selectors, services
from .duplicates import duplicate_scan, pair_dismiss
from .errors import describe, error_text
from .exports import EXPORT_FORMATS, can_export, persons_export
from .forms import MappingForm, UploadForm
from .models import BatchStatus, ImportBatch, ImportFile
from .undo import undo_error_text, undo_refusal

REASON_LABELS = {
    "same_email": gettext_lazy("same e-mail address"),
    "same_linkedin": gettext_lazy("same LinkedIn profile"),
    "same_phone": gettext_lazy("same phone number"),
    "same_name": gettext_lazy("same name"),
    "similar_name": gettext_lazy("similar name"),
    "initials_match": gettext_lazy("initials fit the given name"),
    "tussenvoegsel_differs": gettext_lazy("tussenvoegsel differs"),
    "same_organisation": gettext_lazy("same organisation"),
    "same_city": gettext_lazy("same city"),
    "names_differ": gettext_lazy("but the names differ"),
    "same_in_file": gettext_lazy("same as an earlier row"),
    "import": gettext_lazy("found at import"),
}


def _reason_labels(reasons: list[Any]) -> list[str]:
    """The duplicate finder's reasons in the reader's language (stored as codes with an
    English text; older rows as bare codes)."""
    codes = [r.get("code", "") if isinstance(r, dict) else str(r) for r in reasons or []]
    return [str(REASON_LABELS.get(code, code.replace("_", " "))) for code in codes if code]


def _messages_for(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@member_required
def import_list(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    form = UploadForm()
    if request.method == "POST":
        if not permissions.can_import(member):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.batch_upload(
                    actor=member,
                    content=upload.read(),
                    file_name=upload.name,
                    format=form.cleaned_data["format"],
                    shared=form.cleaned_data["shared"],
                )
            except ImportFileError as error:
                form.add_error("file", describe(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("import_detail", pk=batch.pk)
    context = {
        "form": form,
        "can_import": permissions.can_import(member),
        "page": paginate(request, selectors.batch_list(user=request.user), 20),
    }
    return render(request, "imports/import_list.html", context, status=422 if form.errors else 200)


def _batch_context(request: HttpRequest, batch: ImportBatch) -> dict[str, Any]:
    member = current_member(request)
    has_file = ImportFile.objects.filter(batch=batch).exists()
    tabular = batch.format in ("csv", "xlsx") or batch.status == BatchStatus.UPLOADED
    mapping_form = None
    if (
        has_file
        and tabular
        and batch.columns
        and batch.status in (BatchStatus.UPLOADED, BatchStatus.PREVIEWED, BatchStatus.FAILED)
    ):
        mapping_form = MappingForm(columns=batch.columns, mapping=batch.mapping)
    error = ""
    if batch.error_code.startswith("undo_"):
        error = undo_error_text(batch.error_code, batch.error_params, batch.error_message)
    elif batch.error_code or batch.error_message:
        error = error_text(
            batch.error_code,
            filename=batch.file_name,
            line=batch.error_line,
            params=batch.error_params,
            fallback=batch.error_message,
        )
    # An undo that was interrupted rolled back: the batch is still committed.
    can_undo = batch.status == BatchStatus.COMMITTED or (
        batch.status == BatchStatus.UNDOING and batch.is_stale
    )
    matches = [
        {**m, "reason_labels": [str(REASON_LABELS.get(c, c)) for c in m.get("reasons", [])]}
        for m in batch.preview.get("matches", [])
    ]
    _with_existing(request, matches)
    samples = batch.preview.get("samples") or {}
    return {
        "batch": batch,
        "error": error,
        "mapping_form": mapping_form,
        "mapping_rows": [(f, samples.get(str(f.label), [])) for f in mapping_form or []],
        "matches": [m for m in matches if m.get("action") != "probable"],
        "probables": [m for m in matches if m.get("action") == "probable"],
        "new_rows": batch.preview.get("new") or [],
        "can_manage": permissions.can_manage_batch(member, batch),
        "can_commit": has_file
        and batch.status in (BatchStatus.PREVIEWED, BatchStatus.FAILED)
        and batch.total_rows > 0,
        "can_undo": can_undo,
        "undo_refusal": undo_refusal(batch) if can_undo else "",
    }


def _with_existing(request: HttpRequest, matches: list[dict[str, Any]]) -> None:
    """The relation in Gilde each match points at, as the user may see it now (name, e-mail,
    organisation), to show beside the row from the file; one that is gone or out of sight
    stays a bare line."""
    ids = {m["person"] for m in matches if isinstance(m.get("person"), int)}
    persons = with_current_affiliations(
        visibility.persons(request.user).filter(pk__in=ids).prefetch_related("emails", "phones")
    ).in_bulk()
    for match in matches:
        person = persons.get(match.get("person"))
        jobs = getattr(person, "current_affiliations", [])
        match["existing"] = person and {
            "pk": person.pk,
            "name": person.full_name,
            "emails": [e.address for e in person.emails.all()][:3],
            "phones": [p.number for p in person.phones.all()][:2],
            "organisation": ", ".join(a.organisation.name for a in jobs),
            "job_title": ", ".join(a.role for a in jobs if a.role),
        }


@member_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_or_404(selectors.batch_get, user=request.user, pk=pk)
    return render(request, "imports/import_detail.html", _batch_context(request, batch))


@member_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by htmx while a step runs; when it is done the page reloads itself."""
    batch = get_or_404(selectors.batch_get, user=request.user, pk=pk)
    response = render(request, "imports/_progress.html", {"batch": batch})
    if not batch.is_busy:
        response["HX-Refresh"] = "true"
    return response


def _batch_action(request: HttpRequest, pk: int) -> tuple[Any, ImportBatch]:
    member = current_member(request)
    batch = get_or_404(selectors.batch_get, user=request.user, pk=pk)
    if not permissions.can_manage_batch(member, batch):
        raise PermissionDenied
    return member, batch


@member_required
@require_POST
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    member, batch = _batch_action(request, pk)
    form = MappingForm(request.POST, columns=batch.columns, mapping=batch.mapping)
    if form.is_valid():
        try:
            services.batch_remap(actor=member, batch=batch, mapping=form.mapping())
        except ValidationError as error:
            _messages_for(request, error)
    return redirect("import_detail", pk=batch.pk)


@member_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    member, batch = _batch_action(request, pk)
    try:
        batch = services.batch_commit(actor=member, batch=batch)
    except ValidationError as error:
        _messages_for(request, error)
    else:
        if batch.status == BatchStatus.COMMITTED:
            messages.success(request, _("%(n)s relations imported.") % {"n": batch.created_persons})
    return redirect("import_detail", pk=batch.pk)


@member_required
@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    member, batch = _batch_action(request, pk)
    try:
        batch = services.batch_undo(actor=member, batch=batch)
    except ValidationError as error:
        _messages_for(request, error)
    else:
        if batch.status == BatchStatus.UNDONE:
            messages.success(request, _("The import was undone."))
    return redirect("import_detail", pk=batch.pk)


@member_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    member, batch = _batch_action(request, pk)
    try:
        services.batch_discard(actor=member, batch=batch)
    except ValidationError as error:
        _messages_for(request, error)
        return redirect("import_detail", pk=batch.pk)
    messages.success(request, _("The import was discarded."))
    return redirect("import_list")


# ---- duplicates --------------------------------------------------------------------------------


def _require_merge(request: HttpRequest) -> Any:
    member = current_member(request)
    if not can_merge(member):
        raise PermissionDenied
    return member


@member_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    _require_merge(request)
    page = paginate(request, selectors.duplicate_queue(user=request.user), 25)
    pairs = list(page.object_list)
    ids = {pk for pair in pairs for pk in (pair.person_a_id, pair.person_b_id)}
    persons = with_current_affiliations(visibility.persons(request.user).filter(pk__in=ids))
    jobs = {
        p.pk: ", ".join(a.organisation.name for a in getattr(p, "current_affiliations", []))
        for p in persons
    }
    for pair in pairs:
        pair.reason_labels = _reason_labels(pair.reasons)
        pair.organisation_a = jobs.get(pair.person_a_id, "")
        pair.organisation_b = jobs.get(pair.person_b_id, "")
    page.object_list = pairs
    return render(
        request, "imports/duplicate_list.html", {"page": page, "scan": selectors.last_scan()}
    )


@member_required
@require_POST
def duplicate_scan_start(request: HttpRequest) -> HttpResponse:
    member = _require_merge(request)
    duplicate_scan(actor=member, background_flag=True)
    messages.success(request, _("The scan has started; refresh this page in a minute."))
    return redirect("duplicate_list")


def _field_rows(a: Person, b: Person) -> list[dict[str, Any]]:
    rows = []
    for name in MERGE_FIELDS:
        va, vb = getattr(a, name), getattr(b, name)
        if va != vb:
            rows.append(
                {
                    "name": name,
                    "label": getattr(Person._meta.get_field(name), "verbose_name", name),
                    "a": va if va not in (None, "") else "—",
                    "b": vb if vb not in (None, "") else "—",
                    "default": "b" if va in (None, "") else "a",
                }
            )
    return rows


@member_required
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _require_merge(request)
    pair = get_or_404(selectors.duplicate_get, user=request.user, pk=pk)
    a, b = pair.person_a, pair.person_b
    if request.method == "POST":
        survivor = "b" if request.POST.get("survivor") == "b" else "a"
        keep, other = (a, b) if survivor == "a" else (b, a)
        choose = {}
        for name in MERGE_FIELDS:
            side = request.POST.get(f"field_{name}")
            if side in ("a", "b"):
                choose[name] = "keep" if side == survivor else "other"
        try:
            kept = person_merge(actor=member, keep=keep, other=other, choose=choose)
        except ValidationError as error:
            _messages_for(request, error)
        else:
            messages.success(request, _("The two relations were merged."))
            return redirect("person_detail", pk=kept.pk)
    context = {
        "pair": pair,
        "a": a,
        "b": b,
        "rows": _field_rows(a, b),
        "reasons": [str(REASON_LABELS.get(r.get("code"), r.get("code"))) for r in pair.reasons],
        "counts": {p.pk: _counts(p) for p in (a, b)},
    }
    return render(request, "imports/duplicate_detail.html", context)


def _counts(person: Person) -> dict[str, int]:
    return {
        "emails": person.emails.count(),
        "affiliations": person.affiliations.count(),
        "ties": person.ties.count(),
        "contact_moments": person.contact_moments.count(),
    }


@member_required
@require_POST
def duplicate_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    member = _require_merge(request)
    pair = get_or_404(selectors.duplicate_get, user=request.user, pk=pk)
    pair_dismiss(actor=member, pair=pair)
    messages.success(request, _("Marked as not a duplicate; it will not be proposed again."))
    return redirect("duplicate_list")


# ---- export ------------------------------------------------------------------------------------


def filters_from(params: QueryDict) -> PersonFilters:
    """The person list's filters, as the list page reads them from its query string."""
    return PersonFilters(
        q=params.get("q", "")[:200],
        tier=params.get("tier", ""),
        stakeholder_type=params.get("type", ""),
        tag=params.get("tag", ""),
        sector=params.get("sector", ""),
        known_by=parse_id(params.get("known_by", "")),
        theme=parse_id(params.get("theme", "")),
        order=params.get("order", "name"),
    )


@member_required
def person_export(request: HttpRequest) -> HttpResponse:
    """GET: the export options for the current filters; POST: the file."""
    member = current_member(request)
    if not can_export(member):
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    filters = filters_from(params)
    if request.method == "POST":
        language = "en" if request.POST.get("language") == "en" else "nl"
        try:
            exported = persons_export(
                actor=member,
                user=request.user,
                filters=filters,
                format=request.POST.get("format", "csv"),
                language=language,
            )
        except ValidationError as error:
            _messages_for(request, error)
        else:
            response = HttpResponse(exported.content, content_type=exported.content_type)
            response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
            return response
    hidden = {
        k: v
        for k, v in params.items()
        if k in ("q", "tier", "type", "tag", "sector", "known_by", "theme", "order") and v
    }
    context = {
        "count": person_list(user=request.user, filters=filters).count(),
        "hidden": hidden,
        "formats": list(EXPORT_FORMATS),
        "language": "en" if (get_language() or "nl").startswith("en") else "nl",
        "known_by": int_param(request, "known_by"),
    }
    return render(request, "imports/person_export.html", context)
