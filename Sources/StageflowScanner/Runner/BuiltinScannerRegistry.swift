/// The scanners compiled into `stageflow`, by id: whole-run scanners (`BuiltinScanner`) and page scanners
/// (`PageScanner`), which a runner runs together over one load of each page.
public struct BuiltinScannerRegistry: Sendable {
    private let scanners: [String: any BuiltinScanner]
    private let pageScanners: [String: any PageScanner]

    /// A registry of the given scanners (a later one with the same id replaces an earlier one).
    public init(_ scanners: [any BuiltinScanner], pageScanners: [any PageScanner] = []) {
        var byID: [String: any BuiltinScanner] = [:]
        for scanner in scanners { byID[scanner.id] = scanner }
        self.scanners = byID
        var pagesByID: [String: any PageScanner] = [:]
        for scanner in pageScanners { pagesByID[scanner.id] = scanner }
        self.pageScanners = pagesByID
    }

    /// The scanners that ship with Stageflow.
    public static let standard = BuiltinScannerRegistry(
        [SecurityHeadersScanner(), LinkCheckerScanner()],
        pageScanners: [AxeScanner(), PerformanceScanner(), SEOScanner(), OpenGraphScanner(), SpellingScanner()])

    /// The whole-run scanner registered under `id`.
    public func scanner(_ id: String) -> (any BuiltinScanner)? {
        scanners[id]
    }

    /// The page scanner registered under `id`.
    public func pageScanner(_ id: String) -> (any PageScanner)? {
        pageScanners[id]
    }

    /// Every registered id, sorted.
    public var ids: [String] { Set(scanners.keys).union(pageScanners.keys).sorted() }
}
