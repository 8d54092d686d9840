import os


def pytest_collection_modifyitems(config, items):
    # Slow end-to-end tests run by default; only an explicit `scripts/test --skip-slow`
    # (AU_SKIP_SLOW=1) deselects them.
    if os.environ.get("AU_SKIP_SLOW") != "1":
        return
    kept = [item for item in items if "slow" not in item.keywords]
    deselected = [item for item in items if "slow" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
