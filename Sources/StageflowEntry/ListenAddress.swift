import ArgumentParser

/// A `HOST:PORT` to listen on.
struct ListenAddress: ExpressibleByArgument, Sendable, CustomStringConvertible {
    var host: String
    var port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    static var defaultValueDescription: String { "127.0.0.1:8080" }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The URL clients use to reach this address (`https` when `secure`).
    func url(port actualPort: Int, secure: Bool = false) -> String {
        let reachable = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
        let shown = reachable.contains(":") ? "[\(reachable)]" : reachable
        return "\(secure ? "https" : "http")://\(shown):\(actualPort)"
    }
}
