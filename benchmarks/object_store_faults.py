"""For the chaos suite: a TCP relay that can refuse or hang connections, and moto_server as the S3 service."""

import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

from harness import free_port, wait_until


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
