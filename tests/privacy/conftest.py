"""Every privacy test gets its own erasure journal, so no test replays another's erasures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def erasure_journal(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "erasures.jsonl"
    settings.GILDE_ERASURE_JOURNAL = str(path)
    return path
