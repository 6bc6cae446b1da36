/// Who is looking at a workbench page: the principal, whether a browser session signed them in (so the page
/// offers signing out), and the CSRF token the page's forms carry.
struct WebViewer: Sendable {
    /// The caller.
    var principal: Principal
    /// Whether a session cookie (rather than a bearer token or open access) authenticated the request.
    var signedIn: Bool
    /// The token every form posts back as `csrf`.
    var csrf: String
}
