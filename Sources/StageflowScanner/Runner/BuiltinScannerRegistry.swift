/// The built-in scanners by id.
public struct BuiltinScannerRegistry: Sendable {
    private let scanners: [String: any BuiltinScanner]

    /// A registry of the given scanners (a later one with the same id replaces an earlier one).
    public init(_ scanners: [any BuiltinScanner]) {
        var byID: [String: any BuiltinScanner] = [:]
        for scanner in scanners { byID[scanner.id] = scanner }
        self.scanners = byID
    }

    /// The scanners that ship with Stageflow and need no browser: `security-headers` and `link-checker`.
    public static let standard = BuiltinScannerRegistry([SecurityHeadersScanner(), LinkCheckerScanner()])

    /// The scanner registered under `id`.
    public func scanner(_ id: String) -> (any BuiltinScanner)? {
        scanners[id]
    }

    /// Every registered id, sorted.
    public var ids: [String] { scanners.keys.sorted() }
}
