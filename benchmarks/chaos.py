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
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from harness import JOBS, JobWatch, Server, Site, default_binary, fixture_job, free_port, print_table, wait_until

SCANNERS = "/apis/stageflow.dev/v1alpha1/scanners"
results = []


def expect(scenario, expectation, observed, holds):
    results.append([scenario, expectation, observed, "ok" if holds else "FAILED"])
    print("  %-6s %s: %s (%s)" % ("ok" if holds else "FAILED", scenario, expectation, observed), flush=True)


# MARK: PostgreSQL


class Postgres:
    """A throwaway PostgreSQL cluster reachable only over a unix socket in its own directory."""

    def __init__(self):
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not candidates:
            raise SystemExit("initdb and pg_ctl not found in /usr/lib/postgresql/*/bin: install postgresql")
        self.bin = os.path.dirname(candidates[-1])
        self.directory = tempfile.mkdtemp(prefix="stageflow-chaos-pg-")
        self.data = os.path.join(self.directory, "data")
        # PostgreSQL refuses to run as root: as root, the server runs as the postgres account.
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.directory, self.user, self.user)
        self.port = free_port()
        self.run("initdb", "-D", self.data, "-U", "stageflow", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
        self.start()
        self.url = "postgres://stageflow@localhost:%d/postgres?host=%s" % (self.port, self.directory)

    def run(self, tool, *arguments):
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run(prefix + [os.path.join(self.bin, tool)] + list(arguments), check=True, capture_output=True)

    def start(self):
        options = "-c listen_addresses='' -c unix_socket_directories='%s' -p %d -c max_connections=200" % (
            self.directory, self.port)
        self.run("pg_ctl", "start", "-w", "-t", "60", "-D", self.data, "-l", os.path.join(self.directory, "log"),
                 "-o", options)

    def postmaster(self):
        with open(os.path.join(self.data, "postmaster.pid")) as handle:
            return int(handle.readline())

    def processes(self):
        """The postmaster and its children."""
        parent = self.postmaster()
        found = [parent]
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/%s/stat" % entry) as handle:
                        if int(handle.read().rsplit(")", 1)[1].split()[1]) == parent:
                            found.append(int(entry))
                except (OSError, ValueError, IndexError):
                    pass
        return found

    def signal(self, number):
        for pid in self.processes():
            try:
                os.kill(pid, number)
            except ProcessLookupError:
                pass

    def kill(self):
        pid = self.postmaster()
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not os.path.exists("/proc/%d" % pid), 10)

    def stop(self):
        try:
            self.run("pg_ctl", "stop", "-m", "immediate", "-D", self.data)
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.directory, ignore_errors=True)


class APIServer:
    """`stageflow apiserver` on a database, with an admin token."""

    def __init__(self, binary, database_url, directory):
        self.token = "chaos-token-0123456789abcdef"
        tokens = os.path.join(directory, "tokens.yaml")
        with open(tokens, "w") as handle:
            handle.write('tokens:\n  - {token: %s, user: chaos, namespaces: ["*"], role: admin}\n' % self.token)
        self.log = open(os.path.join(directory, "apiserver.log"), "w")
        self.process = subprocess.Popen(
            [binary, "apiserver", "--database-url", database_url, "--listen", "127.0.0.1:0",
             "--auth-token-file", tokens], stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.url = None
        for line in self.process.stdout:
            if "serving at " in line:
                self.url = line.split("serving at ", 1)[1].split()[0]
                break
        if not self.url:
            raise SystemExit("stageflow apiserver did not start; see %s" % self.log.name)
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def create(self, name, timeout=60):
        """(status, seconds) of creating Scanner `name`."""
        body = {"apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner", "metadata": {"name": name},
                "spec": {"id": name, "version": "1.0.0", "entry": {"builtin": name}}}
        request = urllib.request.Request(self.url + SCANNERS, data=json.dumps(body).encode(), method="POST")
        request.add_header("Authorization", "Bearer " + self.token)
        request.add_header("Content-Type", "application/json")
        started = time.time()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        return status, time.time() - started

    def names(self):
        request = urllib.request.Request(self.url + SCANNERS)
        request.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(request, timeout=60) as response:
            return {item["metadata"]["name"] for item in json.loads(response.read())["items"]}

    def ready(self):
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=15) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class WriteLoad:
    """Writers creating Scanners as fast as they are answered; each write is recorded with the fault window it
    started in."""

    def __init__(self, server, writers=8):
        self.server = server
        self.window = "before"
        self.writes = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(index,), daemon=True) for index in range(writers)]
        for thread in self.threads:
            thread.start()

    def run(self, index):
        count = 0
        while not self.stopped.is_set():
            window = self.window
            name = "w%d-%d-%s" % (index, count, window)
            status, seconds = self.server.create(name)
            with self.lock:
                self.writes.append((window, name, status, seconds))
            count += 1
            if status != 201:
                time.sleep(0.2)

    def stop(self):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=90)

    def in_window(self, window):
        with self.lock:
            return [write for write in self.writes if write[0] == window]


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


class Relay:
    """A TCP relay on loopback in front of `target_port` that can refuse connections (nothing listens) or hang
    them (accepted, never answered)."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.mode = "up"
        self.lock = threading.Lock()
        self.sockets = []
        self.listener = None
        self.listen()

    def listen(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for attempt in range(50):
            try:
                listener.bind(("127.0.0.1", self.port))
                break
            except OSError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self.lock:
                self.sockets.append(client)
                mode = self.mode
            if mode == "hang":
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.append(upstream)
            for source, destination in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(source, destination), daemon=True).start()

    def pipe(self, source, destination):
        try:
            while True:
                data = source.recv(65536)
                if not data or self.mode != "up":
                    break
                destination.sendall(data)
        except OSError:
            pass
        for end in (source, destination):
            try:
                end.close()
            except OSError:
                pass

    def set(self, mode):
        with self.lock:
            self.mode = mode
            open_sockets, self.sockets = self.sockets, []
        for end in open_sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
                end.close()
            except OSError:
                pass
        if mode == "refuse" and self.listener:
            try:
                # Wakes the thread blocked in accept(), so the port is free again.
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        elif mode != "refuse" and self.listener is None:
            self.listen()


class Moto:
    def __init__(self):
        if not shutil.which("moto_server"):
            raise SystemExit("moto_server is not on PATH: pip install 'moto[server]'")
        self.port = free_port()
        self.log = open(tempfile.mktemp(prefix="stageflow-chaos-moto-"), "w")
        self.process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=self.log, stderr=self.log)
        if not wait_until(lambda: self.answers(), 60):
            raise SystemExit("moto_server did not start")

    def answers(self):
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/" % self.port, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def make_bucket(self, bucket):
        request = urllib.request.Request("http://127.0.0.1:%d/%s" % (self.port, bucket), method="PUT")
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    def stop(self):
        self.process.terminate()
        self.process.wait()


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
