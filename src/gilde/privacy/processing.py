"""The record of processing activities (AVG art. 30), generated from Gilde's configuration so
it states what this installation actually does: retention periods and security measures come
from the settings in force, not from a document that drifts away from them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.relations.models import Person

# Person fields that hold personal data, in the order the record lists them.
PERSON_DATA_FIELDS = (
    "given_name",
    "initials",
    "tussenvoegsel",
    "family_name",
    "title",
    "birthday",
    "language",
    "website",
    "linkedin_url",
    "photo",
    "passions",
    "talents",
    "interests",
    "source",
)


def _person_data() -> list[str]:
    fields = [
        str(getattr(Person._meta.get_field(name), "verbose_name", name))
        for name in PERSON_DATA_FIELDS
    ]
    related = [
        _("e-mail addresses"),
        _("phone numbers"),
        _("postal addresses"),
        _("jobs at organisations (affiliations)"),
        _("who knows them and how well (ties)"),
        _("contact moments: when, what was discussed, market signals"),
        _("follow-ups"),
        _("notes"),
        _("favours given and received"),
        _("lawful basis, consent, informing"),
        _(
            "events: invitations, answers (companion, dietary wishes, whom they would like to "
            "meet), attendance"
        ),
        _(
            "contacts found in colleagues' mail and calendars (who, when, subject or meeting "
            "title; never the text of a message) and where a contact moment came from"
        ),
    ]
    return fields + [str(r) for r in related]


def _security_measures() -> list[str]:
    measures = [
        _(
            "Role-based access (administrator, network manager, networker, read-only) through "
            "one visibility scope for every page, search, export and API operation."
        ),
        _(
            "Private notes are visible to their author only; confidential relations to the "
            "colleagues named on them and network managers."
        ),
        _(
            "Audit trail of views, exports, changes, erasures and every login, without copies "
            "of the personal data."
        ),
        _("API access with personal tokens, stored only as a hash and revocable."),
        _(
            "Passwords and tokens of connected mailboxes and calendars (also the OAuth2 access "
            "and refresh tokens of Microsoft 365 and Google Workspace) encrypted at rest, never "
            "shown again, deleted when the colleague disconnects; every reading run is recorded "
            "with counts only."
        ),
    ]
    validators: list[dict[str, Any]] = list(settings.AUTH_PASSWORD_VALIDATORS)  # type: ignore[arg-type]
    min_length = next(
        (
            v.get("OPTIONS", {}).get("min_length")
            for v in validators
            if v["NAME"].endswith("MinimumLengthValidator")
        ),
        None,
    )
    if min_length:
        measures.append(
            _("Passwords of at least %(n)s characters, checked against common passwords.")
            % {"n": min_length}
        )
    if "axes" in settings.INSTALLED_APPS:
        measures.append(_("Login locked after repeated failed attempts."))
    if any(app.startswith("django_otp") for app in settings.INSTALLED_APPS):
        measures.append(_("Two-factor authentication with an authenticator app."))
    measures.append(
        _("Sessions end after %(minutes)s minutes without activity.")
        % {"minutes": settings.SESSION_COOKIE_AGE // 60}
    )
    if getattr(settings, "PRODUCTION", False):
        measures.append(_("Encrypted connections only (HTTPS with HSTS, secure cookies)."))
    measures.append(
        _(
            "Backups with `gilde backup`; erasures are re-applied after a restore from the "
            "erasure register."
        )
    )
    return [str(m) for m in measures]


def processing_record() -> dict[str, Any]:
    """The record, as plain data for the page (in the active language)."""
    roles = dict(
        Member.objects.values_list("role").annotate(n=Count("id")).values_list("role", "n")
    )
    from gilde.accounts.models import Role

    automatic = settings.GILDE_RETENTION_AUTOMATIC
    return {
        "controller": settings.GILDE_CONTROLLER_NAME,
        "contact": settings.GILDE_PRIVACY_CONTACT,
        "purposes": [
            _(
                "Maintaining the organisation's relationships with external persons and "
                "organisations (relationship management)."
            ),
            _(
                "Preparing and running networking events: guest lists, invitations, seating, "
                "results."
            ),
            _("Recording what relations tell us about the market (signals), and follow-ups."),
            _(
                "Logging contact moments automatically, for colleagues who choose it: from "
                "messages they send to Gilde's address and from the mailbox and calendar they "
                "connect, reading only sender, recipients, date and subject of messages and "
                "attendees, start, end and title of meetings with known relations."
            ),
            _("Accountability and security: audit trail, backups."),
        ],
        "subjects": [
            _(
                "External relations: persons the organisation has or wants a relationship with, "
                "including contact persons of organisations."
            ),
            _("Colleagues and network members who use Gilde (login, role, what they did)."),
        ],
        "person_data": _person_data(),
        "member_data": [
            _("name, login name, e-mail address, role, job title, department, language"),
            _("audit trail: actions with time and IP address"),
            _(
                "for colleagues who connect a mailbox or calendar: its server and user name, the "
                "password or OAuth2 tokens (encrypted), where the last run stopped, and counts of "
                "each run"
            ),
        ],
        "lawful_bases": [
            _(
                "Legitimate interest (with a recorded balancing of interests), consent (with "
                "date and manner, withdrawable), or contract, recorded per person."
            )
        ],
        "recipients": [
            {"role": label, "count": roles.get(value, 0)} for value, label in Role.choices
        ],
        "processors": settings.GILDE_PRIVACY_PROCESSORS,
        "transfers": settings.GILDE_PRIVACY_TRANSFERS,
        "retention": [
            _(
                "Relations: proposed for erasure %(months)s months after the last contact moment "
                "(or after consent is withdrawn); %(how)s."
            )
            % {
                "months": settings.GILDE_RETENTION_MONTHS,
                "how": _("erased automatically")
                if automatic
                else _("erased only after a decision"),
            },
            _("Audit trail: %(days)s days.") % {"days": settings.GILDE_AUDIT_RETENTION_DAYS},
            _("Sessions: %(minutes)s minutes without activity.")
            % {"minutes": settings.SESSION_COOKIE_AGE // 60},
            _(
                "Backups: as long as the backup policy keeps them; erasures are re-applied when one "
                "is restored."
            ),
        ],
        "security": _security_measures(),
        "database": str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1],
    }
