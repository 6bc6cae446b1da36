import Foundation

/// Content checks: image alternatives, link text, crawlable links and the syntax of JSON-LD blocks.
extension SEOPageAudit {
    mutating func checkImages() {
        for image in htmlElements(named: "img") where image.attribute("alt") == nil {
            let role = (image.attribute("role") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            // Declared decorative: nothing to describe.
            if ["presentation", "none"].contains(role) || image.attribute("aria-hidden")?.lowercased() == "true" { continue }
            let source = image.attribute("src").map { " (\(SEOSiteIndex.shortened($0, limit: 120)))" } ?? ""
            report(.imagesMissingAlt, "The image\(source) has no alt attribute.", on: image)
        }
    }

    mutating func checkLinks() {
        for link in htmlElements(named: "a") {
            guard let href = link.attribute("href") else {
                // A named anchor (a fragment target) or an element given another role is not meant as a link.
                let isTarget = link.attribute("name") != nil || link.attribute("id") != nil
                if !isTarget, link.attribute("role") == nil {
                    report(.uncrawlableLink, "The link has no href, so crawlers cannot follow it.", on: link)
                }
                continue
            }
            let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed == "#" {
                report(.uncrawlableLink, "The link's href is \"#\", which leads nowhere a crawler can follow.", on: link)
            } else if trimmed.lowercased().hasPrefix("javascript:") {
                report(.uncrawlableLink, "The link's href runs script (\(SEOSiteIndex.shortened(trimmed, limit: 60))), so crawlers cannot follow it.", on: link)
            }
            let label = link.attribute("aria-label")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let text = label.isEmpty ? tree.text(of: link) : label
            if settings.nonDescriptiveLinkTexts.contains(Self.normalizedLinkText(text)) {
                report(.nonDescriptiveLinkText, "The link text \"\(text)\" does not say where the link goes.", on: link)
            }
        }
    }

    /// Link text as compared with the non-descriptive list: lowercased, whitespace collapsed, without
    /// surrounding punctuation and arrows (`Read more »` is `read more`).
    static func normalizedLinkText(_ text: String) -> String {
        let collapsed = HTMLDocument.collapsingWhitespace(text.lowercased())
        let isDecoration = { (character: Character) in
            character.isWhitespace || character.isPunctuation || character.isSymbol
        }
        return String(collapsed.drop(while: isDecoration).reversed().drop(while: isDecoration).reversed())
    }

    mutating func checkStructuredData() {
        for script in htmlElements(named: "script") {
            let type = (script.attribute("type") ?? "").split(separator: ";").first?
                .trimmingCharacters(in: .whitespaces).lowercased()
            guard type == "application/ld+json" else { continue }
            let body = tree.rawText(of: script)
            if let problem = Self.jsonProblem(body) {
                report(.jsonLDParseError, "The JSON-LD block cannot be parsed: \(problem).", on: script)
            }
        }
    }

    /// Foundation's parser accepts a comma before `}` or `]`, which JSON (and so every JSON-LD consumer's
    /// `JSON.parse`) rejects; this finds one outside strings.
    static func trailingCommaProblem(_ json: String) -> String? {
        var inString = false
        var escaped = false
        var pendingComma: Int?
        for (offset, byte) in json.utf8.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                pendingComma = nil
            case UInt8(ascii: ","):
                pendingComma = offset
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let comma = pendingComma { return "a trailing comma at offset \(comma) before \"\(Character(Unicode.Scalar(byte)))\"" }
            case 0x20, 0x09, 0x0A, 0x0D:
                break
            default:
                pendingComma = nil
            }
        }
        return nil
    }

    /// Why a JSON-LD body is not a JSON object or array, or `nil` when it is one.
    static func jsonProblem(_ body: String) -> String? {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "the block is empty" }
        do {
            let value = try JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed])
            guard value is [String: Any] || value is [Any] else { return "the top level is not an object or an array" }
            return trailingCommaProblem(trimmed)
        } catch {
            let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return description ?? "invalid JSON"
        }
    }
}
