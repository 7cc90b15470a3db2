"""A review server started for real, for the browser test and the simulated volunteers.

Digitizes a folder of generated protocol images into a new database with `hattama batch`, creates a
coordinator with `hattama review add-coordinator`, starts `hattama review serve` on a free loopback port and
waits until it answers; stops it on exit. Nothing here is a stand-in: the binary is the one users run.
"""
import contextlib
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

COORDINATOR = ("coordinator", "coordinator-password")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode not in (0, 3):   # 3: some files failed; the rest is stored
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def prepare_database(binary, images, db, jobs=2):
    """Digitizes `images` into `db` and creates the coordinator account."""
    run([binary, "batch", images, "--db", db, "--jobs", str(jobs)])
    run([binary, "review", "add-coordinator", "--db", db, "--name", COORDINATOR[0]], input=COORDINATOR[1] + "\n")


@contextlib.contextmanager
def review_server(binary, db, policy="third-volunteer", agreement="backed", log_path=None):
    """Serves `db` on a free port; yields the base URL."""
    port = free_port()
    log = open(log_path or os.devnull, "w")
    server = subprocess.Popen([binary, "review", "serve", "--db", db, "--port", str(port), "--policy", policy,
                               "--agreement", agreement],
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"hattama review serve exited with {server.returncode} before answering")
            try:
                urllib.request.urlopen(url + "/login", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError("hattama review serve did not answer within 60 s")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def scratch_folder():
    return tempfile.mkdtemp(prefix="hattama-review-")
