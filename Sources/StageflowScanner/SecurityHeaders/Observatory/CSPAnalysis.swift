/// What the CSP test found beyond its result: the effective policy and the properties the Observatory
/// derives from it (reported as extra, unscored findings).
public struct CSPAnalysis: Sendable, Hashable {
    /// The test's verdict.
    public var outcome: ObservatoryOutcome
    /// The effective policy of headers and `<meta>` tags together; `nil` when none is set or it is invalid.
    public var policy: ContentSecurityPolicy?
    /// The effective policy of the headers alone (`frame-ancestors` only counts there).
    public var headerPolicy: ContentSecurityPolicy?
    /// `frame-ancestors` restricts who may frame the page.
    public var antiClickjacking = false
    /// `base-uri` is missing or allows any base URL.
    public var insecureBaseUri = false
    /// `form-action` is missing or allows any target.
    public var insecureFormAction = false
    /// `object-src` (or `default-src`) is missing or overly broad.
    public var unsafeObjects = false
    /// Some policy came from `<meta http-equiv>`.
    public var fromMeta = false
    /// Directives of `<meta http-equiv>` policies that browsers ignore there (`frame-ancestors`,
    /// `report-uri`, `sandbox`).
    public var ignoredMetaDirectives: [String] = []
}
