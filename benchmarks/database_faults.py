"""For the chaos suite: a throwaway PostgreSQL cluster, `stageflow apiserver` on it, and a write load that
records every write with the fault window it began in."""

import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

from harness import free_port, readiness, wait_until

SCANNERS = "/apis/stageflow.dev/v1alpha1/scanners"


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
        return readiness(self.url)

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
