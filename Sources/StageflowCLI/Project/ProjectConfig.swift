import Foundation
import StageflowAPI

/// `.stageflow/config.yaml`: what project mode scans and how it runs the dev server (`docs/architecture.md`, Project mode).
///
/// ```yaml
/// scan:
///   urls: [http://127.0.0.1:3000/]
///   scanners: [security-headers, link-checker]
/// dev:
///   start: {cmd: npm run dev, cwd: ., env: {PORT: "3000"}}
///   ready: {url: http://127.0.0.1:3000/, timeout: 60s, interval: 500ms}
///   stop: {signal: SIGTERM, timeout: 10s}
/// ```
public struct ProjectConfig: Sendable, Hashable {
    /// Where the file was read from.
    public var path: String
    /// The project root: the folder holding `.stageflow/` (or the config file's folder otherwise).
    public var root: String
    /// `scan.urls`.
    public var urls: [String]
    /// `scan.scanners` (default security-headers and link-checker).
    public var scanners: [String]
    /// `scan.allowPrivateTargets` (default true: dev servers listen on loopback).
    public var allowPrivateTargets: Bool
    /// `scan.baseline`: an earlier ScanJob to diff against.
    public var baseline: String?
    /// `dev`: the dev server, if the project has one to start.
    public var dev: DevServerConfig?

    /// A configuration.
    public init(
        path: String, root: String, urls: [String], scanners: [String] = ScanRequest.defaultScanners,
        allowPrivateTargets: Bool = true, baseline: String? = nil, dev: DevServerConfig? = nil
    ) {
        self.path = path
        self.root = root
        self.urls = urls
        self.scanners = scanners
        self.allowPrivateTargets = allowPrivateTargets
        self.baseline = baseline
        self.dev = dev
    }

    /// `.stageflow/config.yaml`.
    public static let defaultPath = ".stageflow/config.yaml"

    /// Reads and validates the file.
    public static func load(path: String) throws -> ProjectConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(
                "\(path): no such file (create one with stageflowctl project init)", exitCode: 2)
        }
        return try ProjectConfig(path: path, yaml: String(decoding: data, as: UTF8.self))
    }

    /// Parses and validates the text; errors name the file and the field (`dev.ready.timeout: expected a duration
    /// like 30s`).
    public init(path: String, yaml: String) throws {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        let folder = absolute.deletingLastPathComponent()
        let root = folder.lastPathComponent == ".stageflow" ? folder.deletingLastPathComponent() : folder
        let document: JSONValue
        do {
            document = try YAMLConversion.documents(yaml).first ?? .object([:])
        } catch let problem as YAMLConversion.Problem {
            throw CLIError("\(path): \(problem.description)", exitCode: 2)
        }
        let reader = FieldReader(path: path)
        let top = try reader.object(document, "", known: ["scan", "dev"])
        guard let scan = top["scan"] else { throw reader.error("scan", "is required (with scan.urls)") }
        let scanFields = try reader.object(scan, "scan", known: ["urls", "scanners", "allowPrivateTargets", "baseline"])
        guard let urlsValue = scanFields["urls"] else { throw reader.error("scan.urls", "is required: the pages to scan") }
        let urls = try reader.strings(urlsValue, "scan.urls")
        if urls.isEmpty { throw reader.error("scan.urls", "lists no URL") }
        for (index, url) in urls.enumerated() {
            if let problem = ScanRequest.urlProblem(url) { throw reader.error("scan.urls[\(index)]", problem) }
        }
        let scanners = try scanFields["scanners"].map { try reader.strings($0, "scan.scanners") } ?? ScanRequest.defaultScanners
        if scanners.isEmpty { throw reader.error("scan.scanners", "lists no scanner") }
        let allowPrivate = try scanFields["allowPrivateTargets"].map { try reader.bool($0, "scan.allowPrivateTargets") } ?? true
        let baseline = try scanFields["baseline"].map { try reader.string($0, "scan.baseline") }
        let dev = try top["dev"].map { try DevServerConfig(parsing: $0, reader: reader, root: root.path, defaultReadyURL: urls[0]) }
        self.init(
            path: path, root: root.path, urls: urls, scanners: scanners, allowPrivateTargets: allowPrivate, baseline: baseline,
            dev: dev)
    }
}

/// `dev`: how to start, wait for and stop the project's dev server.
public struct DevServerConfig: Sendable, Hashable {
    /// `dev.start.cmd`: a shell command line, or arguments run without a shell.
    public enum Command: Sendable, Hashable {
        /// Run by `/bin/sh -c`.
        case shell(String)
        /// Run directly.
        case arguments([String])

        /// The program the command runs first (for `project doctor`), skipping `NAME=value` assignments and `exec`.
        public var program: String? {
            switch self {
            case .arguments(let arguments): return arguments.first
            case .shell(let line):
                return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                    .first { !$0.contains("=") && $0 != "exec" }
            }
        }

        /// As written, for messages.
        public var display: String {
            switch self {
            case .shell(let line): return line
            case .arguments(let arguments): return arguments.joined(separator: " ")
            }
        }
    }

    /// `dev.start.cmd`.
    public var command: Command
    /// `dev.start.cwd`, resolved against the project root.
    public var directory: String
    /// `dev.start.env`.
    public var environment: [String: String]
    /// `dev.ready.url` (default: the first scan URL).
    public var readyURL: String
    /// `dev.ready.timeout` (default 60s).
    public var readyTimeout: Duration
    /// `dev.ready.interval` (default 500ms).
    public var readyInterval: Duration
    /// `dev.stop.signal` (default SIGTERM), sent to the dev server's process group.
    public var stopSignal: StopSignal
    /// `dev.stop.timeout` (default 10s): after it, SIGKILL.
    public var stopTimeout: Duration

    /// A dev-server configuration.
    public init(
        command: Command, directory: String, environment: [String: String] = [:], readyURL: String,
        readyTimeout: Duration = .seconds(60), readyInterval: Duration = .milliseconds(500),
        stopSignal: StopSignal = .term, stopTimeout: Duration = .seconds(10)
    ) {
        self.command = command
        self.directory = directory
        self.environment = environment
        self.readyURL = readyURL
        self.readyTimeout = readyTimeout
        self.readyInterval = readyInterval
        self.stopSignal = stopSignal
        self.stopTimeout = stopTimeout
    }

    init(parsing value: JSONValue, reader: FieldReader, root: String, defaultReadyURL: String) throws {
        let dev = try reader.object(value, "dev", known: ["start", "ready", "stop"])
        guard let startValue = dev["start"] else { throw reader.error("dev.start", "is required (with dev.start.cmd)") }
        let start = try reader.object(startValue, "dev.start", known: ["cmd", "cwd", "env"])
        guard let cmd = start["cmd"] else { throw reader.error("dev.start.cmd", "is required: the command that starts the dev server") }
        let command: Command
        switch cmd {
        case .string(let line):
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { throw reader.error("dev.start.cmd", "is empty") }
            command = .shell(line)
        case .array:
            let arguments = try reader.strings(cmd, "dev.start.cmd")
            guard !arguments.isEmpty else { throw reader.error("dev.start.cmd", "lists no program") }
            command = .arguments(arguments)
        default:
            throw reader.error("dev.start.cmd", "expected a command line or a list of arguments, found \(cmd.typeName)")
        }
        let cwd = try start["cwd"].map { try reader.string($0, "dev.start.cwd") } ?? "."
        let directory = cwd.hasPrefix("/") ? cwd : URL(fileURLWithPath: root).appendingPathComponent(cwd).standardizedFileURL.path
        var environment: [String: String] = [:]
        if let env = start["env"] {
            for (key, value) in try reader.object(env, "dev.start.env", known: nil) {
                switch value {
                case .string(let text): environment[key] = text
                case .int(let number): environment[key] = String(number)
                case .double(let number): environment[key] = String(number)
                case .bool(let flag): environment[key] = flag ? "true" : "false"
                default: throw reader.error("dev.start.env.\(key)", "expected a string, found \(value.typeName)")
                }
            }
        }
        let ready = try dev["ready"].map { try reader.object($0, "dev.ready", known: ["url", "timeout", "interval"]) } ?? [:]
        let readyURL = try ready["url"].map { try reader.string($0, "dev.ready.url") } ?? defaultReadyURL
        if let problem = ScanRequest.urlProblem(readyURL) { throw reader.error("dev.ready.url", problem) }
        let stop = try dev["stop"].map { try reader.object($0, "dev.stop", known: ["signal", "timeout"]) } ?? [:]
        var signal = StopSignal.term
        if let value = stop["signal"] {
            let name = try reader.string(value, "dev.stop.signal")
            guard let parsed = StopSignal(name: name) else {
                throw reader.error(
                    "dev.stop.signal", "unknown signal \"\(name)\" (expected one of \(StopSignal.allCases.map(\.name).joined(separator: ", ")))")
            }
            signal = parsed
        }
        self.init(
            command: command, directory: directory, environment: environment, readyURL: readyURL,
            readyTimeout: try ready["timeout"].map { try reader.duration($0, "dev.ready.timeout", positive: true) } ?? .seconds(60),
            readyInterval: try ready["interval"].map { try reader.duration($0, "dev.ready.interval", positive: true) }
                ?? .milliseconds(500),
            stopSignal: signal,
            stopTimeout: try stop["timeout"].map { try reader.duration($0, "dev.stop.timeout", positive: false) } ?? .seconds(10))
    }
}

/// The signals `dev.stop.signal` may name.
public enum StopSignal: String, CaseIterable, Sendable, Hashable {
    /// SIGTERM, the default: most dev servers exit cleanly on it.
    case term
    /// SIGINT, as Ctrl-C would send.
    case int
    /// SIGHUP.
    case hup
    /// SIGQUIT.
    case quit
    /// SIGUSR1.
    case usr1
    /// SIGUSR2.
    case usr2
    /// SIGKILL: no clean-up at all.
    case kill

    /// `SIGTERM`.
    public var name: String { "SIG" + rawValue.uppercased() }

    /// The signal number.
    public var number: Int32 {
        switch self {
        case .term: return SIGTERM
        case .int: return SIGINT
        case .hup: return SIGHUP
        case .quit: return SIGQUIT
        case .usr1: return SIGUSR1
        case .usr2: return SIGUSR2
        case .kill: return SIGKILL
        }
    }

    /// Parses `SIGTERM`, `TERM` or `term`.
    public init?(name: String) {
        var text = name.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("sig") { text.removeFirst(3) }
        self.init(rawValue: text)
    }
}

/// Reads typed fields out of the parsed YAML, with errors naming the file and the field path.
struct FieldReader {
    let path: String

    func error(_ field: String, _ problem: String) -> CLIError {
        CLIError("\(path): \(field): \(problem)", exitCode: 2)
    }

    func object(_ value: JSONValue, _ field: String, known: Set<String>?) throws -> [String: JSONValue] {
        if value.isNull { return [:] }
        guard case .object(let members) = value else {
            throw error(field.isEmpty ? "the document" : field, "expected a mapping, found \(value.typeName)")
        }
        if let known, let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            let name = field.isEmpty ? unknown : "\(field).\(unknown)"
            throw error(name, "unknown field (known: \(known.sorted().joined(separator: ", ")))")
        }
        return members
    }

    func string(_ value: JSONValue, _ field: String) throws -> String {
        guard case .string(let text) = value else { throw error(field, "expected a string, found \(value.typeName)") }
        return text
    }

    func bool(_ value: JSONValue, _ field: String) throws -> Bool {
        guard case .bool(let flag) = value else { throw error(field, "expected true or false, found \(value.typeName)") }
        return flag
    }

    func strings(_ value: JSONValue, _ field: String) throws -> [String] {
        if case .string(let single) = value { return [single] }
        guard case .array(let elements) = value else { throw error(field, "expected a list of strings, found \(value.typeName)") }
        return try elements.enumerated().map { index, element in try string(element, "\(field)[\(index)]") }
    }

    /// `30s`, `500ms`, `1m30s`, or a number of seconds.
    func duration(_ value: JSONValue, _ field: String, positive: Bool) throws -> Duration {
        let parsed: Duration?
        switch value {
        case .int(let seconds): parsed = .seconds(seconds)
        case .double(let seconds): parsed = .milliseconds(Int64((seconds * 1000).rounded()))
        case .string(let text): parsed = try? Duration(parsing: text)
        default: parsed = nil
        }
        guard let parsed else {
            let found = value.stringValue.map { "\"\($0)\"" } ?? value.typeName
            throw error(field, "expected a duration like 30s, found \(found)")
        }
        if parsed < .zero || (positive && parsed == .zero) {
            throw error(field, "expected a \(positive ? "positive" : "non-negative") duration like 30s")
        }
        return parsed
    }
}
