#!/usr/bin/env python3
"""The reference loop the axe scanner is measured against: Selenium driving chromedriver + headless Chromium,
axe.min.js injected after each navigation and axe.run() on the whole document, one browser per worker.

Usage: selenium-axe.py BASE_URL PATHS_FILE CONCURRENCY AXE_JS
Prints JSON: {"seconds": …, "pages": n, "violations": {url: ["rule|selector", …]}}.
"""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from queue import Queue

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

base, paths_file, concurrency, axe_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
paths = [line.strip() for line in open(paths_file) if line.strip()]
axe_source = open(axe_path).read()

RUN = """
const done = arguments[arguments.length - 1];
axe.run(document).then(r => done(r.violations.map(v => v.nodes.map(n => v.id + '|' + n.target.join(' >>> '))).flat()))
  .catch(e => done(['error|' + e.message]));
"""


def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800"]:
        options.add_argument(flag)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    d.set_script_timeout(120)
    return d


drivers = Queue()
for _ in range(concurrency):
    drivers.put(driver())


def scan(path):
    d = drivers.get()
    try:
        url = base + path
        d.get(url)
        d.execute_script(axe_source)
        return url, sorted(d.execute_async_script(RUN))
    finally:
        drivers.put(d)


start = time.monotonic()
with ThreadPoolExecutor(concurrency) as pool:
    results = dict(pool.map(scan, paths))
seconds = time.monotonic() - start
while not drivers.empty():
    drivers.get().quit()
print(json.dumps({"seconds": seconds, "pages": len(paths), "violations": results}))
