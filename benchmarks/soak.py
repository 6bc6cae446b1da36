#!/usr/bin/env python3
"""The soak: many cheap scan jobs in bursts against one `stageflow up`, watching what the process keeps.

Starts `stageflow up` on a fresh data directory and a threaded HTTP server on loopback serving the end-to-end
fixture site, then creates --jobs ScanJobs (security-headers and link-checker on two pages) in bursts of
--burst, each burst once the previous one has finished. While it runs it samples the server process every two
seconds (RSS, open descriptors, threads, CPU) and counts every watch event of every job. After the last job it
stays idle for --idle seconds with every job kept, then prints a table and exits 1 when an expectation fails:

- every job ends Done;
- no growth after the jobs finish: RSS at the end of the idle time is at most 5 % (plus 5 MiB) above RSS when
  the last job finished, descriptors at most 16 above the start;
- idle CPU under 2 % of one core with every finished job kept;
- at most --max-revisions-per-job watch events per job (creation to Done).

Run on demand (it takes about 15 minutes for 1,000 jobs on two cores), not in CI:

    swift build -c release --product stageflow && python3 benchmarks/soak.py --jobs 1000
"""

import argparse
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE = os.path.join(ROOT, "Tests", "EndToEndTests", "Fixtures", "site")
JOBS = "/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs"
TICKS = os.sysconf("SC_CLK_TCK")


def default_binary():
    for configuration in ("release", "debug"):
        path = os.path.join(ROOT, ".build", configuration, "stageflow")
        if os.path.exists(path):
            return path
    return "stageflow"


class Site:
    """The fixture site on a loopback port, one thread per request."""

    def __init__(self):
        handler = lambda *args, **kwargs: http.server.SimpleHTTPRequestHandler(*args, directory=SITE, **kwargs)
        http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class Server:
    """`stageflow up` on a fresh data directory."""

    def __init__(self, binary, data):
        self.data = data
        self.log = open(os.path.join(data, "server.log"), "w")
        self.process = subprocess.Popen(
            [binary, "up", "--data-dir", data, "--listen", "127.0.0.1:0", "--allow-private-targets"],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.url = None
        deadline = time.time() + 120
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            if "serving at " in line:
                self.url = line.split("serving at ", 1)[1].split()[0]
                break
        if not self.url:
            raise SystemExit("stageflow up did not report its URL; see %s" % self.log.name)
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        with open(os.path.join(data, "admin-token")) as handle:
            self.token = handle.read().strip()

    def request(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Sampler:
    """RSS, descriptors, threads and CPU time of one process, every `interval` seconds."""

    def __init__(self, pid, interval=2.0):
        self.pid = pid
        self.samples = []
        self.stopped = threading.Event()
        self.interval = interval
        threading.Thread(target=self.run, daemon=True).start()

    def sample(self):
        status = {}
        with open("/proc/%d/status" % self.pid) as handle:
            for line in handle:
                key, _, value = line.partition(":")
                status[key] = value.strip()
        with open("/proc/%d/stat" % self.pid) as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICKS
        return {
            "time": time.time(),
            "rss_mib": int(status["VmRSS"].split()[0]) / 1024,
            "fds": len(os.listdir("/proc/%d/fd" % self.pid)),
            "threads": int(status["Threads"]),
            "cpu_seconds": cpu,
        }

    def run(self):
        while not self.stopped.is_set():
            try:
                self.samples.append(self.sample())
            except (FileNotFoundError, ProcessLookupError):
                return
            self.stopped.wait(self.interval)

    def stop(self):
        self.stopped.set()


class JobWatch:
    """Every watch event of every ScanJob from `revision` on: events per job and when each finished."""

    def __init__(self, server, revision):
        self.events = {}
        self.finished = {}
        self.lock = threading.Lock()
        path = "%s?watch=true&resourceVersion=%s&allowWatchBookmarks=false" % (JOBS, revision)
        request = urllib.request.Request(server.url + path)
        request.add_header("Authorization", "Bearer " + server.token)
        self.response = urllib.request.urlopen(request, timeout=3600)
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        for line in self.response:
            line = line.strip()
            if not line:
                continue
            event = json.loads(line)
            job = event.get("object", {})
            name = job.get("metadata", {}).get("name")
            phase = job.get("status", {}).get("phase")
            with self.lock:
                self.events[name] = self.events.get(name, 0) + 1
                if phase in ("Done", "Failed") and name not in self.finished:
                    self.finished[name] = (phase, time.time())

    def finished_count(self, names):
        with self.lock:
            return sum(1 for name in names if name in self.finished)


def job_body(name, site):
    return {
        "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob",
        "metadata": {"name": name, "labels": {"soak": "yes"}},
        "spec": {
            "allowPrivateTargets": True,
            "target": {"urls": [site + "/", site + "/about/"]},
            "scanners": [{"name": "security-headers"}, {"name": "link-checker"}],
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--idle", type=int, default=60, help="seconds idle after the last job (default 60)")
    parser.add_argument("--stageflow", default=default_binary(), help="the stageflow binary (default: .build/release)")
    parser.add_argument("--max-revisions-per-job", type=float, default=12)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    arguments = parser.parse_args()

    data = tempfile.mkdtemp(prefix="stageflow-soak-")
    site = Site()
    server = Server(arguments.stageflow, data)
    print("soak: %s, %d jobs in bursts of %d, data in %s" % (arguments.stageflow, arguments.jobs, arguments.burst, data))
    failures = []
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            scanners = server.request("GET", "/apis/stageflow.dev/v1alpha1/scanners")
            if any(item["metadata"]["name"] == "link-checker" for item in scanners.get("items", [])):
                break
            time.sleep(0.5)
        time.sleep(3)
        sampler = Sampler(server.process.pid)
        time.sleep(2.5)
        start_revision = int(server.request("GET", JOBS)["metadata"]["resourceVersion"])
        watch = JobWatch(server, start_revision)
        started = time.time()
        names = []
        minutes = {}
        for first in range(0, arguments.jobs, arguments.burst):
            burst = ["soak-%04d" % index for index in range(first, min(first + arguments.burst, arguments.jobs))]
            for name in burst:
                server.request("POST", JOBS, job_body(name, site.url))
            names += burst
            burst_deadline = time.time() + 900
            while watch.finished_count(burst) < len(burst) and time.time() < burst_deadline:
                time.sleep(0.5)
            done = watch.finished_count(names)
            print("  %4d of %d finished after %.0f s" % (done, arguments.jobs, time.time() - started), flush=True)
            if done < len(names):
                failures.append("a burst did not finish within 15 minutes")
                break
        finished_at = time.time()
        after_jobs = sampler.sample()
        time.sleep(arguments.idle)
        end = sampler.sample()
        sampler.stop()
        end_revision = int(server.request("GET", JOBS)["metadata"]["resourceVersion"])

        with watch.lock:
            outcomes = dict(watch.finished)
            events = dict(watch.events)
        done_count = sum(1 for phase, _ in outcomes.values() if phase == "Done")
        for _, at in outcomes.values():
            minute = int((at - started) // 60)
            minutes[minute] = minutes.get(minute, 0) + 1
        samples = sampler.samples
        first_sample = samples[0]
        peak_rss = max(sample["rss_mib"] for sample in samples)
        peak_fds = max(sample["fds"] for sample in samples)
        peak_threads = max(sample["threads"] for sample in samples)
        idle_cpu = 100 * (end["cpu_seconds"] - after_jobs["cpu_seconds"]) / (end["time"] - after_jobs["time"])
        per_job_events = [events.get(name, 0) for name in names]
        mean_events = sum(per_job_events) / max(len(per_job_events), 1)

        print()
        print("%-44s %12s" % ("measure", "value"))
        print("%-44s %12s" % ("-" * 44, "-" * 12))
        rows = [
            ("jobs created / Done", "%d / %d" % (len(names), done_count)),
            ("wall time to the last Done (s)", "%.0f" % (finished_at - started)),
            ("completions per minute (mean)", "%.1f" % (done_count / max((finished_at - started) / 60, 1e-9))),
            ("completions per minute (each minute)", " ".join(str(minutes[m]) for m in sorted(minutes))),
            ("RSS MiB: start / peak / after jobs / end", "%.0f / %.0f / %.0f / %.0f" % (
                first_sample["rss_mib"], peak_rss, after_jobs["rss_mib"], end["rss_mib"])),
            ("descriptors: start / peak / end", "%d / %d / %d" % (first_sample["fds"], peak_fds, end["fds"])),
            ("threads: start / peak / end", "%d / %d / %d" % (first_sample["threads"], peak_threads, end["threads"])),
            ("watch events per job: mean / max", "%.1f / %d" % (mean_events, max(per_job_events or [0]))),
            ("store revisions per job (all kinds)", "%.1f" % ((end_revision - start_revision) / max(len(names), 1))),
            ("idle CPU with every job kept (%% of a core)", "%.2f" % idle_cpu),
        ]
        for label, value in rows:
            print("%-44s %12s" % (label, value))

        if done_count != len(names):
            failures.append("%d of %d jobs ended Done" % (done_count, len(names)))
        if end["rss_mib"] > after_jobs["rss_mib"] * 1.05 + 5:
            failures.append("RSS grew after the jobs finished: %.0f → %.0f MiB" % (after_jobs["rss_mib"], end["rss_mib"]))
        if end["fds"] > first_sample["fds"] + 16:
            failures.append("descriptors grew: %d → %d" % (first_sample["fds"], end["fds"]))
        if idle_cpu >= 2:
            failures.append("idle CPU %.2f %% of a core" % idle_cpu)
        if mean_events > arguments.max_revisions_per_job:
            failures.append("%.1f watch events per job (at most %.0f expected)" % (mean_events, arguments.max_revisions_per_job))
    finally:
        server.stop()
        site.stop()
        if not arguments.keep:
            shutil.rmtree(data, ignore_errors=True)
    print()
    for failure in failures:
        print("FAILED: " + failure)
    print("soak: %s" % ("failed" if failures else "every expectation holds"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
