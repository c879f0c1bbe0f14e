"""The jobs page: network managers see what runs, waits and failed, and retry a failure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.accounts.models import Member
from gilde.core.web import current_member, member_required

from .jobs import can_manage_jobs, job_retry, jobs_overview
from .models import Job


def _manager(request: HttpRequest) -> Member:
    member = current_member(request)
    if not can_manage_jobs(member):
        raise Http404  # to others the page does not exist
    return member


@member_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The whole page, or (polled by htmx while jobs run or wait) only its lists."""
    _manager(request)
    overview = jobs_overview()
    template = "core/_jobs.html" if getattr(request, "htmx", False) else "core/job_list.html"
    return render(request, template, {"overview": overview})


@member_required
@require_POST
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = _manager(request)
    job = get_object_or_404(Job, pk=pk)
    try:
        job_retry(actor=member, job=job)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The job is queued again."))
    return redirect("job_list")
