"""The test set-up itself: no deadline on property tests; browser tests skip without a browser."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("profile", ["default", "ci"])
def test_property_tests_have_no_deadline(profile):
    assert settings.get_profile(profile).deadline is None
    assert settings().deadline is None  # the profile loaded for this run


def _browser_tests_without_playwright(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run tests/browser in a fresh pytest whose ``import playwright`` fails."""
    shim = tmp_path / "shim" / "playwright"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("playwright is blocked by this test")\n')
    full_env = {k: v for k, v in os.environ.items() if k not in ("REQUIRE_BROWSER", "PYTHONPATH")}
    full_env |= {"PYTHONPATH": str(shim.parent), **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser", "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_browser_tests_skip_with_the_reason_without_playwright(tmp_path):
    run = _browser_tests_without_playwright(tmp_path)
    modules = len(list((REPO_ROOT / "tests" / "browser").glob("test_*.py")))
    assert run.returncode in (0, 5), run.stdout + run.stderr  # 5: every module skipped
    assert "error" not in run.stdout.lower()
    assert f"{modules} skipped" in run.stdout
    assert "playwright cannot be imported" in run.stdout


def test_browser_tests_fail_without_playwright_when_required(tmp_path):
    run = _browser_tests_without_playwright(tmp_path, REQUIRE_BROWSER="1")
    assert run.returncode not in (0, 5), run.stdout + run.stderr
    assert "REQUIRE_BROWSER=1" in run.stdout
