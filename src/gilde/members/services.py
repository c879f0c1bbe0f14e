"""Writes for the member network: its kind and goal, profiles, ties between members, referrals,
contributions and applications. Each one whole or not at all, checked, and in the audit trail."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.invitations import invitation_create
from gilde.accounts.models import Member, Role
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.events.models import Event
from gilde.members.introducers import introducer_match
from gilde.members.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Aspect,
    Contribution,
    MemberTie,
    Network,
    NetworkKind,
    Profile,
    ProfileTag,
    Referral,
    ReferralStatus,
)
from gilde.members.network import kind_remember, network_get
from gilde.permissions import require_coordinator, require_create

NETWORK_TEXTS = ("name", "goal", "objectives", "expectations", "how_to_join")
PROFILE_TEXTS = (
    "organisation",
    "work",
    "passions",
    "talents",
    "seeks",
    "offers",
    "languages",
    "region",
)
MAX_TAGS = 20


@transaction.atomic
def network_setup(*, actor: Member, kind: str) -> Network:
    """Choose what this installation is: an organisation or a member network."""
    require_coordinator(actor)
    if kind not in NetworkKind.values:
        raise ValidationError({"kind": _("Choose an organisation or a member network.")})
    network = network_get()
    network.kind = kind
    network.kind_chosen_at = timezone.now()
    network.full_clean()
    network.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, target=network, detail={"kind": kind})
    transaction.on_commit(lambda: kind_remember(kind))
    return network


@transaction.atomic
def network_goal_update(*, actor: Member, **texts: str) -> Network:
    """Change the network's name, goal, objectives, mutual expectations or how joining works."""
    require_coordinator(actor)
    network = network_get()
    unknown = set(texts) - set(NETWORK_TEXTS)
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.") % {"name": sorted(unknown)[0]})
    for name, value in texts.items():
        setattr(network, name, (value or "").strip())
    network.full_clean()
    network.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=network, detail={"fields": sorted(texts)}
    )
    return network


def tag_labels(text: str) -> list[str]:
    """Tags as typed: separated by commas or semicolons, each trimmed, first of each kind kept."""
    labels: dict[str, str] = {}
    for part in re.split(r"[,;\n]", text or ""):
        label = " ".join(part.split())
        if label and label.lower() not in labels:
            labels[label.lower()] = label[:60]
    return list(labels.values())


@transaction.atomic
def profile_save(*, actor: Member, tags: dict[str, str] | None = None, **texts: str) -> Profile:
    """Write the actor's own profile: its texts, and per aspect its tags (comma-separated)."""
    require_create(actor)
    profile, _created = Profile.objects.select_for_update().get_or_create(member=actor)
    unknown = set(texts) - set(PROFILE_TEXTS)
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.") % {"name": sorted(unknown)[0]})
    for name, value in texts.items():
        setattr(profile, name, (value or "").strip())
    profile.full_clean()
    profile.save()
    for aspect, text in (tags or {}).items():
        if aspect not in Aspect.values:
            raise ValidationError(_("Unknown field: %(name)s.") % {"name": aspect})
        labels = tag_labels(text)
        if len(labels) > MAX_TAGS:
            raise ValidationError(
                {aspect: _("At most %(count)d tags per field.") % {"count": MAX_TAGS}}
            )
        profile.tags.filter(aspect=aspect).delete()
        rows = [ProfileTag(profile=profile, aspect=aspect, label=x, key=x.lower()) for x in labels]
        for row in rows:
            row.full_clean(exclude=["profile"])
        ProfileTag.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=profile,
        detail={"fields": sorted(texts), "tags": sorted(tags or {})},
    )
    return profile


def _active_other(actor: Member, other: Member) -> None:
    if other.pk == actor.pk:
        raise ValidationError(_("Choose another member than yourself."))
    if not other.user.is_active:
        raise ValidationError(_("This member has left the network."))


@transaction.atomic
def member_tie_add(*, actor: Member, other: Member, how_met: str = "") -> MemberTie:
    """Record that the actor knows another member."""
    require_create(actor)
    _active_other(actor, other)
    tie, created = MemberTie.objects.get_or_create(member=actor, other=other)
    tie.how_met = how_met.strip() or tie.how_met
    tie.full_clean()
    tie.save()
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, target=tie)
    return tie


@transaction.atomic
def member_tie_remove(*, actor: Member, other: Member) -> None:
    require_create(actor)
    for tie in MemberTie.objects.filter(member=actor, other=other):
        audit_record(actor=actor, action=AuditAction.DELETE, target=tie)
        tie.delete()


@transaction.atomic
def referral_record(
    *,
    actor: Member,
    receiver: Member,
    kind: str,
    occurred_on: dt.date | None = None,
    description: str = "",
) -> Referral:
    """The actor records a referral or favour they gave another member; it waits for the
    receiver to confirm."""
    require_create(actor)
    _active_other(actor, receiver)
    referral = Referral(
        giver=actor,
        receiver=receiver,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        description=description.strip(),
    )
    if referral.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("A referral cannot lie in the future.")})
    referral.full_clean()
    referral.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=referral, detail={"kind": kind})
    return referral


@transaction.atomic
def referral_answer(
    *, actor: Member, referral: Referral, confirmed: bool, value: Decimal | None = None
) -> Referral:
    """The receiver confirms a referral (with its value if they want to report it) or says they
    do not recognise it. A confirmed referral also records that the two know each other."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.receiver_id != actor.pk:
        raise PermissionDenied(_("Only the member who received it may confirm a referral."))
    if referral.status != ReferralStatus.OPEN:
        raise ValidationError(_("This referral has already been answered."))
    referral.status = ReferralStatus.CONFIRMED if confirmed else ReferralStatus.DECLINED
    referral.value = value if confirmed else None
    referral.answered_at = timezone.now()
    referral.full_clean()
    referral.save()
    if confirmed:
        for one, other in (
            (referral.receiver, referral.giver),
            (referral.giver, referral.receiver),
        ):
            MemberTie.objects.get_or_create(member=one, other=other)
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=referral,
        detail={"status": referral.status, "value_reported": referral.value is not None},
    )
    return referral


@transaction.atomic
def contribution_record(
    *,
    actor: Member,
    member: Member,
    kind: str,
    occurred_on: dt.date | None = None,
    event: Event | None = None,
    note: str = "",
) -> Contribution:
    """The coordinator records what a member did for the network (hosting, speaking...)."""
    require_coordinator(actor)
    contribution = Contribution(
        member=member,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        event=event,
        note=note.strip(),
        created_by=actor,
    )
    contribution.full_clean()
    contribution.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=contribution)
    return contribution


@transaction.atomic
def application_submit(
    *,
    kind: str,
    first_name: str,
    last_name: str,
    email: str,
    organisation: str = "",
    work: str = "",
    motivation: str = "",
    introduced_by_name: str = "",
    event: Event | None = None,
    consent: bool = False,
) -> Application:
    """Someone on the public page asks to join or to visit once. Without consent to keep their
    data for this purpose, nothing is stored."""
    if not consent:
        raise ValidationError(
            {"consent": _("We can only handle your request if you agree that we keep it.")}
        )
    application = Application(
        kind=kind,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        organisation=organisation.strip(),
        work=work.strip(),
        motivation=motivation.strip(),
        introduced_by_name=introduced_by_name.strip(),
        event=event if kind == ApplicationKind.VISIT else None,
        consent_at=timezone.now(),
    )
    application.introduced_by = introducer_match(application.introduced_by_name)
    application.full_clean()
    application.save()
    audit_record(actor=None, action=AuditAction.CREATE, target=application, detail={"kind": kind})
    return application


@transaction.atomic
def application_introducer_set(
    *, actor: Member, application: Application, introduced_by: Member | None
) -> Application:
    """The coordinator says which member introduced the applicant (when the typed name matched
    several members, or none), or that no member did (None)."""
    require_coordinator(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if introduced_by is not None and not introduced_by.user.is_active:
        raise ValidationError({"introduced_by": _("Choose an active member.")})
    application.introduced_by = introduced_by
    application.full_clean()
    application.save(update_fields=["introduced_by"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=application,
        detail={"introduced_by": introduced_by.pk if introduced_by else None},
    )
    return application


NEXT_STEPS = {
    ApplicationStatus.APPLIED: {
        ApplicationStatus.TALK,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WELCOMED,
    },
    ApplicationStatus.TALK: {ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED},
}


@transaction.atomic
def application_advance(
    *,
    actor: Member,
    application: Application,
    status: str,
    talk_on: dt.date | None = None,
    note: str = "",
    introduced_by: Member | None = None,
    language: str = "nl",
) -> Application:
    """Move an application one step: to the introductory talk, to a decision, or (a visit)
    welcomed. Accepting invites the applicant to log in as a member (a signed link by mail)."""
    require_coordinator(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    allowed = NEXT_STEPS.get(ApplicationStatus(application.status), set())
    if status not in allowed or (
        status == ApplicationStatus.WELCOMED and application.kind != ApplicationKind.VISIT
    ):
        raise ValidationError(_("An application cannot go from this step to that one."))
    application.status = status
    if introduced_by is not None:
        application.introduced_by = introduced_by
    if status == ApplicationStatus.TALK:
        application.talk_on = talk_on or timezone.localdate()
        application.talk_with = actor
    else:
        application.decided_at = timezone.now()
        application.decided_by = actor
        application.decision_note = note.strip()
    if status == ApplicationStatus.ACCEPTED:
        application.invitation = invitation_create(
            actor=actor,
            email=application.email,
            first_name=application.first_name,
            last_name=application.last_name,
            role=Role.NETWORKER,
            job_title="",
            department=application.organisation[:200],
            language=language,
        )
    application.full_clean()
    application.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=application, detail={"status": status}
    )
    return application


def applications_prune(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Erase rejected applications decided longer ago than GILDE_APPLICATION_RETENTION_DAYS (and
    welcomed visits as long after), as the privacy statement promises; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.GILDE_APPLICATION_RETENTION_DAYS)
    old = Application.objects.filter(
        status__in=[ApplicationStatus.REJECTED, ApplicationStatus.WELCOMED],
        decided_at__lt=cutoff,
    )
    if dry_run:
        return old.count()
    count = 0
    with transaction.atomic():
        for application in old.select_for_update():
            audit_record(
                actor=None,
                action=AuditAction.DELETE,
                target=application,
                detail={"reason": "retention"},
            )
            application.delete()
            count += 1
    return count
