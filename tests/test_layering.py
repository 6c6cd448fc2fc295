"""The layering rules: janus_proto stays pure, imports go one way only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = (
    "asyncio",
    "trio",
    "anyio",
    "socket",
    "ssl",
    "threading",
    "select",
    "selectors",
    "subprocess",
    "logging",
    "h11",
    "wsproto",
    "hypothesis",
)


def _modules_after(code: str) -> set[str]:
    probe = f"import sys, json; {code}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); " + probe],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {m.split(".")[0] for m in json.loads(out)}


def test_janus_proto_imports_no_io_or_event_loop() -> None:
    # attrs, the core's one dependency, imports threading itself (attr._compat); what
    # janus_proto adds on top of it must be free of I/O, threads and event loops. Its own
    # imports are checked statically by the import-linter contract below.
    baseline = _modules_after("import attrs")
    loaded = _modules_after("import janus_proto")
    added = (loaded - baseline) & set(FORBIDDEN)
    assert not added, f"import janus_proto loads {sorted(added)}"


def test_layer_contracts() -> None:
    lint_imports = shutil.which("lint-imports")
    if lint_imports is None:
        if os.environ.get("CI"):
            pytest.fail("import-linter must be installed in CI")
        pytest.skip("import-linter is not installed")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
