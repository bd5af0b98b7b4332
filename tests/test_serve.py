"""`newsreader serve` in a real headless browser: Chromium through selenium sees the seed and answers a key.

xterm.js draws the terminal on a canvas, so the page's text is not in its DOM: a script placed in the
page before it loads keeps what arrives on the terminal's websocket, and the test reads the screen's
text from that stream. Skipped where Chromium, chromedriver or selenium is missing; CI installs them and
sets NEWSREADER_REQUIRE_BROWSER=1, so there a missing one fails instead.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from newsreader.cli.main import main
from newsreader.cli.serve import _loopback

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SEED_TITLE = "В МИД России призвали освободить"
HELP_TITLE = "Keys ·"
# Kept in the page: every text frame the terminal receives, decoded as one stream.
RECORDER = """
window.__terminalText = "";
const decoder = new TextDecoder();
const addListener = WebSocket.prototype.addEventListener;
WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type === "message") {
        const inner = listener;
        listener = function (event) {
            if (typeof event.data !== "string") {
                window.__terminalText += decoder.decode(new Uint8Array(event.data), {stream: true});
            }
            return inner.call(this, event);
        };
    }
    return addListener.call(this, type, listener, options);
};
"""
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"newsreader serve did not listen on {port} within {timeout} s")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    environment = {**os.environ, "HOME": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsreader", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment,
        start_new_session=True,  # the readers it starts end with it
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def browser(tmp_path):
    if os.environ.get("NEWSREADER_REQUIRE_BROWSER") != "1":  # CI sets it: there the test must run
        webdriver = pytest.importorskip("selenium.webdriver")
        if CHROMIUM is None or CHROMEDRIVER is None:
            pytest.skip("Chromium or chromedriver is not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",  # this machine's network is closed: no calls home
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    yield driver
    driver.quit()


def wait_for_text(driver, wanted: str, timeout: float = 60) -> str:
    deadline, text = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        text = ESCAPES.sub("", driver.execute_script("return window.__terminalText || ''"))
        if wanted in text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"{wanted!r} never reached the browser; it got {text[-400:]!r}")


def test_the_reader_runs_in_a_browser_and_answers_a_key(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server)
    wait_for_text(browser, SEED_TITLE)
    keyboard = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # where xterm.js takes keys
    keyboard.send_keys("?")
    wait_for_text(browser, HELP_TITLE)


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("example.org", False)],
)
def test_only_a_loopback_address_counts_as_this_machine(host, local):
    assert _loopback(host) is local


def test_a_missing_path_is_refused_before_serving(capsys, tmp_path):
    assert main(["serve", str(tmp_path / "nowhere")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
