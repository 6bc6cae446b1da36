import Foundation
import StageflowAPI

/// What `scan` and `project` ask for: the ScanJob object they create.
public struct ScanRequest: Sendable, Hashable {
    /// The default scanners when none are named.
    public static let defaultScanners = ["security-headers", "link-checker"]

    /// Absolute http(s) URLs.
    public var urls: [String]
    /// Scanner ids.
    public var scanners: [String]
    /// A fixed name, or `nil` for a generated one.
    public var name: String?
    /// The prefix of a generated name.
    public var generateName: String
    /// The namespace.
    public var namespace: String
    /// Ask to scan private addresses.
    public var allowPrivateTargets: Bool
    /// The baseline ScanJob.
    public var baseline: String?
    /// Recorded as `spec.failOn`.
    public var failOn: Severity?

    /// A request.
    public init(
        urls: [String], scanners: [String] = ScanRequest.defaultScanners, name: String? = nil, generateName: String = "scan-",
        namespace: String = Names.defaultNamespace, allowPrivateTargets: Bool = false, baseline: String? = nil,
        failOn: Severity? = nil
    ) {
        self.urls = urls
        self.scanners = scanners
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.allowPrivateTargets = allowPrivateTargets
        self.baseline = baseline
        self.failOn = failOn
    }

    /// Checks a URL to scan: absolute http(s) with a host, no credentials, at most 2048 characters.
    public static func urlProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return "\"\(text)\" is not an absolute http(s) URL" }
        if url.user != nil || url.password != nil { return "\"\(text)\" carries credentials, which are not allowed" }
        if text.count > 2048 { return "\"\(text.prefix(60))…\" is longer than 2048 characters" }
        return nil
    }

    /// Checks the URLs and scanners, with messages naming the offending value.
    public func validate() throws {
        if urls.isEmpty { throw CLIError("give at least one URL to scan", exitCode: 2) }
        if urls.count > 100 { throw CLIError("at most 100 URLs can be scanned at once (got \(urls.count))", exitCode: 2) }
        for url in urls {
            if let problem = Self.urlProblem(url) { throw CLIError(problem, exitCode: 2) }
        }
        if scanners.isEmpty { throw CLIError("give at least one scanner", exitCode: 2) }
        if let name, let problem = Names.dns1123LabelProblem(name) {
            throw CLIError("invalid name \"\(name)\": \(problem)", exitCode: 2)
        }
    }

    /// The ScanJob to create.
    public var object: JSONValue {
        var metadata: [String: JSONValue] = ["namespace": .string(namespace)]
        if let name { metadata["name"] = .string(name) } else { metadata["generateName"] = .string(generateName) }
        var spec: [String: JSONValue] = [
            "target": ["urls": .array(urls.map { .string($0) })],
            "scanners": .array(scanners.map { ["name": .string($0)] }),
        ]
        if allowPrivateTargets { spec["allowPrivateTargets"] = true }
        if let baseline { spec["baselineRef"] = ["name": .string(baseline)] }
        if let failOn { spec["failOn"] = .string(failOn.rawValue) }
        return [
            "apiVersion": .string(ResourceKind.scanJob.apiVersion), "kind": .string(ResourceKind.scanJob.kind),
            "metadata": .object(metadata), "spec": .object(spec),
        ]
    }
}
