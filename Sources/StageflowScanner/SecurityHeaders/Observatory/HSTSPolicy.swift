/// What the HSTS header says, for the extra findings.
public struct HSTSPolicy: Sendable, Hashable {
    /// `max-age` in seconds.
    public var maxAge: Int?
    /// `includeSubDomains` is set.
    public var includeSubDomains = false
    /// `preload` is set.
    public var preload = false
}
