#!/usr/bin/env python3
"""The chaos suite: an operator's bad day against real components, one scenario after another.

- database-pause: `stageflow apiserver` on a throwaway PostgreSQL under write load; the database is frozen with
  SIGSTOP for 15 s (connections accepted, nothing answered, as in a partition), then thawed.
- database-kill: the same load; the postmaster is killed with SIGKILL, and started again 10 s later.
- object-store-refusing / object-store-hanging: `stageflow up` on S3 (moto_server behind a relay); while a job
  scans, the relay refuses every connection, or accepts and never answers, for 40 s.
- object-store-missing-bucket: a job whose bucket does not exist yet, then does.
- disk-full: `stageflow up` on a 64 MiB tmpfs that is then filled (needs root to mount; skipped otherwise).

What each expects is printed beside what happened; the script exits 1 when an expectation fails. It needs
initdb and pg_ctl (PostgreSQL server packages), moto_server (`pip install 'moto[server]'`) and the stageflow and
stageflowctl binaries. Run on demand (about 6 minutes), not in CI:

    swift build -c release && python3 benchmarks/chaos.py [--only database-pause,...]
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from database_faults import APIServer, Postgres, WriteLoad
from harness import JOBS, JobWatch, Server, Site, default_binary, fixture_job, print_table, wait_until
from object_store_faults import Moto, Relay

results = []


def expect(scenario, expectation, observed, holds):
    results.append([scenario, expectation, observed, "ok" if holds else "FAILED"])
    print("  %-6s %s: %s (%s)" % ("ok" if holds else "FAILED", scenario, expectation, observed), flush=True)


# MARK: PostgreSQL


def database_scenario(name, binary, fault, recover, outage_seconds):
    scratch = tempfile.mkdtemp(prefix="stageflow-chaos-")
    postgres = Postgres()
    server = APIServer(binary, postgres.url, scratch)
    try:
        wait_until(lambda: server.ready() == 200, 30)
        load = WriteLoad(server)
        time.sleep(5)
        load.window = "fault"
        fault(postgres)
        unready = wait_until(lambda: server.ready() == 503, outage_seconds)
        time.sleep(max(0.0, outage_seconds - 1))
        recover(postgres)
        load.window = "after"
        time.sleep(10)
        load.stop()
        ready_again = wait_until(lambda: server.ready() == 200, 30)
        stored = server.names()
        writes = load.writes
        acknowledged = [write[1] for write in writes if write[2] == 201]
        lost = [write for write in acknowledged if write not in stored]
        during = load.in_window("fault")
        slowest = max((write[3] for write in during), default=0)
        codes = sorted({write[2] for write in during})
        after_ok = [write for write in load.in_window("after") if write[2] == 201]
        expect(name, "writes during the outage answer within 12 s (deadline 10 s)", "slowest %.1f s, codes %s" % (slowest, codes),
               slowest <= 12)
        expect(name, "failed writes answer 503 or 504", "codes %s" % codes,
               all(code in (201, 503, 504) for code in codes))
        expect(name, "/readyz is unready during the outage", "503 seen" if unready else "never 503", bool(unready))
        expect(name, "writes succeed after it", "%d acknowledged after" % len(after_ok), len(after_ok) > 0)
        expect(name, "/readyz is ready after it", "200" if ready_again else "not 200", bool(ready_again))
        expect(name, "no acknowledged write lost", "%d of %d acknowledged kept" % (len(acknowledged) - len(lost), len(acknowledged)),
               not lost)
    finally:
        server.stop()
        postgres.signal(signal.SIGCONT)
        postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def database_pause(binary):
    database_scenario(
        "database-pause", binary, lambda postgres: postgres.signal(signal.SIGSTOP),
        lambda postgres: postgres.signal(signal.SIGCONT), 15)


def database_kill(binary):
    database_scenario("database-kill", binary, lambda postgres: postgres.kill(), lambda postgres: postgres.start(), 10)


# MARK: Object store


S3_ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "AKIACHAOS", "AWS_SECRET_ACCESS_KEY": "chaos-secret", "AWS_REGION": "us-east-1"}


def s3_server(binary, port, bucket):
    data = tempfile.mkdtemp(prefix="stageflow-chaos-up-")
    location = "s3://%s?endpoint=http://127.0.0.1:%d&region=us-east-1" % (bucket, port)
    server = Server(binary, data, ["--object-store", location], S3_ENVIRONMENT)
    server.wait_for_scanners()
    return server


def fingerprints(server, name):
    fetched = server.ctl(["report", name, "-o", "json"])
    if fetched.returncode != 0:
        return None
    report = json.loads(fetched.stdout)
    return {occurrence["id"] for issue in report.get("issues", []) for occurrence in issue.get("occurrences", [])}


def slow_job(name, site):
    """The fixture job with a page that answers after 5 s, so that a fault begun at Scanning strikes the scan."""
    job = fixture_job(name, site.url)
    job["spec"]["target"]["urls"].append(site.url + site.SLOW + "about/")
    return job


def object_store_outages(binary, only):
    moto = Moto()
    site = Site()
    try:
        object_store_scenarios(binary, only, moto, site)
    finally:
        site.stop()
        moto.stop()


def object_store_scenarios(binary, only, moto, site):
    relay = Relay(moto.port)
    bucket = "chaos-%d" % os.getpid()
    moto.make_bucket(bucket)
    server = s3_server(binary, relay.port, bucket)
    try:
        server.request("POST", JOBS, slow_job("calm", site))
        calm = server.wait_finished("calm", 300)
        undisturbed = fingerprints(server, "calm")
        if calm != "Done" or not undisturbed:
            expect("object-store", "an undisturbed run is Done with findings", "%s, %s" % (calm, undisturbed), False)
            return
        for scenario, mode in (("object-store-refusing", "refuse"), ("object-store-hanging", "hang")):
            if only and scenario not in only:
                continue
            name = mode + "-run"
            server.request("POST", JOBS, slow_job(name, site))
            wait_until(lambda: server.phase(name) in ("Scanning", "Completing", "Done"), 120)
            relay.set(mode)
            struck = server.phase(name)
            expect(scenario, "the outage begins while the job scans", str(struck), struck in ("Scanning", "Completing"))
            time.sleep(40)
            relay.set("up")
            phase = server.wait_finished(name, 400)
            expect(scenario, "a 40 s outage while scanning ends Done", str(phase), phase == "Done")
            disturbed = fingerprints(server, name)
            expect(scenario, "with the fingerprints of the undisturbed run",
                   "%d of %d the same" % (len((disturbed or set()) & undisturbed), len(undisturbed)), disturbed == undisturbed)
    finally:
        relay.set("up")
        server.stop()
        shutil.rmtree(server.data, ignore_errors=True)
    if not only or "object-store-missing-bucket" in only:
        late = "chaos-late-%d" % os.getpid()
        server = s3_server(binary, moto.port, late)
        try:
            revision = server.request("GET", JOBS)["metadata"]["resourceVersion"]
            watch = JobWatch(server, revision, "metadata.name=bucketless")
            server.request("POST", JOBS, fixture_job("bucketless", site.url))

            def blocked():
                status, job = server.call("GET", JOBS + "/bucketless")
                conditions = job.get("status", {}).get("conditions", []) if status == 200 else []
                return any(c.get("type") == "Progressing" and c.get("reason") == "ObjectStoreUnavailable" for c in conditions)
            says = wait_until(blocked, 60)
            expect("object-store-missing-bucket", "the job says it is blocked on the object store",
                   "ObjectStoreUnavailable" if says else "no such condition", bool(says))
            before = watch.count("bucketless")
            time.sleep(60)
            written = watch.count("bucketless") - before
            expect("object-store-missing-bucket", "at most 3 revisions in 60 s blocked", "%d" % written, written <= 3)
            moto.make_bucket(late)
            phase = server.wait_finished("bucketless", 400)
            expect("object-store-missing-bucket", "Done once the bucket exists", str(phase), phase == "Done")
        finally:
            server.stop()
            shutil.rmtree(server.data, ignore_errors=True)


# MARK: Disk full


def disk_full(binary):
    if os.geteuid() != 0:
        expect("disk-full", "runs as root (to mount a small tmpfs)", "not root: skipped", True)
        return
    mount = tempfile.mkdtemp(prefix="stageflow-chaos-disk-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount], check=True)
    site = Site()
    server = None
    try:
        server = Server(binary, mount)
        server.wait_for_scanners()

        def suspended(name):
            job = fixture_job(name, site.url)
            job["spec"]["suspend"] = True
            return job
        first, _ = server.call("POST", JOBS, suspended("before-full"))
        filler = os.path.join(mount, "filler")
        with open(filler, "wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * (1 << 20))
                    handle.flush()
            except OSError:
                pass
        started = time.time()
        status, answer = server.call("POST", JOBS, suspended("while-full"))
        took = time.time() - started
        message = answer.get("message", "")
        expect("disk-full", "a write fails at once with an error naming the cause",
               "%d in %.1f s: %s" % (status, took, message[:90]), status >= 500 and took < 15 and "full" in message)
        unready = wait_until(lambda: server.ready() == 503, 15)
        expect("disk-full", "/readyz is unready", "503" if unready else "not 503", bool(unready))
        os.remove(filler)
        recovered = wait_until(lambda: server.call("POST", JOBS, suspended("after-full"))[0] == 201, 30, 1)
        expect("disk-full", "with space back, writes succeed", "created" if recovered else "refused", bool(recovered))
        ready = wait_until(lambda: server.ready() == 200, 15)
        expect("disk-full", "/readyz is ready again", "200" if ready else "not 200", bool(ready))
        server.stop()
        code = server.process.returncode
        server = Server(binary, mount)
        names = {item["metadata"]["name"] for item in server.request("GET", JOBS)["items"]}
        expect("disk-full", "it stops cleanly and starts again on the same directory", "exit %d" % code, code == 0)
        expect("disk-full", "the store kept every acknowledged write and nothing refused",
               ", ".join(sorted(names)), first == 201 and names == {"before-full", "after-full"})
    finally:
        if server:
            server.stop()
        site.stop()
        subprocess.run(["umount", mount])
        os.rmdir(mount)


SCENARIOS = ["database-pause", "database-kill", "object-store-refusing", "object-store-hanging",
             "object-store-missing-bucket", "disk-full"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stageflow", default=default_binary(), help="the stageflow binary (default: .build/release)")
    parser.add_argument("--only", default="", help="comma-separated scenarios: " + ", ".join(SCENARIOS))
    arguments = parser.parse_args()
    only = {name for name in arguments.only.split(",") if name}
    unknown = only - set(SCENARIOS)
    if unknown:
        parser.error("unknown scenario %s; known: %s" % (", ".join(sorted(unknown)), ", ".join(SCENARIOS)))
    print("chaos: %s" % arguments.stageflow, flush=True)
    if not only or "database-pause" in only:
        database_pause(arguments.stageflow)
    if not only or "database-kill" in only:
        database_kill(arguments.stageflow)
    if not only or only & {"object-store-refusing", "object-store-hanging", "object-store-missing-bucket"}:
        object_store_outages(arguments.stageflow, only)
    if not only or "disk-full" in only:
        disk_full(arguments.stageflow)
    print()
    print_table(["scenario", "expectation", "observed", ""], results)
    failed = [row for row in results if row[3] != "ok"]
    print()
    print("chaos: %s" % ("%d expectation(s) failed" % len(failed) if failed else "every expectation holds"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
