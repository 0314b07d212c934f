"""Open map pages in Debian's headless Chromium through Playwright, offline.

Used for ``kg map --png`` and shared by the browser tests and the benchmark,
so that all three see the page the same way: every request that is not a
file: or data: URL is aborted and recorded.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class BrowserMissing(RuntimeError):
    """No Chromium executable found (install Debian's ``chromium`` or set KG_CHROMIUM)."""


def chromium_path() -> Path:
    """KG_CHROMIUM, else /usr/bin/chromium, else ``chromium`` on PATH."""
    candidates = [os.environ.get("KG_CHROMIUM"), str(DEFAULT_CHROMIUM), shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise BrowserMissing(
        "Chromium not found at /usr/bin/chromium: install it (apt-get install chromium) or set KG_CHROMIUM"
    )


@dataclass
class PageLog:
    """What happened while a page was open: errors, console errors, blocked requests, dialogs."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright Browser), closed on exit."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_offline(
    browser: Any, html: Path, *, width: int = 1400, height: int = 900, scale: float = 1, bypass_csp: bool = False
) -> tuple[Any, PageLog]:
    """Open ``html`` in a new page with the network blocked; returns (page, log).

    ``bypass_csp`` lets tests check that escaping alone keeps injected markup inert.
    """
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale, bypass_csp=bypass_csp
    )
    page = context.new_page()
    log = PageLog()

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)

    def dialog(d: Any) -> None:
        log.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(Path(html).resolve().as_uri())
    return page, log


def wait_stabilised(page: Any, timeout_ms: float = 60_000) -> int:
    """Wait until the map's layout has settled; returns the page's own milliseconds to settle.

    Polls with evaluate() because the page's Content-Security-Policy forbids the
    string eval that Playwright's wait_for_function uses.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate("() => !!(window.kgMap && window.kgMap.stabilised)"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the map did not settle within {timeout_ms / 1000:.0f} s")
        page.wait_for_timeout(50)
    return int(page.evaluate("() => window.kgMap.stabilisedMs"))


def screenshot(html: Path, png: Path, *, browser: Any = None, width: int = 1600, height: int = 1100,
               scale: float = 2) -> Path:
    """Save a picture of the map for papers: controls hidden, legend kept, white background.

    Without a ``browser`` a Chromium is started in a worker thread, because
    Playwright's sync API refuses to run where an asyncio loop runs (Jupyter).
    """
    if browser is None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_screenshot_with_new_browser, html, png, width, height, scale).result()
    page, log = open_offline(browser, html, width=width, height=height, scale=scale)
    try:
        wait_stabilised(page)
        page.evaluate("() => window.kgMap.paperMode()")
        page.wait_for_timeout(300)
        Path(png).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png), full_page=False)
    finally:
        page.context.close()
    if log.page_errors:
        raise RuntimeError(f"the map page raised a JavaScript error: {log.page_errors[0]}")
    return Path(png)


def _screenshot_with_new_browser(html: Path, png: Path, width: int, height: int, scale: float) -> Path:
    with chromium() as browser:
        return screenshot(html, png, browser=browser, width=width, height=height, scale=scale)
