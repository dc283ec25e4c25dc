"""Debian's Chromium driven by Playwright against ``entente serve`` on a free port: the browser tests'
code, and the README's screenshots (``python -m tests.browser FOLDER``, run by ``make screenshots``).

Nothing here downloads a browser: Playwright is pointed at /usr/bin/chromium.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (the Makefile's set-up installs Debian's chromium where it may)"
    return None


def _entente(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from entente.cli import run; run()", "--db", str(db), *args]


def token(db: Path, viewer: str) -> str:
    """A new token for ``viewer``, issued by the command line as an operator would."""
    done = subprocess.run(_entente(db, "token", "create", "--for", viewer), capture_output=True, text=True,
                          check=True)
    return done.stdout.strip().splitlines()[-1]


@dataclass
class Server:
    base: str
    db: Path


@contextmanager
def serve(db: Path) -> Iterator[Server]:
    """``entente serve`` on a free port until the block ends."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(_entente(db, "serve", "--port", str(port)), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90  # a first start checks the whole record, slowly on a busy machine
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"entente serve stopped: {server.communicate()[1]}")
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("entente serve did not answer within 90 s") from None
                time.sleep(0.1)
        yield Server(base, db)
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium, every request to another host refused and remembered (``browser.offsite``)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, base: str, offsite: list[str], **options: Any) -> Any:
    """A page in a fresh context; any request leaving the server is aborted and listed in ``offsite``."""
    context = browser.new_context(**options)

    def route(r: Any) -> None:
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            offsite.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.set_default_timeout(10_000)
    return context.new_page()


def axe_serious(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))")
    return [v for v in found if v["impact"] in ("serious", "critical")]


SCREENSHOTS = {
    "overview": "/", "union-1938": "/union?at=1938-06-11", "timeline": "/timeline?kind=conference_held",
    "conferences": "/conferences", "instrument": "/instruments/entente-1934",
    "compliance": "/compliance?verdict=breach", "union-lv": "/union?at=1935-06-01&lang=lv",
}


def screenshots(folder: Path) -> None:
    """The main pages as PNGs, as a public visitor sees them on a fresh record."""
    folder.mkdir(parents=True, exist_ok=True)
    work = folder / ".screenshots.db"
    try:
        with serve(work) as server, chromium() as browser:
            offsite: list[str] = []
            page = new_page(browser, server.base, offsite, viewport={"width": 1100, "height": 900})
            for name, path in SCREENSHOTS.items():
                page.goto(server.base + path)
                page.screenshot(path=str(folder / f"{name}.png"), full_page=False)
            page.goto(server.base + "/conferences?lang=en")
            page.locator("figure").first.screenshot(path=str(folder / "conferences-chart.png"))
            page.locator("figure").last.screenshot(path=str(folder / "conferences-map.png"))
            phone = new_page(browser, server.base, offsite, viewport={"width": 390, "height": 800})
            phone.goto(server.base + "/timeline")
            phone.screenshot(path=str(folder / "timeline-phone.png"))
            print(json.dumps(sorted(p.name for p in folder.glob("*.png"))))
    finally:
        for leftover in folder.glob(".screenshots.db*"):
            leftover.unlink()


if __name__ == "__main__":
    reason = missing()
    if reason:
        sys.exit(reason)
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    if target.exists() and not target.is_dir():
        sys.exit(f"{target} is not a folder")
    shutil.rmtree(target, ignore_errors=True)
    screenshots(target)
