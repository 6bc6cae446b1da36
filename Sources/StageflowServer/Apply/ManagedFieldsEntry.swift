import StageflowAPI
import StageflowStore

/// One entry of `metadata.managedFields`: which manager set which fields, by apply or by update, through the
/// main resource or the status subresource.
struct ManagedFieldsEntry: Sendable, Hashable {
    /// `Apply` (server-side apply) or `Update` (any other write).
    enum Operation: String, Sendable {
        case apply = "Apply"
        case update = "Update"
    }

    var manager: String
    var operation: Operation
    var apiVersion: String
    var time: String?
    /// `status` for writes through the status subresource; `nil` for the main resource.
    var subresource: String?
    var fields: FieldSet

    init(manager: String, operation: Operation, apiVersion: String, time: String?, subresource: String?, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    /// Reads an entry; `nil` for one that is not FieldsV1 or lacks a manager.
    init?(_ value: JSONValue) {
        guard let manager = value["manager"]?.stringValue,
            let operation = value["operation"]?.stringValue.flatMap(Operation.init(rawValue:))
        else { return nil }
        self.manager = manager
        self.operation = operation
        apiVersion = value["apiVersion"]?.stringValue ?? ""
        time = value["time"]?.stringValue
        subresource = value["subresource"]?.stringValue
        fields = FieldSet(fieldsV1: value["fieldsV1"] ?? [:])
    }

    /// The entry as it appears in `metadata.managedFields`.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { members["time"] = .string(time) }
        if let subresource { members["subresource"] = .string(subresource) }
        return .object(members)
    }

    /// Whether the entry belongs to the same writer: the same manager, operation and subresource.
    func isSameWriter(manager: String, operation: Operation, subresource: String?) -> Bool {
        self.manager == manager && self.operation == operation && self.subresource == subresource
    }

    /// The entries of an object's `metadata.managedFields`.
    static func entries(of object: JSONValue?) -> [ManagedFieldsEntry] {
        (object?[path: ["metadata", "managedFields"]]?.arrayValue ?? []).compactMap(ManagedFieldsEntry.init)
    }

    /// `subresource` as written in entries.
    static func name(of subresource: Subresource) -> String? {
        subresource == .status ? "status" : nil
    }
}
