import Foundation
import StageflowAPI
import StageflowSchema

/// Turns objects into a `meta.k8s.io` Table as kube-apiserver does for custom resources: a `Name` column, then
/// the CRD's printer columns (an `Age` column when the CRD declares none), one row per object.
struct TableConverter: Sendable {
    /// What each row carries besides its cells (`includeObject`).
    enum IncludeObject: String, Sendable {
        case none = "None"
        case metadata = "Metadata"
        case object = "Object"

        /// Reads `includeObject`; Metadata by default, 400 for anything else.
        init(query: QueryParameters) throws {
            guard let value = query["includeObject"], !value.isEmpty else {
                self = .metadata
                return
            }
            guard let parsed = IncludeObject(rawValue: value) else {
                throw APIStatus.badRequest(
                    "includeObject: Unsupported value: \"\(value)\": supported values: \"Metadata\", \"None\", \"Object\"")
            }
            self = parsed
        }
    }

    /// `meta.k8s.io/<version>` of the Table.
    let version: String
    let columns: [PrinterColumn]
    let includeObject: IncludeObject

    /// The description kube-apiserver gives the `Name` column (ObjectMeta's documentation of `name`).
    static let nameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may "
        + "allow a client to request the generation of an appropriate name automatically. Name is primarily intended "
        + "for creation idempotence and configuration definition. Cannot be updated. More info: "
        + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"

    init(kind: ResourceKind, schemas: SchemaRegistry, version: String, includeObject: IncludeObject) {
        self.version = version
        self.includeObject = includeObject
        let declared = kind == .event ? EventColumns.columns : schemas.printerColumns(for: kind)
        if declared.isEmpty, let age = try? JSONPath(".metadata.creationTimestamp") {
            columns = [PrinterColumn(name: "Age", type: "date", description: "", jsonPath: age)]
        } else {
            columns = declared
        }
    }

    /// The column definitions, `Name` first.
    var columnDefinitions: JSONValue {
        let name: JSONValue = [
            "name": "Name", "type": "string", "format": "name", "description": .string(Self.nameDescription),
            "priority": 0,
        ]
        return .array([name] + columns.map(\.tableColumnDefinition))
    }

    /// A Table of `objects`; `headers: false` leaves out the column definitions (every watch event after the
    /// first, as kube-apiserver does).
    func table(
        of objects: [JSONValue], resourceVersion: String?, continueToken: String? = nil, headers: Bool = true,
        now: Date = Date()
    ) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        if let continueToken { metadata["continue"] = .string(continueToken) }
        return [
            "kind": "Table",
            "apiVersion": .string("meta.k8s.io/\(version)"),
            "metadata": .object(metadata),
            "columnDefinitions": headers ? columnDefinitions : [],
            "rows": .array(objects.map { row(for: $0, now: now) }),
        ]
    }

    private func row(for object: JSONValue, now: Date) -> JSONValue {
        var cells: [JSONValue] = [object[path: ["metadata", "name"]] ?? ""]
        for column in columns {
            cells.append(Self.cell(column.value(in: object), type: column.type, now: now))
        }
        var row: [String: JSONValue] = ["cells": .array(cells)]
        switch includeObject {
        case .none: break
        case .metadata: row["object"] = Self.partialMetadata(of: object, version: version)
        case .object: row["object"] = object
        }
        return .object(row)
    }

    /// `PartialObjectMetadata` of an object: only its metadata.
    static func partialMetadata(of object: JSONValue, version: String) -> JSONValue {
        [
            "kind": "PartialObjectMetadata", "apiVersion": .string("meta.k8s.io/\(version)"),
            "metadata": object["metadata"] ?? [:],
        ]
    }

    /// One cell, converted by the column type as kube-apiserver's `cellForJSONValue` does: absent or mistyped
    /// values are empty (`null`), dates become ages.
    static func cell(_ value: JSONValue?, type: String, now: Date) -> JSONValue {
        guard let value, !value.isNull else { return .null }
        switch type {
        case "string":
            return .string(text(of: value))
        case "integer":
            if case .int = value { return value }
            if case .double(let number) = value, number.isFinite, abs(number) < 9.2e18 { return .int(Int64(number)) }
            return .null
        case "number":
            if let number = value.doubleValue { return .double(number) }
            return .null
        case "boolean":
            return value.boolValue.map(JSONValue.bool) ?? .null
        case "date":
            guard let text = value.stringValue else { return .null }
            guard let date = Timestamp.date(text) else { return "<invalid>" }
            return .string(HumanDuration.format(now.timeIntervalSince(date)))
        default:
            return .null
        }
    }

    /// A value as client-go's JSONPath prints it: strings bare, numbers as Go's `%v`, objects and arrays as JSON.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .string(let string): return string
        case .int(let number): return String(number)
        case .double(let number):
            if number.rounded() == number, abs(number) < 1e21 { return String(format: "%.0f", number) }
            return "\(number)"
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array, .object: return value.jsonString()
        }
    }
}
