"""The one gate for writing, beside `gilde.visibility` (the one gate for reading): every rule of
the form "may this member do this to this record" lives here, named for what it decides.
Services ask it before they change anything; views and the API call the services, and use the
`can_*`/`may_*` answers only to decide which buttons to show.

The roles: read-only members change nothing; networkers change what they own (and unowned,
shared records); network managers and administrators change everything they can see; only an
administrator makes or changes an administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member, Role

if TYPE_CHECKING:
    from gilde.events.models import Event, MeetingGoal
    from gilde.imports.models import ImportBatch
    from gilde.maintenance.models import RelationCare
    from gilde.relations.models import Person


# ---- any record -------------------------------------------------------------------------------


def can_create(member: Member | None) -> bool:
    return member is not None and member.can_write


def can_edit(member: Member | None, obj: Any) -> bool:
    """Whether the member may change or delete obj (anything with an owner, author or creator)."""
    if member is None or not member.can_write:
        return False
    if member.manages_network:
        return True
    if hasattr(obj, "owner_id"):
        # Unowned records (imported, or their owner left) are shared work.
        return obj.owner_id in (None, member.pk)
    for field in ("author_id", "created_by_id", "member_id"):
        if getattr(obj, field, None) is not None:
            return bool(getattr(obj, field) == member.pk)
    return False


def can_delete(member: Member | None, obj: Any) -> bool:
    """Removing is stricter than changing: an unowned person or organisation (imported, or its
    owner left) is shared work any networker may improve, but only a network manager may remove
    it, with everything that hangs off it."""
    if member is None or not can_edit(member, obj):
        return False
    return member.manages_network or getattr(obj, "owner_id", member.pk) is not None


def require_create(member: Member | None) -> Member:
    if member is None or not can_create(member):
        raise PermissionDenied(_("Your role does not allow you to add records."))
    return member


def require_edit(member: Member | None, obj: Any) -> Member:
    if member is None or not can_edit(member, obj):
        raise PermissionDenied(_("You may only change records you own."))
    return member


def require_delete(member: Member | None, obj: Any) -> Member:
    if member is None or not can_delete(member, obj):
        if can_edit(member, obj):
            raise PermissionDenied(_("Only a network manager may remove a record nobody owns."))
        raise PermissionDenied(_("You may only change records you own."))
    return member


def is_network_manager(member: Member | None) -> bool:
    """Network managers and administrators: the rule behind every "managers only" below."""
    return member is not None and member.manages_network


def require_network_manager(member: Member | None, reason: str = "") -> Member:
    """Pages and actions for network managers and administrators only; reason says which."""
    if member is None or not is_network_manager(member):
        raise PermissionDenied(reason or _("Only network managers may do this."))
    return member


# ---- relations --------------------------------------------------------------------------------


def may_change_confidentiality(actor: Member, person: Person) -> bool:
    """Only network managers and the person's owner decide who may see a confidential person."""
    return actor.manages_network or (person.owner_id is not None and person.owner_id == actor.pk)


def can_merge(member: Member | None) -> bool:
    """Merging changes many records at once: network managers and administrators only."""
    return member is not None and member.can_write and member.manages_network


# ---- care -------------------------------------------------------------------------------------


def may_act_on(member: Member | None, person: Person, care: RelationCare | None) -> bool:
    """Snooze and hand-over belong to whoever the reminder is for, the owner, or a manager."""
    if member is None or not member.can_write:
        return False
    if member.manages_network or can_edit(member, person):
        return True
    return care is None or care.contact_member_id in (None, member.pk)


def require_act_on(actor: Member, person: Person, care: RelationCare) -> None:
    require_create(actor)
    if not may_act_on(actor, person, care):
        raise PermissionDenied(
            _("This reminder is for a colleague; ask them or a network manager.")
        )


def may_take_over(member: Member, person: Person) -> bool:
    """A relation is handed over only to a colleague who may see it (a confidential relation is
    hidden from most colleagues); the page offers only these."""
    return visibility.person_visible(member.user, person)


# ---- imports and exports ----------------------------------------------------------------------


def can_import(member: Member | None) -> bool:
    """Network managers and administrators import for everyone; networkers import relations
    they will own themselves; read-only members do not import."""
    return member is not None and member.can_write


def can_manage_batch(member: Member | None, batch: ImportBatch) -> bool:
    if member is None or not can_import(member):
        return False
    return member.manages_network or batch.created_by_id == member.pk


def require_import(actor: Member | None) -> None:
    if actor is not None and not can_import(actor):
        raise PermissionDenied(_("Your role does not allow you to import relations."))


def require_batch(actor: Member | None, batch: ImportBatch) -> None:
    if actor is not None and not can_manage_batch(actor, batch):
        raise PermissionDenied(_("Only the importer or a network manager can change this import."))


def can_export(member: Member | None) -> bool:
    """Copies of personal data that leave Gilde: members who may change data, not read-only ones."""
    return member is not None and member.can_write


# ---- privacy ----------------------------------------------------------------------------------


def is_privacy_officer(member: Member | None) -> bool:
    """Network managers and administrators answer access and erasure requests."""
    return is_network_manager(member)


def require_privacy_officer(member: Member | None) -> Member:
    return require_network_manager(member)


def can_edit_privacy(member: Member | None, person: Person) -> bool:
    """The lawful basis, consent and informing of a person: network managers, and the
    colleague who owns the relation (who usually knows how the data came in)."""
    if member is None or not member.can_write:
        return False
    return member.manages_network or person.owner_id == member.pk


def require_edit_privacy(member: Member | None, person: Person) -> Member:
    if member is None or not can_edit_privacy(member, person):
        raise PermissionDenied(_("Only network managers and the owner of this relation may."))
    return member


# ---- the team ---------------------------------------------------------------------------------


def may_manage_team(member: Member | None) -> bool:
    return member is not None and member.user.is_active and member.manages_network


def require_team_manager(actor: Member | None) -> Member:
    if actor is None or not may_manage_team(actor):
        raise PermissionDenied(_("Only network managers and administrators manage the team."))
    return actor


def require_may_assign(actor: Member, role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    if role == Role.ADMINISTRATOR and actor.role != Role.ADMINISTRATOR:
        raise PermissionDenied(_("Only an administrator can make someone an administrator."))


def may_change_colleague(actor: Member | None, member: Member) -> bool:
    """Whether this manager may change or deactivate this colleague."""
    if actor is None or not may_manage_team(actor):
        return False
    return member.role != Role.ADMINISTRATOR or actor.role == Role.ADMINISTRATOR


def require_change_colleague(actor: Member, member: Member) -> None:
    require_team_manager(actor)
    if not may_change_colleague(actor, member):
        raise PermissionDenied(_("Only an administrator can change an administrator."))


# ---- background jobs --------------------------------------------------------------------------


def can_manage_jobs(member: Member | None) -> bool:
    return is_network_manager(member)


# ---- a member's own settings ------------------------------------------------------------------


def may_manage_own(actor: Member | None, owner_id: int | None) -> bool:
    """A member's own things (API tokens, mail and calendar connections, introduction asks and
    requests to meet someone): theirs to change or close, and a network manager's."""
    return actor is not None and (owner_id == actor.pk or actor.manages_network)


def may_remove_never_log(actor: Member, rule_member_id: int | None) -> bool:
    """A personal "never log" rule is only its member's; a rule for the whole network is the
    network managers'."""
    if rule_member_id is None:
        return actor.manages_network
    return rule_member_id == actor.pk


# ---- events -----------------------------------------------------------------------------------


def can_manage_event(member: Member | None, event: Event) -> bool:
    """An event is changed by its organisers, whoever created it, and network managers; anyone
    who sees it may read it; read-only members change nothing."""
    if member is None or not member.can_write:
        return False
    if member.manages_network or event.created_by_id == member.pk:
        return True
    return event.organisers.filter(pk=member.pk).exists()


def require_event_manager(member: Member | None, event: Event) -> None:
    if not can_manage_event(member, event):
        raise PermissionDenied(_("Only the event's organisers and network managers may do this."))


def can_act_for_host(member: Member | None, event: Event, host: Member) -> bool:
    """A host's briefing and their meetings are theirs, and the event's managers'."""
    if member is None:
        return False
    if member.pk == host.pk:
        return True
    return can_manage_event(member, event)


def require_host_or_manager(member: Member | None, event: Event, host: Member) -> None:
    if not can_act_for_host(member, event, host):
        raise PermissionDenied(_("Only the host and the event's organisers may do this."))


def may_log_for(*, user: Any, member: Member, goal: MeetingGoal, host: Member) -> bool:
    """Who met whom for a goal is logged by the event's managers, or by the host the goal's
    guests are assigned to."""
    from gilde.events.results import host_of_goal

    return can_manage_event(member, goal.event) or (
        member.pk == host.pk and host_of_goal(user=user, goal=goal, member=host)
    )


# ---- member networks --------------------------------------------------------------------------


def is_coordinator(member: Member | None) -> bool:
    """A member network's coordinator: its network managers and administrators."""
    return is_network_manager(member)


def require_coordinator(actor: Member | None) -> Member:
    return require_network_manager(actor, _("Only the network's coordinator may do this."))


# ---- strategy ---------------------------------------------------------------------------------


def is_strategist(member: Member | None) -> bool:
    """Goals, themes, activity plans and the report belong to the network managers."""
    return is_network_manager(member)


def require_strategist(actor: Member | None) -> Member:
    return require_network_manager(actor, _("Only a network manager changes the network strategy."))
