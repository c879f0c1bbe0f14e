"""MDGP instances generated the way the literature describes MDGPLIB (Gallego et al. 2013):

- RanReal: d_ij uniform real in [0, 100];
- RanInt: d_ij uniform integer in [0, 100];
- Geo: d_ij the Euclidean distance between points uniform in [0, 10]^k, k uniform in 2..21.

Equal group sizes ("ss"). Group counts: MDGPLIB's for n = 120 (10 groups of 12), 240 (12 of 20) and
480 (20 of 24); at n = 960, 96 groups of 10 (the shape of real dinners) instead of MDGPLIB's 24 of
40. Written in the MDGPLIB text format and read with `gilde seating import-mdgp`'s reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

GROUPS = {120: 10, 240: 12, 480: 20, 960: 96}
KINDS = ("RanReal", "RanInt", "Geo")


@dataclass(frozen=True)
class MdgpCase:
    kind: str
    n: int
    seed: int = 1

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.n}"

    @property
    def groups(self) -> int:
        return GROUPS[self.n]


def distances(case: MdgpCase) -> tuple[np.ndarray, int]:
    """The upper-triangle distance values (row by row) and, for Geo, the dimension k."""
    rng = np.random.default_rng([case.seed, case.n, KINDS.index(case.kind)])
    iu = np.triu_indices(case.n, 1)
    if case.kind == "RanReal":
        return np.round(rng.uniform(0, 100, len(iu[0])), 2), 0
    if case.kind == "RanInt":
        return rng.integers(0, 101, len(iu[0])).astype(np.float64), 0
    k = int(rng.integers(2, 22))
    points = rng.uniform(0, 10, (case.n, k))
    d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    return np.round(d[iu], 4), k


def mdgp_text(case: MdgpCase) -> str:
    """The instance in the MDGPLIB format."""
    size = case.n // case.groups
    values, _ = distances(case)
    i, j = np.triu_indices(case.n, 1)
    head = f"{case.n} {case.groups} ss " + " ".join(f"{size} {size}" for _ in range(case.groups))
    body = "\n".join(
        f"{a} {b} {v:g}" for a, b, v in zip(i.tolist(), j.tolist(), values.tolist(), strict=True)
    )
    return head + "\n" + body + "\n"


def write_case(case: MdgpCase, folder: Path) -> Path:
    """Write the MDGPLIB file (once) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case.name}.txt"
    if not path.exists():
        path.write_text(mdgp_text(case))
    return path
