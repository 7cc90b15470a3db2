#!/usr/bin/env python3
"""Simulated volunteers for the review app: a load test and an end-to-end check of blind double entry.

Each simulated volunteer logs in through the JSON API, asks for the next field, "reads" it (the value in the
generated protocol's truth file, mistyped with probability --typo-rate), waits a think time and submits. A
simulated coordinator settles the fields that three volunteers could not agree on. At the end the script
checks, from the database, that no volunteer was given the same field twice, that every entry the server
acknowledged is stored, and (with --until-done) that every field of every protocol ends with the right value:
accepted by the machine or confirmed by people.

Prints one JSON object (and writes it to --report): request latencies (p50/p95/p99 per route), counts, and
the checks. Exits 1 when a check fails.

    # against a running server
    tools/review/volunteers.py --url http://127.0.0.1:8080 --db review.sqlite \
        --coordinator coord:secret --volunteers 200 --think 2,4 --typo-rate 0.02 --until-done
    # or self-contained: generate handwritten protocols, digitize them, serve, and run (the benchmark)
    tools/review/volunteers.py --binary .build/release/hattama --generate 100 --volunteers 200 --until-done
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import threading
import time
import subprocess
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Client:
    """One keep-alive HTTP connection with a bearer token (and the session cookie + CSRF token for forms)."""

    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.conn = None
        self.token = None
        self.csrf = None
        self.cookie = None

    def request(self, method, path, body=None, form=None, timed=None):
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token and form is None:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        for attempt in range(3):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - start
            if timed is not None:
                timed.append((timed_route(method, path), elapsed, response.status))
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.split("=", 1)[0].strip() and "Max-Age=0" not in value:
                    self.cookie = value.split(";", 1)[0]
            return response.status, payload
        raise RuntimeError("unreachable")

    def login(self, name, password):
        status, payload = self.request("POST", "/api/v1/login", body={"name": name, "password": password})
        if status != 200:
            raise RuntimeError(f"login of {name} failed: {status} {payload[:200]!r}")
        answer = json.loads(payload)
        self.token, self.csrf = answer["token"], answer["csrf_token"]
        return answer


def timed_route(method, path):
    path = re.sub(r"/\d+", "/{id}", path.split("?", 1)[0])
    return f"{method} {path}"


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))
    return ordered[index]


def mistype(value, rng):
    """A plausible typing error: a digit replaced, dropped, doubled, or two neighbours swapped."""
    text = str(value)
    for _ in range(20):
        kind = rng.randrange(4)
        i = rng.randrange(len(text))
        if kind == 0:
            wrong = text[:i] + str(rng.randrange(10)) + text[i + 1:]
        elif kind == 1 and len(text) > 1:
            wrong = text[:i] + text[i + 1:]
        elif kind == 2:
            wrong = text[:i] + text[i] + text[i:]
        elif kind == 3 and len(text) > 1 and i + 1 < len(text):
            wrong = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        else:
            continue
        if int(wrong) != int(text):
            return int(wrong)
    return int(text) + 1


class Truth:
    """The true value of every review task, from the generated protocols' truth files."""

    def __init__(self, db_path):
        self.db_path = db_path
        self.cache = {}
        self.lock = threading.Lock()

    def value(self, task_id):
        with self.lock:
            if task_id in self.cache:
                return self.cache[task_id]
            db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
            row = db.execute("""SELECT t.key, i.original_path FROM review_tasks t JOIN records r ON r.id = t.record_id
                                JOIN images i ON i.sha256 = r.image_sha256 WHERE t.id = ?""", (task_id,)).fetchone()
            db.close()
            key, path = row
            truth = load_truth(path)
            value = truth["values"].get(key) if truth else None
            self.cache[task_id] = int(value) if value is not None else None
            return self.cache[task_id]


def load_truth(image_path):
    base, _ = os.path.splitext(image_path)
    try:
        with open(base + ".truth.json", encoding="utf-8") as f:
            return json.load(f)
    except OSError:
        return None


class Run:
    def __init__(self, args):
        self.args = args
        self.truth = Truth(args.db)
        self.lock = threading.Lock()
        self.timings = []
        self.given = {}          # (volunteer, task) -> set of assignment ids
        self.acknowledged = []   # (assignment id, volunteer, value) the server answered 200 to
        self.refused = {}        # status -> count
        self.typos = 0
        self.typos_refused = 0
        self.insisted = 0
        self.errors = []
        self.stop = threading.Event()
        self.deadline = time.monotonic() + args.duration if args.duration else None

    def note_status(self, status):
        with self.lock:
            self.refused[status] = self.refused.get(status, 0) + 1

    def volunteer(self, index, name, password):
        rng = random.Random(self.args.seed * 1000 + index)
        client = Client(self.args.url)
        timings = []
        try:
            client.login(name, password)
            idle_since = None
            while not self.stop.is_set() and not self.expired():
                status, payload = client.request("GET", "/api/v1/tasks/next", timed=timings)
                if status == 204:
                    if idle_since is None:
                        idle_since = time.monotonic()
                    if not self.args.until_done and time.monotonic() - idle_since > 5:
                        break
                    time.sleep(0.5)
                    continue
                if status != 200:
                    self.note_status(status)
                    time.sleep(0.2)
                    continue
                idle_since = None
                task = json.loads(payload)
                assignment, task_id = task["assignment_id"], task["task_id"]
                with self.lock:
                    self.given.setdefault((name, task_id), set()).add(assignment)
                true_value = self.truth.value(task_id)
                time.sleep(rng.uniform(*self.args.think))
                typed = true_value
                if true_value is not None and rng.random() < self.args.typo_rate:
                    typed = mistype(true_value, rng)
                    with self.lock:
                        self.typos += 1
                body = {"mark": "illegible"} if typed is None else {"value": typed}
                status, payload = client.request("POST", f"/api/v1/assignments/{assignment}/entry", body=body,
                                                 timed=timings)
                if status == 400 and typed != true_value:
                    # The server refused the typo (above the voters on the list, say): the volunteer retypes.
                    with self.lock:
                        self.typos_refused += 1
                    typed = true_value
                    body = {"value": typed}
                    status, payload = client.request("POST", f"/api/v1/assignments/{assignment}/entry", body=body,
                                                     timed=timings)
                if status == 400 and typed is not None and typed == true_value:
                    # The protocol itself breaks its arithmetic (a deliberate inconsistency): the volunteer
                    # insists on what it says.
                    body = {"value": typed, "confirm": True}
                    status, payload = client.request("POST", f"/api/v1/assignments/{assignment}/entry", body=body,
                                                     timed=timings)
                    with self.lock:
                        self.insisted += 1
                if status == 200:
                    with self.lock:
                        self.acknowledged.append((assignment, name, typed))
                else:
                    self.note_status(status)
        except Exception as error:  # noqa: BLE001 - reported, and the run fails
            with self.lock:
                self.errors.append(f"{name}: {error}")
        finally:
            with self.lock:
                self.timings.extend(timings)

    def coordinator(self, name, password):
        """Settles fields in conflict: reads the coordinator page's decide forms and enters the true value."""
        client = Client(self.args.url)
        timings = []
        decided = 0
        try:
            client.login(name, password)
            while not self.stop.is_set() and not self.expired():
                status, payload = client.request("GET", "/api/v1/progress", timed=timings)
                progress = json.loads(payload) if status == 200 else {}
                if progress.get("in_conflict", 0) > 0:
                    status, page = client.request("GET", "/coordinator", timed=timings)
                    for task_id in sorted({int(t) for t in re.findall(r'action="/coordinator/decide/(\d+)"',
                                                                      page.decode())}):
                        value = self.truth.value(task_id)
                        form = {"csrf": client.csrf}
                        form["value"] = str(value) if value is not None else ""
                        status, _ = client.request("POST", f"/coordinator/decide/{task_id}", form=form, timed=timings)
                        if status in (200, 303):
                            decided += 1
                        else:
                            self.note_status(status)
                if self.args.until_done and progress.get("left", 1) == 0:
                    self.stop.set()
                    break
                time.sleep(1.0)
        except Exception as error:  # noqa: BLE001
            with self.lock:
                self.errors.append(f"coordinator: {error}")
        with self.lock:
            self.timings.extend(timings)
            self.decided = decided

    def expired(self):
        return self.deadline is not None and time.monotonic() > self.deadline


def create_volunteers(args, count):
    """Invites and registers `count` volunteers through the coordinator's pages; returns (name, password)."""
    name, password = args.coordinator.split(":", 1)
    client = Client(args.url)
    client.login(name, password)
    accounts = []
    for index in range(count):
        status, page = client.request("POST", "/coordinator/invitations",
                                      form={"csrf": client.csrf, "role": "volunteer"})
        if status == 303:
            status, page = client.request("GET", "/coordinator")
        tokens = re.findall(r"/invite/([A-Za-z0-9_\-]+)", page.decode())
        if not tokens:
            raise RuntimeError(f"no invitation link on the coordinator page (status {status})")
        token = tokens[-1]
        guest = Client(args.url)
        volunteer = (f"sim{args.seed}v{index:03d}", f"pw-{args.seed}-{index}-volunteer")
        form = {"name": volunteer[0], "password": volunteer[1]}
        status, page = guest.request("POST", f"/invite/{token}", form=form)
        if status not in (200, 303):
            raise RuntimeError(f"registering {volunteer[0]} failed: {status} {page[:300]!r}")
        accounts.append(volunteer)
    return accounts


def check(args, run):
    """The checks a user would care about, read back from the database."""
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True, timeout=30)
    twice = [key for key, ids in run.given.items() if len(ids) > 1]
    db_twice = db.execute("""SELECT COUNT(*) FROM (SELECT task_id, account_id FROM review_assignments
                             GROUP BY task_id, account_id HAVING COUNT(*) > 1)""").fetchone()[0]
    stored = {row[0]: (row[1], row[2]) for row in db.execute(
        "SELECT assignment_id, value_kind, value_number FROM review_entries WHERE assignment_id IS NOT NULL")}
    lost = [a for a, _, typed in run.acknowledged
            if a not in stored or (typed is not None and stored[a][1] != typed)]
    result = {"same_field_twice": len(twice) + db_twice, "entries_acknowledged": len(run.acknowledged),
              "entries_lost": len(lost)}
    if args.until_done:
        wrong, unconfirmed, by_people, by_machine, total = 0, 0, 0, 0, 0
        decided = {}
        for record_id, key, state, kind, number in db.execute(
                "SELECT record_id, key, state, final_kind, final_number FROM review_tasks"):
            decided[(record_id, key)] = (state, kind, number)
        for record_id, path, record_json in db.execute(
                "SELECT r.id, i.original_path, r.record_json FROM records r JOIN images i ON i.sha256 = r.image_sha256"):
            truth = load_truth(path)
            if truth is None:
                continue
            record = json.loads(record_json)
            fields = {f["key"]: f for f in record.get("fields", [])}
            for key, expected in truth["values"].items():
                total += 1
                expected = int(expected)
                if (record_id, key) in decided:
                    state, kind, number = decided[(record_id, key)]
                    if state != "confirmed":
                        unconfirmed += 1
                        continue
                    by_people += 1
                    if kind != "number" or number != expected:
                        wrong += 1
                else:
                    field = fields.get(key)
                    if field is None or field.get("status") != "accepted":
                        unconfirmed += 1
                        continue
                    by_machine += 1
                    value = field.get("value")
                    if value is None or int(value) != expected:
                        wrong += 1
        result.update({"fields": total, "accepted_by_machine": by_machine, "confirmed_by_people": by_people,
                       "not_confirmed": unconfirmed, "wrong_final_values": wrong})
    db.close()
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a running review server (with --db and --coordinator)")
    ap.add_argument("--db", help="the database the server runs on (read only here)")
    ap.add_argument("--coordinator", help="NAME:PASSWORD of a coordinator account")
    ap.add_argument("--binary", help="instead of --url: digitize --images (or --generate N handwritten protocols) "
                                     "with this hattama binary and serve them")
    ap.add_argument("--images")
    ap.add_argument("--generate", type=int, default=20)
    ap.add_argument("--policy", default="third-volunteer")
    ap.add_argument("--agreement", default="backed", help="backed or two-volunteers (see hattama review serve --help)")
    ap.add_argument("--volunteers", type=int, default=200)
    ap.add_argument("--think", default="2,4", help="seconds a volunteer looks at a field: MIN,MAX")
    ap.add_argument("--typo-rate", type=float, default=0.02)
    ap.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: no limit)")
    ap.add_argument("--until-done", action="store_true", help="run until every field is decided, then check finals")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--report", help="also write the JSON result here")
    args = ap.parse_args()
    args.think = tuple(float(x) for x in args.think.split(","))
    if args.binary:
        scratch = harness.scratch_folder()
        images = args.images or os.path.join(scratch, "images")
        if not args.images:
            subprocess.run([os.path.join(ROOT, ".venv/bin/python"), os.path.join(ROOT, "tools/corpus/generate.py"),
                            "--out", images, "--count", str(args.generate), "--seed", str(args.seed),
                            "--forms", "kz-2022-president-precinct-wall,kz-2022-president-precinct-a4,"
                                       "kz-2022-referendum-precinct,ru-2024-president-uik",
                            "--photo-share", "0.5", "--handwritten", "--jobs", "2", "--quiet", "--no-manifest"],
                           check=True, cwd=ROOT)
        args.db = os.path.join(scratch, "review.sqlite")
        harness.prepare_database(args.binary, images, args.db)
        args.coordinator = ":".join(harness.COORDINATOR)
        with harness.review_server(args.binary, args.db, policy=args.policy, agreement=args.agreement,
                                   log_path=os.path.join(scratch, "server.log")) as url:
            args.url = url
            ok = run_and_report(args)
        if ok:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"kept for inspection: {scratch}", file=sys.stderr)
            sys.exit(1)
    elif args.url and args.db and args.coordinator:
        if not run_and_report(args):
            sys.exit(1)
    else:
        ap.error("pass --binary, or --url with --db and --coordinator")


def run_and_report(args):
    started = time.monotonic()
    accounts = create_volunteers(args, args.volunteers)
    setup_seconds = time.monotonic() - started
    run = Run(args)
    run.decided = 0
    threads = [threading.Thread(target=run.volunteer, args=(i, n, p), daemon=True) for i, (n, p) in enumerate(accounts)]
    name, password = args.coordinator.split(":", 1)
    threads.append(threading.Thread(target=run.coordinator, args=(name, password), daemon=True))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads[:-1]:
        thread.join()
    run.stop.set()
    threads[-1].join(timeout=30)
    seconds = time.monotonic() - started

    latencies = {}
    for route, elapsed, _ in run.timings:
        latencies.setdefault(route, []).append(elapsed)
    every = [elapsed for _, elapsed, _ in run.timings]
    result = {
        "volunteers": args.volunteers, "seconds": round(seconds, 1), "setup_seconds": round(setup_seconds, 1),
        "requests": len(run.timings), "requests_per_second": round(len(run.timings) / seconds, 1) if seconds else None,
        "latency_ms": {route: {"n": len(v), "p50": round(percentile(v, 0.5) * 1000, 1),
                               "p95": round(percentile(v, 0.95) * 1000, 1),
                               "p99": round(percentile(v, 0.99) * 1000, 1)} for route, v in sorted(latencies.items())},
        "latency_ms_all": {"p50": round(percentile(every, 0.5) * 1000, 1) if every else None,
                           "p99": round(percentile(every, 0.99) * 1000, 1) if every else None},
        "typos": run.typos, "typos_refused_by_server": run.typos_refused,
        "true_values_insisted_above_bound": run.insisted, "coordinator_decisions": run.decided,
        "refused_statuses": {str(k): v for k, v in sorted(run.refused.items())}, "errors": run.errors[:20],
    }
    result["checks"] = check(args, run)
    failed = bool(run.errors) or result["checks"]["same_field_twice"] or result["checks"]["entries_lost"] \
        or (args.until_done and (result["checks"]["wrong_final_values"] or result["checks"]["not_confirmed"]))
    result["ok"] = not failed
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return not failed


if __name__ == "__main__":
    main()
