#!/usr/bin/env python3
"""Example Stageflow exec plugin: checks that every page has a <title> of a sensible length.

Contract (see PLUGINS.md): the scan plan is a JSON file named by $STAGEFLOW_PLAN, the results go to
$STAGEFLOW_RESULTS, evidence files to $STAGEFLOW_EVIDENCE_DIR, the job's configuration of this scanner is the
JSON in $STAGEFLOW_SCANNER_CONFIG. Exit 0 after writing the results; anything else fails the scanner.
Standard library only.
"""

import html.parser
import json
import os
import sys
import time
import urllib.error
import urllib.request


class TitleParser(html.parser.HTMLParser):
    """Collects the text of the first <title>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = None
        self._inside = False
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag == "title" and self.title is None:
            self._inside = True

    def handle_endtag(self, tag):
        if tag == "title" and self._inside:
            self._inside = False
            self.title = " ".join("".join(self._text).split())

    def handle_data(self, data):
        if self._inside:
            self._text.append(data)


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def fetch(url, timeout):
    request = urllib.request.Request(url, headers={"User-Agent": "stageflow-title-length/1.0"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        charset = response.headers.get_content_charset() or "utf-8"
        return response.status, response.read(5 << 20).decode(charset, errors="replace")


def check(url, config):
    """Scans one page: returns its page entry and its findings."""
    page = {"url": url, "errors": []}
    try:
        status, body = fetch(url, config.get("timeoutSeconds", 10))
    except urllib.error.HTTPError as error:
        page["httpStatus"] = error.code
        page["errors"].append(f"HTTP {error.code} {error.reason}")
        return page, []
    except Exception as error:  # timeouts, refused connections, bad URLs: a page error, not a crash
        page["errors"].append(f"cannot fetch: {error}")
        return page, []
    page["httpStatus"] = status
    parser = TitleParser()
    parser.feed(body)
    title = parser.title
    page["title"] = title
    shortest, longest = config.get("minLength", 10), config.get("maxLength", 60)
    finding = {"url": url, "selector": "head > title", "helpUrl": "https://developer.mozilla.org/en-US/docs/Web/HTML/Reference/Elements/title"}
    if not title:
        finding.update(ruleId="title-missing", title="Page has no title", severityRaw="error",
                       message="The page has no <title> or an empty one.", selector=None,
                       howToFix="Add a <title> that names the page.")
    elif len(title) < shortest:
        finding.update(ruleId="title-too-short", title="Title too short", severityRaw="warning",
                       message=f"The title \"{title}\" has {len(title)} characters; at least {shortest} describe a page better.",
                       html=f"<title>{title}</title>", howToFix="Make the title describe the page's content.")
    elif len(title) > longest:
        finding.update(ruleId="title-too-long", title="Title too long", severityRaw="warning",
                       message=f"The title has {len(title)} characters; search results cut it after about {longest}.",
                       html=f"<title>{title[:120]}</title>", howToFix=f"Shorten the title to at most {longest} characters.")
    else:
        return page, []
    return page, [{key: value for key, value in finding.items() if value is not None}]


def main():
    try:
        with open(os.environ["STAGEFLOW_PLAN"], encoding="utf-8") as file:
            plan = json.load(file)
        results_path = os.environ["STAGEFLOW_RESULTS"]
    except (KeyError, OSError, ValueError) as error:
        print(f"title-length: cannot read the scan plan: {error}", file=sys.stderr)
        return 2
    config = json.loads(os.environ.get("STAGEFLOW_SCANNER_CONFIG") or "{}")
    started = now()
    pages, findings = [], []
    for url in plan.get("urls", []):
        page, page_findings = check(url, config)
        if not page["errors"]:
            del page["errors"]
        pages.append(page)
        findings.extend(page_findings)
    failed = [page for page in pages if page.get("errors")]
    status = "success" if not failed else ("failed" if len(failed) == len(pages) else "partial")
    results = {
        "scanner": os.environ.get("STAGEFLOW_SCANNER", "title-length"),
        "toolVersion": "title-length example plugin 1.0",
        "status": status,
        "error": f"{len(failed)} of {len(pages)} pages could not be fetched" if failed else None,
        "timings": {"startedAt": started, "finishedAt": now()},
        "pages": pages,
        "findings": findings,
    }
    evidence = os.environ.get("STAGEFLOW_EVIDENCE_DIR")
    if evidence:
        with open(os.path.join(evidence, "titles.json"), "w", encoding="utf-8") as file:
            json.dump({page["url"]: page.get("title") for page in pages}, file, indent=2)
    with open(results_path, "w", encoding="utf-8") as file:
        json.dump(results, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
