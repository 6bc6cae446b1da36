import StageflowAPI

/// A page loaded in a browser tab, as page scanners see it: they can run script in it. Implemented over the
/// Chrome DevTools Protocol, and in memory for tests.
public protocol BrowserTab: Sendable {
    /// Evaluates a script expression in the page (awaiting a returned promise) and returns its value as JSON.
    /// A script exception throws, with the exception's text.
    func evaluate(_ expression: String) async throws -> JSONValue
}
