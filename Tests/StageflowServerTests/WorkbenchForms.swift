import Foundation

/// Reading workbench pages the way a browser submits them.
enum WorkbenchForms {
    /// The CSRF token a page's forms carry (`<input type="hidden" name="csrf" value="…">`).
    static func csrf(in html: String) throws -> String {
        guard let range = html.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) else {
            throw MissingCSRF()
        }
        let match = html[range]
        return String(match.dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    struct MissingCSRF: Error, CustomStringConvertible {
        var description: String { "the page has no CSRF token" }
    }
}
