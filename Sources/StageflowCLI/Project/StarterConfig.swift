/// The commented `.stageflow/config.yaml` that `stageflowctl project init` writes.
public enum StarterConfig {
    /// The file's text; it parses as a valid `ProjectConfig`.
    public static let text = """
        # Stageflow project mode. `stageflowctl project` starts the dev server below, waits until it answers,
        # scans the URLs, always stops the dev server again, and exits 0 (pass), 1 (gate failed) or 2 (error).
        # `stageflowctl project doctor` checks this file, the dev command, the server and the scanners.

        scan:
          # Pages to scan: absolute http(s) URLs, at most 100; usually the dev server's.
          urls:
            - http://127.0.0.1:3000/
          # Scanners to run (`stageflowctl get scanners` lists the registered ones).
          scanners:
            - security-headers
            - link-checker
          # Dev servers listen on loopback: ask to scan private addresses. The Stageflow server must allow it
          # (`stageflow up --allow-private-targets`).
          allowPrivateTargets: true
          # An earlier ScanJob to compare with, for --fail-on-new:
          # baseline: main-nightly

        dev:
          start:
            # A shell command line, or a list of arguments run without a shell.
            cmd: npm run dev
            # Working directory, relative to the project root (the folder holding .stageflow/).
            cwd: .
            # Extra environment variables for the dev server.
            env:
              PORT: "3000"
          ready:
            # Polled until it answers with a 2xx or 3xx status.
            url: http://127.0.0.1:3000/
            timeout: 60s
            interval: 500ms
          stop:
            # Sent to the dev server's process group; SIGKILL follows when the timeout passes.
            signal: SIGTERM
            timeout: 10s

        """
}
