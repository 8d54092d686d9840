"""The one form an unexpected exception takes for a user: `internal error (Type: message)`.

Used by the two error boundaries: per file in the runner (the other files are still
processed) and around the whole command in upgrade/cli.py. A traceback never reaches a user.
"""

from __future__ import annotations

import os

# AU_TRACEBACK=1 re-raises instead, for debugging the tool itself.
DEBUG_VARIABLE = "AU_TRACEBACK"


def internal_error(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or "no message"
    if len(message) > 200:
        message = message[:197] + "..."
    return f"internal error ({type(exc).__name__}: {message})"


def debugging() -> bool:
    return os.environ.get(DEBUG_VARIABLE) == "1"
