#!/usr/bin/env python3
"""Stageflow exec plugin: runs Google Lighthouse on every page of the plan and reports its failing audits.

Contract (manifests/plugins/PLUGINS.md): the scan plan is the JSON file named by $STAGEFLOW_PLAN, results go
to $STAGEFLOW_RESULTS, evidence (each page's Lighthouse JSON) to $STAGEFLOW_EVIDENCE_DIR, the job's
configuration of this scanner is the JSON in $STAGEFLOW_SCANNER_CONFIG. Standard library only.

Without a `lighthouse` executable on PATH the run is `skipped` (exit 0). Otherwise each page is audited with
  lighthouse URL --output=json --quiet --chrome-flags="--headless=new --no-sandbox"
(CHROME_PATH defaults to /usr/bin/chromium), and every audit that is scored (scoreDisplayMode binary, numeric
or metricSavings) below 0.9 becomes a finding: ruleId = audit id, one finding per element the audit lists
(details.items[].node: selector and snippet), else one for the page. Raw severity: "error" for a score below
0.5, "warning" from 0.5 to 0.9. Each finding names the report category of its audit's Lighthouse category
(performance, accessibility, seo; best-practices is "other"), and each page carries Lighthouse's five weighted
metrics (FCP, Speed Index, LCP, TBT, CLS) as `metrics`, so Stageflow's Performance score for the page is
Lighthouse's own (docs/scoring.md).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time

PASS_SCORE = 0.9
SCORED_MODES = ("binary", "numeric", "metricSavings")
NOT_INSTALLED = "lighthouse is not installed (npm install -g lighthouse)"
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
CATEGORIES = {"performance": "performance", "accessibility": "accessibility", "seo": "seo", "best-practices": "other"}
METRICS = {"first-contentful-paint": "fcpMs", "speed-index": "speedIndexMs", "largest-contentful-paint": "lcpMs",
           "total-blocking-time": "tbtMs", "cumulative-layout-shift": "cls"}


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def plain_text(markdown):
    """Lighthouse descriptions are markdown: keep link texts but drop "Learn more" links (helpUrl has them),
    the URLs and code backticks."""
    def link_text(match):
        return "" if match.group(1).lower().startswith("learn") else match.group(1)
    text = MARKDOWN_LINK.sub(link_text, markdown or "").replace("`", "")
    text = re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text)).strip()
    return re.sub(r"\.\.$", ".", text)


def first_link(markdown):
    match = MARKDOWN_LINK.search(markdown or "")
    return match.group(2) if match else None


def audit_nodes(audit):
    """The elements an audit names: (selector, snippet) of details.items[].node, without repeats."""
    details = audit.get("details") or {}
    nodes, seen = [], set()
    for item in details.get("items") or []:
        node = item.get("node") if isinstance(item, dict) else None
        if not isinstance(node, dict) or not node.get("selector"):
            continue
        if node["selector"] in seen:
            continue
        seen.add(node["selector"])
        nodes.append((node["selector"], node.get("snippet")))
    return nodes


def audit_categories(report):
    """Audit id -> Stageflow report category, from the report's categories and their audit references."""
    categories = {}
    for name, category in sorted((report.get("categories") or {}).items()):
        for reference in category.get("auditRefs") or []:
            if reference.get("id") and name in CATEGORIES:
                categories.setdefault(reference["id"], CATEGORIES[name])
    return categories


def page_metrics(report, form_factor):
    """The weighted lab metrics of one report, as results.json's pages[].metrics; None without any."""
    metrics = {}
    for audit_id, field in METRICS.items():
        value = ((report.get("audits") or {}).get(audit_id) or {}).get("numericValue")
        if isinstance(value, (int, float)):
            metrics[field] = value
    return dict(metrics, formFactor=form_factor) if metrics else None


def findings_for(report, url):
    """Findings for the failing scored audits of one Lighthouse report (its JSON as a dict)."""
    findings = []
    categories = audit_categories(report)
    for audit_id, audit in sorted((report.get("audits") or {}).items()):
        score = audit.get("score")
        if audit.get("scoreDisplayMode") not in SCORED_MODES or not isinstance(score, (int, float)):
            continue
        if score >= PASS_SCORE:
            continue
        description = audit.get("description") or ""
        base = {
            "ruleId": audit.get("id") or audit_id,
            "title": audit.get("title") or audit_id,
            "message": audit.get("displayValue") or plain_text(description) or audit.get("title") or audit_id,
            "severityRaw": "error" if score < 0.5 else "warning",
            "url": url,
            "howToFix": plain_text(description) or None,
            "helpUrl": first_link(description),
            "category": categories.get(audit.get("id") or audit_id),
        }
        nodes = audit_nodes(audit)
        if not nodes:
            findings.append({key: value for key, value in base.items() if value is not None})
        for selector, snippet in nodes:
            finding = dict(base, selector=selector, html=snippet)
            findings.append({key: value for key, value in finding.items() if value is not None})
    return findings


def last_line(text):
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def audit_page(executable, url, config, environment, timeout):
    """Runs Lighthouse on one page: returns (page entry, findings, report or None)."""
    page = {"url": url, "errors": []}
    command = [executable, url, "--output=json", "--quiet", "--chrome-flags=--headless=new --no-sandbox"]
    if config.get("formFactor", "mobile") == "desktop":
        command.append("--preset=desktop")
    categories = config.get("categories")
    if categories:
        command.append("--only-categories=" + ",".join(categories))
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=environment)
    except subprocess.TimeoutExpired:
        page["errors"].append(f"lighthouse did not finish within {timeout} s")
        return page, [], None
    except OSError as error:
        page["errors"].append(f"cannot run lighthouse: {error}")
        return page, [], None
    if run.returncode != 0:
        page["errors"].append(f"lighthouse exited with status {run.returncode}: {last_line(run.stderr) or 'no message'}")
        return page, [], None
    try:
        report = json.loads(run.stdout)
    except ValueError as error:
        page["errors"].append(f"lighthouse wrote no JSON report: {error}")
        return page, [], None
    runtime_error = report.get("runtimeError")
    if isinstance(runtime_error, dict) and runtime_error.get("code"):
        page["errors"].append(f"lighthouse could not audit the page: {runtime_error.get('code')}: {runtime_error.get('message', '')}".strip())
        return page, [], report
    metrics = page_metrics(report, config.get("formFactor", "mobile"))
    if metrics:
        page["metrics"] = metrics
    return page, findings_for(report, url), report


def main():
    try:
        with open(os.environ["STAGEFLOW_PLAN"], encoding="utf-8") as file:
            plan = json.load(file)
        results_path = os.environ["STAGEFLOW_RESULTS"]
    except (KeyError, OSError, ValueError) as error:
        print(f"lighthouse plugin: cannot read the scan plan: {error}", file=sys.stderr)
        return 2
    config = json.loads(os.environ.get("STAGEFLOW_SCANNER_CONFIG") or "{}")
    scanner = os.environ.get("STAGEFLOW_SCANNER", "lighthouse")
    started = now()
    results = {"scanner": scanner, "toolVersion": "lighthouse", "status": "success", "error": None,
               "pages": [], "findings": []}

    executable = shutil.which("lighthouse")
    if executable is None:
        results.update(status="skipped", error=NOT_INSTALLED)
    else:
        environment = dict(os.environ)
        environment.setdefault("CHROME_PATH", "/usr/bin/chromium")
        timeout = int(config.get("timeoutSeconds", 120))
        evidence = os.environ.get("STAGEFLOW_EVIDENCE_DIR")
        for index, url in enumerate(plan.get("urls", [])):
            page, findings, report = audit_page(executable, url, config, environment, timeout)
            if report is not None:
                results["toolVersion"] = f"lighthouse {report.get('lighthouseVersion', '')}".strip()
                if evidence:
                    with open(os.path.join(evidence, f"lighthouse-{index + 1}.json"), "w", encoding="utf-8") as file:
                        json.dump(report, file)
            if not page["errors"]:
                del page["errors"]
            results["pages"].append(page)
            results["findings"].extend(findings)
        failed = [page for page in results["pages"] if page.get("errors")]
        if failed:
            results["status"] = "failed" if len(failed) == len(results["pages"]) else "partial"
            results["error"] = f"{len(failed)} of {len(results['pages'])} pages could not be audited"
    results["timings"] = {"startedAt": started, "finishedAt": now()}
    with open(results_path, "w", encoding="utf-8") as file:
        json.dump(results, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
