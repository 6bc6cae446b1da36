import Foundation

/// One link of an HTTP `Link` header (RFC 8288): `<target>; rel="canonical"; hreflang=de`.
struct LinkHeader: Sendable, Hashable {
    /// The target as written between `<` and `>`.
    let target: String
    /// Parameters, names lowercased, quotes removed.
    let parameters: [String: String]

    /// The link relation types, lowercased (`rel` may list several, separated by spaces).
    var relations: [String] {
        (parameters["rel"] ?? "").lowercased().split(separator: " ").map(String.init)
    }

    /// Every link in the header values (a repeated header counts as one comma-separated list).
    static func parse(_ values: [String]) -> [LinkHeader] {
        values.flatMap(parse)
    }

    /// The links of one header value.
    static func parse(_ value: String) -> [LinkHeader] {
        var links: [LinkHeader] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let target = String(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            var parameters: [String: String] = [:]
            // Parameters run up to the next comma outside quotes.
            var inQuotes = false
            var end = rest.endIndex
            for index in rest.indices {
                let character = rest[index]
                if character == "\"" { inQuotes.toggle() }
                if character == ",", !inQuotes {
                    end = index
                    break
                }
            }
            for part in rest[..<end].split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard let name = pair.first?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { continue }
                var parameterValue = pair.count > 1 ? pair[1].trimmingCharacters(in: .whitespaces) : ""
                if parameterValue.hasPrefix("\""), parameterValue.hasSuffix("\""), parameterValue.count >= 2 {
                    parameterValue = String(parameterValue.dropFirst().dropLast())
                }
                parameters[name.lowercased()] = parameters[name.lowercased()] ?? parameterValue
            }
            links.append(LinkHeader(target: target, parameters: parameters))
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
        }
        return links
    }
}
