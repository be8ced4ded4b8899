#!/usr/bin/python3
"""The pages madewrong writes, checked in a real browser (Debian's headless Chromium).

Usage: check_pages.py MADEWRONG OUTDIR

Writes the mutants page (`mutants -B 3 --depth 24 --html`) and a sweep page into OUTDIR, opens
each in Chromium through chromedriver, and checks what a reader relies on:
  - the page is one file under 2 MB that references nothing outside itself;
  - it loads with no console errors;
  - every sequence diagram and the heat map are drawn with a nonzero size;
  - every link inside the page resolves to an element;
  - stepping through a trace (buttons, or a click on a step) moves the highlighted row and the
    highlighted state cells.
Screenshots go to OUTDIR for a person to look at. Exit 0 when every check passes, 1 otherwise.
"""
import os
import re
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def run(args):
    print("$ " + " ".join(args))
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode not in (0, 12):
        print(done.stdout, done.stderr)
        sys.exit(f"{args[0]} exited {done.returncode}")
    return done


def self_contained(path):
    text = open(path, encoding="utf-8").read()
    size = os.path.getsize(path)
    check(size < 2 * 1024 * 1024, f"{os.path.basename(path)} is {size} bytes, under 2 MB")
    outside = [u for u in re.findall(r"(?:https?:)?//[^\s\"'<>)]+", text) if u not in ("http://www.w3.org/2000/svg",)]
    check(not outside, f"{os.path.basename(path)} references nothing outside itself {outside[:3]}")
    check(not re.search(r"<(link|iframe|img)\b|\bsrc=", text), f"{os.path.basename(path)} loads no file, script or style from elsewhere")
    return text


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def console_errors(driver, name):
    logs = driver.get_log("browser")
    severe = [entry["message"] for entry in logs if entry["level"] == "SEVERE"]
    check(not severe, f"{name} loads with no console errors {severe[:3]}")


def full_page_screenshot(driver, path):
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 16000)")
    driver.set_window_size(1400, max(1000, height))
    driver.save_screenshot(path)
    driver.set_window_size(1400, 1000)
    print("screenshot: " + path)


def main():
    binary, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    report = os.path.join(out, "mutants.html")
    sweep = os.path.join(out, "sweep.html")
    run([binary, "mutants", "-B", "3", "--depth", "24", "--html", report, "-q"])
    run([binary, "sweep", "--n", "3..4", "--html", sweep, "-q"])
    self_contained(report)
    self_contained(sweep)

    driver = browser()
    try:
        driver.get("file://" + os.path.abspath(report))
        console_errors(driver, "the mutants page")
        diagrams = driver.find_elements(By.CSS_SELECTOR, ".diagram svg")
        killed = driver.find_elements(By.CSS_SELECTOR, "section.mutant:not(.survivor)")
        check(len(killed) > 0 and len(diagrams) == len(killed), f"one diagram per killed mutant ({len(diagrams)} for {len(killed)})")
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('.diagram svg')).map(function (s) {"
            " var r = s.getBoundingClientRect(); return [r.width, r.height]; })")
        check(all(w > 0 and h > 0 for w, h in sizes), "every diagram is drawn with a nonzero size")
        arrows = driver.execute_script(
            "return Array.from(document.querySelectorAll('.diagram svg g.step')).filter(function (g) {"
            " var r = g.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length")
        steps = driver.execute_script("return document.querySelectorAll('.diagram svg g.step').length")
        check(steps > 0 and arrows == steps, f"every step of every diagram is drawn ({arrows} of {steps})")
        broken = driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href^=\"#\"]')).map(function (a) {"
            " return a.getAttribute('href').slice(1); }).filter(function (id) { return !document.getElementById(id); })")
        links = driver.execute_script("return document.querySelectorAll('a[href^=\"#\"]').length")
        check(links > 0 and not broken, f"all {links} links between the table and the sections resolve {broken[:3]}")
        table_links = driver.find_elements(By.CSS_SELECTOR, "table.kill-table a")
        check(len(table_links) >= len(killed), "every killed mutant's row links to its section")

        # Step through the first killed mutant's trace.
        full_page_screenshot(driver, os.path.join(out, "mutants-page.png"))
        section = killed[0]
        stepper = section.find_element(By.CSS_SELECTOR, ".stepper")
        driver.execute_script("arguments[0].scrollIntoView()", section)

        def current():
            items = stepper.find_elements(By.CSS_SELECTOR, "ol.trace li")
            marked = [k for k, li in enumerate(items) if "current" in li.get_attribute("class").split()]
            return marked, len(items)

        marked, total = current()
        check(marked == [total - 1], f"the step-through starts at the last step ({marked}, {total} steps)")
        stepper.find_element(By.CSS_SELECTOR, "button.prev").click()
        after_prev, _ = current()
        check(after_prev == [total - 2], f"'previous' highlights the step before ({after_prev})")
        changed = stepper.find_elements(By.CSS_SELECTOR, "table.state td.changed")
        stepper.find_elements(By.CSS_SELECTOR, "ol.trace li")[2].click()
        after_click, _ = current()
        check(after_click == [2], f"clicking step 3 highlights it ({after_click})")
        check(stepper.get_attribute("data-at") == "3", "the state shown is the one after step 3")
        check("after step 3 of" in stepper.find_element(By.CSS_SELECTOR, ".now").text, "the caption names step 3")
        driver.execute_script("arguments[0].scrollIntoView()", stepper)
        stepper.screenshot(os.path.join(out, "step-through.png"))
        print("screenshot: " + os.path.join(out, "step-through.png"))
        stepper.find_element(By.CSS_SELECTOR, "button.first").click()
        check(current()[0] == [] and not stepper.find_elements(By.CSS_SELECTOR, "table.state td.changed"),
              "at the initial state no step and no cell is highlighted")
        stepper.find_element(By.CSS_SELECTOR, "button.next").click()
        check(current()[0] == [0], "'next' from the initial state highlights step 1")
        check(len(changed) > 0, "the cells a step changed are highlighted")
        driver.execute_script("arguments[0].scrollIntoView()", section)
        section.screenshot(os.path.join(out, "mutant-section.png"))
        print("screenshot: " + os.path.join(out, "mutant-section.png"))
        console_errors(driver, "the mutants page, after stepping")

        driver.get("file://" + os.path.abspath(sweep))
        console_errors(driver, "the sweep page")
        size = driver.execute_script("var r = document.querySelector('.diagram svg').getBoundingClientRect(); return [r.width, r.height]")
        check(size[0] > 0 and size[1] > 0, f"the heat map is drawn with a nonzero size ({size})")
        full_page_screenshot(driver, os.path.join(out, "sweep-page.png"))
    finally:
        driver.quit()
    print(f"{len(failures)} check(s) failed" if failures else "every check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
