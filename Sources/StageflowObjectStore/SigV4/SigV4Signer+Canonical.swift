import StageflowHTTP

extension SigV4Signer {
    /// The canonical request of `request` (method, canonical URI, canonical query, canonical headers, signed
    /// headers, payload hash, one per line) and its signed-headers list.
    public func canonicalRequest(_ request: Request) -> (text: String, signedHeaders: String) {
        let headers = Self.canonicalHeaders(request.headers)
        let text = [
            request.method,
            canonicalURI(request.path),
            Self.canonicalQuery(request.query),
            headers.text,
            headers.signedHeaders,
            request.payload.hash,
        ].joined(separator: "\n")
        return (text, headers.signedHeaders)
    }

    /// The path percent-encoded (every byte but `A-Z a-z 0-9 - . _ ~` and `/`), after resolving `.`/`..` and
    /// merging slashes when `normalizesPath`; `/` for an empty path.
    public func canonicalURI(_ path: String) -> String {
        let resolved = normalizesPath ? Self.normalize(path) : path
        return SigV4Encoding.encode(resolved.isEmpty ? "/" : resolved, keepingSlashes: true)
    }

    /// `name=value` pairs, each part percent-encoded, sorted by encoded name then value, joined by `&`.
    public static func canonicalQuery(_ query: [QueryItem]) -> String {
        query
            .map { (SigV4Encoding.encode($0.name, keepingSlashes: false), SigV4Encoding.encode($0.value, keepingSlashes: false)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// One `name:value\n` line per header name, lower-cased and sorted; repeated fields joined by `,` in their
    /// order; values trimmed, with runs of spaces collapsed to one.
    static func canonicalHeaders(_ headers: HTTPHeaders) -> (text: String, signedHeaders: String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for field in headers {
            let name = field.name.lowercased()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(canonicalValue(field.value))
        }
        let names = order.sorted()
        let text = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
        return (text, names.joined(separator: ";"))
    }

    private static func canonicalValue(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in value {
            if character == " " || character == "\t" || character.isNewline {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(character)
        }
        return result
    }

    /// The path with `.` and `..` segments resolved (RFC 3986 §5.2.4) and empty segments dropped; a trailing
    /// slash is kept.
    static func normalize(_ path: String) -> String {
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments {
            switch segment {
            case "", ".": continue
            case "..": _ = output.popLast()
            default: output.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") || segments.last == "." || segments.last == ".."
        let joined = "/" + output.joined(separator: "/")
        return trailing && !output.isEmpty ? joined + "/" : joined
    }
}
