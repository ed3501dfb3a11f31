"""Runs axe-core (tests/node_modules/axe-core) on the gallery, signed out and in, in headless
Chromium through chromedriver's WebDriver HTTP API, and prints the violations (none expected).

Usage: `cargo xtask gallery --serve` (see controls/README.md), then
    python3 controls/dev/axe-check.py [http://127.0.0.1:8090/controls/gallery.html]
"""
import json, os, subprocess, time, urllib.request, tempfile, sys
PORT = 19515
GALLERY = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8090/controls/gallery.html"
AXE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tests/node_modules/axe-core/axe.min.js")
drv = subprocess.Popen(["chromedriver", f"--port={PORT}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def req(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, method=method, headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(r, timeout=120).read())
try:
    for _ in range(50):
        try: req("GET", "/status"); break
        except Exception: time.sleep(0.1)
    # The closed-network flags live in one place, the repository's webdriver.json.
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../webdriver.json")) as f:
        shared = json.load(f)["goog:chromeOptions"]["args"]
    args = ["--headless", "--no-sandbox", *shared, "--user-data-dir=" + tempfile.mkdtemp(), "--window-size=1400,2400"]
    sid = req("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})["value"]["sessionId"]
    axe = open(AXE).read()
    bad = 0
    for state in ["out", "in"]:
        req("POST", f"/session/{sid}/url", {"url": f"{GALLERY}?state={state}"})
        time.sleep(1.5)
        req("POST", f"/session/{sid}/execute/sync", {"script": axe, "args": []})
        res = req("POST", f"/session/{sid}/execute/async", {"script": """
          const done = arguments[arguments.length - 1];
          axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] }).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length, targets: v.nodes.slice(0, 4).map(n => [n.target, n.failureSummary])})))).catch(e => done(String(e)));
        """, "args": []})["value"]
        count = req("POST", f"/session/{sid}/execute/sync", {"script": "return [document.querySelectorAll('wl-signin').length, [...document.querySelectorAll('wl-signin')].filter(e => e.shadowRoot && e.shadowRoot.querySelector('button')).length]", "args": []})["value"]
        print(state, "elements / rendered:", count)
        print(json.dumps(res, indent=1)[:6000])
        bad += len(res) if isinstance(res, list) else 1
    req("DELETE", f"/session/{sid}")
finally:
    drv.kill()
sys.exit(1 if bad else 0)
