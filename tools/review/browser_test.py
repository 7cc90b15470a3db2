#!/usr/bin/env python3
"""Browser test of the review app: Debian's chromium, driven through chromium-driver by selenium.

A coordinator logs in and creates three invitations; three volunteers open them and create their accounts;
volunteers A and B review the same three fields blind (typing and pressing Enter), agreeing on two and
disagreeing on one; volunteer C is then given the disputed field and settles it. The database must end with
the three fields confirmed with the values typed (the disputed one by two of three), and the coordinator's
page must show the progress. Exits 0 when all holds; prints what it checked.

    tools/review/browser_test.py --binary .build/debug/hattama [--images DIR] [--screenshots DIR]
"""
import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_for(driver, by, what, seconds=20):
    return WebDriverWait(driver, seconds).until(expected_conditions.presence_of_element_located((by, what)))


def log_in(driver, url, name, password):
    driver.delete_all_cookies()
    driver.get(url + "/login")
    wait_for(driver, By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login").click()


def assignment_on_page(driver):
    form = wait_for(driver, By.ID, "entry-form")
    return int(re.search(r"/review/(\d+)", form.get_attribute("action")).group(1))


def review(driver, value):
    """Types `value` into the field on screen and presses Enter; returns the assignment that was shown."""
    assignment = assignment_on_page(driver)
    crop = driver.find_element(By.ID, "crop")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", crop))
    entry = driver.find_element(By.ID, "entry")
    # Blind: the box is empty, never prefilled with the machine's reading or another volunteer's entry.
    assert entry.get_attribute("value") == "", f"the entry box of assignment {assignment} is prefilled"
    entry.send_keys(str(value))
    entry.send_keys(Keys.ENTER)
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "entry-form") == [] or
                                    assignment_on_page(d) != assignment)
    return assignment


def task_of(db, assignment):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT task_id FROM review_assignments WHERE id = ?", (assignment,)).fetchone()[0]


def generate_images(folder):
    python = os.path.join(ROOT, ".venv/bin/python")
    subprocess.run([python, os.path.join(ROOT, "tools/corpus/generate.py"), "--out", folder, "--count", "2",
                    "--seed", "5", "--forms", "kz-2022-president-precinct-a4", "--photo-share", "0",
                    "--handwritten", "--quiet", "--no-manifest"], check=True, cwd=ROOT)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--images", help="protocol images to digitize (default: two generated handwritten protocols)")
    ap.add_argument("--screenshots", help="save a screenshot of each step here")
    args = ap.parse_args()

    scratch = harness.scratch_folder()
    images = args.images or os.path.join(scratch, "images")
    if not args.images:
        generate_images(images)
    db = os.path.join(scratch, "review.sqlite")
    harness.prepare_database(args.binary, images, db)

    def page_replaced(old_page):
        """Waits until the page the element belonged to is gone. Chromium reports a node of a page being
        torn down either as stale or as one that "does not belong to the document"; both mean it is gone
        (selenium's staleness_of knows only the first, and the second failed a CI run)."""
        def gone(_driver):
            try:
                old_page.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as error:
                if "does not belong to the document" in str(error):
                    return True
                raise
        return gone

    def shot(driver, name):
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            driver.save_screenshot(os.path.join(args.screenshots, name + ".png"))

    # Two volunteers suffice here: the typed values are arbitrary, so no machine reading backs them (the
    # default `backed` rule is exercised by tools/review/volunteers.py).
    with harness.review_server(args.binary, db, agreement="two-volunteers",
                               log_path=os.path.join(scratch, "server.log")) as url:
        driver = browser()
        try:
            # The coordinator invites three volunteers.
            log_in(driver, url, *harness.COORDINATOR)
            wait_for(driver, By.ID, "progress")
            links = []
            for _ in range(3):
                old_page = driver.find_element(By.TAG_NAME, "html")
                driver.find_element(By.CSS_SELECTOR, "#invite button, #invite input[type=submit]").click()
                WebDriverWait(driver, 20).until(page_replaced(old_page))
                wait_for(driver, By.ID, "progress")
                found = re.findall(r"https?://[^\s\"<]+/invite/[A-Za-z0-9_\-]+", driver.page_source)
                assert found, "the coordinator page shows no invitation link after creating one"
                links.append(found[-1])
            assert len(set(links)) == 3, f"expected three different invitation links, got {links}"
            shot(driver, "1-coordinator-invitations")

            def join(name, link):
                """Opens an invitation and creates the account; the app then shows the first field."""
                driver.delete_all_cookies()
                driver.get(link)
                wait_for(driver, By.ID, "name").send_keys(name)
                driver.find_element(By.ID, "password").send_keys(f"{name}-password")
                driver.find_element(By.ID, "create").click()

            # A and B review the same three fields, blind; B disagrees on the second. Each joins only when
            # the one before has finished: opening the review page leases a field.
            join("anar", links[0])
            shot(driver, "2-review-page")
            tasks_a = [task_of(db, review(driver, value)) for value in [101, 102, 103]]
            join("boris", links[1])
            tasks_b = [task_of(db, review(driver, value)) for value in [101, 104, 103]]
            assert tasks_a == tasks_b, f"B was given other fields than A: {tasks_a} vs {tasks_b}"

            # C is given the disputed field first and agrees with A; then logs out and back in.
            join("chingiz", links[2])
            disputed = task_of(db, review(driver, 102))
            assert disputed == tasks_a[1], f"C was given task {disputed}, not the disputed {tasks_a[1]}"
            log_in(driver, url, "chingiz", "chingiz-password")
            assignment_on_page(driver)

            log_in(driver, url, *harness.COORDINATOR)
            progress = wait_for(driver, By.ID, "progress").text
            shot(driver, "3-coordinator-progress")
        finally:
            driver.quit()

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        finals = {task: connection.execute("SELECT state, final_number, decided_by FROM review_tasks WHERE id = ?",
                                           (task,)).fetchone() for task in tasks_a}
        entries = connection.execute("SELECT COUNT(*) FROM review_entries WHERE task_id IN (?, ?, ?)",
                                     tasks_a).fetchone()[0]
        events = connection.execute("SELECT COUNT(*) FROM events WHERE kind LIKE 'review.entry%'").fetchone()[0]
    expected = dict(zip(tasks_a, [101, 102, 103]))
    problems = [f"task {task}: {finals[task]} instead of confirmed {value}" for task, value in expected.items()
                if finals[task][0] != "confirmed" or finals[task][1] != value]
    if entries != 7:
        problems.append(f"{entries} entries stored for the three fields instead of 7")
    if events < 7:
        problems.append(f"only {events} review entry events in the audit log")
    print(f"fields {tasks_a}: {[finals[t] for t in tasks_a]}; {entries} entries; {events} entry events")
    print(f"coordinator progress: {' '.join(progress.split())[:300]}")
    if problems:
        print("FAILED: " + "; ".join(problems))
        sys.exit(1)
    print("browser test passed: login, three reviews by two volunteers, a conflict settled by a third")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
