/* nhiemvu report: search, filters, sorting, per-agency drill-down, same-task links, the page
   viewer and the CSV export of index.html. Vanilla JS, no network; shipped beside the page. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var table = $("task-table"), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var asOf = document.body.getAttribute("data-as-of");
  var controls = { q: $("q"), agency: $("f-agency"), status: $("f-status"), deadline: $("f-deadline"),
                   doc: $("f-doc"), copies: $("f-copies") };
  var fold = function (s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); };
  rows.forEach(function (r) { r._text = fold(r.textContent); });

  function addDays(iso, n) { var d = new Date(iso + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); }

  function matches(r) {
    var q = fold(controls.q.value.trim()), a = controls.agency.value, s = controls.status.value,
        dl = controls.deadline.value, doc = controls.doc.value, due = r.getAttribute("data-due");
    if (q && q.split(/\s+/).some(function (w) { return r._text.indexOf(w) < 0; })) return false;
    if (a && r.getAttribute("data-agencies").split("|").indexOf(a) < 0) return false;
    if (s === "(open)" ? r.getAttribute("data-open") !== "1" : s && r.getAttribute("data-status") !== s) return false;
    if (dl === "past_due" && r.getAttribute("data-past-due") !== "1") return false;
    if (dl === "next90" && !(due && due >= asOf && due < addDays(asOf, 90))) return false;
    if (dl === "none" && due) return false;
    if (doc && r.getAttribute("data-doc") !== doc) return false;
    if (controls.copies.checked && r.getAttribute("data-copy") === "1" && r.getAttribute("data-doc") !== doc) return false;
    return true;
  }

  function shown() { return rows.filter(function (r) { return !r.hidden; }); }

  function apply() {
    var n = 0;
    rows.forEach(function (r) { r.hidden = !matches(r); if (!r.hidden) n++; });
    $("count").textContent = n + " of " + rows.length + " tasks shown";
    var a = controls.agency.value, drill = $("drill");
    if (a) {
      var mine = shown(), open = mine.filter(function (r) { return r.getAttribute("data-open") === "1"; }).length,
          late = mine.filter(function (r) { return r.getAttribute("data-past-due") === "1"; }).length;
      drill.hidden = false;
      drill.textContent = "";
      var h = document.createElement("strong"); h.textContent = a; drill.appendChild(h);
      drill.appendChild(document.createTextNode(": " + mine.length + " tasks shown, " + open + " open, " + late +
        " past due (before " + asOf + "). "));
      var back = document.createElement("a"); back.href = "#agencies"; back.textContent = "back to the agencies";
      drill.appendChild(back);
    } else { drill.hidden = true; }
  }

  function reset() {
    controls.q.value = ""; controls.agency.value = ""; controls.status.value = ""; controls.deadline.value = "";
    controls.doc.value = ""; controls.copies.checked = true; apply();
  }

  /* sorting: click a header; again to reverse */
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    if (!th.hasAttribute("data-sort")) return;
    th.addEventListener("click", function () {
      var dir = th.classList.contains("asc") ? -1 : 1, num = th.getAttribute("data-type") === "num";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.classList.remove("asc", "desc"); });
      th.classList.add(dir === 1 ? "asc" : "desc");
      var key = function (r) { return r.cells[col].getAttribute("data-key") || ""; };
      rows.sort(function (x, y) {
        var a = key(x), b = key(y);
        if (!a !== !b) return a ? -1 : 1;  /* empty last */
        return dir * (num ? a.localeCompare(b, "vi", { numeric: true }) : a.localeCompare(b, "vi"));
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });

  /* drill-down: an agency, or a document, from the tables above */
  function drillTo(select, value) {
    reset(); select.value = value; apply();
    table.scrollIntoView();
  }
  Array.prototype.forEach.call(document.querySelectorAll("a.drill-agency"), function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); drillTo(controls.agency, a.getAttribute("data-agency")); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("a.drill-doc"), function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); drillTo(controls.doc, a.getAttribute("data-doc")); });
  });

  /* a link to a task (same task as …) shows it even when the filters hid it */
  function showTarget() {
    var id = decodeURIComponent(location.hash.slice(1)), r = id.indexOf("t-") === 0 ? $(id) : null;
    if (!r) return;
    if (r.hidden) reset();
    rows.forEach(function (x) { x.classList.remove("flash"); });
    r.classList.add("flash");
    r.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", showTarget);

  /* the page picture, with the row marked */
  var viewer = $("viewer");
  function closeViewer() { viewer.hidden = true; $("viewer-img").removeAttribute("src"); }
  Array.prototype.forEach.call(document.querySelectorAll("a.thumb"), function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var m = a.getAttribute("data-mark").split(",");
      $("viewer-img").src = a.getAttribute("href");
      $("viewer-caption").textContent = a.getAttribute("data-caption");
      var mark = $("viewer-mark").style;
      mark.left = m[0] + "%"; mark.top = m[1] + "%"; mark.width = m[2] + "%"; mark.height = m[3] + "%";
      viewer.hidden = false;
    });
  });
  viewer.addEventListener("click", closeViewer);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeViewer(); });

  /* CSV of the rows shown, in the order shown */
  var COLUMNS = ["task_id", "document", "file", "item", "section", "task", "lead", "lead_today", "deadline", "due",
                 "status", "status_as_of", "open", "past_due", "as_of", "same_task_as"];
  function cell(r, i) { return r.cells[i].getAttribute("data-key") || ""; }
  function csv() {
    var q = function (v) { v = String(v); return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
    var lines = [COLUMNS.join(",")];
    shown().forEach(function (r) {
      var sec = r.cells[2].querySelector(".sec"), file = r.cells[1].querySelector(".small:last-child");
      var same = Array.prototype.map.call(r.cells[8].querySelectorAll("a"), function (a) { return a.getAttribute("href").slice(3); });
      lines.push([r.id.slice(2), cell(r, 1), file ? file.textContent.replace(/, p\.\d+$/, "") : "", cell(r, 2),
                  sec ? sec.getAttribute("title") : "", cell(r, 3), cell(r, 4), r.getAttribute("data-agencies").replace(/\|/g, "; "),
                  cell(r, 5), cell(r, 6), cell(r, 7), (r.cells[7].querySelector(".small") || { textContent: "" }).textContent.replace("as of ", ""),
                  r.getAttribute("data-open") === "1", r.getAttribute("data-past-due") === "1", asOf, same.join(" ")].map(q).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  $("csv").addEventListener("click", function () {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob(["\ufeff" + csv()], { type: "text/csv;charset=utf-8" }));
    a.download = "nhiemvu-tasks-" + asOf + ".csv";
    document.body.appendChild(a); a.click(); a.remove();
  });

  ["input", "change"].forEach(function (ev) { $("controls").addEventListener(ev, apply); });
  $("reset").addEventListener("click", reset);
  window.nhiemvu = { apply: apply, reset: reset, csv: csv, shown: shown };
  apply();
  showTarget();
})();
