import ArgumentParser
import Foundation
import Hummingbird
import Logging
import StageflowAPI
import StageflowIntake
import StageflowObjectStore

/// `stageflow archive`: the archive side of a job's pod.
public struct ArchiveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Extract an uploaded archive and serve it to the scanners of its job.",
        subcommands: [ArchiveServeCommand.self]
    )

    public init() {}
}

/// `stageflow archive serve --object-store LOC --archive KEY --site KEY --workspace DIR`: the archive container of
/// a job's pod during Extracting and Scanning. Downloads the staged archive, extracts it with
/// `SafeArchiveExtractor` into the workspace (a tmpfs in a Podman pod), serves the extracted files on an ephemeral
/// loopback port and writes the outcome to the site key (`artifacts/<job-uid>/site.json`); the controller reads it
/// and plans the scan. It then serves until it is stopped (the pod is deleted when the job finishes).
///
/// Exit codes: 0 after a graceful stop, 3 when the archive was refused (the site key says which check), 2 for bad
/// arguments, 1 for any other failure (with the site key written when the object store is reachable).
struct ArchiveServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Extract a staged archive into a workspace and serve it on loopback until stopped."
    )

    @Option(name: .long, help: "Object store: a directory, file:// URL or s3://bucket?endpoint=… (env STAGEFLOW_OBJECT_STORE).")
    var objectStore: String = Environment.string("STAGEFLOW_OBJECT_STORE") ?? ""

    @Option(name: .long, help: "Object key of the staged archive, staging/<job-uid>/<file>.zip.")
    var archive: String = ""

    @Option(name: .long, help: "Object key the outcome is written to, artifacts/<job-uid>/site.json.")
    var site: String = ""

    @Option(name: .long, help: "Directory the archive is downloaded to and extracted under; created when missing (env STAGEFLOW_WORKSPACE).")
    var workspace: String = Environment.string("STAGEFLOW_WORKSPACE") ?? "workspace"

    @Option(name: .long, help: "Address to serve on; only loopback makes sense, since scanners share the pod's network.")
    var host: String = "127.0.0.1"

    func run() async throws {
        let missing = [("--object-store", objectStore), ("--archive", archive), ("--site", site)].filter { $0.1.isEmpty }.map { $0.0 }
        guard missing.isEmpty else {
            FileHandle.standardError.write(Data("stageflow archive serve: missing \(missing.joined(separator: ", "))\n".utf8))
            throw ExitCode(2)
        }
        let logger = Logger(label: "stageflow.archive")
        let objects: any ObjectStore
        do {
            objects = try ObjectStoreLocation(parsing: objectStore).makeStore(logger: logger)
        } catch {
            FileHandle.standardError.write(Data("stageflow archive serve: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let root = URL(fileURLWithPath: workspace, isDirectory: true)
        let outcome = await ArchiveSitePreparation(objects: objects, archiveKey: archive, workspace: root).prepare()
        guard case .extracted(let siteRoot, let extracted) = outcome else {
            let report = outcome.report
            try? await objects.put(site, data: try JSONEncoder().encode(report), contentType: "application/json")
            FileHandle.standardError.write(Data("stageflow archive serve: \(report.message ?? report.state.rawValue)\n".utf8))
            throw ExitCode(report.state == .rejected ? 3 : 1)
        }
        let siteKey = site
        let host = self.host
        let router = Router()
        router.add(middleware: FileMiddleware(siteRoot.path, searchForIndexHtml: true, logger: logger))
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: 0), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                var report = extracted
                report.origin = "http://\(host):\(port)"
                do {
                    try await objects.put(siteKey, data: try JSONEncoder().encode(report), contentType: "application/json")
                    logger.info("serving the extracted archive", metadata: ["origin": "\(report.origin ?? "")", "files": "\(report.files ?? 0)"])
                } catch {
                    // Without the site key the controller cannot plan the scan; it fails the job at the Extracting
                    // deadline, or sooner when this process is gone.
                    FileHandle.standardError.write(Data("stageflow archive serve: cannot write \(siteKey): \(error)\n".utf8))
                    Foundation.exit(1)
                }
            },
            logger: logger)
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// Downloads a staged archive and extracts it into a workspace under `SafeArchiveExtractor`'s limits.
struct ArchiveSitePreparation {
    let objects: any ObjectStore
    let archiveKey: String
    let workspace: URL

    enum Outcome {
        /// Extracted into `root`; the report lacks only the origin.
        case extracted(root: URL, report: ArchiveSite)
        /// Refused or failed; the report says why.
        case refused(ArchiveSite)

        var report: ArchiveSite {
            switch self {
            case .extracted(_, let report), .refused(let report): return report
            }
        }
    }

    func prepare() async -> Outcome {
        let archiveFile = workspace.appendingPathComponent("archive.zip")
        let siteRoot = workspace.appendingPathComponent("site", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        } catch {
            return .refused(ArchiveSite(state: .failed, message: "cannot create the workspace \(workspace.path): \(error.localizedDescription)"))
        }
        do {
            try await objects.get(archiveKey, to: archiveFile)
        } catch {
            return .refused(ArchiveSite(state: .failed, message: "cannot download the archive \(archiveKey): \(error)"))
        }
        defer { try? FileManager.default.removeItem(at: archiveFile) }
        do {
            let summary = try SafeArchiveExtractor().extract(archiveAt: archiveFile.path, into: siteRoot.path)
            let pages = try ExtractedSite.pages(in: siteRoot.path, limit: ArchiveSite.maxPages)
            guard !pages.isEmpty else {
                return .refused(ArchiveSite(state: .failed, files: summary.files, bytes: Int64(summary.bytes), message: "the archive holds no HTML page"))
            }
            return .extracted(
                root: siteRoot,
                report: ArchiveSite(state: .serving, pages: pages, files: summary.files, bytes: Int64(summary.bytes)))
        } catch let refusal as UnsafeArchive {
            return .refused(
                ArchiveSite(state: .rejected, check: refusal.check.description, message: "\(refusal.check): \(refusal.description)"))
        } catch {
            return .refused(ArchiveSite(state: .failed, message: "cannot extract the archive: \(error)"))
        }
    }
}
