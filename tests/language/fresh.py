"""Running a snippet of Python in a new process, to see what importing and calling the language
package loads (jieba, OpenCC, pypinyin) without the test process's own imports in the way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_python(script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with the project importable and without Django's settings; it must succeed."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
