"""A progress bar with rate and ETA on a terminal (tqdm); nothing when piped, in CI or quiet.

Long runs (fix over a big repo, snapshot, verify) report `(done, total)`; the bar goes to
stderr so stdout stays the findings / the patch.
"""

from __future__ import annotations

import os
import sys
from typing import Callable, Optional


def wanted(quiet: bool = False, stream=None) -> bool:
    stream = stream or sys.stderr
    isatty = getattr(stream, "isatty", None)
    return not quiet and bool(isatty and isatty()) and not os.environ.get("CI")


class Progress:
    """Call with (done, total); `close()` when finished. Does nothing unless enabled."""

    def __init__(self, description: str, enabled: bool, unit: str = "file") -> None:
        self.description = description
        self.enabled = enabled
        self.unit = unit
        self._bar = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            from tqdm import tqdm  # only a terminal run pays for the import

            self._bar = tqdm(total=total, desc=self.description, unit=self.unit, file=sys.stderr, leave=False)
        self._bar.n = done
        self._bar.refresh()
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def progress(
    description: str, quiet: bool = False, unit: str = "file"
) -> Optional[Callable[[int, int], None]]:
    return Progress(description, True, unit) if wanted(quiet) else None
