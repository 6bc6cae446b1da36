import StageflowAPI
import StageflowSchema

/// The columns of `kubectl get events` (Table output), after `Name`: when it was last seen, its type, reason,
/// object and message.
enum EventColumns {
    static let columns: [PrinterColumn] = [
        column("Last Seen", "date", ".lastTimestamp", "Time of the latest occurrence."),
        column("Type", "string", ".type", "Normal or Warning."),
        column("Reason", "string", ".reason", "Why it happened, in one word."),
        column("Object Kind", "string", ".involvedObject.kind", "Kind of the object concerned."),
        column("Object", "string", ".involvedObject.name", "Name of the object concerned."),
        column("Count", "integer", ".count", "How many times it happened."),
        column("Message", "string", ".message", "What happened."),
    ]

    private static func column(_ name: String, _ type: String, _ path: String, _ description: String) -> PrinterColumn {
        // The paths are literals checked by the tests.
        PrinterColumn(name: name, type: type, description: description, jsonPath: try! JSONPath(path))
    }

    /// The fields an event LIST or WATCH may select on, as kube-apiserver allows them; `source` stands for
    /// `source.component`.
    static let selectableFields = [
        "metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
        "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ]

    /// A field selector on events, with `source` read as `source.component`.
    static func fieldSelector(_ text: String) throws -> FieldSelector {
        var selector = try FieldSelector(parsing: text, supportedFields: selectableFields)
        selector.requirements = selector.requirements.map { requirement in
            requirement.field == "source" ? ("source.component", requirement.value, requirement.equal) : requirement
        }
        return selector
    }
}
