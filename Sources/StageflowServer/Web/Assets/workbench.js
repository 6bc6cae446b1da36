// Stageflow workbench: live status and scan list over Server-Sent Events, report filters and tabs, ZIP upload.
(function () {
  "use strict";

  var STEPS_FAILED = "Failed";

  function text(tag, value, attributes) {
    var element = document.createElement(tag);
    element.textContent = value == null ? "" : String(value);
    if (attributes) {
      Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    }
    return element;
  }

  function follow(url, handlers, liveState) {
    if (!window.EventSource) { return null; }
    var source = new EventSource(url);
    source.addEventListener("open", function () { if (liveState) { liveState.textContent = "Live: updates appear as they happen."; } });
    source.addEventListener("error", function () { if (liveState) { liveState.textContent = "Reconnecting for live updates…"; } });
    ["snapshot", "added", "modified", "deleted"].forEach(function (name) {
      source.addEventListener(name, function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (error) { return; }
        if (handlers[name]) { handlers[name](data); }
      });
    });
    return source;
  }

  // Status page.
  function statusPage(root) {
    var phaseElement = document.getElementById("job-phase");
    var stepper = document.getElementById("stepper");
    var rows = document.getElementById("scanner-rows");
    var pagesDone = document.getElementById("pages-done");
    var log = document.getElementById("log");
    var reportLink = document.getElementById("report-link");
    var failure = document.getElementById("failure");
    var seen = {};
    Array.prototype.forEach.call(log.children, function (item) { seen[item.textContent] = true; });

    function append(line) {
      if (seen[line]) { return; }
      seen[line] = true;
      log.appendChild(text("li", line));
      while (log.children.length > 200) { log.removeChild(log.firstChild); }
    }

    function render(job) {
      var status = job.status || {};
      var phase = status.phase || "Pending";
      phaseElement.textContent = phase;
      phaseElement.setAttribute("data-phase", phase);
      var steps = Array.prototype.slice.call(stepper.querySelectorAll("li[data-step]"));
      var reached = -1;
      steps.forEach(function (step, index) { if (step.getAttribute("data-step") === phase) { reached = index; } });
      stepper.setAttribute("data-failed", phase === STEPS_FAILED ? "true" : "false");
      steps.forEach(function (step, index) {
        var done = phase === "Done";
        var state = index < reached || (done && index === reached) ? "complete" : (index === reached ? "current" : "upcoming");
        step.setAttribute("data-state", state);
        if (index === reached) { step.setAttribute("aria-current", "step"); } else { step.removeAttribute("aria-current"); }
      });
      var pages = status.pages || {};
      pagesDone.textContent = (pages.scanned || 0) + " of " + (pages.total == null ? "unknown" : pages.total);
      var scanners = status.scanners || [];
      while (rows.firstChild) { rows.removeChild(rows.firstChild); }
      scanners.forEach(function (scanner) {
        var row = document.createElement("tr");
        row.setAttribute("data-scanner", scanner.name);
        row.appendChild(text("th", scanner.name, { scope: "row" }));
        row.appendChild(text("td", scanner.state, { "data-state": scanner.state || "" }));
        row.appendChild(text("td", scanner.findings == null ? "–" : scanner.findings));
        row.appendChild(text("td", scanner.message || ""));
        rows.appendChild(row);
        append("scanner " + scanner.name + " " + scanner.state + (scanner.message ? ": " + scanner.message : ""));
      });
      (status.conditions || []).forEach(function (condition) {
        append("condition " + condition.type + "=" + condition.status + (condition.reason ? " (" + condition.reason + ")" : "") +
          (condition.message ? ": " + condition.message : ""));
      });
      var finished = phase === "Done" || phase === STEPS_FAILED;
      reportLink.hidden = !finished;
      failure.hidden = phase !== STEPS_FAILED;
    }

    var uid = root.getAttribute("data-uid");
    follow(root.getAttribute("data-stream"), {
      snapshot: function (data) { (data.items || []).forEach(function (job) { if (job.metadata.uid === uid) { render(job); } }); },
      added: render,
      modified: render,
      deleted: function () { phaseElement.textContent = "Deleted"; phaseElement.setAttribute("data-phase", "Deleted"); }
    }, document.getElementById("live-state"));
  }

  // Scans page.
  function scansPage(root) {
    var rows = document.getElementById("scan-rows");
    var empty = document.getElementById("no-scans");

    function row(job) {
      var meta = job.metadata || {};
      var status = job.status || {};
      var summary = status.summary || {};
      var tr = document.createElement("tr");
      tr.setAttribute("data-uid", meta.uid);
      var th = document.createElement("th");
      th.setAttribute("scope", "row");
      var link = text("a", meta.name, { href: "/scans/" + encodeURIComponent(meta.namespace) + "/" + encodeURIComponent(meta.name) });
      th.appendChild(link);
      tr.appendChild(th);
      tr.appendChild(text("td", meta.namespace));
      tr.appendChild(text("td", status.phase || "Pending", { "data-phase": status.phase || "Pending" }));
      tr.appendChild(text("td", summary.score == null ? "–" : Math.round(summary.score)));
      tr.appendChild(text("td", summary.totalIssues == null ? "–" : summary.totalIssues));
      tr.appendChild(text("td", meta.creationTimestamp || ""));
      return tr;
    }

    function find(uid) {
      return Array.prototype.find.call(rows.children, function (tr) { return tr.getAttribute("data-uid") === uid; });
    }

    function upsert(job) {
      var existing = find(job.metadata.uid);
      var fresh = row(job);
      if (existing) { rows.replaceChild(fresh, existing); } else { rows.insertBefore(fresh, rows.firstChild); }
      empty.hidden = true;
    }

    follow(root.getAttribute("data-stream"), {
      snapshot: function (data) {
        var items = (data.items || []).slice().sort(function (a, b) {
          return (b.metadata.creationTimestamp || "").localeCompare(a.metadata.creationTimestamp || "");
        });
        while (rows.firstChild) { rows.removeChild(rows.firstChild); }
        items.forEach(function (job) { rows.appendChild(row(job)); });
        empty.hidden = items.length > 0;
      },
      added: upsert,
      modified: upsert,
      deleted: function (job) {
        var existing = find(job.metadata.uid);
        if (existing) { rows.removeChild(existing); }
        empty.hidden = rows.children.length > 0;
      }
    }, document.getElementById("live-state"));
  }

  // Report page: filters and audience tabs.
  function reportPage() {
    var filters = document.getElementById("filters");
    var issues = Array.prototype.slice.call(document.querySelectorAll("#issues > li.issue"));
    var count = document.getElementById("issue-count");

    function apply() {
      var wanted = {};
      Array.prototype.forEach.call(filters.querySelectorAll("[data-filter]"), function (control) {
        var name = control.getAttribute("data-filter");
        wanted[name] = control.type === "checkbox" ? (control.checked ? "true" : "") : control.value;
      });
      var shown = 0;
      issues.forEach(function (issue) {
        var visible = ["severity", "scanner", "page", "rule", "new"].every(function (name) {
          return !wanted[name] || issue.getAttribute("data-" + name) === wanted[name];
        }) && (!wanted.standard || (issue.getAttribute("data-standards") || "").split(" ").indexOf(wanted.standard) >= 0);
        issue.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = "Showing " + shown + " of " + issues.length + " issues";
    }

    if (filters) {
      filters.addEventListener("change", apply);
      filters.addEventListener("submit", function (event) { event.preventDefault(); });
      apply();
    }

    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), function (container) {
      var tabs = Array.prototype.slice.call(container.querySelectorAll("[role=tab]"));
      function select(tab, focus) {
        tabs.forEach(function (other) {
          var selected = other === tab;
          other.setAttribute("aria-selected", selected ? "true" : "false");
          other.tabIndex = selected ? 0 : -1;
          document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
        });
        if (focus) { tab.focus(); }
      }
      tabs.forEach(function (tab, index) {
        tab.addEventListener("click", function () { select(tab, false); });
        tab.addEventListener("keydown", function (event) {
          var next = null;
          if (event.key === "ArrowRight") { next = tabs[(index + 1) % tabs.length]; }
          if (event.key === "ArrowLeft") { next = tabs[(index - 1 + tabs.length) % tabs.length]; }
          if (event.key === "Home") { next = tabs[0]; }
          if (event.key === "End") { next = tabs[tabs.length - 1]; }
          if (next) { event.preventDefault(); select(next, true); }
        });
      });
    });
  }

  // Playground: the ZIP upload posts to the intake route; say so when this server has none.
  function playground() {
    var errors = document.getElementById("form-errors");
    if (errors) { errors.focus(); }
    var form = document.querySelector("[data-zip-form]");
    if (!form || !window.fetch || !window.FormData) { return; }
    var status = document.getElementById("zip-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      Array.prototype.forEach.call(document.querySelectorAll("input[name=scanner]:checked"), function (box) {
        data.append("scanner", box.value);
      });
      status.textContent = "Uploading…";
      fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" } }).then(function (response) {
        if (response.status === 404 || response.status === 405) {
          status.textContent = "ZIP upload is not available on this server (POST /api/v1/jobs/zip is not served). Scan URLs instead.";
          return null;
        }
        return response.json().then(function (body) {
          if (response.ok && body && body.metadata) {
            window.location.href = "/scans/" + encodeURIComponent(body.metadata.namespace) + "/" + encodeURIComponent(body.metadata.name);
          } else {
            status.textContent = "The upload was rejected: " + ((body && body.message) || response.statusText);
          }
        });
      }).catch(function (error) {
        status.textContent = "The upload failed: " + error.message;
      });
    });
  }

  // Instants in the viewer's own time zone: the server writes them in UTC.
  function localTimes() {
    Array.prototype.forEach.call(document.querySelectorAll("time[data-local]"), function (element) {
      var date = new Date(element.getAttribute("datetime"));
      if (isNaN(date.getTime())) { return; }
      element.title = element.textContent;
      element.textContent = date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    });
  }

  // Playground: show the fields of the chosen repeat, and offer the viewer's time zone.
  function repeatFields() {
    var select = document.getElementById("repeat");
    if (!select) { return; }
    var zone = document.getElementById("time-zone");
    if (zone && !zone.value && window.Intl && Intl.DateTimeFormat) {
      zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    }
    function update() {
      Array.prototype.forEach.call(document.querySelectorAll("[data-repeat]"), function (field) {
        field.hidden = field.getAttribute("data-repeat").split(" ").indexOf(select.value) < 0;
      });
    }
    select.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    repeatFields();
    var runError = document.getElementById("run-error");
    if (runError) { runError.focus(); }
    var job = document.getElementById("job");
    if (job) { statusPage(job); }
    var scans = document.getElementById("scans");
    if (scans) { scansPage(scans); }
    if (document.getElementById("report-page")) { reportPage(); }
    if (document.getElementById("url-form")) { playground(); }
  });
})();
