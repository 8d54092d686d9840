"""Pick the first importable location of a name, newest Airflow layout first."""

import importlib


def first_importable(name, modules):
    """``getattr(module, name)`` for the first of ``modules`` that imports.

    Newest location first: on Airflow 2.x the 1.10 paths still import but warn (DeprecationWarning),
    so they are only reached where nothing newer exists. A module that exists but lacks ``name``
    is an error, not a reason to fall through silently.
    """
    tried = []
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            # Only "this module does not exist here" means "try the older layout"; a module that
            # exists but fails inside its own imports is a broken install and must surface.
            missing = getattr(error, "name", None) or ""
            if not (module_name == missing or module_name.startswith(missing + ".")):
                raise
            tried.append(module_name)
            continue
        return getattr(module, name)
    raise ImportError("%s not found in any of: %s" % (name, ", ".join(tried)))
