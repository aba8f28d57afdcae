"""The component package's entry point: ``python components <engine address>``.

The language host runs a plugin directory with that directory itself on ``sys.path``, not its
parent, and once installed the directory may have any name. So this file imports the directory
as the package ``components``, the name its modules import each other by, then hosts it.
"""

import importlib.util
import sys
from pathlib import Path


def _import_as_components() -> None:
    here = Path(__file__).resolve().parent
    # Its modules (config, settings, ...) must not shadow top-level modules of the same name.
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    if "components" in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        "components", here / "__init__.py", submodule_search_locations=[str(here)]
    )
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules["components"] = package
    spec.loader.exec_module(package)


if __name__ == "__main__":
    _import_as_components()
    from components.package import host

    host()
