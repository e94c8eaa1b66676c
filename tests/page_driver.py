#!/usr/bin/env python3
"""Drives dnsbl serve's page in headless Chromium (Debian's), as a person.

Opens URL on a phone-sized screen, types ADDRESS into the address field,
chooses LANG, presses Enter (the form is submitted by the keyboard), waits
for the answer page, and prints what the rendered page shows as one JSON
object: the verdict, the evidence, the letter, the download link, how many
<script> elements the page has, whether it overflows the screen sideways,
and any Content-Security-Policy complaints. Saves screenshots (phone and
desktop) in OUTDIR.

Chromium is kept off the network beyond loopback: every host name but
127.0.0.1 fails to resolve, and background services are off.

Usage: page_driver.py URL OUTDIR ADDRESS LANG
"""

import asyncio
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websockets

URL, OUTDIR, ADDRESS, LANG = sys.argv[1:5]


def start_chromium(profile):
    return subprocess.Popen(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
         "--no-first-run", "--no-default-browser-check",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-default-apps", "--no-pings",
         "--disable-domain-reliability", "--disable-breakpad",
         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
         "--remote-debugging-port=0", "--user-data-dir=" + profile,
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def devtools_port(profile):
    path = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(path):
            with open(path) as f:
                lines = f.read().split("\n")
            if lines and lines[0].strip():
                return int(lines[0])
        time.sleep(0.1)
    raise RuntimeError("chromium did not start")


class Page:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    async def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        await self.ws.send(json.dumps(
            {"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    async def wait_event(self, name):
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    del self.events[i]
                    return e
            msg = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
            if "id" not in msg:
                self.events.append(msg)

    async def evaluate(self, expression):
        r = await self.call("Runtime.evaluate", expression=expression,
                            returnByValue=True)
        return r.get("result", {}).get("value")

    async def key(self, key, code, vk, text=""):
        for kind in ("keyDown", "keyUp"):
            params = dict(type=kind, key=key, code=code,
                          windowsVirtualKeyCode=vk)
            if kind == "keyDown" and text:
                params["text"] = text
            await self.call("Input.dispatchKeyEvent", **params)

    async def screenshot(self, name):
        shot = await self.call("Page.captureScreenshot", format="png",
                               captureBeyondViewport=True)
        with open(os.path.join(OUTDIR, name), "wb") as f:
            f.write(base64.b64decode(shot["data"]))


async def drive(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
        targets = json.load(r)
    target = next(t for t in targets if t["type"] == "page")
    async with websockets.connect(target["webSocketDebuggerUrl"],
                                  max_size=None) as ws:
        page = Page(ws)
        await page.call("Page.enable")
        await page.call("Log.enable")
        await page.call("Emulation.setDeviceMetricsOverride", width=390,
                        height=844, deviceScaleFactor=1, mobile=True)
        await page.call("Page.navigate", url=URL)
        await page.wait_event("Page.loadEventFired")
        # Type the address where the cursor is (the field has autofocus),
        # choose the language, and press Enter.
        await page.evaluate("document.getElementById('address').focus()")
        await page.call("Input.insertText", text=ADDRESS)
        await page.evaluate(
            f"document.getElementById('lang').value = {json.dumps(LANG)}")
        await page.evaluate("document.getElementById('address').focus()")
        await page.key("Enter", "Enter", 13, "\r")
        await page.wait_event("Page.loadEventFired")
        result = await page.evaluate("""JSON.stringify({
          url: location.href,
          verdict: document.querySelector('#verdict')?.innerText ?? null,
          evidence: document.querySelector('#evidence')?.innerText ?? null,
          letter: document.querySelector('#letter pre')?.innerText ?? null,
          download: document.querySelector('#letter a[download]')
                        ?.getAttribute('href') ?? null,
          scripts: document.scripts.length,
          overflow: document.documentElement.scrollWidth > window.innerWidth,
        })""")
        result = json.loads(result)
        await page.screenshot("page-phone.png")
        await page.call("Emulation.setDeviceMetricsOverride", width=1280,
                        height=900, deviceScaleFactor=1, mobile=False)
        await page.screenshot("page-desktop.png")
        result["csp_violations"] = [
            e["params"]["entry"]["text"] for e in page.events
            if e.get("method") == "Log.entryAdded" and
            "Content Security Policy" in e["params"]["entry"].get("text", "")]
        return result


def main():
    os.makedirs(OUTDIR, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="dnsbl-chromium-")
    chromium = start_chromium(profile)
    try:
        result = asyncio.run(drive(devtools_port(profile)))
    finally:
        chromium.terminate()
        try:
            chromium.wait(10)
        except subprocess.TimeoutExpired:
            chromium.kill()
        shutil.rmtree(profile, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
