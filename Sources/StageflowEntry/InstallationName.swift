import Foundation

/// The name an installation gives its scanner pods (`stageflow.dev/installation`), so that its pod collector
/// deletes only pods it made: a Podman service or Kubernetes namespace may be shared by several installations.
/// A short hash of what identifies the installation — the data directory on this host for `stageflow up`, the API
/// server or database for `stageflow controller` — unless `--installation` names it; valid as a Kubernetes
/// label value.
enum InstallationName {
    /// The name for `source`, or `explicit` when given.
    static func make(explicit: String?, source: String) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in source.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return "i-" + String(hash, radix: 16)
    }

    /// Whether `name` can label pods: a Kubernetes label value (at most 63 characters of letters, digits, `-`,
    /// `_` and `.`, starting and ending with a letter or digit).
    static func isValid(_ name: String) -> Bool {
        guard (1...63).contains(name.count), let first = name.first, let last = name.last,
            first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
