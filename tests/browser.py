"""A real browser for the HTML report's tests: print it with Debian's headless Chromium, read the
first page back with pdftotext, and run axe-core in the page over Chromium's DevTools pipe.

Nothing here downloads anything while the tests run. axe-core comes from npm once, pinned by
version and by the registry's sha512 integrity, into a cache folder:

    python3 tests/browser.py fetch-axe      # what .ci/run does (needs npm, nothing else)

In CI (``CI=true``) a missing tool fails the test that needs it; elsewhere the test is skipped
and says what to install.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

#: axe-core, pinned: the version and the npm registry's integrity of its tarball.
AXE_VERSION = "4.14.1"
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
#: The rule sets the report must pass: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
#: Paper sizes in PostScript points, as pdfinfo gives them (width, height).
PAPER = {"A4": (595.0, 842.0), "Letter": (612.0, 792.0)}

INSTALL = {
    "chromium": "apt-get install chromium",
    "pdftotext": "apt-get install poppler-utils",
    "pdfinfo": "apt-get install poppler-utils",
    "npm": "apt-get install npm",
}
#: Flags that keep a headless Chromium quiet and offline (no sync, no updates, no prefetch).
QUIET = (
    "--headless",
    "--no-sandbox",  # the tests may run as root (CI does), where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)


def _missing(what: str, how: str) -> None:
    """Fail in CI (the tool should have been installed by .ci/run), skip elsewhere."""
    import pytest  # here, so that `python3 tests/browser.py fetch-axe` needs only the standard library

    message = f"{what} is missing: {how}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (.ci/run installs it; in CI this test must run)")
    pytest.skip(message)


def need(tool: str) -> str:
    """The path of a program the test needs (chromium, pdftotext, pdfinfo)."""
    found = shutil.which(tool)
    if found is None:
        _missing(tool, INSTALL.get(tool, f"install {tool}"))
    assert found is not None
    return found


# --- axe-core ------------------------------------------------------------------------------------


def axe_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spinedecide" / f"axe-core-{AXE_VERSION}.tgz"


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch_axe() -> Path:
    """Download the pinned axe-core tarball with ``npm pack`` into the cache (once)."""
    target = axe_cache()
    if target.exists() and _integrity(target.read_bytes()) == AXE_INTEGRITY:
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch axe-core: apt-get install npm")
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(target.parent), "--silent"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if _integrity(target.read_bytes()) != AXE_INTEGRITY:
        target.unlink()
        raise SystemExit(f"axe-core {AXE_VERSION} from npm does not match its pinned integrity")
    return target


def axe_source() -> str:
    """axe.min.js of the pinned axe-core, read from the cached tarball (checked again here)."""
    tgz = axe_cache()
    if not tgz.exists():
        _missing(f"axe-core {AXE_VERSION}", f"run `python3 tests/browser.py fetch-axe` (puts it in {tgz})")
    if _integrity(tgz.read_bytes()) != AXE_INTEGRITY:
        import pytest

        pytest.fail(f"{tgz} is not axe-core {AXE_VERSION} as pinned: delete it and fetch it again")
    with tarfile.open(tgz) as tar:
        member = tar.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode("utf-8")


# --- printing ------------------------------------------------------------------------------------


def with_paper(page: str, paper: str) -> str:
    """A copy of the page that prints on ``paper``: an @page rule last in the head wins."""
    rule = f"<style>@page {{ size: {paper}; }}</style>"
    assert "</head>" in page, "the report has no </head> to put the paper size in"
    return page.replace("</head>", rule + "</head>", 1)


def print_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """One headless Chromium prints the page to a PDF, without the browser's header and footer."""
    exe = need("chromium")
    flags = [*QUIET, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer"]
    done = subprocess.run([exe, *flags, page.as_uri()], capture_output=True, text=True, timeout=180, check=False)
    assert pdf.exists() and pdf.stat().st_size > 1000, f"chromium printed nothing: {done.stderr[-2000:]}"


def paper_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return float(found[1]), float(found[2])


def page_text(pdf: Path, page: int = 1) -> str:
    """One printed page as text, lines unwrapped (so a phrase that wraps in a cell still matches)."""
    text = subprocess.run(
        [need("pdftotext"), "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(text.split())


# --- axe over the DevTools pipe ------------------------------------------------------------------


def _high(fd: int) -> int:
    """The same pipe end on a descriptor of 10 or more (so the 3< and 4> of bash cannot clash)."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class DevTools:
    """One headless Chromium driven by the Chrome DevTools Protocol on ``--remote-debugging-pipe``:
    Chromium reads commands on its descriptor 3 and writes answers on 4, each a JSON text ended by
    a NUL byte. No WebDriver and no Python package: the standard library and the browser."""

    def __init__(self, profile: Path, timeout: float = 120) -> None:
        exe = need("chromium")
        to_browser_r, self._to_browser = map(_high, os.pipe())
        self._from_browser, from_browser_w = map(_high, os.pipe())
        shell = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        flags = [*QUIET, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        self._log = (profile.parent / "chromium.log").open("wb")
        self._proc = subprocess.Popen(
            ["bash", "-c", shell, exe, *flags],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._deadline = time.monotonic() + timeout
        self._buffer = b""
        self._next = 0
        self._events: list[dict[str, Any]] = []

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = self._deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            assert ready, "chromium did not answer in time"
            chunk = os.read(self._from_browser, 1 << 16)
            assert chunk, f"chromium closed the DevTools pipe (exit {self._proc.poll()})"
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next += 1
        command: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            command["sessionId"] = session
        os.write(self._to_browser, json.dumps(command).encode() + b"\0")
        while True:
            message = self._message()
            if message.get("id") == self._next:
                assert "error" not in message, (method, message["error"])
                result: dict[str, Any] = message.get("result", {})
                return result
            self._events.append(message)

    def wait_for(self, event: str, session: str) -> None:
        while not any(e.get("method") == event and e.get("sessionId") == session for e in self._events):
            self._events.append(self._message())

    def evaluate(self, session: str, expression: str) -> Any:
        done = self.send("Runtime.evaluate", session, expression=expression, awaitPromise=True, returnByValue=True)
        assert "exceptionDetails" not in done, done["exceptionDetails"]
        return done["result"].get("value")

    def open(self, url: str) -> str:
        """A new tab showing ``url``, loaded; its session id."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session: str = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session)
        self.send("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired", session)
        return session

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (AssertionError, OSError):
            pass
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._log.close()


def axe_violations(page: Path, profile: Path) -> list[dict[str, Any]]:
    """axe-core's violations of AXE_TAGS in the page, as axe reports them (one launch)."""
    source = axe_source()
    browser = DevTools(profile)
    try:
        session = browser.open(page.as_uri())
        browser.evaluate(session, source + "\n;true")
        options = json.dumps({"runOnly": {"type": "tag", "values": list(AXE_TAGS)}})
        version = browser.evaluate(session, "axe.version")
        assert version == AXE_VERSION, version
        found = browser.evaluate(session, f"axe.run(document, {options}).then(r => JSON.stringify(r))")
    finally:
        browser.close()
    result = json.loads(found)
    assert result["passes"], "axe passed nothing: it did not look at the page"
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """axe's findings in a few readable lines: rule, impact, help, and where."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']} <{v['helpUrl']}>")
        lines += [f"    {' '.join(n['target'])}: {n['html'][:160]}" for n in v["nodes"][:5]]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] != ["fetch-axe"]:
        raise SystemExit("usage: python tests/browser.py fetch-axe")
    print(fetch_axe())
