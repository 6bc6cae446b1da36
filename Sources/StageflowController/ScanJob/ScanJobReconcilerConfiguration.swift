import Foundation
import StageflowAPI

/// Settings of the ScanJob reconciler, with the defaults of `docs/architecture.md` (limits) resolved in one place.
public struct ScanJobReconcilerConfiguration: Sendable {
    /// argv prefix that runs `stageflow`; the reconciler appends `scanner run …`.
    public var scannerCommand: [String]
    /// Object-store location the scanner pods use (a directory or `s3://…`), passed to them on the command line.
    public var objectStoreLocation: String
    /// Whether the server permits jobs that ask for private targets.
    public var allowPrivateTargets: Bool
    /// Extracting deadline when the job sets none.
    public var defaultExtractionSeconds: Int64
    /// Scanning deadline when the job sets none.
    public var defaultScanningSeconds: Int64
    /// Memory per scanner container when neither the job nor the manifest says.
    public var defaultMemoryMiB: Int64
    /// Memory of an archive job's archive container: room for the largest extraction `docs/architecture.md` allows (1 GiB)
    /// where the workspace is a tmpfs counted against it.
    public var archiveMemoryMiB: Int64
    /// How often a running job is looked at (deadlines are checked at least this often).
    public var pollInterval: Duration
    /// Bytes of a failed scanner's log kept in its status message.
    public var logTailBytes: Int
    /// Extra environment for scanner containers.
    public var scannerEnvironment: [String: String]
    /// How the scanners installed with this controller run, by id (from `ScannerRegistry.installedEntries`): the
    /// only source of exec plugins' command lines. A Scanner naming `entry.plugin` (or one published with a
    /// command) runs the installed entry of that id, or not at all.
    public var installedEntries: [String: ScannerEntry]
    /// How often pods whose ScanJob is gone are looked for (and once at start).
    public var podCollectionInterval: Duration
    /// Names this installation on its pods (`stageflow.dev/installation`), so that the pod collector deletes only
    /// pods this installation made, not those of another one sharing the Podman service or Kubernetes namespace.
    /// `nil` labels nothing and collects every pod of the runtime (a runtime of this installation alone).
    public var installation: String?
    /// How long a scanner that exited 0 may take for its `results.json` to become readable before it counts as
    /// having written none.
    public var resultsGracePeriod: Duration
    /// How long a job may stay blocked (its pod runtime or object store unavailable) in the phases before
    /// Scanning before it fails with the cause; Scanning has its own deadline.
    public var blockedDeadline: Duration = .seconds(1800)
    /// How many times a scanner its infrastructure failed (container killed from outside, object store
    /// unreachable past its retries) is started again before it counts as failed; 0 never restarts one.
    public var scannerRestartLimit: Int = 2

    /// Defaults: deadlines 300 s / 1800 s, 1 GiB per scanner, 1.5 GiB for the archive container, polling every 2 s,
    /// 500 log bytes, orphaned pods looked for every 5 min, 30 s for a finished scanner's results to appear, 30 min
    /// blocked before Scanning, 2 restarts of a scanner its infrastructure failed.
    public init(
        scannerCommand: [String], objectStoreLocation: String, allowPrivateTargets: Bool = false,
        defaultExtractionSeconds: Int64 = 300, defaultScanningSeconds: Int64 = 1800, defaultMemoryMiB: Int64 = 1024,
        pollInterval: Duration = .seconds(2), logTailBytes: Int = 500, scannerEnvironment: [String: String] = [:],
        archiveMemoryMiB: Int64 = 1536, installedEntries: [String: ScannerEntry] = [:],
        podCollectionInterval: Duration = .seconds(300), resultsGracePeriod: Duration = .seconds(30), installation: String? = nil
    ) {
        self.installation = installation
        self.installedEntries = installedEntries
        self.podCollectionInterval = podCollectionInterval
        self.resultsGracePeriod = resultsGracePeriod
        self.archiveMemoryMiB = archiveMemoryMiB
        self.scannerCommand = scannerCommand
        self.objectStoreLocation = objectStoreLocation
        self.allowPrivateTargets = allowPrivateTargets
        self.defaultExtractionSeconds = defaultExtractionSeconds
        self.defaultScanningSeconds = defaultScanningSeconds
        self.defaultMemoryMiB = defaultMemoryMiB
        self.pollInterval = pollInterval
        self.logTailBytes = logTailBytes
        self.scannerEnvironment = scannerEnvironment
    }
}
