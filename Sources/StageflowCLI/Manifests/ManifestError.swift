/// Manifests that cannot be applied, with every problem found, each naming the file, the document and,
/// where known, the line and column.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    /// One line per problem: `scan.yaml: document 2: line 7, column 12: <problem>`.
    public var problems: [String]

    /// An error listing problems.
    public init(problems: [String]) {
        self.problems = problems
    }

    /// The problems, one per line.
    public var description: String { problems.joined(separator: "\n") }
}
