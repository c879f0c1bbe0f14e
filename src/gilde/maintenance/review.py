"""Reviewing importance: suggested tier changes with reasons from the data, decided by a network
manager one by one or in bulk. Markets move, so a review is suggested every quarter.

Rules (each gives one suggestion per relation, first match wins):
- a C relation with at least FAVOURS_FOR_UP favours in the last year and at least
  CONTACTS_FOR_UP contact moments in the last year → B;
- an A relation not contacted in two years, or never contacted and registered over two years
  ago → B (to be reviewed);
- a D relation with at least CONTACTS_FOR_D_UP contact moments in the last half year → C: a
  de-intensified relation gets no reminders, so contact this frequent comes from their side or
  from real business.

Every other relation registered over half a year ago is ranked (gilde.strategy.ranking): theme
importance, tie strength and its trend, contact history, goodwill, signals and event attendance
give a score, the scores are ranked against the 10/50/40 guideline, and a relation clearly in
another tier's band is proposed for it, in any direction, with the factors that weighed most.
A proposal accepted or rejected in an earlier review returns only when something new happened
with the relation (a contact moment, a favour, a theme link)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.contacts.models import ContactMoment
from gilde.core.models import Job
from gilde.goodwill.models import Favour
from gilde.maintenance.models import SuggestionReason, SuggestionState, TierReview, TierSuggestion
from gilde.permissions import require_network_manager
from gilde.relations.models import Person, Tier

# Up to this many relations the review is drawn up while the manager waits; above it, on the
# worker (a large network takes tens of seconds).
INLINE_PERSONS = 20000
FAVOURS_FOR_UP = 2
CONTACTS_FOR_UP = 6
CONTACTS_FOR_D_UP = 3
TWO_YEARS = 730


def _contacts_since(since: dt.datetime, tier: Tier) -> dict[int, int]:
    through = ContactMoment.persons.through.objects.order_by()
    return dict(
        through.filter(contactmoment__occurred_at__gte=since, person__tier=tier)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")  # type: ignore[misc]
    )


def _suggestions(review: TierReview, now: dt.datetime) -> list[TierSuggestion]:
    tiers = {t.code: t for t in Tier.objects.all()}
    found: list[TierSuggestion] = []
    year_ago = now - dt.timedelta(days=365)
    if "C" in tiers and "B" in tiers:
        contacts = _contacts_since(year_ago, tiers["C"])
        favours = dict(
            Favour.objects.filter(person__tier=tiers["C"], occurred_on__gte=year_ago.date())
            .order_by()
            .values("person_id")
            .annotate(n=Count("id"))
            .values_list("person_id", "n")
        )
        for person_id, n in favours.items():
            if n >= FAVOURS_FOR_UP and contacts.get(person_id, 0) >= CONTACTS_FOR_UP:
                found.append(
                    TierSuggestion(
                        review=review,
                        person_id=person_id,
                        from_tier=tiers["C"],
                        to_tier=tiers["B"],
                        reason=SuggestionReason.FAVOURS_AND_CONTACT,
                        facts={"favours": n, "contacts": contacts[person_id]},
                    )
                )
    if "A" in tiers and "B" in tiers:
        cut = now - dt.timedelta(days=TWO_YEARS)
        stale = Person.objects.filter(tier=tiers["A"]).filter(
            Q(care__last_contact_at__lt=cut)
            | (Q(care__last_contact_at__isnull=True) & Q(created_at__lt=cut))
        )
        for person_id, last in stale.values_list("pk", "care__last_contact_at"):
            found.append(
                TierSuggestion(
                    review=review,
                    person_id=person_id,
                    from_tier=tiers["A"],
                    to_tier=tiers["B"],
                    reason=SuggestionReason.NO_CONTACT_TWO_YEARS
                    if last
                    else SuggestionReason.NEVER_CONTACTED,
                    facts={"last_contact": last.date().isoformat() if last else None},
                )
            )
    if "D" in tiers and "C" in tiers:
        contacts = _contacts_since(now - dt.timedelta(days=182), tiers["D"])
        for person_id, n in contacts.items():
            if n >= CONTACTS_FOR_D_UP:
                found.append(
                    TierSuggestion(
                        review=review,
                        person_id=person_id,
                        from_tier=tiers["D"],
                        to_tier=tiers["C"],
                        reason=SuggestionReason.KEEPS_IN_TOUCH,
                        facts={"contacts": n},
                    )
                )
    return _ranked(review, now, found)


def _ranked(
    review: TierReview, now: dt.datetime, found: list[TierSuggestion]
) -> list[TierSuggestion]:
    """The rules' suggestions, then the ranking's for every other relation; those decided
    before without news since are left out."""
    from gilde.strategy.tiering import decided_without_news, proposals

    ranked, tiers = proposals(now)
    taken = {s.person_id for s in found}
    for p in ranked:
        if p.person_id in taken:
            continue
        found.append(
            TierSuggestion(
                review=review,
                person_id=p.person_id,
                from_tier=tiers[p.from_tier],
                to_tier=tiers[p.to_tier],
                reason=SuggestionReason.RANKING,
                facts={"score": p.score, "reasons": [list(r) for r in p.reasons]},
            )
        )
    stale = decided_without_news((s.person_id, s.to_tier.pk) for s in found)
    return [s for s in found if (s.person_id, s.to_tier.pk) not in stale]


def open_review() -> TierReview | None:
    return TierReview.objects.filter(completed_at__isnull=True).first()


@transaction.atomic
def tier_review_start(*, actor: Member, now: dt.datetime | None = None) -> TierReview:
    """Open a review (or refresh the open one) with fresh suggestions from the data."""
    require_network_manager(actor, _("Only a network manager reviews tiers."))
    now = now or timezone.now()
    review = open_review() or TierReview.objects.create(started_by=actor)
    review.suggestions.filter(state=SuggestionState.OPEN).delete()
    decided = set(review.suggestions.values_list("person_id", flat=True))
    fresh = [s for s in _suggestions(review, now) if s.person_id not in decided]
    TierSuggestion.objects.bulk_create(fresh, batch_size=1000)
    return review


def tier_review_request(*, actor: Member) -> TierReview | Job:
    """Start the review now in a small network, or queue it for the worker in a large one."""
    from gilde.core.jobs import job_enqueue

    require_network_manager(actor, _("Only a network manager reviews tiers."))
    if Person.objects.count() <= INLINE_PERSONS:
        return tier_review_start(actor=actor)
    running = Job.objects.filter(kind="tier_review.start", status__in=["queued", "running"])
    return running.first() or job_enqueue(
        kind="tier_review.start", params={"actor": actor.pk}, actor=actor
    )


@transaction.atomic
def tier_suggestions_decide(
    *, actor: Member, review: TierReview, suggestion_ids: list[int], accept: bool
) -> int:
    """Accept (the relation moves to the suggested tier) or reject suggestions; returns how many
    were decided. Suggestions already decided are left alone."""
    from gilde.relations.services import person_update

    require_network_manager(actor, _("Only a network manager reviews tiers."))
    if review.completed_at is not None:
        raise ValidationError(_("This review is already completed."))
    chosen = list(
        review.suggestions.filter(pk__in=suggestion_ids, state=SuggestionState.OPEN).select_related(
            "person", "to_tier"
        )
    )
    now = timezone.now()
    for suggestion in chosen:
        if accept:
            person_update(actor=actor, person=suggestion.person, tier=suggestion.to_tier)
            audit_record(
                actor=actor,
                action=AuditAction.CHANGE,
                target=suggestion.person,
                detail={
                    "maintenance": "tier_review",
                    "from_tier": suggestion.from_tier_id,
                    "to_tier": suggestion.to_tier_id,
                },
            )
        suggestion.state = SuggestionState.ACCEPTED if accept else SuggestionState.REJECTED
        suggestion.decided_by, suggestion.decided_at = actor, now
    TierSuggestion.objects.bulk_update(chosen, ["state", "decided_by", "decided_at"])
    return len(chosen)  # person_update had care follow each new tier


@transaction.atomic
def tier_review_complete(*, actor: Member, review: TierReview) -> TierReview:
    """Close the review; its date counts as the last review. Open suggestions lapse."""
    require_network_manager(actor, _("Only a network manager reviews tiers."))
    review.suggestions.filter(state=SuggestionState.OPEN).delete()
    review.completed_at = timezone.now()
    review.save(update_fields=["completed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=review,
        detail={"maintenance": "tier_review_complete"},
    )
    return review
