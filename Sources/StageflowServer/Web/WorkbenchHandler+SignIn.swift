import Foundation
import Hummingbird
import StageflowAPI

extension WorkbenchHandler {
    /// `/login`: with `?code=`, redeems a one-time code for a session; a GET shows the sign-in form; a POST of
    /// the form's `token` starts a session. Either way the browser goes on to `next` (a path on this server).
    /// Without tokens configured there is nothing to sign in to, and the page sends the browser home.
    func signIn(_ request: Request, access: RequestAccess) async throws -> Response {
        guard let tokens = access.configuration.tokens else { return Self.redirect(to: "/") }
        let query = QueryParameters(request.uri.query)
        var next = Self.localPath(query["next"])
        var token: String?
        var error: String?
        switch request.method {
        case .get, .head:
            guard let code = query["code"], !code.isEmpty else { break }
            token = access.sessions.redeem(code: code)
            if token == nil { error = "This sign-in link was used already or has expired. Sign in with a token instead." }
        case .post:
            let data = try await RequestDocument.collect(request, limit: 64 * 1024)
            let form = FormBody(String(decoding: data, as: UTF8.self))
            next = Self.localPath(form["next"])
            token = form["token"]
            if token == nil { error = "Enter an access token." }
        default:
            throw APIStatus.verbNotAllowed
        }
        if let token {
            if tokens.principal(for: token) != nil {
                var response = Self.redirect(to: next)
                response.headers[.setCookie] = access.sessions.setCookie(forToken: token, secure: false)
                return response
            }
            error = "That token is not known to this server."
        }
        var context: [String: Any] = ["next": next]
        if let error { context["error"] = error }
        return html(context, title: "Sign in", page: "login", status: error == nil ? .ok : .unauthorized)
    }

    /// `POST /logout`: ends the session (the form carries the page's CSRF token) and shows the sign-in page.
    func signOut(_ request: Request, viewer: WebViewer) async throws -> Response {
        guard request.method == .post else { throw APIStatus.verbNotAllowed }
        let data = try await RequestDocument.collect(request, limit: 64 * 1024)
        guard FormBody(String(decoding: data, as: UTF8.self))["csrf"] == viewer.csrf else {
            return html(
                ["heading": "The form has expired", "message": "Reload the page and sign out again."], title: "Form expired",
                page: "error", status: .forbidden, viewer: viewer)
        }
        var response = Self.redirect(to: "/login")
        response.headers[.setCookie] = BrowserSessions.clearCookie
        return response
    }

    /// 303 See Other to a path on this server.
    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path, .cacheControl: "no-store"])
    }

    /// `text` when it is a path on this server (`/…`, not `//host` or a URL), else `/`.
    static func localPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"),
            !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return "/" }
        return text
    }
}
