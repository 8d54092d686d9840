#!/usr/bin/env python3
"""Print what the provider-release data (codemods/_generated/providers/) covers.

    python scripts/provider_coverage.py

Distributions x releases read, names and signature states known, and per target how the rename
rows that end in a provider resolve in the default provider releases: moved to a home there
(AU101), gone with a replacement named by the last release holding them (AU102 says which),
gone without one, or in a provider the data does not hold.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codemods import _providers
from codemods._generated import tables as _tables  # noqa: E402


def main() -> int:
    dists = _providers.distributions()
    releases = sum(len(_providers.releases(d)) for d in dists)
    names = signatures = deprecated = dparams = 0
    for dist in dists:
        for runs in _providers._provider(dist)["names"].values():
            if runs[0][2]["k"] != "module":
                names += 1
            signatures += sum(1 for run in runs if "p" in run[2])
            deprecated += any("d" in run[2] or "to" in run[2] for run in runs)
            dparams += sum(len(run[2].get("dp", {})) for run in runs)
    print(f"{len(dists)} provider distributions, {releases} releases read")
    print(f"{names} public names (classes, functions, shim aliases), {signatures} signature states,")
    print(f"{deprecated} names deprecated in some release, {dparams} deprecated-parameter entries")
    for key in ("2.0", "2", "3"):
        chosen = _providers.releases_for(key)
        counts: Counter = Counter()
        for old, new in _tables.IMPORT_RENAMES[key].items():
            early = _tables.IMPORT_RENAMES["2.0"].get(old, new)
            provider_name = next(
                (n for n in (early, new) if n.startswith("airflow.providers.") and _providers.known(n)), None
            )
            if provider_name is None:
                counts["provider not in the data" if new.startswith("airflow.providers.") else "core"] += 1
                continue
            home = _providers.home(provider_name, chosen) or _providers.locate(provider_name, chosen, chosen)
            if home is not None:
                counts["provider: home in the default release"] += 1
            elif (_providers.replacement(provider_name) or (None,))[0]:
                counts["provider: gone, replacement named"] += 1
            else:
                counts["provider: gone, no replacement named"] += 1
        print(
            f"target {key}: {len(_tables.IMPORT_RENAMES[key])} rename rows: "
            + ", ".join(f"{count} {what}" for what, count in sorted(counts.items()))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
