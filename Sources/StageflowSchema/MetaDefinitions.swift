import StageflowAPI

/// The `meta.k8s.io/v1` definitions the resource definitions and operations refer to (ObjectMeta, ListMeta,
/// Status, DeleteOptions, Patch, WatchEvent), enough for `kubectl explain` and client-side validation.
enum MetaDefinitions {
    /// `io.k8s.apimachinery.pkg.apis.meta.v1.`
    static let prefix = "io.k8s.apimachinery.pkg.apis.meta.v1."
    static let objectMeta = prefix + "ObjectMeta"
    static let listMeta = prefix + "ListMeta"
    static let status = prefix + "Status"
    static let deleteOptions = prefix + "DeleteOptions"
    static let patch = prefix + "Patch"
    static let watchEvent = prefix + "WatchEvent"
    static let rawExtension = "io.k8s.apimachinery.pkg.runtime.RawExtension"

    /// Standard description of `apiVersion`.
    static let apiVersionDescription =
        "APIVersion defines the versioned schema of this representation of an object. Servers should convert "
        + "recognized schemas to the latest internal value, and may reject unrecognized values."
    /// Standard description of `kind`.
    static let kindDescription =
        "Kind is a string value representing the REST resource this object represents. Servers may infer this "
        + "from the endpoint the client submits requests to. Cannot be updated. In CamelCase."

    /// Every definition, keyed by name.
    static func all(_ flavor: OpenAPIFlavor) -> [String: JSONValue] {
        let time = prefix + "Time"
        return [
            objectMeta: object(
                "ObjectMeta is metadata that all persisted resources must have.",
                [
                    "annotations": stringMap("Unstructured key value map of non-identifying metadata."),
                    "creationTimestamp": flavor.reference(time, description: "When the object was created."),
                    "deletionGracePeriodSeconds": int64("Seconds allowed for the object to terminate gracefully."),
                    "deletionTimestamp": flavor.reference(time, description: "When the object will be deleted."),
                    "finalizers": [
                        "type": "array", "items": ["type": "string", "default": ""],
                        "description": "Cleanups that must finish before the object is deleted.",
                        "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge",
                    ],
                    "generateName": string("Prefix of a name the server generates when no name is given."),
                    "generation": int64("A sequence number of the desired state, incremented on spec changes."),
                    "labels": stringMap("Key value pairs that organize and select objects."),
                    "managedFields": [
                        "type": "array", "items": flavor.reference(prefix + "ManagedFieldsEntry"),
                        "description": "Which field managers manage which fields (server-side apply).",
                        "x-kubernetes-list-type": "atomic",
                    ],
                    "name": string("Name of the object, unique within its namespace and kind."),
                    "namespace": string("Namespace of a namespaced object."),
                    "ownerReferences": [
                        "type": "array", "items": flavor.reference(prefix + "OwnerReference"),
                        "description": "Objects this object depends on.",
                        "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["uid"],
                        "x-kubernetes-patch-merge-key": "uid", "x-kubernetes-patch-strategy": "merge",
                    ],
                    "resourceVersion": string("Opaque revision of the object, for optimistic concurrency and watch."),
                    "selfLink": string("Deprecated; not set."),
                    "uid": string("Unique id of the object, assigned at creation."),
                ]),
            prefix + "OwnerReference": object(
                "OwnerReference identifies an owning object.",
                [
                    "apiVersion": string("API version of the owner."),
                    "blockOwnerDeletion": boolean("Whether the owner cannot be deleted before this object."),
                    "controller": boolean("Whether the owner is the managing controller."),
                    "kind": string("Kind of the owner."),
                    "name": string("Name of the owner."),
                    "uid": string("Uid of the owner."),
                ],
                required: ["apiVersion", "kind", "name", "uid"], extra: ["x-kubernetes-map-type": "atomic"]),
            prefix + "ManagedFieldsEntry": object(
                "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource it applies to.",
                [
                    "apiVersion": string("Version of the resource the field set applies to."),
                    "fieldsType": string("Format of fieldsV1; only FieldsV1."),
                    "fieldsV1": flavor.reference(prefix + "FieldsV1", description: "The managed fields."),
                    "manager": string("The workflow managing the fields."),
                    "operation": string("Apply or Update."),
                    "subresource": string("The subresource written, if any."),
                    "time": flavor.reference(time, description: "When the fields were last changed."),
                ]),
            prefix + "FieldsV1": [
                "type": "object", "description": "FieldsV1 stores a set of fields in a data structure like a Trie.",
            ],
            time: [
                "type": "string", "format": "date-time",
                "description": "Time is an RFC 3339 timestamp with second precision.",
            ],
            listMeta: object(
                "ListMeta describes metadata that synthetic resources must have.",
                [
                    "continue": string("Token to read the next page of a paged list."),
                    "remainingItemCount": int64("Objects left after this page, when known."),
                    "resourceVersion": string("Revision the list was read at; watch from here to miss nothing."),
                    "selfLink": string("Deprecated; not set."),
                ]),
            status: object(
                "Status is a return value for calls that don't return other objects.",
                [
                    "apiVersion": string(apiVersionDescription),
                    "code": ["type": "integer", "format": "int32", "description": "HTTP status code."],
                    "details": flavor.reference(prefix + "StatusDetails", description: "The object concerned."),
                    "kind": string(kindDescription),
                    "message": string("A description of the status for people."),
                    "metadata": flavor.reference(listMeta, description: "Standard list metadata."),
                    "reason": string("A machine-readable CamelCase reason."),
                    "status": string("Success or Failure."),
                ],
                extra: [
                    "x-kubernetes-group-version-kind": OpenAPIFlavor.groupVersionKinds(
                        group: "", version: "v1", kind: "Status")
                ]),
            prefix + "StatusDetails": object(
                "StatusDetails names the object a Status is about and every field that is wrong.",
                [
                    "causes": [
                        "type": "array", "items": flavor.reference(prefix + "StatusCause"),
                        "description": "One entry per problem.", "x-kubernetes-list-type": "atomic",
                    ],
                    "group": string("API group of the object."),
                    "kind": string("Kind of the object."),
                    "name": string("Name of the object."),
                    "retryAfterSeconds": ["type": "integer", "format": "int32", "description": "Seconds to wait."],
                    "uid": string("Uid of the object."),
                ]),
            prefix + "StatusCause": object(
                "StatusCause is one problem with one field.",
                [
                    "field": string("The field path, such as spec.target.urls[3]."),
                    "message": string("What is wrong."),
                    "reason": string("A machine-readable reason, such as FieldValueRequired."),
                ]),
            deleteOptions: object(
                "DeleteOptions may be provided when deleting an object.",
                [
                    "apiVersion": string(apiVersionDescription),
                    "dryRun": [
                        "type": "array", "items": ["type": "string", "default": ""],
                        "description": "All to run every stage of the request without persisting it.",
                        "x-kubernetes-list-type": "atomic",
                    ],
                    "gracePeriodSeconds": int64("Seconds before the object is deleted."),
                    "kind": string(kindDescription),
                    "orphanDependents": boolean("Deprecated; use propagationPolicy."),
                    "preconditions": flavor.reference(
                        prefix + "Preconditions", description: "Must hold for the delete to happen."),
                    "propagationPolicy": string("Orphan, Background or Foreground deletion of dependents."),
                ],
                extra: [
                    "x-kubernetes-group-version-kind": OpenAPIFlavor.groupVersionKinds(
                        group: "", version: "v1", kind: "DeleteOptions")
                ]),
            prefix + "Preconditions": object(
                "Preconditions must be fulfilled before an operation is carried out.",
                [
                    "resourceVersion": string("The object must have this resourceVersion."),
                    "uid": string("The object must have this uid."),
                ]),
            patch: [
                "type": "object",
                "description":
                    "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            ],
            watchEvent: object(
                "Event represents a single event to a watched resource.",
                [
                    "object": flavor.reference(
                        rawExtension, description: "The object after the change, or a Status for ERROR."),
                    "type": string("ADDED, MODIFIED, DELETED, BOOKMARK or ERROR."),
                ],
                required: ["type", "object"]),
            rawExtension: ["type": "object", "description": "RawExtension is an embedded object."],
        ]
    }

    private static func object(
        _ description: String, _ properties: [String: JSONValue], required: [String] = [],
        extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var members: [String: JSONValue] = [
            "type": "object", "description": .string(description), "properties": .object(properties),
        ]
        if !required.isEmpty { members["required"] = .array(required.map(JSONValue.string)) }
        members.merge(extra) { _, new in new }
        return .object(members)
    }

    private static func string(_ description: String) -> JSONValue {
        ["type": "string", "description": .string(description)]
    }

    private static func int64(_ description: String) -> JSONValue {
        ["type": "integer", "format": "int64", "description": .string(description)]
    }

    private static func boolean(_ description: String) -> JSONValue {
        ["type": "boolean", "description": .string(description)]
    }

    private static func stringMap(_ description: String) -> JSONValue {
        [
            "type": "object", "additionalProperties": ["type": "string", "default": ""],
            "description": .string(description),
        ]
    }
}
