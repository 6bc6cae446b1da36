import Foundation

extension LoadedPage {
    /// Whether the page is an HTML document: its response says `text/html` or XHTML, or says nothing about its
    /// type (a page built in memory). A PDF or an image reached by a crawl is not one, and has no title to miss.
    var isHTMLDocument: Bool {
        guard let type = headers["Content-Type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
            !type.isEmpty
        else { return true }
        return type == "text/html" || type == "application/xhtml+xml"
    }
}
