import Foundation
import StageflowIntake

private let scratch = FileManager.default.temporaryDirectory
    .appendingPathComponent("stageflow-fuzz-archive-\(ProcessInfo.processInfo.processIdentifier)").path
private let archivePath = scratch + "/input.zip"
private let workspacePath = scratch + "/workspace"

/// Small limits so that every limit is within reach of small inputs.
private let extractor = SafeArchiveExtractor(
    limits: .init(maxEntries: 32, maxTotalBytes: 1 << 20, maxEntryBytes: 256 << 10, maxExpansionRatio: 100, maxNameLength: 512))

/// Writes the input to a file and extracts it into an empty workspace. Crashes (the findings) are traps
/// on these invariants: a refusal leaves the workspace empty; a success leaves only regular files and
/// directories, within the limits, and nothing beside the workspace.
@_cdecl("LLVMFuzzerTestOneInput")
public func archiveReaderFuzzerInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let manager = FileManager.default
    try! manager.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    try! Data(bytes: data, count: size).write(to: URL(fileURLWithPath: archivePath))
    defer { try? manager.removeItem(atPath: workspacePath) }
    do {
        let summary = try extractor.extract(archiveAt: archivePath, into: workspacePath)
        precondition(summary.bytes <= extractor.limits.maxTotalBytes)
        var total: UInt64 = 0
        for path in try manager.subpathsOfDirectory(atPath: workspacePath) {
            let attributes = try manager.attributesOfItem(atPath: workspacePath + "/" + path)
            let type = attributes[.type] as? FileAttributeType
            precondition(type == .typeRegular || type == .typeDirectory, "\(path) is \(String(describing: type))")
            if type == .typeRegular { total += (attributes[.size] as? NSNumber)?.uint64Value ?? 0 }
        }
        precondition(total == summary.bytes, "wrote \(total) bytes, reported \(summary.bytes)")
    } catch is UnsafeArchive {
        precondition((try? manager.contentsOfDirectory(atPath: workspacePath))?.isEmpty ?? true, "refusal left files behind")
    } catch {
        // A workspace error (a name the file system refuses) is not a finding, but must not leave files.
        precondition((try? manager.contentsOfDirectory(atPath: workspacePath))?.isEmpty ?? true, "failure left files behind")
    }
    let beside = (try? manager.contentsOfDirectory(atPath: scratch)) ?? []
    precondition(Set(beside).isSubset(of: ["input.zip", "workspace"]), "wrote beside the workspace: \(beside)")
    return 0
}
