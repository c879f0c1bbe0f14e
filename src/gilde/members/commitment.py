"""Whether a member's commitment drops: plain figures in, a judgement out (no Django), so the
rule is easy to read, test and change."""

from __future__ import annotations

from dataclasses import dataclass

# A drop of this share of meetings attended (recent period against the one before) is flagged.
ATTENDANCE_DROP = 0.3
# Below this many meetings held in the recent period attendance says too little to judge.
MEETINGS_TO_JUDGE = 2


@dataclass(frozen=True)
class Activity:
    """What a member did in one period."""

    held: int = 0
    attended: int = 0
    referrals_given: int = 0
    referrals_received: int = 0
    introducees: int = 0
    contributions: int = 0

    @property
    def rate(self) -> float | None:
        return self.attended / self.held if self.held else None

    @property
    def active(self) -> bool:
        return bool(self.attended or self.referrals_given or self.introducees or self.contributions)


@dataclass(frozen=True)
class Judgement:
    dropping: bool
    reason: str  # "attendance", "silent" or ""


def commitment_judge(recent: Activity, before: Activity) -> Judgement:
    """Flag a member for a personal call when they come to clearly fewer meetings than before,
    or did nothing at all lately after being active: never an automatic consequence."""
    recent_rate, before_rate = recent.rate, before.rate
    if (
        recent.held >= MEETINGS_TO_JUDGE
        and recent_rate is not None
        and before_rate is not None
        and before_rate - recent_rate >= ATTENDANCE_DROP
    ):
        return Judgement(True, "attendance")
    if before.active and not recent.active and recent.held >= MEETINGS_TO_JUDGE:
        return Judgement(True, "silent")
    return Judgement(False, "")
