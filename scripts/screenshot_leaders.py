"""Take the README picture of the release batches page on a fresh sample store.

Usage: .venv/bin/python scripts/screenshot_leaders.py docs/leaders.png [--lang en]
Needs Debian's Chromium at /usr/bin/chromium. The plan is made as of 2026-11-30 (the day the
sample describes) in a leader's session.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, running_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "DATABASE_URL": f"sqlite:///{tmp}/shot.sqlite",
            "HQ_LANGUAGE": args.lang,
            "HQ_ROLE": "leader",
            "HQ_AS_OF": "2026-11-30",
        }
        with (
            running_app(ROOT / "app.py", env=env, log_path=Path(tmp) / "server.log") as url,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1100})
            page.goto(f"{url}/leaders")
            title = "第1批 · 2026-06-01" if args.lang == "zh" else "Batch 1 · 2026-06-01"
            page.get_by_text(title).wait_for(timeout=120_000)
            time.sleep(2)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
