import StageflowAPI
import StageflowStore

/// One write as `WriteChain` takes it, whichever route it came by (the Kubernetes API, the job API, the
/// workbench, the in-process controllers): the kind and namespace written, on whose behalf, and how.
struct WriteRequest: Sendable {
    /// The kind written.
    var kind: ResourceKind
    /// The namespace on the URL (or of the adapter's object); `nil` for cluster-scoped kinds.
    var namespace: String?
    /// The main resource or its status.
    var subresource: Subresource = .main
    /// Who writes: decides the rules that depend on the writer and the creation rate limit.
    var principal: Principal
    /// `dryRun=All`: admit and answer, store nothing.
    var dryRun = false
    /// How unknown fields are treated.
    var fieldValidation: WriteParameters.FieldValidation = .strict
    /// The manager recorded in `managedFields`.
    var fieldManager: String
    /// For apply: take fields other managers own.
    var force = false
    /// Whether a ScanJob creation counts against the writer's creation rate (off when the caller counted it).
    var countsCreation = true

    /// A write with the query's parameters.
    init(
        kind: ResourceKind, namespace: String?, subresource: Subresource = .main, principal: Principal,
        parameters: WriteParameters
    ) {
        self.kind = kind
        self.namespace = namespace
        self.subresource = subresource
        self.principal = principal
        dryRun = parameters.dryRun
        fieldValidation = parameters.fieldValidation
        fieldManager = parameters.fieldManager ?? "unknown"
        force = parameters.force
    }

    /// A write built by the server itself (an adapter or a controller), validated strictly.
    init(kind: ResourceKind, namespace: String?, subresource: Subresource = .main, principal: Principal, fieldManager: String,
        dryRun: Bool = false)
    {
        self.kind = kind
        self.namespace = namespace
        self.subresource = subresource
        self.principal = principal
        self.fieldManager = fieldManager
        self.dryRun = dryRun
    }
}

/// What a write stored (or, with `dryRun`, would store), with the warnings for the `Warning` header.
struct WriteOutcome: Sendable {
    /// The object as stored.
    var object: JSONValue
    /// Warnings (unknown fields under `fieldValidation=Warn`).
    var warnings: [String]
    /// Whether the write created the object.
    var created: Bool
}
