/// The tests of the Mozilla HTTP Observatory's grading (algorithm version 4), by the names the Observatory
/// reports them under. Each produces one `ObservatoryResult`.
public enum ObservatoryTest: String, Sendable, Hashable, CaseIterable, Codable {
    case contentSecurityPolicy = "content-security-policy"
    case cookies
    case crossOriginResourceSharing = "cross-origin-resource-sharing"
    case redirection
    case referrerPolicy = "referrer-policy"
    case strictTransportSecurity = "strict-transport-security"
    case subresourceIntegrity = "subresource-integrity"
    case xContentTypeOptions = "x-content-type-options"
    case xFrameOptions = "x-frame-options"
    case crossOriginResourcePolicy = "cross-origin-resource-policy"
    case crossOriginOpenerPolicy = "cross-origin-opener-policy"
    case crossOriginEmbedderPolicy = "cross-origin-embedder-policy"

    /// The name people know the header or feature by.
    public var title: String {
        switch self {
        case .contentSecurityPolicy: "Content Security Policy (CSP)"
        case .cookies: "Cookies"
        case .crossOriginResourceSharing: "Cross-Origin Resource Sharing (CORS)"
        case .redirection: "Redirection to HTTPS"
        case .referrerPolicy: "Referrer Policy"
        case .strictTransportSecurity: "HTTP Strict Transport Security (HSTS)"
        case .subresourceIntegrity: "Subresource Integrity (SRI)"
        case .xContentTypeOptions: "X-Content-Type-Options"
        case .xFrameOptions: "Clickjacking protection (X-Frame-Options / frame-ancestors)"
        case .crossOriginResourcePolicy: "Cross-Origin-Resource-Policy (CORP)"
        case .crossOriginOpenerPolicy: "Cross-Origin-Opener-Policy (COOP)"
        case .crossOriginEmbedderPolicy: "Cross-Origin-Embedder-Policy (COEP)"
        }
    }

    /// MDN's guide on the topic.
    public var helpURL: String {
        let base = "https://developer.mozilla.org/en-US/docs/"
        switch self {
        case .contentSecurityPolicy: return base + "Web/HTTP/Guides/CSP"
        case .cookies: return base + "Web/Security/Practical_implementation_guides/Cookies"
        case .crossOriginResourceSharing: return base + "Web/Security/Practical_implementation_guides/CORS"
        case .redirection: return base + "Web/Security/Practical_implementation_guides/TLS#http_redirections"
        case .referrerPolicy: return base + "Web/Security/Practical_implementation_guides/Referrer_policy"
        case .strictTransportSecurity: return base + "Web/HTTP/Reference/Headers/Strict-Transport-Security"
        case .subresourceIntegrity: return base + "Web/Security/Subresource_Integrity"
        case .xContentTypeOptions: return base + "Web/Security/Practical_implementation_guides/MIME_types"
        case .xFrameOptions: return base + "Web/Security/Practical_implementation_guides/Clickjacking"
        case .crossOriginResourcePolicy: return base + "Web/Security/Practical_implementation_guides/CORP"
        case .crossOriginOpenerPolicy: return base + "Web/HTTP/Reference/Headers/Cross-Origin-Opener-Policy"
        case .crossOriginEmbedderPolicy: return base + "Web/HTTP/Reference/Headers/Cross-Origin-Embedder-Policy"
        }
    }
}
