#!/usr/bin/env python3
"""The soak: many cheap scan jobs in bursts against one `stageflow up`, watching what the process keeps.

Starts `stageflow up` on a fresh data directory and a threaded HTTP server on loopback serving the end-to-end
fixture site, then creates --jobs ScanJobs (security-headers and link-checker on two pages) in bursts of
--burst, each burst once the previous one has finished. While it runs it samples the server process every two
seconds (RSS, open descriptors, threads, CPU) and counts every watch event of every job. After the last job it
lets it settle for --settle seconds and measures --idle seconds with every job kept, then prints a table and
exits 1 when an expectation fails:

- every job ends Done;
- no growth after the jobs finish: at the end of the idle time RSS is at most 5 % (plus 5 MiB) above RSS when
  it began, and descriptors are no more than then (and at most 32 above the start);
- idle CPU under 2 % of one core with every finished job kept;
- at most --max-revisions-per-job watch events per job (creation to Done).

Run on demand (it takes about 15 minutes for 1,000 jobs on two cores), not in CI:

    swift build -c release --product stageflow && python3 benchmarks/soak.py --jobs 1000
"""

import argparse
import shutil
import sys
import tempfile
import time

from harness import JOBS, JobWatch, Sampler, Server, Site, default_binary, fixture_job, print_table


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--settle", type=int, default=60,
                        help="seconds after the last job before the idle measurement: Event aggregates flush every 30 s")
    parser.add_argument("--idle", type=int, default=60, help="seconds of the idle measurement (default 60)")
    parser.add_argument("--stageflow", default=default_binary(), help="the stageflow binary (default: .build/release)")
    parser.add_argument("--max-revisions-per-job", type=float, default=12)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    arguments = parser.parse_args()

    data = tempfile.mkdtemp(prefix="stageflow-soak-")
    site = Site()
    server = Server(arguments.stageflow, data, ["--job-rate-limit", "0"])
    print("soak: %s, %d jobs in bursts of %d, data in %s" % (arguments.stageflow, arguments.jobs, arguments.burst, data))
    failures = []
    try:
        server.wait_for_scanners()
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
                job = fixture_job(name, site.url)
                job["metadata"]["labels"] = {"soak": "yes"}
                server.request("POST", JOBS, job)
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
        time.sleep(arguments.settle)
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
        rows = [
            ("jobs created / Done", "%d / %d" % (len(names), done_count)),
            ("wall time to the last Done (s)", "%.0f" % (finished_at - started)),
            ("completions per minute (mean)", "%.1f" % (done_count / max((finished_at - started) / 60, 1e-9))),
            ("completions per minute (each minute)", " ".join(str(minutes[m]) for m in sorted(minutes))),
            ("RSS MiB: start / peak / settled / end", "%.0f / %.0f / %.0f / %.0f" % (
                first_sample["rss_mib"], peak_rss, after_jobs["rss_mib"], end["rss_mib"])),
            ("descriptors: start / peak / end", "%d / %d / %d" % (first_sample["fds"], peak_fds, end["fds"])),
            ("threads: start / peak / end", "%d / %d / %d" % (first_sample["threads"], peak_threads, end["threads"])),
            ("watch events per job: mean / max", "%.1f / %d" % (mean_events, max(per_job_events or [0]))),
            ("store revisions per job (all kinds)", "%.1f" % ((end_revision - start_revision) / max(len(names), 1))),
            ("idle CPU with every job kept (% of a core)", "%.2f" % idle_cpu),
        ]
        print_table(["measure", "value"], [list(row) for row in rows])

        if done_count != len(names):
            failures.append("%d of %d jobs ended Done" % (done_count, len(names)))
        if end["rss_mib"] > after_jobs["rss_mib"] * 1.05 + 5:
            failures.append("RSS grew after the jobs finished: %.0f → %.0f MiB" % (after_jobs["rss_mib"], end["rss_mib"]))
        if end["fds"] > after_jobs["fds"] or end["fds"] > first_sample["fds"] + 32:
            failures.append("descriptors grew: %d at start, %d after the jobs, %d at the end" % (
                first_sample["fds"], after_jobs["fds"], end["fds"]))
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
