import StageflowAPI

/// Resolution of the kind names and `KIND/NAME` references users type: `sj`, `scanjobs`, `ScanJob`,
/// `scanjob.stageflow.dev`, `sj/nightly`.
public enum ResourceReference {
    /// The kind a name denotes, or an error listing the kinds there are.
    public static func kind(_ text: String) throws -> ResourceKind {
        guard let kind = ResourceKind.named(text) else {
            let known = ResourceKind.all.map { kind in
                ([kind.plural] + kind.shortNames).joined(separator: ", ")
            }.joined(separator: "; ")
            throw CLIError("the server doesn't have a resource type \"\(text)\" (known: \(known))")
        }
        return kind
    }

    /// Splits `KIND/NAME` into its kind and name.
    public static func kindAndName(_ text: String) throws -> (ResourceKind, String) {
        guard let slash = text.firstIndex(of: "/") else {
            throw CLIError("\"\(text)\" is not a KIND/NAME reference (for example scanjob/nightly)", exitCode: 2)
        }
        let name = String(text[text.index(after: slash)...])
        guard !name.isEmpty else {
            throw CLIError("\"\(text)\" names no object after the slash", exitCode: 2)
        }
        return (try kind(String(text[..<slash])), name)
    }

    /// Resolves the positional arguments of `get`, `describe`, `delete`: either `KIND [NAME…]` or
    /// `KIND/NAME…` (all of one kind).
    public static func kindAndNames(_ arguments: [String]) throws -> (ResourceKind, [String]) {
        guard let first = arguments.first else {
            throw CLIError("you must specify the type of resource (for example scanjobs)", exitCode: 2)
        }
        if first.contains("/") {
            var kind: ResourceKind?
            var names: [String] = []
            for argument in arguments {
                let (argumentKind, name) = try kindAndName(argument)
                if let kind, kind != argumentKind {
                    throw CLIError(
                        "all references must be of one kind: \"\(argument)\" is not a \(kind.singular)", exitCode: 2)
                }
                kind = argumentKind
                names.append(name)
            }
            return (kind!, names)
        }
        let kind = try kind(first)
        let names = Array(arguments.dropFirst())
        if let reference = names.first(where: { $0.contains("/") }) {
            throw CLIError(
                "there is no need to specify a resource type as a separate argument when passing arguments in "
                    + "resource/name form (\"\(reference)\")", exitCode: 2)
        }
        return (kind, names)
    }
}

extension ResourceKind {
    /// `scanjob.stageflow.dev`: how kubectl names a kind in its output.
    public var displayName: String { "\(kind.lowercased()).\(group)" }
}
