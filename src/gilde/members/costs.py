"""Transparent cost sharing: an event's cost statement, members' shares paid or open, yearly
fees, and the year's statement of income and costs with its exports for the bookkeeping."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde import visibility
from gilde.accounts.models import Member
from gilde.accounts.selectors import member_sort_key
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.events.models import CostCategory, Event, GuestStatus
from gilde.members.costsharing import BRING_YOUR_OWN, Attendee, payment_reference, shares
from gilde.members.models import CostRule, CostShare, CostStatement, MembershipFee
from gilde.permissions import require_coordinator

CENT = Decimal("0.01")


def event_costs(event: Event, rule: str) -> Decimal:
    """The real costs to share: each item's actual amount (its planned one while no actual is
    known); with bring-your-own, catering is left to each attendee."""
    total = Decimal("0")
    for item in event.costs.all():
        if rule == BRING_YOUR_OWN and item.category == CostCategory.CATERING:
            continue
        total += item.actual if item.actual is not None else item.planned
    return total


def _attendees(event: Event) -> list[Attendee]:
    """Who came: members, and guests paid for by the member who brought them (their host)."""
    came = event.guests.filter(
        Q(status=GuestStatus.ATTENDED) | Q(checked_in_at__isnull=False)
    ).values_list("pk", "member_id", "host_id")
    return [
        Attendee(key=str(pk), payer=member_id or host_id, is_member=member_id is not None)
        for pk, member_id, host_id in came
    ]


@transaction.atomic
def cost_statement_publish(
    *, actor: Member, event: Event, rule: str, guest_weight: Decimal = Decimal("1")
) -> CostStatement:
    """Divide the event's costs over those who came and publish each member's share. Once a
    share is paid the statement stands: a new division would change what was paid for."""
    require_coordinator(actor)
    if rule not in CostRule.values:
        raise ValidationError({"rule": _("Choose a rule for dividing the costs.")})
    event = Event.objects.select_for_update().get(pk=event.pk)
    existing = CostStatement.objects.filter(event=event).first()
    if existing and existing.shares.filter(paid_on__isnull=False).exists():
        raise ValidationError(
            _("Some shares are paid already; the statement can no longer change.")
        )
    attendees = _attendees(event)
    if not any(a.is_member for a in attendees):
        raise ValidationError(_("Nobody is checked in at this event yet: record who came first."))
    total = event_costs(event, rule)
    cents = shares(
        total_cents=int(total * 100),
        attendees=attendees,
        rule=rule,
        guest_weight=float(guest_weight),
    )
    statement = existing or CostStatement(event=event)
    statement.rule, statement.guest_weight, statement.total = rule, guest_weight, total
    statement.attendees, statement.published_by = len(attendees), actor
    statement.full_clean()
    statement.save()
    statement.shares.all().delete()
    guests: dict[int, int] = {}
    for a in attendees:
        if not a.is_member and a.payer is not None:
            guests[a.payer] = guests.get(a.payer, 0) + 1
    CostShare.objects.bulk_create(
        [
            CostShare(
                statement=statement,
                member_id=member_id,
                amount=Decimal(amount) * CENT,
                guests=guests.get(member_id, 0),
                reference=payment_reference(event.pk, member_id),
            )
            for member_id, amount in sorted(cents.items())
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=statement,
        detail={"rule": rule, "shares": len(cents)},
    )
    return statement


@transaction.atomic
def cost_share_mark(*, actor: Member, share: CostShare, paid_on: dt.date | None) -> CostShare:
    """Mark a share paid (on a date) or open again, as the bookkeeping says."""
    require_coordinator(actor)
    share.paid_on = paid_on
    share.full_clean()
    share.save(update_fields=["paid_on"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=share, detail={"paid": paid_on is not None}
    )
    return share


@transaction.atomic
def membership_fees_set(*, actor: Member, year: int, amount: Decimal) -> int:
    """Give every active member a fee for the year (those who have one keep it)."""
    require_coordinator(actor)
    if not 2000 <= year <= 2100 or amount < 0:
        raise ValidationError(_("Enter a year and an amount of at least zero."))
    made = 0
    for member in Member.objects.filter(user__is_active=True):
        _fee, created = MembershipFee.objects.get_or_create(
            member=member,
            year=year,
            defaults={"amount": amount, "reference": f"GLD-FEE-{year}-{member.pk}"},
        )
        made += created
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target_type="membershipfee",
        detail={"year": year, "count": made},
    )
    return made


@transaction.atomic
def membership_fee_mark(*, actor: Member, fee: MembershipFee, paid_on: dt.date | None) -> None:
    require_coordinator(actor)
    fee.paid_on = paid_on
    fee.full_clean()
    fee.save(update_fields=["paid_on"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=fee, detail={"paid": paid_on is not None}
    )


# ---- reads ---------------------------------------------------------------------------------------


def statement_of(user: Any, event_pk: int) -> CostStatement | None:
    """An event's cost statement, for whoever sees the event (every member sees every share:
    that is the point of transparent costs)."""
    return (
        CostStatement.objects.filter(event__in=visibility.events(user), event_id=event_pk)
        .select_related("event")
        .first()
    )


def statements_visible(user: Any) -> QuerySet[CostStatement]:
    """The published cost statements of the events the user sees, newest event first."""
    return (
        CostStatement.objects.filter(event__in=visibility.events(user))
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    )


def shares_visible(user: Any) -> QuerySet[CostShare]:
    """Every share of the statements the user sees (every member sees every share)."""
    return CostShare.objects.filter(statement__event__in=visibility.events(user)).select_related(
        "member__user", "statement__event"
    )


def share_order(share: CostShare) -> tuple[str, int]:
    """A share's place in Dutch name order: "de Graaf" under G, "Çelik" with the C's."""
    user = share.member.user
    return member_sort_key(user.first_name, user.last_name, user.username), share.member_id


def shares_of(user: Any, statement: CostStatement) -> list[CostShare]:
    """The statement's shares in Dutch name order (sorted here: no database collation files
    "van Dijk" under D)."""
    return sorted(statement.shares.select_related("member__user"), key=share_order)


def my_shares(user: Any) -> QuerySet[CostShare]:
    me = visibility.member_of(user)
    return (
        CostShare.objects.filter(member=me)
        .select_related("statement__event")
        .order_by("-statement__event__starts_at")
    )


@dataclass(frozen=True)
class YearLine:
    """One line of the yearly statement: a fee or share (income) or an event's costs."""

    date: dt.date
    kind: str
    description: str
    member: str
    reference: str
    amount: Decimal
    paid: bool | None
    member_order: str = ""  # the member's Dutch sort key: lines of one day in name order


@dataclass(frozen=True)
class YearStatement:
    year: int
    lines: list[YearLine]
    fees: Decimal
    fees_paid: Decimal
    shares: Decimal
    shares_paid: Decimal
    costs: Decimal

    @property
    def income(self) -> Decimal:
        return self.fees + self.shares

    @property
    def result(self) -> Decimal:
        return self.income - self.costs


def _member_order(member: Member) -> str:
    user = member.user
    return member_sort_key(user.first_name, user.last_name, user.username)


def year_statement(user: Any, year: int) -> YearStatement:
    """The network's income (fees and shares) and costs (events' real costs) in one year."""
    require_coordinator(visibility.member_of(user))
    lines: list[YearLine] = []
    fees = MembershipFee.objects.filter(year=year).select_related("member__user")
    for fee in fees:
        lines.append(
            YearLine(
                dt.date(year, 1, 1),
                str(_("Membership fee")),
                str(year),
                fee.member.name,
                fee.reference,
                fee.amount,
                fee.paid_on is not None,
                _member_order(fee.member),
            )
        )
    events = visibility.events(user).filter(starts_at__year=year).prefetch_related("costs")
    costs = Decimal("0")
    for event in events.order_by("starts_at"):
        spent = event_costs(event, CostRule.EQUAL)
        if spent:
            costs += spent
            lines.append(
                YearLine(
                    timezone.localdate(event.starts_at),
                    str(_("Event costs")),
                    event.title,
                    "",
                    "",
                    -spent,
                    None,
                )
            )
    shares_qs = CostShare.objects.filter(statement__event__in=events).select_related(
        "member__user", "statement__event"
    )
    for share in shares_qs:
        lines.append(
            YearLine(
                timezone.localdate(share.statement.event.starts_at),
                str(_("Cost share")),
                share.statement.event.title,
                share.member.name,
                share.reference,
                share.amount,
                share.paid_on is not None,
                _member_order(share.member),
            )
        )
    lines.sort(key=lambda line: (line.date, line.kind, line.member_order, line.member))

    def total(qs: QuerySet[Any], **paid: Any) -> Decimal:
        return qs.filter(**paid).aggregate(s=Sum("amount"))["s"] or Decimal("0")

    return YearStatement(
        year,
        lines,
        total(fees),
        total(fees, paid_on__isnull=False),
        total(shares_qs),
        total(shares_qs, paid_on__isnull=False),
        costs,
    )


HEADERS = (
    gettext_lazy("date"),
    gettext_lazy("kind"),
    gettext_lazy("description"),
    gettext_lazy("member"),
    gettext_lazy("payment reference"),
    gettext_lazy("amount"),
    gettext_lazy("paid"),
)


def _rows(statement: YearStatement) -> list[list[Any]]:
    paid = {True: str(_("paid")), False: str(_("open")), None: ""}
    return [
        [
            line.date.isoformat(),
            line.kind,
            line.description,
            line.member,
            line.reference,
            line.amount,
            paid[line.paid],
        ]
        for line in statement.lines
    ]


def _safe(value: Any) -> Any:
    # A cell starting with = + - @ is a formula to a spreadsheet: a name must not run as one.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def year_csv(statement: YearStatement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Dutch Excel reads semicolons
    writer.writerow([str(h) for h in HEADERS])
    for row in _rows(statement):
        writer.writerow([_safe(v) if not isinstance(v, Decimal) else f"{v:.2f}" for v in row])
    return out.getvalue()


def year_xlsx(statement: YearStatement) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(statement.year)
    sheet.append([str(h) for h in HEADERS])
    for row in _rows(statement):
        sheet.append([_safe(v) for v in row])
    for cell in sheet["F"][1:]:
        cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
