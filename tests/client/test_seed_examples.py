"""The seed README's "Simple Connect And Disconnect" example runs unchanged (but for the
URL) against a local Janus, over WebSocket and HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.janus

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seed"


def run_example(
    name: str, url: str, cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JANUS_URL": url, "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_simple_connect_and_disconnect(url: str, tmp_path: Path) -> None:
    done = run_example("simple_connect.py", url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Task was destroyed" not in done.stderr
    assert done.stderr.strip() == ""


def test_simple_connect_reports_an_unreachable_server(tmp_path: Path) -> None:
    done = run_example("simple_connect.py", "ws://127.0.0.1:9", tmp_path)
    assert done.returncode == 1
    assert "TransportError" in done.stderr
