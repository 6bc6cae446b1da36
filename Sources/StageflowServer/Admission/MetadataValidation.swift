import StageflowAPI

/// The checks of `metadata` that Kubernetes applies to every object, whatever its schema: the name, label
/// and annotation syntax, finalizer names and the types of these fields.
enum MetadataValidation {
    /// Largest total size of all annotations, as in Kubernetes.
    static let annotationsSizeLimit = 256 * 1024

    /// Type errors in `metadata` (labels that are not strings, say), which Kubernetes reports while decoding:
    /// a 400 before any validation.
    static func checkTypes(_ object: JSONValue, kind: ResourceKind) throws {
        guard let metadata = object["metadata"] else { return }
        func fail(_ field: String, _ expected: String, _ value: JSONValue) -> APIStatus {
            .badRequest(
                "\(kind.kind) in version \"\(kind.version)\" cannot be handled as a \(kind.kind): "
                    + "metadata.\(field): expected \(expected), got \(value.typeName)")
        }
        guard case .object(let members) = metadata else { throw fail("", "object", metadata) }
        for field in ["name", "generateName", "namespace", "resourceVersion", "uid"] {
            if let value = members[field], !value.isNull, value.stringValue == nil { throw fail(field, "string", value) }
        }
        for field in ["labels", "annotations"] {
            guard let value = members[field], !value.isNull else { continue }
            guard case .object(let entries) = value else { throw fail(field, "map of strings", value) }
            for (key, entry) in entries where entry.stringValue == nil {
                throw fail("\(field).\(key)", "string", entry)
            }
        }
        if let value = members["finalizers"], !value.isNull {
            guard case .array(let entries) = value, entries.allSatisfy({ $0.stringValue != nil }) else {
                throw fail("finalizers", "array of strings", value)
            }
        }
    }

    /// Every problem with the name, namespace, labels, annotations and finalizers of an object, as causes.
    static func causes(of object: JSONValue, kind: ResourceKind) -> [APIStatus.Cause] {
        var causes: [APIStatus.Cause] = []
        let metadata = object["metadata"]
        let name = metadata?["name"]?.stringValue ?? ""
        if name.isEmpty {
            causes.append(
                .init(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name"))
        } else if let problem = Names.dns1123LabelProblem(name) {
            causes.append(invalid("metadata.name", name, problem))
        }
        if kind.namespaced, let namespace = metadata?["namespace"]?.stringValue,
            let problem = Names.dns1123LabelProblem(namespace)
        {
            causes.append(invalid("metadata.namespace", namespace, problem))
        }
        for (key, value) in (metadata?["labels"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for problem in qualifiedNameProblems(key) {
                causes.append(invalid("metadata.labels", key, problem))
            }
            if let text = value.stringValue, let problem = labelValueProblem(text) {
                causes.append(invalid("metadata.labels", text, problem))
            }
        }
        var annotationBytes = 0
        for (key, value) in (metadata?["annotations"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for problem in qualifiedNameProblems(key.lowercased()) {
                causes.append(invalid("metadata.annotations", key, problem))
            }
            annotationBytes += key.utf8.count + (value.stringValue?.utf8.count ?? 0)
        }
        if annotationBytes > annotationsSizeLimit {
            causes.append(
                .init(
                    reason: "FieldValueTooLong", message: "Too long: must have at most \(annotationsSizeLimit) bytes",
                    field: "metadata.annotations"))
        }
        for (index, finalizer) in (metadata?["finalizers"]?.arrayValue ?? []).enumerated() {
            guard let text = finalizer.stringValue else { continue }
            for problem in qualifiedNameProblems(text) {
                causes.append(invalid("metadata.finalizers[\(index)]", text, problem))
            }
        }
        return causes
    }

    private static func invalid(_ field: String, _ value: String, _ problem: String) -> APIStatus.Cause {
        .init(reason: "FieldValueInvalid", message: "Invalid value: \(JSONValue.string(value).jsonString()): \(problem)", field: field)
    }

    /// Problems with a qualified name (`example.com/name` or `name`), as Kubernetes words them.
    static func qualifiedNameProblems(_ value: String) -> [String] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        var problems: [String] = []
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                problems.append("prefix part must be non-empty")
            } else if let problem = dns1123SubdomainProblem(prefix) {
                problems.append("prefix part \(problem)")
            }
        default:
            return [
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                    + "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
                    + "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                    + "(e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            problems.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            problems.append("name part must be no more than 63 characters")
        } else if !isQualifiedToken(name) {
            problems.append(
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                    + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                    + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
        }
        return problems
    }

    /// The problem with a label value (empty, or a qualified token of at most 63 characters), or `nil`.
    static func labelValueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if value.utf8.count > 63 { return "must be no more than 63 characters" }
        if !isQualifiedToken(value) {
            return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
                + "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
                + "used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        }
        return nil
    }

    /// The problem with a DNS-1123 subdomain (`example.com`), or `nil`.
    static func dns1123SubdomainProblem(_ value: String) -> String? {
        if value.utf8.count > 253 { return "must be no more than 253 characters" }
        let valid = value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last else { return false }
            return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
                && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
        if valid { return nil }
        return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
            + "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    private static func isQualifiedToken(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}
