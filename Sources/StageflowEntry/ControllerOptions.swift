import ArgumentParser
import Foundation
import StageflowNotify

/// Flags shared by every process that runs the controllers (`stageflow up`, `stageflow controller`).
struct ControllerOptions: ParsableArguments {
    @Option(name: .long, help: "Pod runtime: process, podman or kubernetes (env STAGEFLOW_RUNTIME).")
    var runtime: RuntimeChoice = Environment.string("STAGEFLOW_RUNTIME").flatMap(RuntimeChoice.init(rawValue:)) ?? .process

    @Option(name: .long, help: "Podman API socket (env STAGEFLOW_PODMAN_SOCKET).")
    var podmanSocket: String = Environment.string("STAGEFLOW_PODMAN_SOCKET") ?? "/run/podman/podman.sock"

    @Option(
        name: .long,
        help: "Scanner container image; without one, containers run the host's own build through a read-only overlay of the host root (env STAGEFLOW_SCANNER_IMAGE)."
    )
    var scannerImage: String? = Environment.string("STAGEFLOW_SCANNER_IMAGE")

    @Option(name: .long, help: "Object store: a directory or s3://bucket?endpoint=… (env STAGEFLOW_OBJECT_STORE).")
    var objectStore: String? = Environment.string("STAGEFLOW_OBJECT_STORE")

    @Option(
        name: .long,
        help: "Directory of scanner manifests to use instead of the built-in ones compiled into stageflow (env STAGEFLOW_MANIFESTS_DIR).")
    var manifestsDir: String? = Environment.string("STAGEFLOW_MANIFESTS_DIR")

    @Option(
        name: .customLong("plugin-dir"),
        help: ArgumentHelp(
            "Directory of exec plugin manifests to install, repeatable; with /plugins, ~/.stageflow/plugins and PLUGIN_PATHS, the only source of plugin command lines (env STAGEFLOW_PLUGIN_DIRS, colon-separated).",
            valueName: "dir"))
    var pluginDirs: [String] = (Environment.string("STAGEFLOW_PLUGIN_DIRS") ?? "").split(separator: ":").map(String.init)

    @Option(name: .long, help: "Reconcile workers (env STAGEFLOW_WORKERS).")
    var workers: Int = Environment.string("STAGEFLOW_WORKERS").flatMap(Int.init) ?? 4

    @Option(
        name: .long,
        help: "Seconds an unrenewed leader lease stays valid; a standby takes over after it (env STAGEFLOW_LEADER_LEASE_SECONDS).")
    var leaderLeaseSeconds: Int = Environment.string("STAGEFLOW_LEADER_LEASE_SECONDS").flatMap(Int.init) ?? 10

    @Option(
        name: .long,
        help: "Seconds a job may stay blocked (pod runtime or object store unavailable) before it starts scanning; then it fails with the cause (env STAGEFLOW_BLOCKED_DEADLINE_SECONDS).")
    var blockedDeadlineSeconds: Int = Environment.string("STAGEFLOW_BLOCKED_DEADLINE_SECONDS").flatMap(Int.init) ?? 1800

    @Option(
        name: .long,
        help: "Times a scanner whose container was killed from outside or whose object store stayed unreachable is started again before it fails; 0 never (env STAGEFLOW_SCANNER_RESTARTS).")
    var scannerRestarts: Int = Environment.string("STAGEFLOW_SCANNER_RESTARTS").flatMap(Int.init) ?? 2

    @OptionGroup var kubernetes: KubernetesOptions

    @Flag(
        name: .long,
        help: "Let schedules' notify webhooks reach private addresses (loopback, RFC 1918); public ones only without it (env STAGEFLOW_ALLOW_PRIVATE_WEBHOOKS).")
    var allowPrivateWebhooks: Bool = Environment.flag("STAGEFLOW_ALLOW_PRIVATE_WEBHOOKS")

    @Option(
        name: .long,
        help: "Directory of the files a notify target's urlSecretRef names, each holding a webhook URL (env STAGEFLOW_NOTIFY_SECRETS_DIR).")
    var notifySecretsDir: String? = Environment.string("STAGEFLOW_NOTIFY_SECRETS_DIR")

    @Option(
        name: .long,
        help: "Where people reach the workbench (https://stageflow.example); notifications link to run reports there (env STAGEFLOW_WORKBENCH_URL).")
    var workbenchURL: String? = Environment.string("STAGEFLOW_WORKBENCH_URL")

    @Option(
        name: .long,
        help: "Name of this installation on its scanner pods, so several installations can share a Podman service or Kubernetes namespace; by default derived from the data directory (up) or the API server or database (controller) (env STAGEFLOW_INSTALLATION).")
    var installation: String? = Environment.string("STAGEFLOW_INSTALLATION")

    /// How the ScanSchedule controller delivers notifications, from these flags.
    var webhookDelivery: WebhookDelivery {
        WebhookDelivery(
            configuration: .init(allowPrivateTargets: allowPrivateWebhooks, secretsDirectory: notifySecretsDir))
    }

    func validate() throws {
        guard leaderLeaseSeconds >= 2, leaderLeaseSeconds <= 300 else {
            throw ValidationError("--leader-lease-seconds must be between 2 and 300")
        }
        guard workers >= 1, workers <= 256 else { throw ValidationError("--workers must be between 1 and 256") }
        guard blockedDeadlineSeconds >= 1 else { throw ValidationError("--blocked-deadline-seconds must be at least 1") }
        guard scannerRestarts >= 0, scannerRestarts <= 10 else { throw ValidationError("--scanner-restarts must be between 0 and 10") }
        if let installation, !InstallationName.isValid(installation) {
            throw ValidationError(
                "--installation \"\(installation)\" must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
        }
    }
}

/// Which pod runtime runs scanner containers.
enum RuntimeChoice: String, ExpressibleByArgument, CaseIterable {
    case process
    case podman
    case kubernetes
}
