import Foundation
import Mustache

/// The workbench's templates and static assets, compiled into the module: every page is rendered into the
/// shared layout.
struct WebPages: Sendable {
    let library: MustacheLibrary

    /// Parses the embedded templates; a broken template is a programming error caught by any test of a page.
    init() {
        var library = MustacheLibrary()
        let templates: [(String, [UInt8])] = [
            ("layout", PackageResources.layout_mustache), ("playground", PackageResources.playground_mustache),
            ("status", PackageResources.status_mustache), ("report", PackageResources.report_mustache),
            ("scans", PackageResources.scans_mustache), ("error", PackageResources.error_mustache),
            ("login", PackageResources.login_mustache), ("schedules", PackageResources.schedules_mustache),
            ("schedule", PackageResources.schedule_mustache),
        ]
        for (name, bytes) in templates {
            do {
                try library.register(String(decoding: bytes, as: UTF8.self), named: name)
            } catch {
                preconditionFailure("the template \(name).mustache does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// `page` rendered with `context` inside the layout titled `title`; `viewer` decides the sign-out control and
    /// every form's CSRF token (`csrf` in the page's context).
    func render(_ page: String, title: String, context: [String: Any], current: String? = nil, viewer: WebViewer? = nil)
        -> String
    {
        var context = context
        if let viewer { context["csrf"] = viewer.csrf }
        let content = library.render(context, withTemplate: page) ?? ""
        var layout: [String: Any] = [
            "title": title, "content": content, "page": page,
            "navPlayground": current == "playground", "navScans": current == "scans", "navSchedules": current == "schedules",
        ]
        if let viewer, viewer.signedIn { layout["signOut"] = ["csrf": viewer.csrf, "user": viewer.principal.user] }
        return library.render(layout, withTemplate: "layout") ?? content
    }

    /// The static assets by file name, with their content types.
    static let assets: [String: (bytes: [UInt8], contentType: String)] = [
        "workbench.js": (PackageResources.workbench_js, "text/javascript; charset=utf-8"),
        "workbench.css": (PackageResources.workbench_css, "text/css; charset=utf-8"),
    ]
}
