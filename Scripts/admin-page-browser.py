#!/usr/bin/env python3
"""Drives the hub's admin page in a real headless Chromium over the DevTools protocol.

Signs in through the page's own form (the token comes from $ADMIN_TOKEN, never a URL), then for
each PATH argument saves the rendered DOM as NAME.html and a screenshot as NAME.png in OUT_DIR.

usage: ADMIN_TOKEN=... admin-page-browser.py BASE_URL OUT_DIR NAME=PATH [NAME=PATH ...]
Only loopback base URLs are accepted. Uses the Python standard library only.
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

DEADLINE_SECONDS = 60


class DevTools:
    """A minimal WebSocket client for one DevTools page target."""

    def __init__(self, ws_url):
        parsed = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\n"
                   f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"DevTools refused the WebSocket: {head!r}")
        self.next_id = 0
        self.events = []

    def _read_exact(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise RuntimeError("DevTools connection closed")
            data += chunk
        return data

    def _read_message(self):
        payload = b""
        while True:
            first, second = self._read_exact(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read_exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read_exact(8))[0]
            payload += self._read_exact(length)
            if first & 0x80:
                return json.loads(payload)

    def _send(self, message):
        data = json.dumps(message).encode()
        header = bytearray([0x81])
        if len(data) < 126:
            header.append(0x80 | len(data))
        elif len(data) < 1 << 16:
            header.append(0x80 | 126)
            header += struct.pack(">H", len(data))
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", len(data))
        mask = os.urandom(4)
        self.sock.sendall(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def call(self, method, **params):
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            message = self._read_message()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result", {})
            self.events.append(message)
        raise RuntimeError(f"no answer to {method} within {DEADLINE_SECONDS} s")

    def wait_for_load(self):
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == "Page.loadEventFired":
                    del self.events[: index + 1]
                    return
            self.events.append(self._read_message())
        raise RuntimeError(f"the page did not load within {DEADLINE_SECONDS} s")

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for_load()

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")


def main():
    base, out_dir, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
    host = urllib.parse.urlparse(base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"refusing non-loopback address {host}")
    token = os.environ["ADMIN_TOKEN"]
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium is not installed (Scripts/test.sh installs Debian's chromium package)")
    os.makedirs(out_dir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="leadsync-chromium-")
    process = subprocess.Popen(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "--window-size=1280,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit("chromium did not open its DevTools port")
            time.sleep(0.05)
        port = int(open(port_file).read().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page = next(t for t in targets if t.get("type") == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.navigate(base + "/")
        tools.evaluate("document.querySelector('input[name=token]').value = " + json.dumps(token)
                       + "; document.querySelector('form[action=\"/signin\"]').submit(); true")
        tools.wait_for_load()
        for spec in pages:
            name, path = spec.split("=", 1)
            tools.navigate(base + path)
            with open(os.path.join(out_dir, name + ".html"), "w") as file:
                file.write(tools.evaluate("document.documentElement.outerHTML"))
            shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            with open(os.path.join(out_dir, name + ".png"), "wb") as file:
                file.write(base64.b64decode(shot["data"]))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
