import StageflowAPI

/// The scanners the controller may run, read from the Scanner informer's cache.
public struct ScannerCatalog: Sendable {
    private let lookup: @Sendable (String) -> ScannerSpec?

    /// A catalog backed by the cached `Scanner` objects.
    public init(cache: ObjectCache) {
        lookup = { id in
            try? cache.get(ObjectName(namespace: nil, name: id))?["spec"]?.decode(as: ScannerSpec.self)
        }
    }

    /// A fixed catalog, for tests.
    public init(_ specs: [ScannerSpec]) {
        let byID = Dictionary(specs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        lookup = { byID[$0] }
    }

    /// The manifest of a scanner, if registered.
    public func spec(_ id: String) -> ScannerSpec? { lookup(id) }
}
