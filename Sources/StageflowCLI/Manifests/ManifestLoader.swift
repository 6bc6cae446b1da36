import Foundation
import StageflowAPI

/// Reads manifests from files, directories (recursively: `*.yaml`, `*.yml`, `*.json`) and standard input
/// (`-`): multi-document YAML or JSON, each document an object of a kind Stageflow serves, or a `kind: List`
/// of them. Every file is read and checked before anything is returned, so a malformed file means nothing
/// is applied; all problems are reported together.
public struct ManifestLoader: Sendable {
    /// Extensions picked up when walking a directory.
    public static let extensions: Set<String> = ["yaml", "yml", "json"]

    private let readStandardInput: @Sendable () throws -> Data

    /// A loader; `readStandardInput` supplies the text of `-`.
    public init(readStandardInput: @escaping @Sendable () throws -> Data = {
        try FileHandle.standardInput.readToEnd() ?? Data()
    }) {
        self.readStandardInput = readStandardInput
    }

    /// Every manifest in the given paths, in order (directory entries sorted by path); throws `ManifestError`
    /// listing every problem in every file.
    public func load(_ paths: [String]) throws -> [Manifest] {
        var manifests: [Manifest] = []
        var problems: [String] = []
        for path in paths {
            do {
                for file in try files(for: path) {
                    let (found, fileProblems) = try loadFile(file)
                    manifests += found
                    problems += fileProblems
                }
            } catch let error as CLIError {
                problems.append(error.message)
            }
        }
        guard problems.isEmpty else { throw ManifestError(problems: problems) }
        return manifests
    }

    /// The files a path stands for: itself, `-`, or the matching files under a directory.
    public func files(for path: String) throws -> [String] {
        if path == "-" { return ["-"] }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError("the path \"\(path)\" does not exist")
        }
        guard isDirectory.boolValue else { return [path] }
        let root = URL(fileURLWithPath: path)
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else {
            throw CLIError("the directory \"\(path)\" cannot be read")
        }
        var found: [String] = []
        for case let url as URL in enumerator where Self.extensions.contains(url.pathExtension.lowercased()) {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count))
            found.append((path as NSString).appendingPathComponent(relative))
        }
        return found.sorted()
    }

    private func loadFile(_ file: String) throws -> ([Manifest], [String]) {
        let source = file == "-" ? "STDIN" : file
        let data: Data
        if file == "-" {
            do {
                data = try readStandardInput()
            } catch {
                throw CLIError("STDIN: cannot be read: \(error)")
            }
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw CLIError("\(file): cannot be read")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return ([], ["\(source): the file is not UTF-8 text"])
        }
        return Self.parse(text, source: source)
    }

    /// The manifests in one file's text, and the problems found; `source` names the file in messages.
    public static func parse(_ text: String, source: String) -> ([Manifest], [String]) {
        let documents: [YAMLConversion.Document]
        do {
            documents = try YAMLConversion.parse(text)
        } catch let problem as YAMLConversion.Problem {
            return ([], ["\(source): \(problem)"])
        } catch {
            return ([], ["\(source): \(error)"])
        }
        var manifests: [Manifest] = []
        var problems: [String] = []
        for document in documents where !document.value.isNull {
            let prefix = "\(source): document \(document.index)"
            func at(_ key: String) -> String {
                guard let position = document.keyLines[key] else { return "line \(document.line)" }
                return "line \(position.line), column \(position.column)"
            }
            guard case .object = document.value else {
                problems.append(
                    "\(prefix): line \(document.line): expected an object with apiVersion and kind, found "
                        + "\(article(document.value.typeName))")
                continue
            }
            if isList(document.value) {
                let items = document.value["items"]?.arrayValue ?? []
                for (index, item) in items.enumerated() {
                    switch check(item, where: "line \(document.line)") {
                    case .success(let kind):
                        manifests.append(
                            Manifest(source: source, document: document.index, item: index, line: document.line, kind: kind, object: item))
                    case .failure(let problem):
                        problems.append("\(prefix): items[\(index)]: \(problem.message)")
                    }
                }
                continue
            }
            switch check(document.value, where: at("kind"), apiVersionAt: at("apiVersion"), nameAt: at("metadata")) {
            case .success(let kind):
                manifests.append(
                    Manifest(source: source, document: document.index, line: document.line, kind: kind, object: document.value))
            case .failure(let problem):
                problems.append("\(prefix): \(problem.message)")
            }
        }
        return (manifests, problems)
    }

    private static func isList(_ object: JSONValue) -> Bool {
        object["apiVersion"]?.stringValue == "v1" && object["kind"]?.stringValue == "List"
    }

    /// Checks apiVersion, kind and metadata.name of one object.
    private static func check(
        _ object: JSONValue, where kindAt: String, apiVersionAt: String? = nil, nameAt: String? = nil
    ) -> Result<ResourceKind, CLIError> {
        let apiVersionAt = apiVersionAt ?? kindAt
        let nameAt = nameAt ?? kindAt
        guard case .object = object else {
            return .failure(CLIError("\(kindAt): expected an object, found \(article(object.typeName))"))
        }
        guard let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            return .failure(CLIError("\(apiVersionAt): apiVersion is missing (expected \(ResourceKind.scanJob.apiVersion))"))
        }
        guard let kindName = object["kind"]?.stringValue, !kindName.isEmpty else {
            return .failure(CLIError("\(kindAt): kind is missing (one of \(knownKinds))"))
        }
        guard let kind = ResourceKind.forManifest(apiVersion: apiVersion, kind: kindName) else {
            if let known = ResourceKind.all.first(where: { $0.kind == kindName }) {
                return .failure(CLIError(
                    "\(apiVersionAt): apiVersion \"\(apiVersion)\" is not served for kind \(kindName) "
                        + "(expected \(known.apiVersion))"))
            }
            if ResourceKind.all.contains(where: { $0.apiVersion == apiVersion }) {
                return .failure(CLIError(
                    "\(kindAt): unknown kind \"\(kindName)\" in \(apiVersion) (one of \(knownKinds))"))
            }
            return .failure(CLIError(
                "\(apiVersionAt): apiVersion \"\(apiVersion)\" kind \"\(kindName)\" is not a Stageflow resource "
                    + "(expected \(ResourceKind.scanJob.apiVersion) with kind one of \(knownKinds))"))
        }
        guard let metadata = object["metadata"], case .object = metadata else {
            return .failure(CLIError("\(nameAt): metadata.name is missing"))
        }
        guard let name = metadata["name"]?.stringValue, !name.isEmpty else {
            return .failure(CLIError("\(nameAt): metadata.name is missing"))
        }
        if let problem = Names.dns1123LabelProblem(name) {
            return .failure(CLIError("\(nameAt): metadata.name \"\(name)\" is invalid: \(problem)"))
        }
        return .success(kind)
    }

    private static var knownKinds: String {
        ResourceKind.all.map(\.kind).joined(separator: ", ")
    }

    private static func article(_ typeName: String) -> String {
        typeName == "array" || typeName == "object" || typeName == "integer" ? "an \(typeName)" : "a \(typeName)"
    }
}
