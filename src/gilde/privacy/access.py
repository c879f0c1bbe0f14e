"""The right of access (AVG art. 15): everything Gilde holds about one person, as plain data
for a JSON download and a printable page, in the requesting member's language.

Left out on purpose: other relations' details (a contact moment lists the colleagues who took
part by name and the other relations only as a number; a tie with another relation says "another
relation"), colleagues' private notes (only their author ever sees those), and IP addresses in
the audit entries (they are the colleagues' data, not the person's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.selectors import audit_entries_about_person
from gilde.audit.services import audit_record
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.events.models import Guest
from gilde.goodwill.models import Favour
from gilde.permissions import require_privacy_officer
from gilde.privacy.services import privacy_file
from gilde.relations.models import Person, Tie


def _date(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _person(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "title": person.title,
        "given_name": person.given_name,
        "initials": person.initials,
        "tussenvoegsel": person.tussenvoegsel,
        "family_name": person.family_name,
        "language": person.get_language_display(),
        "birthday": _date(person.birthday),
        "website": person.website,
        "linkedin_url": person.linkedin_url,
        "has_photo": bool(person.photo),
        "tier": person.tier.label if person.tier else None,
        "stakeholder_types": [t.label for t in person.stakeholder_types.all()],
        "tags": [t.name for t in person.tags.all()],
        "passions": person.passions,
        "talents": person.talents,
        "interests": person.interests,
        "owner": person.owner.name if person.owner else None,
        "created_at": _date(person.created_at),
        "updated_at": _date(person.updated_at),
    }


def _privacy(person: Person) -> dict[str, Any]:
    file = privacy_file(person)
    batch = person.import_batch
    return {
        "lawful_basis": file.get_lawful_basis_display() or None,
        "balancing_note": file.balancing_note,
        "contract": file.contract_reference,
        "consent_given_on": _date(file.consent_given_on),
        "consent_how": file.consent_how,
        "consent_withdrawn_at": _date(file.consent_withdrawn_at),
        "informed_at": _date(file.informed_at),
        "informed_how": file.get_informed_how_display() or None,
        "source": person.source,
        "import": {"file": batch.file_name, "imported_at": _date(batch.created_at)}
        if batch
        else None,
    }


def _ties(person: Person) -> list[dict[str, Any]]:
    result = []
    ties = Tie.objects.filter(person=person) | Tie.objects.filter(other_person=person)
    for tie in ties.select_related("member__user").order_by("id"):
        result.append(
            {
                "known_by": tie.member.name if tie.member else _("another relation"),
                "strength": tie.strength,
                "since": _date(tie.since),
                "how_met": tie.get_how_met_display() or None,
                "note": tie.how_met_note,
                "introduced_by": _("another relation") if tie.introduced_by_id else None,
            }
        )
    return result


def _contact_moments(person: Person) -> list[dict[str, Any]]:
    moments = (
        ContactMoment.objects.filter(persons=person)
        .select_related("organisation", "autolog")
        .prefetch_related("members__user", "persons")
        .order_by("occurred_at", "id")
    )
    return [
        {
            "id": m.pk,
            "when": _date(m.occurred_at),
            "kind": m.get_kind_display(),
            "summary": m.summary,
            "notes": m.notes,
            "signals": m.signals,
            "colleagues": [member.name for member in m.members.all()],
            "other_relations": sum(1 for p in m.persons.all() if p.pk != person.pk),
            "organisation": m.organisation.name if m.organisation else None,
            # Logged automatically from a colleague's mail or calendar ("via e-mail"), or "".
            "source": _source(m),
        }
        for m in moments
    ]


def _source(moment: ContactMoment) -> str:
    from gilde.autolog.models import Entry

    try:
        return moment.autolog.source_label
    except Entry.DoesNotExist:
        return ""


def _found_automatically(person: Person) -> list[dict[str, Any]]:
    """Contacts found in a colleague's mail or calendar that still wait for review: not yet
    contact moments, but kept about the person all the same."""
    from gilde.autolog.models import Entry, EntryStatus

    entries = Entry.objects.filter(persons=person, status=EntryStatus.PENDING).select_related(
        "member__user"
    )
    return [
        {
            "when": _date(e.occurred_at),
            "kind": e.kind,
            "source": e.source_label,
            "summary": e.summary,
            "colleague": e.member.name,
        }
        for e in entries.order_by("occurred_at", "id")
    ]


def access_report(*, actor: Member, person: Person, audit_format: str = "") -> dict[str, Any]:
    """Everything about the person, as plain data. With `audit_format` the request is recorded
    in the audit trail (json or html) in the same transaction."""
    require_privacy_officer(actor)
    person = (
        visibility.persons(actor.user)
        .select_related("tier", "owner__user", "import_batch")
        .get(pk=person.pk)
    )
    moments = _contact_moments(person)
    follow_ups = FollowUp.objects.filter(person=person).select_related("owner__user")
    notes = (
        visibility.notes(actor.user)
        .filter(person=person)
        .select_related("author__user")
        .order_by("created_at")
    )
    favours = Favour.objects.filter(person=person).select_related("member__user")
    related = {
        "contactmoment": [m["id"] for m in moments],
        "note": [n.pk for n in notes],
        "favour": [f.pk for f in favours],
        "affiliation": list(person.affiliations.values_list("pk", flat=True)),
        "tie": list(
            (
                Tie.objects.filter(person=person) | Tie.objects.filter(other_person=person)
            ).values_list("pk", flat=True)
        ),
    }
    report = {
        "generated_at": _date(timezone.now()),
        "language": get_language(),
        "controller": settings.GILDE_CONTROLLER_NAME,
        "person": _person(person),
        "privacy": _privacy(person),
        "emails": [e.address for e in person.emails.all()],
        "phones": [p.number for p in person.phones.all()],
        "addresses": [
            {"street": a.street, "postal_code": a.postal_code, "city": a.city, "country": a.country}
            for a in person.addresses.all()
        ],
        "affiliations": [
            {
                "organisation": a.organisation.name,
                "role": a.role,
                "from": _date(a.start_date),
                "until": _date(a.end_date),
            }
            for a in person.affiliations.select_related("organisation")
        ],
        "ties": _ties(person),
        "contact_moments": moments,
        "found_automatically": _found_automatically(person),
        "follow_ups": [
            {
                "title": f.title,
                "due": _date(f.due_date),
                "done": _date(f.done_at),
                "owner": f.owner.name,
            }
            for f in follow_ups
        ],
        "notes": [
            {"when": _date(n.created_at), "author": n.author.name, "text": n.text} for n in notes
        ],
        "favours": [
            {
                "when": _date(f.occurred_on),
                "direction": f.get_direction_display(),
                "kind": f.get_kind_display(),
                "colleague": f.member.name,
                "note": f.note,
            }
            for f in favours
        ],
        "events": [
            {
                "event": g.event.title,
                "when": _date(g.event.starts_at),
                "status": g.get_status_display(),
                "host": g.host.name if g.host else "",
                "companion": g.companion_name,
                "dietary_wishes": g.dietary_wishes,
                "wish_to_meet": g.wish_to_meet,
                "arrived": _date(g.checked_in_at),
            }
            for g in Guest.objects.filter(person=person)
            .select_related("event", "host__user")
            .order_by("event__starts_at")
        ],
        "audit": [
            {
                "at": _date(e.at),
                "action": e.get_action_display(),
                "by": e.username,
                "record": f"{e.target_type} #{e.target_id}" if e.target_type else "",
            }
            for e in audit_entries_about_person(person_id=person.pk, related=related)
        ],
    }
    for moment in moments:
        moment.pop("id")
    if audit_format:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=AuditAction.ACCESS_REQUEST,
                target=person,
                detail={"format": audit_format},
            )
    return report
