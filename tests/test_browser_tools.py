"""The browser tests' tools: in CI a missing one fails the test, elsewhere it skips with the reason;
axe-core is used only as pinned."""

from __future__ import annotations

import pytest
from browser import AXE_INTEGRITY, _integrity, axe_cache, axe_source, need


def test_a_missing_tool_fails_in_ci_and_skips_elsewhere_saying_what_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="poppler-utils.*in CI this test must run"):
        need("pdftotext")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        need("chromium")


def test_axe_core_missing_from_the_cache_says_how_to_fetch_it(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="python3 tests/browser.py fetch-axe"):
        axe_source()


def test_a_tarball_that_is_not_the_pinned_axe_core_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    axe_cache().parent.mkdir(parents=True)
    axe_cache().write_bytes(b"not axe-core")
    assert _integrity(b"not axe-core") != AXE_INTEGRITY
    with pytest.raises(pytest.fail.Exception, match="not axe-core .* as pinned"):
        axe_source()
