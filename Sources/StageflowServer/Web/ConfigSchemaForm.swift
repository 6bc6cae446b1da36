import Foundation
import StageflowAPI

/// The options form of one scanner, generated from its manifest's `configSchema` (a JSON Schema object):
/// booleans become checkboxes, integers and numbers number inputs, strings text inputs, enums selects, and
/// arrays of strings a textarea with one value per line. Submitted values are turned back into the scanner's
/// `config`; a value that does not fit its field is an error naming the field.
struct ConfigSchemaForm: Sendable {
    /// One generated control.
    struct Field: Sendable, Hashable {
        /// The control.
        enum Control: Sendable, Hashable {
            case checkbox
            case integer(minimum: Int64?, maximum: Int64?)
            case number
            case text
            case select(options: [String])
            case lines
        }

        /// The property name in `config`.
        var property: String
        /// The form field name, `config.<scanner>.<property>`.
        var name: String
        /// The element id, `config-<scanner>-<property>`.
        var id: String
        /// The label text: the schema's `title`, else the property name.
        var label: String
        /// The schema's `description`.
        var help: String?
        var control: Control
        /// The schema's `default`, as the control shows it.
        var defaultValue: String?
    }

    /// The scanner id.
    let scanner: String
    /// The fields, in the schema's property order.
    let fields: [Field]

    /// The form of `scanner`'s `configSchema`; properties of other shapes (objects, arrays of objects) are left
    /// out, since their defaults apply when the form does not set them.
    init(scanner: String, configSchema: JSONValue?) {
        self.scanner = scanner
        var fields: [Field] = []
        for (property, schema) in (configSchema?["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            let control: Field.Control
            let type = schema["type"]?.stringValue
            if let options = schema["enum"]?.arrayValue?.compactMap(\.stringValue), !options.isEmpty {
                control = .select(options: options)
            } else {
                switch type {
                case "boolean": control = .checkbox
                case "integer": control = .integer(minimum: schema["minimum"]?.intValue, maximum: schema["maximum"]?.intValue)
                case "number": control = .number
                case "string": control = .text
                case "array" where schema["items"]?["type"]?.stringValue == "string": control = .lines
                default: continue
                }
            }
            let defaultValue: String? =
                switch schema["default"] {
                case .bool(let value)?: value ? "true" : "false"
                case .string(let value)?: value
                case .array(let values)?: values.compactMap(\.stringValue).joined(separator: "\n")
                case let value?: value.isNull ? nil : value.jsonString()
                case nil: nil
                }
            let safe = property.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
            fields.append(
                Field(
                    property: property, name: "config.\(scanner).\(property)", id: "config-\(scanner)-\(String(safe))",
                    label: schema["title"]?.stringValue ?? property, help: schema["description"]?.stringValue,
                    control: control, defaultValue: defaultValue))
        }
        self.fields = fields
    }

    /// A value that does not fit its field.
    struct InvalidValue: Error, Sendable, Hashable {
        /// The field path as the API names it, `spec.scanners[0].config.maxPages`.
        var field: String
        /// The form element's id.
        var elementID: String
        var message: String
    }

    /// The `config` the submitted `values` (form field name → values) ask for, or `nil` when they set nothing;
    /// `index` is the scanner's position in `spec.scanners`, for error paths.
    func config(from values: [String: [String]], index: Int) throws -> JSONValue? {
        var config: [String: JSONValue] = [:]
        var problems: [InvalidValue] = []
        for field in fields {
            let submitted = values[field.name] ?? []
            let text = submitted.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let path = "spec.scanners[\(index)].config.\(field.property)"
            switch field.control {
            case .checkbox:
                let checked = submitted.contains { $0 == "true" || $0 == "on" }
                // Only differences from the default are written.
                if checked != (field.defaultValue == "true") { config[field.property] = .bool(checked) }
            case .integer(let minimum, let maximum):
                guard !text.isEmpty else { continue }
                guard let value = Int64(text) else {
                    problems.append(.init(field: path, elementID: field.id, message: "\(field.label) must be a whole number"))
                    continue
                }
                if let minimum, value < minimum {
                    problems.append(.init(field: path, elementID: field.id, message: "\(field.label) must be at least \(minimum)"))
                } else if let maximum, value > maximum {
                    problems.append(.init(field: path, elementID: field.id, message: "\(field.label) must be at most \(maximum)"))
                } else {
                    config[field.property] = .int(value)
                }
            case .number:
                guard !text.isEmpty else { continue }
                guard let value = Double(text) else {
                    problems.append(.init(field: path, elementID: field.id, message: "\(field.label) must be a number"))
                    continue
                }
                config[field.property] = .double(value)
            case .text:
                if !text.isEmpty { config[field.property] = .string(text) }
            case .select(let options):
                guard !text.isEmpty else { continue }
                guard options.contains(text) else {
                    problems.append(
                        .init(field: path, elementID: field.id, message: "\(field.label) must be one of \(options.joined(separator: ", "))"))
                    continue
                }
                config[field.property] = .string(text)
            case .lines:
                let lines = text.split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if !lines.isEmpty { config[field.property] = .array(lines.map { .string($0) }) }
            }
        }
        if !problems.isEmpty { throw InvalidValues(problems: problems) }
        return config.isEmpty ? nil : .object(config)
    }

    /// Every value that did not fit.
    struct InvalidValues: Error, Sendable {
        var problems: [InvalidValue]
    }

    /// The fields as template context, showing `values` where submitted (else the defaults).
    func context(values: [String: [String]]?, invalid: Set<String>) -> [[String: Any]] {
        fields.map { field in
            let submitted = values?[field.name]
            let current = submitted?.last ?? (values == nil ? field.defaultValue : nil) ?? ""
            var context: [String: Any] = [
                "name": field.name, "id": field.id, "label": field.label, "value": current,
                "invalid": invalid.contains(field.id),
            ]
            if let help = field.help { context["help"] = help; context["helpID"] = field.id + "-help" }
            switch field.control {
            case .checkbox:
                context["checkbox"] = true
                let checked = submitted.map { $0.contains { $0 == "true" || $0 == "on" } } ?? (field.defaultValue == "true")
                context["checked"] = checked
            case .integer(let minimum, let maximum):
                context["number"] = true
                context["step"] = "1"
                if let minimum { context["min"] = String(minimum) }
                if let maximum { context["max"] = String(maximum) }
            case .number:
                context["number"] = true
                context["step"] = "any"
            case .text:
                context["text"] = true
            case .select(let options):
                context["select"] = true
                context["options"] = ([""] + options).map { option -> [String: Any] in
                    ["value": option, "label": option.isEmpty ? "(default)" : option, "selected": option == current]
                }
            case .lines:
                context["lines"] = true
            }
            return context
        }
    }
}
