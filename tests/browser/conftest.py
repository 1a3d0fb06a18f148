"""Fixtures to run the Streamlit app and drive it in headless Chromium, offline."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium contacts Google (updates, field trials, sync) on its own.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
STARTUP_TIMEOUT = 60.0

# Playwright routes every URL matching this to an abort: the page sees a network cut off from
# the internet, and the request is still recorded in page.requested_urls.
_NON_LOCAL_URL = re.compile(r"^(?!https?://(?:localhost|127\.0\.0\.1|\[::1\])(?:[:/]|$))https?://")


# Without Playwright or /usr/bin/chromium every test module here is skipped at collection with
# the reason (no app is started); with REQUIRE_BROWSER=1 (as in CI) that is an error instead.
def _unavailable() -> str | None:
    """Why the browser tests cannot run on this machine; None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as e:
        return f"playwright cannot be imported ({e}): pip install -r requirements-dev.txt"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} not found: apt-get install chromium to run the browser tests"
    return None


class _UnavailableModule(pytest.Module):
    """A browser test module that is not imported: it skips (or fails) with the reason."""

    reason = ""

    def collect(self):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {self.reason}", pytrace=False)
        pytest.skip(self.reason)


def pytest_pycollect_makemodule(module_path, parent):
    """Skip each test module with the reason when Playwright or Chromium is missing.

    The modules import Playwright at the top, so they must not even be imported then.
    """
    reason = _unavailable()
    if reason is None:
        return None
    module = _UnavailableModule.from_parent(parent, path=module_path)
    module.reason = reason
    return module


def non_local_requests(urls: Iterable[str]) -> list[str]:
    """Return the URLs that go to a host other than this machine.

    Parameters
    ----------
    urls : iterable of str
        Request URLs, e.g. ``page.requested_urls``.

    Returns
    -------
    list of str
        URLs with a host other than localhost, 127.0.0.1 or [::1]; ``data:``, ``blob:``,
        ``about:`` and ``file:`` URLs are local.
    """
    local_schemes = {"data", "blob", "about", "file"}
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in local_schemes and urlsplit(url).hostname not in LOCAL_HOSTS
    ]


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's Chromium; skips without it, fails instead when REQUIRE_BROWSER=1."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    reason = f"{CHROMIUM} not found: apt-get install chromium to run the browser tests"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(chromium):
    """One headless Chromium for the session (Playwright sync API)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every request and cannot reach other hosts.

    Extra attributes: ``requested_urls`` (every request of the page, its iframes and workers,
    in order) and ``failed_requests`` (``"<status or error> <url>"`` for each HTTP error or
    failed request, including the aborted non-local ones).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.requested_urls = []
    page.failed_requests = []

    def on_response(response):
        if response.status >= 400:
            page.failed_requests.append(f"{response.status} {response.url}")

    context.on("request", lambda request: page.requested_urls.append(request.url))
    context.on(
        "requestfailed",
        lambda request: page.failed_requests.append(f"{request.failure} {request.url}"),
    )
    context.on("response", on_response)
    context.route(_NON_LOCAL_URL, lambda route: route.abort("internetdisconnected"))
    yield page
    context.close()


@contextlib.contextmanager
def running_app(
    script_path: str | os.PathLike[str],
    *,
    env: Mapping[str, str] | None = None,
    log_path: Path,
    timeout: float = STARTUP_TIMEOUT,
    port: int | None = None,
    args: Sequence[str] = (),
) -> Iterator[str]:
    """Run ``streamlit run`` on a free port until the block exits.

    Parameters
    ----------
    script_path : path-like
        Main script; Streamlit serves ``static/`` next to it at ``/app/static``.
    env : mapping, optional
        Extra environment variables, e.g. ``{"STREAMLIT_SERVER_BASE_URL_PATH": "gis"}``.
    log_path : Path
        File for the server's output, shown if it dies or does not start.
    timeout : float
        Seconds to wait for ``/_stcore/health``.
    port : int, optional
        The port to serve on (default: a free one, `free_port`), when a URL naming it must be
        known before the app starts (an OpenID Connect redirect URI).
    args : sequence of str
        Extra options of ``streamlit run``, e.g. ``["--secrets.files", path]``.

    Yields
    ------
    str
        The app's base URL, e.g. ``http://127.0.0.1:41234`` (plus ``/<baseUrlPath>``).
    """
    port = free_port() if port is None else port
    env = dict(env or {})
    full_env = {**os.environ, **env}
    # The working directory is the repository so .streamlit/config.toml applies, as in
    # production; PYTHONPATH lets scripts outside the repository import its packages.
    full_env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
    )
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script_path),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *args,
    ]
    base_path = (full_env.get("STREAMLIT_SERVER_BASE_URL_PATH") or "").strip("/")
    url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown stops its children too
        )
        try:
            _wait_until_healthy(process, f"{url}/_stcore/health", log_path, timeout)
            yield url
        finally:
            _stop(process)


@pytest.fixture
def serve_app(tmp_path) -> Iterator[Callable[..., str]]:
    """Factory: ``serve_app(script_path, *, env=None)`` starts the app and returns its URL.

    The server runs from the repository root with the project's ``.streamlit/config.toml``
    and is stopped, with its children, when the test ends.
    """
    numbers = itertools.count(1)
    with contextlib.ExitStack() as stack:

        def start(script_path: str | os.PathLike[str], *, env: Mapping[str, str] | None = None):
            log_path = tmp_path / f"streamlit-{next(numbers)}.log"
            return stack.enter_context(running_app(script_path, env=env, log_path=log_path))

        yield start


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(
    process: subprocess.Popen, health_url: str, log_path: Path, timeout: float
) -> None:
    # No proxy: a proxy from the environment must not see (or break) requests to 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit exited with code {process.returncode} before answering "
                f"{health_url}:\n{_read_log(log_path)}"
            )
        try:
            with opener.open(health_url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"streamlit did not answer {health_url} within {timeout:.0f} s:\n{_read_log(log_path)}"
    )


def _stop(process: subprocess.Popen) -> None:
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    if not _exited(process.pid, timeout=10):
        os.killpg(process.pid, signal.SIGKILL)
        _exited(process.pid, timeout=10)
    # The server is a zombie until wait(): its process group id cannot have been reused, so
    # killing the group now only hits the children it left behind.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _exited(pid: int, *, timeout: float) -> bool:
    """Wait for a child to exit without reaping it (WNOWAIT)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.05)
    return False


def _read_log(log_path: Path) -> str:
    return log_path.read_text(encoding="utf-8", errors="replace")[-20000:]


def sign_in(page, url: str, login: str, password: str | None = None, *, timeout: float = 90_000):
    """Sign in on the app's sign-in page as ``login`` (a sample account's password by default:
    login + "-pw"), and wait until the sidebar names the account and the browser keeps the
    session's cookie."""
    page.goto(f"{url}/signin")
    page.get_by_label("账号").fill(login)
    page.get_by_label("密码").fill(password or f"{login}-pw")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：").wait_for(timeout=timeout)
    # the cookie is written by a script in the page once it has drawn: a new page load (goto)
    # before that would be a visitor's
    page.wait_for_function("document.cookie.includes('hq_session=')", timeout=timeout)


@pytest.fixture
def new_page(browser):
    """Factory: a page of its own browser context (its own cookies: another person's browser),
    cut off from other hosts like `page`."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.route(_NON_LOCAL_URL, lambda route: route.abort("internetdisconnected"))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
