"""Dividing an event's real costs over those who came, by a stated rule. Plain data in, plain
data out (no Django): amounts in cents, so the shares always add up to the total exactly."""

from __future__ import annotations

from dataclasses import dataclass

EQUAL = (
    "equal"  # every attendee the same share; a guest's share goes to the member who brought them
)
PER_TYPE = "per_type"  # members weigh 1, guests `guest_weight` (0 = guests are the members' treat)
BRING_YOUR_OWN = (
    "bring_your_own"  # shared costs only; what each consumes (catering) they pay themselves
)


@dataclass(frozen=True)
class Attendee:
    key: str  # who it is, for the caller
    payer: (
        int | None
    )  # the member who pays this attendee's share; None: nobody (split over members)
    is_member: bool


def shares(
    *, total_cents: int, attendees: list[Attendee], rule: str, guest_weight: float = 1.0
) -> dict[int, int]:
    """Each paying member's share in cents. Weights: a member 1; a guest 1 (equal), guest_weight
    (per type); a guest without a member to pay for them adds their weight to everyone. Cents
    left by rounding go to the largest remainders, so nothing is lost or made up."""
    if total_cents < 0:
        raise ValueError("costs cannot be negative")
    weights: dict[int, float] = {}
    unpaid = 0.0
    for attendee in attendees:
        weight = 1.0 if attendee.is_member or rule != PER_TYPE else max(guest_weight, 0.0)
        if attendee.payer is None:
            unpaid += weight
            continue
        weights[attendee.payer] = weights.get(attendee.payer, 0.0) + weight
    if not weights:
        return {}
    members = [a.payer for a in attendees if a.is_member and a.payer is not None]
    for payer in set(members):  # an unclaimed guest is carried by the members present
        weights[payer] += unpaid / len(set(members))
    total_weight = sum(weights.values())
    exact = {payer: total_cents * weight / total_weight for payer, weight in weights.items()}
    result = {payer: int(value) for payer, value in exact.items()}
    left = total_cents - sum(result.values())
    by_remainder = sorted(exact, key=lambda p: (-(exact[p] - result[p]), p))
    for payer in by_remainder[:left]:
        result[payer] += 1
    return result


def payment_reference(event_id: int, member_id: int) -> str:
    """A reference to put with a transfer, with a check digit (mod 97 like an IBAN) so a typo
    is caught by the bookkeeping."""
    body = f"{event_id:05d}{member_id:05d}"
    check = 98 - (int(body) * 100) % 97
    return f"GLD-{event_id}-{member_id}-{check:02d}"
