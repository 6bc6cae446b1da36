"""What the soak and the chaos suite share: the fixture site on loopback, `stageflow up` on a fresh data
directory, its API with the admin token, a watch of ScanJobs, a sampler of a process and a table printer."""

import http.server
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE = os.path.join(ROOT, "Tests", "EndToEndTests", "Fixtures", "site")
JOBS = "/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs"
TICKS = os.sysconf("SC_CLK_TCK")


def default_binary(name="stageflow"):
    """The release build of `name` if there is one, else the debug build, else `name` on PATH."""
    for configuration in ("release", "debug"):
        path = os.path.join(ROOT, ".build", configuration, name)
        if os.path.exists(path):
            return path
    return name


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def readiness(url):
    """The HTTP status of `url`/readyz, 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_until(condition, seconds, interval=0.25):
    """Polls `condition` until it is true or `seconds` pass; returns its last value."""
    deadline = time.time() + seconds
    while True:
        value = condition()
        if value or time.time() >= deadline:
            return value
        time.sleep(interval)


class Site:
    """The end-to-end fixture site on a loopback port, one thread per request. Below `SLOW` the same pages
    answer after five seconds."""

    SLOW = "/slow/"

    def __init__(self):
        slow = self.SLOW

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=SITE, **kwargs)

            def do_GET(self):
                if self.path.startswith(slow):
                    time.sleep(5)
                    self.path = "/" + self.path[len(slow):]
                super().do_GET()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class Server:
    """`stageflow up --allow-private-targets` on `data` with extra arguments and environment."""

    def __init__(self, binary, data, arguments=(), environment=None):
        self.binary = binary
        self.data = data
        self.log = open(os.path.join(data, "server.log"), "a")
        env = dict(os.environ)
        env.update(environment or {})
        self.process = subprocess.Popen(
            [binary, "up", "--data-dir", data, "--listen", "127.0.0.1:0", "--allow-private-targets"] + list(arguments),
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
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

    def call(self, method, path, body=None, timeout=30):
        """(HTTP status, decoded body) of one API call; errors are answers too."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            text = error.read()
            status = error.code
        try:
            return status, json.loads(text)
        except ValueError:
            return status, {"text": text.decode(errors="replace")}

    def request(self, method, path, body=None, timeout=30):
        """The decoded body of a call that must succeed."""
        status, answer = self.call(method, path, body, timeout)
        if status >= 300:
            raise RuntimeError("%s %s answered %d: %s" % (method, path, status, answer))
        return answer

    def ready(self):
        return readiness(self.url)

    def wait_for_scanners(self, names=("security-headers", "link-checker")):
        def registered():
            status, answer = self.call("GET", "/apis/stageflow.dev/v1alpha1/scanners")
            found = {item["metadata"]["name"] for item in answer.get("items", [])} if status == 200 else set()
            return found.issuperset(names)
        if not wait_until(registered, 120):
            raise SystemExit("stageflow up registered no scanners; see %s" % self.log.name)

    def ctl(self, arguments):
        """`stageflowctl` beside the stageflow binary, against this server."""
        ctl = os.path.join(os.path.dirname(self.binary), "stageflowctl")
        env = dict(os.environ, STAGEFLOW_DATA_DIR=self.data, HOME=self.data)
        return subprocess.run([ctl, "--server", self.url] + arguments, capture_output=True, text=True, env=env)

    def phase(self, name):
        status, job = self.call("GET", "%s/%s" % (JOBS, name))
        return job.get("status", {}).get("phase") if status == 200 else None

    def wait_finished(self, name, seconds):
        return wait_until(lambda: self.phase(name) if self.phase(name) in ("Done", "Failed") else None, seconds, 0.5)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


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
        return {
            "time": time.time(),
            "rss_mib": int(status["VmRSS"].split()[0]) / 1024,
            "fds": len(os.listdir("/proc/%d/fd" % self.pid)),
            "threads": int(status["Threads"]),
            "cpu_seconds": (int(fields[11]) + int(fields[12])) / TICKS,
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

    def __init__(self, server, revision, selector=None):
        self.events = {}
        self.finished = {}
        self.lock = threading.Lock()
        path = "%s?watch=true&resourceVersion=%s" % (JOBS, revision)
        if selector:
            path += "&fieldSelector=" + urllib.request.quote(selector)
        request = urllib.request.Request(server.url + path)
        request.add_header("Authorization", "Bearer " + server.token)
        self.response = urllib.request.urlopen(request, timeout=3600)
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        try:
            for line in self.response:
                line = line.strip()
                if not line:
                    continue
                job = json.loads(line).get("object", {})
                name = job.get("metadata", {}).get("name")
                phase = job.get("status", {}).get("phase")
                with self.lock:
                    self.events[name] = self.events.get(name, 0) + 1
                    if phase in ("Done", "Failed") and name not in self.finished:
                        self.finished[name] = (phase, time.time())
        except (OSError, ValueError):
            return

    def count(self, name):
        with self.lock:
            return self.events.get(name, 0)

    def finished_count(self, names):
        with self.lock:
            return sum(1 for name in names if name in self.finished)


def fixture_job(name, site, scanners=("security-headers", "link-checker")):
    """A ScanJob of two pages of the fixture site."""
    return {
        "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob",
        "metadata": {"name": name},
        "spec": {
            "allowPrivateTargets": True,
            "target": {"urls": [site + "/", site + "/about/"]},
            "scanners": [{"name": scanner} for scanner in scanners],
        },
    }


def print_table(header, rows):
    widths = [max(len(str(row[column])) for row in [header] + rows) for column in range(len(header))]
    for row in [header, ["-" * width for width in widths]] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
