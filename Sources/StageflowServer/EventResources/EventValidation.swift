import Foundation
import StageflowAPI

/// Checks an Event before it is stored, with kube-apiserver's rules for core `v1` Events: it names the object it
/// is about, lives in that object's namespace, has a type of `Normal` or `Warning` and a bounded message; fields
/// an Event does not have are dropped.
enum EventValidation {
    /// The longest message kept, in bytes (kube-apiserver truncates at 1 KiB).
    static let maximumMessageBytes = 1024

    /// The fields of an Event the store keeps.
    static let fields: Set<String> = [
        "apiVersion", "kind", "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp",
        "lastTimestamp", "count", "type", "eventTime", "series", "action", "related", "reportingComponent",
        "reportingInstance",
    ]

    /// The event to store, or a 422 naming every field that is wrong.
    static func admit(_ object: JSONValue, namespace: String) throws -> JSONValue {
        guard case .object(var members) = object else { throw APIStatus.badRequest("an Event must be a JSON object") }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        var causes: [APIStatus.Cause] = []
        func require(_ condition: Bool, _ field: String, _ reason: String, _ message: String) {
            if !condition { causes.append(APIStatus.Cause(reason: reason, message: message, field: field)) }
        }
        let eventNamespace = object[path: ["metadata", "namespace"]]?.stringValue ?? namespace
        require(eventNamespace == namespace, "metadata.namespace", "FieldValueInvalid", "Invalid value: \"\(eventNamespace)\": does not match the namespace of the request")
        let involved = object["involvedObject"]
        require(involved?.objectValue != nil, "involvedObject", "FieldValueRequired", "Required value")
        require(!(involved?["name"]?.stringValue ?? "").isEmpty, "involvedObject.name", "FieldValueRequired", "Required value")
        require(!(involved?["kind"]?.stringValue ?? "").isEmpty, "involvedObject.kind", "FieldValueRequired", "Required value")
        if let involvedNamespace = involved?["namespace"]?.stringValue, !involvedNamespace.isEmpty {
            require(
                involvedNamespace == eventNamespace, "involvedObject.namespace", "FieldValueInvalid",
                "Invalid value: \"\(involvedNamespace)\": does not match event.namespace")
        }
        let type = object["type"]?.stringValue ?? ""
        require(
            type == Event.normal || type == Event.warning, "type", "FieldValueNotSupported",
            "Unsupported value: \"\(type)\": supported values: \"Normal\", \"Warning\"")
        require(!(object["reason"]?.stringValue ?? "").isEmpty, "reason", "FieldValueRequired", "Required value")
        if let count = object["count"], !count.isNull {
            require((count.intValue ?? -1) >= 0, "count", "FieldValueInvalid", "Invalid value: must be a non-negative integer")
        }
        for field in ["firstTimestamp", "lastTimestamp"] {
            if let value = object[field], !value.isNull {
                require(value.stringValue.flatMap(Timestamp.date) != nil, field, "FieldValueInvalid", "Invalid value: not an RFC 3339 time")
            }
        }
        guard causes.isEmpty else { throw APIStatus.invalid(.event, name, causes: causes) }
        for key in members.keys where !fields.contains(key) { members.removeValue(forKey: key) }
        if let message = members["message"]?.stringValue, message.utf8.count > maximumMessageBytes {
            members["message"] = .string(String(decoding: message.utf8.prefix(maximumMessageBytes), as: UTF8.self))
        }
        members["apiVersion"] = "v1"
        members["kind"] = "Event"
        return .object(members)
    }
}
