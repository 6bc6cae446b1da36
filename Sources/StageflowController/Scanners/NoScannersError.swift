/// Start-up found no scanner to register: a controller without scanners would accept jobs it can never run.
/// Says where it looked and what to do.
public struct NoScannersError: Error, CustomStringConvertible, Sendable {
    /// Where manifests were looked for, in order.
    public let searched: [String]
    /// Why the search came to nothing, when one place explains it (an empty or missing `--manifests-dir`).
    public let reason: String?

    /// An error naming the places searched.
    public init(searched: [String], reason: String? = nil) {
        self.searched = searched
        self.reason = reason
    }

    public var description: String {
        let places = searched.isEmpty ? "nowhere" : searched.joined(separator: ", ")
        return "no scanner manifests to register\(reason.map { ": \($0)" } ?? "") (looked in \(places)); "
            + "the built-in manifests are compiled into stageflow, so drop --manifests-dir (env STAGEFLOW_MANIFESTS_DIR) "
            + "or point it at a directory of scanner manifests (*.yaml)"
    }
}
