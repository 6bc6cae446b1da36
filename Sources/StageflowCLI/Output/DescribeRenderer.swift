import Foundation
import StageflowAPI

/// The human-readable `describe` view of an object: identity, labels and annotations, metadata times, then
/// spec and status as indented sections, with status conditions as a table.
public struct DescribeRenderer: Sendable {
    /// The time ages are measured at.
    public let now: Date

    /// A renderer.
    public init(now: Date = Date()) {
        self.now = now
    }

    /// The description of one object.
    public func render(_ object: JSONValue) -> String {
        let metadata = object["metadata"] ?? [:]
        var lines: [(String, String)] = [("Name:", metadata["name"]?.stringValue ?? "")]
        if let namespace = metadata["namespace"]?.stringValue { lines.append(("Namespace:", namespace)) }
        var text = ""
        let labels = pairs(metadata["labels"])
        let annotations = pairs(metadata["annotations"])
        lines.append(("Labels:", labels.first ?? "<none>"))
        lines += labels.dropFirst().map { ("", $0) }
        lines.append(("Annotations:", annotations.first ?? "<none>"))
        lines += annotations.dropFirst().map { ("", $0) }
        lines.append(("API Version:", object["apiVersion"]?.stringValue ?? ""))
        lines.append(("Kind:", object["kind"]?.stringValue ?? ""))
        text += aligned(lines, indent: 0)

        text += "Metadata:\n"
        var meta: [(String, String)] = []
        for (key, title) in [("creationTimestamp", "Creation Timestamp"), ("deletionTimestamp", "Deletion Timestamp")] {
            if let time = metadata[key]?.stringValue { meta.append(("\(title):", "\(time) (\(HumanDuration.since(time, now: now)) ago)")) }
        }
        for (key, title) in [("generation", "Generation"), ("resourceVersion", "Resource Version"), ("uid", "UID")] {
            if let value = metadata[key], !value.isNull { meta.append(("\(title):", scalar(value))) }
        }
        if let finalizers = metadata["finalizers"]?.arrayValue, !finalizers.isEmpty {
            meta.append(("Finalizers:", finalizers.map(scalar).joined(separator: ", ")))
        }
        for owner in metadata["ownerReferences"]?.arrayValue ?? [] {
            meta.append(("Owner:", "\(owner["kind"]?.stringValue ?? "")/\(owner["name"]?.stringValue ?? "")"))
        }
        text += aligned(meta, indent: 2)

        for (key, title) in [("spec", "Spec"), ("status", "Status")] {
            guard let section = object[key], !section.isNull else { continue }
            text += "\(title):\n" + block(section, indent: 2, conditionsTable: key == "status")
        }
        for (key, value) in (object.objectValue ?? [:]).sorted(by: { $0.key < $1.key })
        where !["apiVersion", "kind", "metadata", "spec", "status"].contains(key) {
            text += "\(Self.title(key)):" + (isScalar(value) ? "  \(scalar(value))\n" : "\n" + block(value, indent: 2))
        }
        return text.trimmingTrailingNewlines
    }

    /// `camelCase` as `Camel Case`, the way kubectl titles fields.
    public static func title(_ key: String) -> String {
        var words: [String] = []
        var current = ""
        let characters = Array(key)
        for (index, character) in characters.enumerated() {
            let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
            let previousIsLower = index > 0 && (characters[index - 1].isLowercase || characters[index - 1].isNumber)
            if character.isUppercase, !current.isEmpty, previousIsLower || nextIsLower {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    private func pairs(_ value: JSONValue?) -> [String] {
        (value?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\(scalar($0.value))" }
    }

    private func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let elements): return elements.isEmpty
        case .object(let members): return members.isEmpty
        default: return true
        }
    }

    private func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<none>"
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .array, .object: return value.jsonString()
        }
    }

    private func aligned(_ lines: [(String, String)], indent: Int) -> String {
        let width = (lines.map(\.0.count).max() ?? 0) + 2
        let pad = String(repeating: " ", count: indent)
        return lines.map { label, value in
            pad + label + String(repeating: " ", count: max(width - label.count, 0)) + value + "\n"
        }.joined()
    }

    private func block(_ value: JSONValue, indent: Int, conditionsTable: Bool = false) -> String {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let members):
            let sorted = members.sorted { $0.key < $1.key }
            var text = aligned(
                sorted.filter { isScalar($0.value) }.map { ("\(Self.title($0.key)):", scalar($0.value)) }, indent: indent)
            for (key, member) in sorted where !isScalar(member) {
                text += "\(pad)\(Self.title(key)):\n"
                if conditionsTable, key == "conditions", let conditions = member.arrayValue {
                    text += self.conditionsTable(conditions, indent: indent + 2)
                } else {
                    text += block(member, indent: indent + 2)
                }
            }
            return text
        case .array(let elements):
            return elements.map { element in
                isScalar(element) ? "\(pad)\(scalar(element))\n" : block(element, indent: indent) + (element == elements.last ? "" : "\(pad)---\n")
            }.joined()
        default:
            return "\(pad)\(scalar(value))\n"
        }
    }

    private func conditionsTable(_ conditions: [JSONValue], indent: Int) -> String {
        let header = ["Type", "Status", "Reason", "Age", "Message"]
        let rows = conditions.map { condition -> [String] in
            [
                condition["type"]?.stringValue ?? "",
                condition["status"]?.stringValue ?? "",
                condition["reason"]?.stringValue ?? "",
                condition["lastTransitionTime"]?.stringValue.map { HumanDuration.since($0, now: now) } ?? "",
                condition["message"]?.stringValue ?? "",
            ]
        }
        var widths: [Int] = []
        let underline = header.map { String(repeating: "-", count: $0.count) }
        let pad = String(repeating: " ", count: indent)
        return TableRenderer.align([header, underline] + rows, widths: &widths).map { pad + $0 + "\n" }.joined()
    }
}
