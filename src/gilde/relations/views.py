"""Pages for persons and organisations: lists, details, forms. Thin: parse, call, render."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde import permissions, visibility
from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.core.text import split_values
from gilde.core.web import (
    apply_validation_error,
    current_member,
    get_or_404,
    int_param,
    member_required,
    paginate,
    parse_id,
    query_without_page,
)
from gilde.core.widgets import option_tags
from gilde.maintenance.selectors import list_care
from gilde.names import fold
from gilde.permissions import can_create, can_delete, can_edit
from gilde.relations import selectors, services
from gilde.relations.forms import (
    AddressFormSet,
    AffiliationForm,
    NoteForm,
    OrganisationForm,
    OrganisationLinkChangeForm,
    OrganisationLinkForm,
    PersonCreateForm,
    PersonForm,
    PersonTieForm,
    TieForm,
)
from gilde.relations.models import (
    Affiliation,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    Person,
    Sector,
    StakeholderType,
    Tie,
    Tier,
)


def _filter_choices(request: HttpRequest) -> dict[str, Any]:
    return {
        "tiers": Tier.objects.all(),
        "stakeholder_types": StakeholderType.objects.all(),
        "tags": visibility.tags(request.user),
        "sectors": Sector.choices,
        "kinds": OrganisationKind.choices,
    }


@member_required
def person_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.PersonFilters(
        q=request.GET.get("q", "")[:200],
        tier=request.GET.get("tier", ""),
        stakeholder_type=request.GET.get("type", ""),
        tag=request.GET.get("tag", ""),
        sector=request.GET.get("sector", ""),
        known_by=int_param(request, "known_by"),
        theme=int_param(request, "theme"),
        order=request.GET.get("order", "name"),
    )
    page = paginate(request, selectors.PersonRows(user=request.user, filters=filters))
    list_care(page.object_list)
    context = {
        "page": page,
        "filters": filters,
        "query": query_without_page(request),
        "known_by_options": option_tags(
            (
                (pk, f"{first} {last}")
                for pk, first, last in visibility.members(request.user)
                .order_by("user__first_name", "user__last_name")
                .values_list("pk", "user__first_name", "user__last_name")
            ),
            filters.known_by,
        ),
        "can_create": can_create(current_member(request)),
        **_filter_choices(request),
    }
    template = "relations/_person_rows.html" if request.htmx else "relations/person_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@member_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    person = get_or_404(selectors.person_page, user=request.user, pk=pk)
    audit_record(actor=member, action=AuditAction.VIEW, target=person)
    ties = list(selectors.person_ties(user=request.user, person=person))
    affiliations = list(
        visibility.affiliations(request.user).filter(person=person).select_related("organisation")
    )
    context = {
        "person": person,
        "affiliations": affiliations,
        "current_jobs": [a for a in affiliations if a.is_current],
        "ties": ties,
        "colleague_ties": selectors.colleague_ties_in_order(ties),
        "person_ties": [t for t in ties if not t.member_id],
        "notes": visibility.notes(request.user)
        .filter(person=person)
        .select_related("author__user"),
        "note_form": NoteForm(),
        "can_edit": can_edit(member, person),
        "can_delete": can_delete(member, person),
        "can_create": can_create(member),
        # The viewer's own tie is always in their scope, so among the ties just read.
        "my_tie": next((t for t in ties if member and t.member_id == member.pk), None),
    }
    return render(request, "relations/person_detail.html", context)


def _confidentiality_members(request: HttpRequest, member: Member, person: Person | None) -> Any:
    """The colleagues a confidential person can be shared with, when this editor may decide that
    (a new person's creator becomes its owner); None when they may not."""
    if person is not None and not permissions.may_change_confidentiality(member, person):
        return None
    return visibility.members(request.user).select_related("user").exclude(pk=member.pk)


@member_required
def person_create(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    if not can_create(member):
        raise PermissionDenied
    organisations = visibility.organisations(request.user)
    form = PersonCreateForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        confidentiality_members=_confidentiality_members(request, member, None),
        # An address from the review inbox ("add as relation") arrives filled in.
        initial={"emails": request.GET.get("email", "")[:254]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=member, **form.service_arguments())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": person.full_name})
            return redirect("person_detail", pk=person.pk)
    return render(request, "relations/person_form.html", {"form": form, "person": None})


@member_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    person = get_or_404(selectors.person_get, user=request.user, pk=pk)
    if not can_edit(member, person):
        raise PermissionDenied
    form = PersonForm(
        request.POST or None,
        request.FILES or None,
        instance=person,
        confidentiality_members=_confidentiality_members(request, member, person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=member, person=person, **form.service_arguments())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("person_detail", pk=person.pk)
    return render(request, "relations/person_form.html", {"form": form, "person": person})


@member_required
def person_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The photo, served through the visibility scope rather than as a public media file."""
    person = get_or_404(selectors.person_get, user=request.user, pk=pk)
    if not person.photo:
        raise Http404
    response = FileResponse(person.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@member_required
@require_POST
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_or_404(selectors.person_get, user=request.user, pk=pk)
    services.person_delete(actor=current_member(request), person=person)
    messages.success(request, _("%(name)s has been deleted.") % {"name": person.full_name})
    return redirect("person_list")


@member_required
def affiliation_form(
    request: HttpRequest, pk: int, affiliation_pk: int | None = None
) -> HttpResponse:
    member = current_member(request)
    person = get_or_404(selectors.person_get, user=request.user, pk=pk)
    affiliation = None
    if affiliation_pk is not None:
        affiliation = get_or_404(
            visibility.affiliations(request.user).filter(person=person).get, pk=affiliation_pk
        )
    if not can_edit(member, person):
        raise PermissionDenied
    form = AffiliationForm(request.POST or None, instance=affiliation)
    form.fields["organisation"].queryset = visibility.organisations(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_save(
                actor=member, person=person, affiliation=affiliation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("Affiliation of %(name)s") % {"name": person.full_name},
            "back": person,
        },
    )


@member_required
@require_POST
def affiliation_delete(request: HttpRequest, pk: int, affiliation_pk: int) -> HttpResponse:
    affiliation: Affiliation = get_or_404(
        visibility.affiliations(request.user).filter(person_id=pk).get, pk=affiliation_pk
    )
    services.affiliation_delete(actor=current_member(request), affiliation=affiliation)
    return redirect("person_detail", pk=pk)


@member_required
def tie_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Say how well you know this person (creates or changes your own tie)."""
    member = current_member(request)
    person = get_or_404(selectors.person_get, user=request.user, pk=pk)
    tie = Tie.objects.filter(person=person, member=member).first()
    form = TieForm(
        request.POST or None, instance=tie, persons=visibility.persons(request.user), person=person
    )
    if request.method == "POST" and form.is_valid():
        try:
            if tie is None:
                services.tie_create(actor=member, person=person, **form.cleaned_data)
            else:
                services.tie_update(actor=member, tie=tie, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("How well do you know %(name)s?") % {"name": person.full_name},
            "back": person,
        },
    )


@member_required
@require_POST
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_or_404(selectors.person_get, user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_create(actor=current_member(request), person=person, **form.cleaned_data)
    else:
        messages.error(request, _("A note cannot be empty."))
    return redirect("person_detail", pk=person.pk)


@member_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.OrganisationFilters(
        q=request.GET.get("q", "")[:200],
        sector=request.GET.get("sector", ""),
        kind=request.GET.get("kind", ""),
        tier=request.GET.get("tier", ""),
        stakeholder_type=request.GET.get("type", ""),
        tag=request.GET.get("tag", ""),
        order=request.GET.get("order", "name"),
    )
    page = paginate(request, selectors.organisation_list(user=request.user, filters=filters))
    context = {
        "page": page,
        "filters": filters,
        "query": query_without_page(request),
        "can_create": can_create(current_member(request)),
        **_filter_choices(request),
    }
    return render(request, "relations/organisation_list.html", context)


@member_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    organisation = get_or_404(selectors.organisation_get, user=request.user, pk=pk)
    context = {
        "organisation": organisation,
        "people": selectors.organisation_people(user=request.user, organisation=organisation),
        "ties": selectors.organisation_ties(user=request.user, organisation=organisation)[:50],
        "links_out": organisation.links_out.filter(
            target__in=visibility.organisations(request.user)
        ).select_related("target"),
        "links_in": organisation.links_in.filter(
            source__in=visibility.organisations(request.user)
        ).select_related("source"),
        "children": visibility.organisations(request.user).filter(parent=organisation),
        "notes": visibility.notes(request.user).filter(organisation=organisation),
        "can_edit": can_edit(member, organisation),
        "can_delete": can_delete(member, organisation),
    }
    return render(request, "relations/organisation_detail.html", context)


@member_required
def organisation_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    member = current_member(request)
    organisation = get_or_404(selectors.organisation_get, user=request.user, pk=pk) if pk else None
    allowed = can_edit(member, organisation) if organisation else can_create(member)
    if not allowed:
        raise PermissionDenied
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        organisations=visibility.organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                organisation = services.organisation_create(
                    actor=member, **form.service_arguments()
                )
            else:
                services.organisation_update(
                    actor=member, organisation=organisation, **form.service_arguments()
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organisation_detail", pk=organisation.pk)
    return render(
        request, "relations/organisation_form.html", {"form": form, "organisation": organisation}
    )


@member_required
@require_POST
def organisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_or_404(selectors.organisation_get, user=request.user, pk=pk)
    services.organisation_delete(actor=current_member(request), organisation=organisation)
    messages.success(request, _("%(name)s has been deleted.") % {"name": organisation.name})
    return redirect("organisation_list")


@member_required
def organisation_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    organisation = get_or_404(selectors.organisation_get, user=request.user, pk=pk)
    if not can_edit(member, organisation):
        raise PermissionDenied
    form = OrganisationLinkForm(request.POST or None)
    form.fields["target"].queryset = visibility.organisations(request.user).exclude(pk=pk)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_link_create(
                actor=member, source=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("organisation_detail", pk=organisation.pk)
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("Relation of %(name)s") % {"name": organisation.name},
            "back": organisation,
        },
    )


def _organisation_link(
    request: HttpRequest, organisation: Organisation, pk: int
) -> OrganisationLink:
    """A relation recorded on this organisation (its source) with one the user may see."""
    links = (
        selectors.organisation_links(user=request.user)
        .filter(source=organisation)
        .select_related("source", "target")
    )
    return get_or_404(links.get, pk=pk)


@member_required
def organisation_link_edit(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Change the kind or note of a relation with another organisation."""
    member = current_member(request)
    organisation = get_or_404(selectors.organisation_get, user=request.user, pk=pk)
    link = _organisation_link(request, organisation, link_pk)
    if not can_edit(member, organisation):
        raise PermissionDenied
    form = OrganisationLinkChangeForm(request.POST or None, instance=link)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_link_update(actor=member, link=link, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organisation_detail", pk=organisation.pk)
    return render(
        request,
        "relations/organisation_link_form.html",
        {"form": form, "link": link, "organisation": organisation},
    )


@member_required
@require_POST
def organisation_link_delete(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Remove a relation with another organisation (the page asks for confirmation first)."""
    organisation = get_or_404(selectors.organisation_get, user=request.user, pk=pk)
    link = _organisation_link(request, organisation, link_pk)
    services.organisation_link_delete(actor=current_member(request), link=link)
    messages.success(
        request,
        _("The relation with %(name)s has been removed.") % {"name": link.target.name},
    )
    return redirect("organisation_detail", pk=organisation.pk)


# ---- choosing one of many: autocomplete ------------------------------------------------------

AUTOCOMPLETE_LIMIT = 10
_AUTOCOMPLETE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,60}$")


def _autocomplete(
    request: HttpRequest,
    queryset: Any,
    search: Callable[[str], Any],
    hint: Callable[[Any], str],
    create_url: str = "",
) -> HttpResponse:
    """The three answers of an autocomplete box: matches for what was typed, the box with a
    chosen row (looked up in the same scoped queryset), or an empty box to choose again."""
    field, box = request.GET.get("field", ""), request.GET.get("box", "")
    if not (_AUTOCOMPLETE_NAME.match(field) and _AUTOCOMPLETE_NAME.match(box)):
        return HttpResponse(_("Unknown field."), status=400)
    url = request.path
    choose = request.GET.get("choose")
    if choose is not None:
        pk = parse_id(choose)
        chosen = queryset.filter(pk=pk).first() if pk is not None else None
        if chosen is None:
            raise Http404
        return render(
            request,
            "core/_autocomplete.html",
            {"name": field, "id": box, "url": url, "chosen": chosen},
        )
    typed = request.GET.get(f"{field}__search")
    if typed is None:
        return render(request, "core/_autocomplete.html", {"name": field, "id": box, "url": url})
    typed = typed.strip()[:100]
    items = list(search(typed)[:AUTOCOMPLETE_LIMIT]) if typed else []
    for item in items:
        item.hint = hint(item)
    exact = any(fold(str(item)) == fold(typed) for item in items)
    return render(
        request,
        "relations/_autocomplete_results.html",
        {
            "items": items,
            "field": field,
            "box": box,
            "url": url,
            "searched": bool(typed),
            "typed": typed,
            "create_url": create_url if typed and not exact else "",
        },
    )


@member_required
def organisation_search(request: HttpRequest) -> HttpResponse:
    """Organisations matching what was typed, for the organisation boxes on forms."""
    return _autocomplete(
        request,
        visibility.organisations(request.user),
        lambda q: selectors.organisation_list(
            user=request.user, filters=selectors.OrganisationFilters(q=q)
        ),
        lambda organisation: organisation.city,
        create_url=reverse("organisation_quick_create")
        if can_create(current_member(request))
        else "",
    )


@member_required
def person_search(request: HttpRequest) -> HttpResponse:
    """Persons matching what was typed (any form of the name, e-mail, organisation)."""
    return _autocomplete(
        request,
        visibility.persons(request.user),
        lambda q: selectors.with_current_affiliations(
            selectors.person_list(user=request.user, filters=selectors.PersonFilters(q=q))
        ),
        lambda person: ", ".join(a.organisation.name for a in person.current_affiliations),
    )


@member_required
def person_duplicates(request: HttpRequest) -> HttpResponse:
    """While a person is typed into the form (htmx): visible persons who may be the same one,
    by e-mail address or name, with links; the person being edited is left out."""
    found = selectors.possible_duplicates(
        user=request.user,
        given_name=request.GET.get("given_name", "")[:100],
        initials=request.GET.get("initials", "")[:20],
        tussenvoegsel=request.GET.get("tussenvoegsel", "")[:30],
        family_name=request.GET.get("family_name", "")[:150],
        emails=split_values(request.GET.get("emails", "")[:2000]),
        exclude=int_param(request, "exclude"),
    )
    return render(request, "relations/_possible_duplicates.html", {"found": found})


@member_required
@require_POST
def organisation_quick_create(request: HttpRequest) -> HttpResponse:
    """ "Create organisation 'X'" from an organisation box: the organisation is added with just
    its name and chosen in the box at once (htmx); the rest can be filled in on its page."""
    member = current_member(request)
    if not can_create(member):
        raise PermissionDenied
    field, box = request.POST.get("field", ""), request.POST.get("box", "")
    if not (_AUTOCOMPLETE_NAME.match(field) and _AUTOCOMPLETE_NAME.match(box)):
        return HttpResponse(_("Unknown field."), status=400)
    name = " ".join(request.POST.get(f"{field}__search", "").split())[:200]
    if not name:
        return HttpResponse(_("Type the organisation's name first."), status=400)
    existing = visibility.organisations(request.user).filter(sort_name=fold(name)).first()
    organisation = existing or services.organisation_create(actor=member, name=name)
    return render(
        request,
        "core/_autocomplete.html",
        {"name": field, "id": box, "url": reverse("organisation_search"), "chosen": organisation},
    )


@member_required
def person_address_row(request: HttpRequest) -> HttpResponse:
    """One more empty address row for the person form (htmx), numbered after the others."""
    index = int_param(request, "index")
    if index is None or index >= AddressFormSet.max_num:
        return HttpResponse(_("No more addresses can be added."), status=400)
    row = AddressFormSet(prefix="addresses").empty_form
    row.prefix = f"addresses-{index}"
    return render(request, "relations/_address_new_row.html", {"row": row, "index": index})


@member_required
def person_tie_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that another relation knows this person (who knows whom between relations)."""
    member = current_member(request)
    person = get_or_404(selectors.person_get, user=request.user, pk=pk)
    if not can_create(member):
        raise PermissionDenied
    form = PersonTieForm(
        request.POST or None, persons=visibility.persons(request.user), person=person
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tie_create(actor=member, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            form.add_error(None, _("You may only record ties of relations you own."))
        else:
            messages.success(request, _("Tie saved."))
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("Who does %(name)s know?") % {"name": person.full_name},
            "back": person,
        },
    )


@member_required
@require_POST
def person_tie_delete(request: HttpRequest, pk: int, tie_pk: int) -> HttpResponse:
    """Remove a tie between this person and another relation. A tie the member may see but not
    change answers 403, like every other write."""
    ties = visibility.ties(request.user).filter(Q(person_id=pk) | Q(other_person_id=pk))
    tie = get_or_404(ties.filter(member__isnull=True).get, pk=tie_pk)
    services.tie_delete(actor=current_member(request), tie=tie)
    messages.success(request, _("Tie removed."))
    return redirect("person_detail", pk=pk)
