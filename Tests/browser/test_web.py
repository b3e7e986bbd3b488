#!/usr/bin/env python3
"""The web interface in a real browser: Debian's headless chromium driven by Selenium through
Debian's chromedriver (no driver or browser downloads), against `qingling demo --serve` on a
free port of the loopback. Run by tools/test.sh after the Swift tests, or alone:

    python3 Tests/browser/test_web.py          # needs .build/debug/qingling (swift build)

Each test saves a screenshot in $QINGLING_SCREENSHOTS (default: a new temporary directory).
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import datetime
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QINGLING = os.environ.get("QINGLING_BINARY", os.path.join(ROOT, ".build", "debug", "qingling"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
STARTUP_SECONDS = 150


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Demo:
    """`qingling demo --serve` on a fresh directory: its accounts and its address."""

    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="qingling-browser-")
        self.log = os.path.join(self.work, "demo-log")
        port = free_port()
        with open(os.path.join(self.work, "serve.log"), "w") as service_log:
            self.process = subprocess.Popen(
                [QINGLING, "demo", "--serve", "--directory", self.log, "--hazards-per-year", "150",
                 "--listen", f"127.0.0.1:{port}"],
                stdout=subprocess.PIPE, stderr=service_log, text=True)
        self.passwords = {}
        self.address = None
        deadline = time.monotonic() + STARTUP_SECONDS
        while self.address is None:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("qingling demo --serve stopped before serving; see " + self.work)
            if time.monotonic() > deadline:
                raise RuntimeError("qingling demo --serve did not start in time")
            account = re.match(r"\s+(demo\.[a-z0-9]+)\s+(\S+)\s", line)
            if account:
                self.passwords[account.group(1)] = account.group(2)
            served = re.search(r"(http://127\.0\.0\.1:\d+)/login", line)
            if served and self.passwords:
                self.address = served.group(1)

    def reports(self):
        """Every HazardReported of the log, read with `qingling export` (readers take no lock)."""
        out = subprocess.run([QINGLING, "export", "--log", self.log], check=True, capture_output=True, text=True).stdout
        events = (json.loads(line) for line in out.splitlines() if line.strip())
        return [e for e in events if e.get("type") == "HazardReported"]

    def token(self, login):
        """A bearer token for `login`, as a script signs in (`POST /api/v1/login`)."""
        request = urllib.request.Request(self.address + "/api/v1/login", method="POST", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"login": login, "password": self.passwords[login]}).encode())
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)["token"]

    def append(self, login, event):
        """Appends `event` through `POST /api/v1/events` as `login`: another session than the browser's."""
        request = urllib.request.Request(self.address + "/api/v1/events", method="POST", data=json.dumps(event).encode(),
                                         headers={"Content-Type": "application/json", "Authorization": "Bearer " + self.token(login)})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def length(self):
        """The number of events in the log."""
        out = subprocess.run([QINGLING, "export", "--log", self.log], check=True, capture_output=True, text=True).stdout
        return sum(1 for line in out.splitlines() if line.strip())

    def stop(self):
        """SIGTERM, as an operator would: the service must stop gracefully, with status 0."""
        self.process.terminate()
        try:
            status = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        finally:
            self.process.stdout.close()
        if status != 0:
            raise RuntimeError(f"qingling demo --serve stopped with status {status}; see {self.work}")


class WebTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.demo = Demo()
        cls.shots = os.environ.get("QINGLING_SCREENSHOTS") or tempfile.mkdtemp(prefix="qingling-screenshots-")
        os.makedirs(cls.shots, exist_ok=True)
        options = Options()
        options.binary_location = CHROMIUM
        for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800", "--lang=zh-CN"):
            options.add_argument(argument)
        cls.browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        cls.browser.set_page_load_timeout(30)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.demo.stop()
        print(f"screenshots: {cls.shots}", file=sys.stderr)

    # Helpers

    def open(self, path):
        self.browser.get(self.demo.address + path)

    def shot(self, name):
        self.browser.save_screenshot(os.path.join(self.shots, name + ".png"))

    def h1(self):
        return self.browser.find_element(By.TAG_NAME, "h1").text

    def sign_in(self, login, password):
        self.open("/login")
        self.browser.find_element(By.ID, "login").clear()
        self.browser.find_element(By.ID, "login").send_keys(login)
        self.browser.find_element(By.ID, "password").send_keys(password)
        self.follow(self.browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]"))

    def sign_out(self):
        self.follow(self.browser.find_element(By.CSS_SELECTOR, "form.logout button"))

    def fill(self, fields):
        """Fills a form: text into inputs and textareas, a choice's visible text into selects,
        `YYYY-MM-DD` into date pickers (set as the picker would, whatever the browser's locale)."""
        for name, value in fields.items():
            element = self.browser.find_element(By.NAME, name)
            if element.tag_name == "select":
                Select(element).select_by_visible_text(value)
            elif element.get_attribute("type") == "date":
                self.browser.execute_script("arguments[0].value = arguments[1]", element, value)
            else:
                element.clear()
                element.send_keys(value)

    def follow(self, element):
        """Clicks `element` and waits for the next page: until the old page's root is gone."""
        page = self.browser.find_element(By.TAG_NAME, "html")
        element.click()

        def gone(_):
            try:
                page.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as error:
                # Chromium sometimes says so in other words while the old document is replaced.
                if "does not belong to the document" in str(error):
                    return True
                raise
        WebDriverWait(self.browser, 10).until(gone)

    def submit(self):
        self.follow(self.browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))

    def take_step(self, hazard, label, fields):
        """Opens the hazard's file, follows the link of the step `label`, fills and posts its form."""
        self.open("/hazards/" + hazard)
        self.follow(self.browser.find_element(By.LINK_TEXT, label))
        self.assert_accessible()
        self.fill(fields)
        self.submit()

    def assert_accessible(self):
        """Every visible input has a label, one h1 comes first, and no heading skips a level."""
        unlabelled = self.browser.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.outerHTML)")
        self.assertEqual(unlabelled, [])
        levels = self.browser.execute_script(
            "return [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))")
        self.assertTrue(levels and levels[0] == 1 and levels.count(1) == 1, levels)
        for before, after in zip(levels, levels[1:]):
            self.assertLessEqual(after, before + 1, levels)
        self.assertEqual(self.browser.execute_script("return document.documentElement.lang"), "zh-CN")

    # The walk, in order

    def test_1_a_wrong_password_shows_the_message_and_keeps_the_login(self):
        self.sign_in("demo.enterprise", "not-the-password")
        self.assertTrue(self.browser.current_url.endswith("/login"))
        self.assertIn("登录名或密码错误", self.browser.find_element(By.CSS_SELECTOR, "[role=alert]").text)
        self.assertEqual(self.browser.find_element(By.ID, "login").get_attribute("value"), "demo.enterprise")
        self.assertEqual(self.browser.find_element(By.ID, "password").get_attribute("value"), "")
        self.assert_accessible()
        self.shot("1-login-refused")

    def test_2_the_enterprise_sees_its_reminders_and_opens_its_hazards_file(self):
        self.sign_in("demo.enterprise", self.demo.passwords["demo.enterprise"])
        self.assertTrue(self.browser.current_url.endswith("/reminders"), self.browser.current_url)
        self.assertEqual(self.h1(), "待办")
        who = self.browser.find_element(By.CSS_SELECTOR, ".who").text
        self.assertIn("生产经营单位", who)
        links = self.browser.find_elements(By.CSS_SELECTOR, "table.reminders a[href^='/hazards/']")
        self.assertTrue(links, "the demo enterprise has reminders")
        self.assert_accessible()
        self.shot("2-reminders")
        own = links[0].text
        links[0].click()
        self.assertEqual(self.h1(), "一患一档 " + own)
        self.assertIn("办理全过程", self.browser.find_element(By.ID, "t-timeline").text)
        steps = self.browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=t-timeline] tbody tr")
        self.assertGreaterEqual(len(steps), 2, "reported and supervised at least")
        self.assertIn("排查上报", steps[0].text)
        self.assert_accessible()
        self.shot("3-hazard-file")
        # A phone's width: nothing wider than the screen but the tables' own scrolling.
        self.browser.set_window_size(390, 844)
        try:
            overflow = self.browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            self.assertLessEqual(overflow, 1)
            self.shot("4-hazard-file-phone")
        finally:
            self.browser.set_window_size(1280, 800)
        type(self).own_hazard = own

    def test_3_another_enterprises_hazard_is_the_404_page_by_url_too(self):
        reports = self.demo.reports()
        code = next(r["data"]["enterprise"]["creditCode"] for r in reports if r["data"]["hazardId"] == self.own_hazard)
        other = next(r["data"]["hazardId"] for r in reports
                     if r["data"].get("enterprise") and r["data"]["enterprise"]["creditCode"] != code)
        self.open("/hazards/" + other)
        self.assertEqual(self.h1(), "未找到")
        hidden = self.browser.find_element(By.TAG_NAME, "main").text
        self.open("/hazards/LX-2099-9999")
        self.assertEqual(self.browser.find_element(By.TAG_NAME, "main").text, hidden)
        self.assert_accessible()
        self.shot("5-not-found")

    def test_4_logout_ends_the_session(self):
        self.open("/reminders")
        self.sign_out()
        self.assertTrue(self.browser.current_url.endswith("/login"))
        self.open("/reminders")
        self.assertTrue(self.browser.current_url.endswith("/login"))
        self.assertEqual(self.h1(), "登录")
        self.shot("6-signed-out")

    def headline(self, label):
        """The dashboard's headline figure labelled `label` (合计 of the chosen period)."""
        for item in self.browser.find_elements(By.CSS_SELECTOR, "dl.headline div"):
            if item.find_element(By.TAG_NAME, "dt").text == label:
                return item.find_element(By.TAG_NAME, "dd").text
        raise AssertionError("no headline " + label)

    def test_5_the_committee_sees_the_dashboard_change_live(self):
        self.sign_in("demo.committee", self.demo.passwords["demo.committee"])
        self.open("/dashboard")
        self.assertEqual(self.h1(), "大屏 · 全市重大事故隐患清零")
        bars = self.browser.find_elements(By.CSS_SELECTOR, "#region-chart-title ~ g.bar-group")
        rows = self.browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=t-regions] tbody tr")
        self.assertEqual(len(bars), len(rows) - 1)  # one group of bars per region; the table's last row is the total
        self.assert_accessible()
        before = int(self.headline("增量"))
        self.browser.execute_script("window.notReloaded = true")
        # Another session (a department, by bearer token) reports a hazard discovered today.
        first = next(r["data"] for r in self.demo.reports() if r["data"].get("enterprise"))
        now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
        self.demo.append("demo.department", {
            "eventId": "browser-live-1", "type": "HazardReported", "occurredAt": now.isoformat(timespec="seconds"),
            "data": {"hazardId": "LX-%d-9901" % now.year, "enterprise": first["enterprise"], "region": first["region"],
                     "industry": first["industry"], "criterionClause": first["criterionClause"],
                     "description": "浏览器测试：实时更新", "source": "departmentInspection", "discoveredOn": now.date().isoformat()}})
        WebDriverWait(self.browser, 20).until(lambda _: int(self.headline("增量")) == before + 1)
        self.assertTrue(self.browser.execute_script("return window.notReloaded === true"), "updated in place, not reloaded")
        self.assertIn("按新记录刷新", self.browser.find_element(By.ID, "live").text)
        self.browser.set_window_size(1280, 1900)  # the charts and their tables in one picture
        try:
            self.shot("7-dashboard")
            self.browser.set_window_size(390, 844)  # a phone: nothing wider than the screen but the tables' own scrolling
            self.assertLessEqual(self.browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth"), 1)
        finally:
            self.browser.set_window_size(1280, 800)
        self.sign_out()

    def test_6_an_analysts_csv_is_what_qingling_stats_prints(self):
        self.sign_in("demo.analyst", self.demo.passwords["demo.analyst"])
        self.open("/analysis/stats")
        self.browser.find_element(By.ID, "f-period").send_keys("2025")
        Select(self.browser.find_element(By.ID, "f-by")).select_by_value("industry")
        self.browser.execute_script("document.getElementById('f-asOf').value = '2025-12-31'")
        self.follow(self.browser.find_element(By.CSS_SELECTOR, "form.options button[type=submit]"))
        self.assertIn("period=2025", self.browser.current_url)
        self.assert_accessible()
        self.shot("8-analysis-stats")
        # The browser downloads the file (the page allows no script to fetch it).
        downloads = tempfile.mkdtemp(prefix="qingling-downloads-")
        self.browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        self.browser.find_element(By.ID, "download-csv").click()
        saved = os.path.join(downloads, "stats.csv")
        WebDriverWait(self.browser, 20).until(lambda _: os.path.exists(saved) and not any(n.endswith(".crdownload") for n in os.listdir(downloads)))
        with open(saved, "rb") as file:
            downloaded = file.read()
        environment = {k: v for k, v in os.environ.items() if k != "QINGLING_LANG"}
        printed = subprocess.run([QINGLING, "stats", "2025", "--by", "industry", "--as-of", "2025-12-31", "--format", "csv",
                                  "--log", self.demo.log], check=True, capture_output=True, env=environment).stdout
        self.assertEqual(downloaded, printed)
        self.assertTrue(printed.startswith("\ufeff".encode()) and "行业".encode() in printed)
        self.sign_out()

    def test_7_a_hazard_goes_round_the_loop_through_the_forms(self):
        """The enterprise reports and rectifies, the lead department supervises and closes, a
        second person of it verifies (failed, then passed), the committee sends a letter (函告);
        a refused form writes nothing."""
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
        in_a_month = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + 30 * 86400))
        people = {}

        def as_(login):
            self.open("/reminders")
            if self.browser.find_elements(By.CSS_SELECTOR, "form.logout button"):
                self.sign_out()
            self.sign_in(login, self.demo.passwords[login])
            people[login] = self.browser.find_element(By.CSS_SELECTOR, ".who .person").text

        as_("demo.enterprise")
        self.open("/report")
        self.assertEqual(self.h1(), "排查上报、登记建档")
        self.assert_accessible()
        self.fill({"region": "桃林镇", "industry": "烟花爆竹", "criterionClause": "烟花爆竹生产经营单位重大事故隐患判定标准第三条",
                   "description": "浏览器测试：成品仓库超量储存"})
        self.shot("9-report-form")
        self.submit()
        self.assertTrue(self.h1().startswith("一患一档 "), self.h1())
        hazard = self.h1().split(" ")[1]
        self.assertEqual([a.text for a in self.browser.find_elements(By.CSS_SELECTOR, "nav.steps a")], [],
                         "an enterprise takes no step on a hazard just reported")

        as_("demo.department")
        before = self.demo.length()
        supervise = {"deadline": today, "principalName": "浏览器测试负责人", "principalId": "ent-browser-01",
                     "townOfficerName": "浏览器测试属地干部", "townOfficerId": "town-browser-01"}
        self.take_step(hazard, "交办督办", supervise)
        # Refused: the deadline is not after the discovery. The rule's words by the field, the input kept.
        error = self.browser.find_element(By.ID, "f-deadline-error").text
        self.assertIn("不晚于发现日期", error)
        deadline = self.browser.find_element(By.ID, "f-deadline")
        self.assertEqual(deadline.get_attribute("aria-invalid"), "true")
        self.assertIn("f-deadline-error", deadline.get_attribute("aria-describedby"))
        self.assertIn("表单有误", self.browser.find_element(By.CSS_SELECTOR, "[role=alert]").text)
        self.assertEqual(self.browser.find_element(By.ID, "f-principalName").get_attribute("value"), "浏览器测试负责人")
        self.assert_accessible()
        self.shot("10-refused-form")
        self.assertEqual(self.demo.length(), before)
        self.fill({"deadline": in_a_month})
        self.submit()
        self.assertEqual(self.h1(), "一患一档 " + hazard)

        as_("demo.committee")
        self.open("/hazards/" + hazard)
        self.follow(self.browser.find_element(By.LINK_TEXT, "函告、通报、约谈、曝光"))
        Select(self.browser.find_element(By.NAME, "target")).select_by_index(1)  # the hazard's enterprise
        self.fill({"level": "函告", "reason": "浏览器测试：督促按期整改"})
        self.submit()
        self.assertIn("函告", self.browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=t-actions]").text)

        as_("demo.enterprise")
        rectify = {"measures": "清理超量成品，增设库房", "funds": "12000"}
        self.take_step(hazard, "整改完成、申请销号", rectify)
        as_("demo.department2")
        self.take_step(hazard, "审核验收", {"outcome": "未通过", "findings": "仍有超量储存"})
        self.assertEqual(self.h1(), "一患一档 " + hazard)
        as_("demo.enterprise")
        self.take_step(hazard, "整改完成、申请销号", rectify)
        as_("demo.department2")
        self.take_step(hazard, "审核验收", {"outcome": "通过", "findings": "复核合格"})
        as_("demo.department")
        self.take_step(hazard, "销号", {"note": "整改到位，同意销号"})
        self.assertIn("已销号", self.browser.find_element(By.CSS_SELECTOR, ".status").text)
        rows = [r.text for r in self.browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=t-timeline] tbody tr")]
        expected = [("排查上报", "demo.enterprise"), ("交办督办", "demo.department"), ("函告", "demo.committee"), ("整改完成", "demo.enterprise"),
                    ("审核把关", "demo.department2"), ("整改完成", "demo.enterprise"), ("审核把关", "demo.department2"),
                    ("销号", "demo.department")]
        self.assertEqual(len(rows), len(expected), rows)
        for row, (step, login) in zip(rows, expected):
            self.assertIn(step, row)
            self.assertIn(people[login], row)
        self.assertEqual(self.demo.length(), before + 7)
        self.shot("11-closed-file")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"browser: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.testsRun else 0)
