"""Writes for the privacy file of a person: lawful basis, consent, informing (art. 14) and
retention decisions. Erasure has its own module, `gilde.privacy.erasure`."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.permissions import require_edit_privacy, require_privacy_officer
from gilde.privacy.models import InformedHow, LawfulBasis, PersonPrivacy, RetentionDecision
from gilde.relations.models import Person


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def privacy_file(person: Person) -> PersonPrivacy:
    """The person's privacy file, or an unsaved empty one (nothing recorded yet)."""
    try:
        return person.privacy
    except PersonPrivacy.DoesNotExist:
        return PersonPrivacy(person=person)


def _audit_change(actor: Member | None, person: Person, *fields: str) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=person,
        detail={"privacy": sorted(fields)},
    )


@transaction.atomic
def lawful_basis_set(
    *,
    actor: Member,
    person: Person,
    lawful_basis: str,
    balancing_note: str = "",
    contract_reference: str = "",
    consent_given_on: dt.date | None = None,
    consent_how: str = "",
) -> PersonPrivacy:
    """Record the ground for processing (AVG art. 6). Legitimate interest needs its balancing
    note; consent needs when and how it was given. Giving consent again clears a withdrawal."""
    require_edit_privacy(actor, person)
    if lawful_basis not in LawfulBasis.values:
        raise ValidationError({"lawful_basis": _("Choose a lawful basis.")})
    file = privacy_file(person)
    balancing_note, consent_how = balancing_note.strip(), consent_how.strip()
    if lawful_basis == LawfulBasis.LEGITIMATE_INTEREST and not balancing_note:
        raise ValidationError(
            {"balancing_note": _("Legitimate interest needs a note on the balancing of interests.")}
        )
    if lawful_basis == LawfulBasis.CONSENT:
        if consent_given_on is None or not consent_how:
            raise ValidationError({"consent_given_on": _("Record when and how consent was given.")})
        if consent_given_on > timezone.localdate():
            raise ValidationError({"consent_given_on": _("Consent cannot be given in the future.")})
        if (file.consent_given_on, file.consent_how) != (consent_given_on, consent_how):
            file.consent_withdrawn_at = None
        file.consent_given_on, file.consent_how = consent_given_on, consent_how[:200]
    file.lawful_basis = lawful_basis
    file.balancing_note = balancing_note
    file.contract_reference = contract_reference.strip()[:200]
    file.full_clean()
    file.save()
    _audit_change(actor, person, "lawful_basis")
    return file


@transaction.atomic
def consent_withdraw(
    *, actor: Member, person: Person, at: dt.datetime | None = None
) -> PersonPrivacy:
    """Withdrawal is as easy as giving: one action, recorded with its moment. The person is then
    proposed for erasure on the retention review unless another basis is recorded."""
    require_edit_privacy(actor, person)
    file = privacy_file(person)
    if file.consent_given_on is None:
        raise ValidationError(_("No consent has been recorded for this relation."))
    if file.consent_withdrawn_at is None:
        file.consent_withdrawn_at = at or timezone.now()
        file.save()
        _audit_change(actor, person, "consent_withdrawn_at")
    return file


@transaction.atomic
def persons_mark_informed(
    *, actor: Member, persons: Iterable[Person], how: str, at: dt.datetime | None = None
) -> int:
    """Record that these persons were told we hold their data (AVG art. 14); returns how many."""
    if how not in InformedHow.values:
        raise ValidationError({"how": _("Say how they were informed.")})
    moment = at or timezone.now()
    count = 0
    for person in persons:
        require_edit_privacy(actor, person)
        file = privacy_file(person)
        file.informed_at, file.informed_how, file.informed_by = moment, how, actor
        file.save()
        _audit_change(actor, person, "informed_at")
        count += 1
    return count


@transaction.atomic
def retention_decide(
    *,
    actor: Member,
    person: Person,
    decision: str,
    reason: str = "",
    months: int | None = None,
    today: dt.date | None = None,
    background_flag: bool = True,
) -> PersonPrivacy | None:
    """Decide on a relation proposed for erasure: keep it (with a reason; reviewed again after a
    full retention period), review again after some months, or erase it (queued; see
    gilde.privacy.erasure_requests)."""
    require_privacy_officer(actor)
    day = today or timezone.localdate()
    if decision == RetentionDecision.ERASE:
        # Queued like any erasure asked for on a page: it takes seconds on a large registry.
        from gilde.privacy.erasure_requests import erasure_request

        erasure_request(
            actor=actor, person=person, reason="retention", background_flag=background_flag
        )
        return None
    file = privacy_file(person)
    if decision == RetentionDecision.KEEP:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why this relation is kept.")})
        file.review_after = add_months(day, settings.GILDE_RETENTION_MONTHS)
    elif decision == RetentionDecision.EXTEND:
        if months is None or not 1 <= months <= 60:
            raise ValidationError({"months": _("Choose between 1 and 60 months.")})
        file.review_after = add_months(day, months)
    else:
        raise ValidationError({"decision": _("Choose keep, review later or erase.")})
    file.retention_decision = decision
    file.retention_reason = reason.strip()
    file.reviewed_at, file.reviewed_by = timezone.now(), actor
    file.save()
    _audit_change(actor, person, "retention_decision")
    return file
