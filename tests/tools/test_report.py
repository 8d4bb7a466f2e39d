"""`nhiemvu report` in headless Chromium, as an auditor uses it: search, filters, sorting, the
per-agency drill-down, same-task links, the page picture of a row and the CSV export, each
asserted on the page after the interaction (tests/fixtures/cdp.py drives the browser), against
what the curated tables say."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata

import pyarrow.parquet as pq
import pytest

from normalizers.tracking import current_agency, is_open
from pipeline.tools.report import build_report
from tests.conftest import RAW
from tests.fixtures.browser import chromium
from tests.fixtures.runs import run_into

AS_OF = dt.date(2025, 12, 31)
MAX_BYTES = 10 * 1024 * 1024

pytestmark = [pytest.mark.slow, pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (Debian: chromium)")]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    curated = run_into(RAW, base)["curated"]
    page = build_report(curated, RAW, base / "out", as_of=AS_OF)
    tables = {n: pq.read_table(curated / f"{n}.parquet").to_pylist() for n in ("documents", "tasks", "statuses", "links", "task_tracking")}
    yield {"page": page, "curated": curated, **tables}


@pytest.fixture(scope="module")
def browser(report):
    from tests.fixtures.cdp import Browser

    with Browser(1400, 900) as b:
        b.open(report["page"].as_uri())
        b.wait_for("window.nhiemvu !== undefined")
        yield b
        assert b.errors == []


def _facts(report):
    """Per task, what the tables say: its document is a copy, its status (a tracked task's latest,
    as task_tracking holds it), open, past due, agencies today."""
    copies = {d["doc_id"] for d in report["documents"] if d["duplicate_of"]}
    status = {s["task_id"]: s["status"] for s in report["statuses"]}
    status |= {r["task_id"]: r["latest_status"] for r in report["task_tracking"]}
    out = {}
    for t in report["tasks"]:
        s = status.get(t["task_id"])
        reported_overdue = s == "overdue"
        due_before = t["deadline_due"] is not None and not t["deadline_open_ended"] and t["deadline_due"] < AS_OF
        out[t["task_id"]] = {
            "copy": t["doc_id"] in copies, "status": s, "open": is_open(s),
            "past_due": is_open(s) and (reported_overdue or due_before),
            "agencies": {current_agency(a) for a in t["lead_agencies"] or []}, "doc_id": t["doc_id"],
        }
    return out


def _shown(b) -> list[str]:
    return b.evaluate("nhiemvu.shown().map(function (r) { return r.id.slice(2); })")


def _set(b, control: str, value: str) -> None:
    """Choose a value as a person does: set the control, and fire the event a person's choice fires."""
    event = "input" if control == "q" else "change"
    b.evaluate(f"(function () {{ var c = document.getElementById({json.dumps(control)}); c.value = {json.dumps(value)};"
               f" c.dispatchEvent(new Event({json.dumps(event)}, {{bubbles: true}})); }})()")


def test_the_report_of_the_sample_corpus_is_light(report):
    folder = report["page"].parent
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < MAX_BYTES, size
    pictures = list((folder / "pages").glob("*.webp"))
    pages_with_rows = {(t["doc_id"], s["page"]) for t in report["tasks"] for s in t["spans"][:1]}
    assert 0 < len(pictures) <= len({(t["doc_id"], s["page"]) for t in report["tasks"] for s in t["spans"]})
    assert len(pictures) >= len(pages_with_rows)  # one picture per page, not per row
    html = report["page"].read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # nothing from the network
    assert (folder / "report.js").is_file() and (folder / "report.css").is_file()


def test_a_document_without_a_number_says_so(report):
    html = report["page"].read_text(encoding="utf-8")
    assert "552_TB-VPCP_PL2.pdf ()" not in html and ".pdf ()" not in html
    unnumbered = [d for d in report["documents"] if not d["doc_number"]]
    assert unnumbered
    assert html.count('class="missing"') >= len(unnumbered)
    assert f"Past due</strong> counts from <strong id=\"as-of\">{AS_OF.isoformat()}" in html


def test_every_task_shown_with_its_id_and_no_copies_at_first(report, browser):
    facts = _facts(report)
    assert sorted(_shown(browser)) == sorted(k for k, f in facts.items() if not f["copy"])
    browser.evaluate("document.getElementById('f-copies').click()")
    assert sorted(_shown(browser)) == sorted(facts)
    browser.evaluate("nhiemvu.reset()")


def test_search_finds_a_task_by_its_words_without_marks_and_by_its_id(report, browser):
    task = next(t for t in report["tasks"] if t["name"].startswith("Hoàn thành xây dựng Trung tâm dữ liệu quốc gia"))
    _set(browser, "q", "trung tam du lieu quoc gia")  # typed without the Vietnamese marks
    shown = _shown(browser)
    assert task["task_id"] in shown and len(shown) < len(report["tasks"]) / 4
    fold = lambda s: "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D").lower()  # noqa: E731
    facts = _facts(report)
    named = {t["task_id"] for t in report["tasks"] if "trung tam du lieu quoc gia" in fold(t["name"]) and not facts[t["task_id"]]["copy"]}
    assert named and named <= set(shown)
    _set(browser, "q", task["task_id"])
    assert _shown(browser) == [task["task_id"]]
    browser.evaluate("nhiemvu.reset()")


def test_filters_by_status_deadline_and_document(report, browser):
    facts = _facts(report)
    _set(browser, "f-status", "not_completed")
    expected = sorted(k for k, f in facts.items() if f["status"] == "not_completed" and not f["copy"])
    assert expected and sorted(_shown(browser)) == expected
    _set(browser, "f-status", "(open)")
    _set(browser, "f-deadline", "past_due")
    expected = sorted(k for k, f in facts.items() if f["past_due"] and not f["copy"])
    assert expected and sorted(_shown(browser)) == expected
    assert browser.evaluate("document.getElementById('count').textContent") == f"{len(expected)} of {len(facts)} tasks shown"
    browser.evaluate("nhiemvu.reset()")
    doc = next(d for d in report["documents"] if d["doc_number"] == "07/CT-TTg")
    _set(browser, "f-doc", doc["doc_id"])
    assert sorted(_shown(browser)) == sorted(k for k, f in facts.items() if f["doc_id"] == doc["doc_id"])
    browser.evaluate("nhiemvu.reset()")


def test_sorting_by_due_date(report, browser):
    browser.evaluate("document.querySelector('th[data-sort=due]').click()")
    dues = browser.evaluate("nhiemvu.shown().map(function (r) { return r.getAttribute('data-due'); })")
    dated = [d for d in dues if d]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # ascending, undated last
    browser.evaluate("document.querySelector('th[data-sort=due]').click()")
    dues = [d for d in browser.evaluate("nhiemvu.shown().map(function (r) { return r.getAttribute('data-due'); })") if d]
    assert dues == sorted(dues, reverse=True)


def test_drill_down_from_an_agency(report, browser):
    facts = _facts(report)
    name = "Bộ Công an"
    link = f"document.querySelector('a.drill-agency[data-agency=\"{name}\"]')"
    open_in_table = int(browser.evaluate(f"{link}.closest('tr').cells[1].textContent"))
    browser.evaluate(f"{link}.click()")
    mine = sorted(k for k, f in facts.items() if name in f["agencies"] and not f["copy"])
    assert sorted(_shown(browser)) == mine
    assert open_in_table == sum(facts[k]["open"] for k in mine)
    drill = browser.evaluate("document.getElementById('drill').textContent")
    assert drill.startswith(f"{name}: {len(mine)} tasks shown, {open_in_table} open, ")
    assert f"past due (before {AS_OF.isoformat()})" in drill
    assert browser.evaluate("document.getElementById('f-agency').value") == name
    browser.evaluate("nhiemvu.reset()")


def test_a_same_task_link_leads_to_the_other_task_even_when_filtered_out(report, browser):
    link = next(l for l in report["links"] if l["link_type"] == "same_task" and l["src_task_id"] and l["dst_task_id"])
    src, dst = link["src_task_id"], link["dst_task_id"]
    _set(browser, "q", src)
    browser.evaluate("document.getElementById('f-copies').click()")  # copies shown: the source may be one
    assert _shown(browser) == [src]
    browser.evaluate(f"document.querySelector('#t-{src} a.same-link[href=\"#t-{dst}\"]').click()")
    browser.wait_for(f"document.getElementById('t-{dst}').classList.contains('flash')")
    assert dst in _shown(browser) and browser.evaluate("location.hash") == f"#t-{dst}"
    browser.evaluate("history.replaceState(null, '', location.pathname); nhiemvu.reset()")


def test_a_thumbnail_opens_the_page_with_the_row_marked(report, browser):
    browser.evaluate("document.querySelector('a.thumb').click()")
    browser.wait_for("document.getElementById('viewer-img').complete && document.getElementById('viewer-img').naturalWidth > 0")
    assert browser.evaluate("document.getElementById('viewer').hidden") is False
    mark = browser.evaluate("(function () { var m = document.getElementById('viewer-mark').getBoundingClientRect(),"
                            " i = document.getElementById('viewer-img').getBoundingClientRect();"
                            " return [m.top - i.top, m.height, i.height]; })()")
    assert 0 < mark[0] < mark[2] and 0 < mark[1] < mark[2] / 3
    browser.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
    assert browser.evaluate("document.getElementById('viewer').hidden") is True


def test_csv_export_holds_the_rows_shown(report, browser):
    _set(browser, "f-status", "in_progress")
    shown = _shown(browser)
    rows = list(csv.DictReader(io.StringIO(browser.evaluate("nhiemvu.csv()"))))
    assert [r["task_id"] for r in rows] == shown and shown
    assert {r["status"] for r in rows} == {"in_progress"} and {r["as_of"] for r in rows} == {AS_OF.isoformat()}
    tasks = {t["task_id"]: t for t in report["tasks"]}
    for r in rows:
        assert r["task"] == tasks[r["task_id"]]["name"] and r["item"] == (tasks[r["task_id"]]["item_no"] or "")
    browser.evaluate("nhiemvu.reset()")


def test_without_pictures_the_rows_name_their_page(report, tmp_path):
    page = build_report(report["curated"], RAW, tmp_path / "bare", pictures=False, as_of=AS_OF)
    html = page.read_text(encoding="utf-8")
    assert not (tmp_path / "bare" / "pages").exists() and 'class="thumb"' not in html
    assert html.count('<tr id="t-') == len(report["tasks"])
