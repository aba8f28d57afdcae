"""The component package's schema, inferred by Pulumi's analyzer offline."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.support.program import PROJECT_DIR


def analyzed_schema() -> dict[str, Any]:
    """The schema Pulumi's analyzer infers from the package, offline, in a fresh interpreter.

    In a long test session CPython 3.11.7 can fail ``ast.parse`` inside ``inspect.getsource``
    ("AST constructor recursion depth mismatch", fixed in later 3.11 releases); the analyzer
    swallows that and drops a docstring. A fresh process is what the CLI runs anyway.
    """
    program = (
        "import json; from components.package import package_schema as s; print(json.dumps(s()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=PROJECT_DIR, capture_output=True, check=True, text=True
    )
    schema: dict[str, Any] = json.loads(done.stdout)
    return schema
