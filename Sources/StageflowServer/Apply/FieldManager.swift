import StageflowAPI
import StageflowStore

/// Server-side apply, and the ownership bookkeeping of every other write, kept in `metadata.managedFields` as
/// Kubernetes does: each manager owns the fields it set; an apply removes the fields its manager applied
/// before and no longer applies (unless another manager owns them too), and refuses to change a field another
/// manager owns with a different value unless forced.
struct FieldManager: Sendable {
    let kind: ResourceKind

    /// Metadata fields that take part in ownership; the rest of `metadata` belongs to the server.
    static let managedMetadataFields = ["labels", "annotations", "finalizers", "ownerReferences"]

    /// The part of an object a writer through `subresource` owns fields of: for the main resource everything but
    /// `apiVersion`, `kind`, `status` and server-owned metadata; for `status`, only `status`. `null` members are
    /// left out (they ask for a field to be absent).
    func managedView(of object: JSONValue, subresource: Subresource) -> JSONValue {
        guard case .object(let members) = object else { return [:] }
        var view: [String: JSONValue] = [:]
        switch subresource {
        case .status:
            if let status = members["status"] { view["status"] = status }
        case .main:
            for (key, value) in members where !["apiVersion", "kind", "status", "metadata"].contains(key) {
                view[key] = value
            }
            var metadata: [String: JSONValue] = [:]
            for field in Self.managedMetadataFields {
                if let value = members["metadata"]?[field], !value.isNull { metadata[field] = value }
            }
            if !metadata.isEmpty { view["metadata"] = .object(metadata) }
        }
        return Self.droppingNulls(.object(view))
    }

    /// The fields of a view, without the bare `metadata` entry (only its members are owned).
    private func fields(of view: JSONValue) -> FieldSet {
        var set = FieldSet.of(view)
        set.remove(["metadata"])
        return set
    }

    // MARK: Updates

    /// `managedFields` after a non-apply write of `new` over `old` (`nil` for a create) by `manager`: the
    /// manager's Update entry gains what changed, other managers lose it, and removed fields leave every entry.
    func recordingUpdate(
        old: JSONValue?, new: JSONValue, entries: [ManagedFieldsEntry], manager: String, subresource: Subresource,
        now: String
    ) -> [ManagedFieldsEntry] {
        let (changed, removed) = FieldSet.changes(
            from: old.map { managedView(of: $0, subresource: subresource) }, to: managedView(of: new, subresource: subresource))
        var changedFields = changed
        changedFields.remove(["metadata"])
        if changedFields.isEmpty && removed.isEmpty { return entries }
        let subresourceName = ManagedFieldsEntry.name(of: subresource)
        var result: [ManagedFieldsEntry] = []
        var own: ManagedFieldsEntry?
        for var entry in entries {
            if entry.isSameWriter(manager: manager, operation: .update, subresource: subresourceName) {
                own = entry
                continue
            }
            let before = entry.fields
            entry.fields = entry.fields.subtracting(changedFields).subtracting(removed)
            if entry.fields.isEmpty { continue }
            if entry.fields != before, entry.time != nil { entry.time = now }
            result.append(entry)
        }
        var entry =
            own
            ?? ManagedFieldsEntry(
                manager: manager, operation: .update, apiVersion: kind.apiVersion, time: now, subresource: subresourceName,
                fields: FieldSet())
        entry.fields = entry.fields.union(changedFields).subtracting(removed)
        entry.time = now
        if !entry.fields.isEmpty { result.append(entry) }
        return result
    }

    // MARK: Apply

    /// The object after `manager` applies `applied` to `current` (`nil` when the object does not exist yet), with
    /// `metadata.managedFields` updated. Throws 409 for fields other managers own with other values, unless
    /// `force`.
    func apply(
        _ applied: JSONValue, to current: JSONValue?, manager: String, force: Bool, subresource: Subresource, now: String
    ) throws -> JSONValue {
        let subresourceName = ManagedFieldsEntry.name(of: subresource)
        let appliedView = managedView(of: applied, subresource: subresource)
        let appliedFields = fields(of: appliedView)
        var entries = ManagedFieldsEntry.entries(of: current)
        let ownIndex = entries.firstIndex { $0.isSameWriter(manager: manager, operation: .apply, subresource: subresourceName) }
        let previous = ownIndex.map { entries[$0].fields } ?? FieldSet()
        let base = current ?? skeleton(of: applied)

        // Conflicts: leaves another manager owns, with a value this apply would change.
        var conflicts: [(manager: String, path: [String])] = []
        for path in appliedFields.paths.sorted(by: Self.pathOrder) where Self.isLeaf(Self.value(at: path, in: appliedView)) {
            let wanted = Self.value(at: path, in: appliedView)
            guard Self.value(at: path, in: base) != wanted else { continue }
            for index in entries.indices where index != ownIndex && entries[index].subresource == subresourceName {
                guard entries[index].fields.contains(path) else { continue }
                if force {
                    entries[index].fields.remove(path)
                    entries[index].time = now
                } else {
                    conflicts.append((entries[index].manager, path))
                }
            }
        }
        if !conflicts.isEmpty { throw conflictStatus(conflicts, name: applied[path: ["metadata", "name"]]?.stringValue ?? "") }

        // Fields this manager applied before and no longer applies go, unless someone else still owns them.
        var result = base
        let others = entries.indices.filter { $0 != ownIndex }.map { entries[$0].fields }
        for path in previous.subtracting(appliedFields).paths.sorted(by: { $0.count > $1.count }) {
            if appliedFields.containsAnything(at: path) { continue }
            if others.contains(where: { $0.containsAnything(at: path) }) { continue }
            result = Self.removing(path, from: result)
        }
        result = Self.merging(appliedView, into: result)

        // Ownership: this manager's Apply entry is exactly what it applied.
        if let ownIndex {
            if entries[ownIndex].fields != appliedFields {
                entries[ownIndex].fields = appliedFields
                entries[ownIndex].time = now
            }
        } else {
            entries.append(
                ManagedFieldsEntry(
                    manager: manager, operation: .apply, apiVersion: kind.apiVersion, time: now, subresource: subresourceName,
                    fields: appliedFields))
        }
        entries.removeAll { $0.fields.isEmpty }
        var metadata = result["metadata"]?.objectValue ?? [:]
        metadata["managedFields"] = entries.isEmpty ? nil : .array(entries.map(\.json))
        result["metadata"] = .object(metadata)
        return result
    }

    /// The object an apply creates before the applied fields are merged in.
    private func skeleton(of applied: JSONValue) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace"] {
            if let value = applied[path: ["metadata", field]] { metadata[field] = value }
        }
        return ["apiVersion": .string(kind.apiVersion), "kind": .string(kind.kind), "metadata": .object(metadata)]
    }

    private func conflictStatus(_ conflicts: [(manager: String, path: [String])], name: String) -> APIStatus {
        let rendered = conflicts.map { conflict in
            (manager: conflict.manager, field: "." + conflict.path.joined(separator: "."))
        }
        let summary = rendered.map { "conflict with \"\($0.manager)\" using \(kind.apiVersion): \($0.field)" }
        let count = rendered.count == 1 ? "1 conflict" : "\(rendered.count) conflicts"
        var status = APIStatus(
            code: 409, reason: "Conflict", message: "Apply failed with \(count): \(summary.joined(separator: "\n"))",
            details: APIStatus.Details(
                name: name, group: kind.group, kind: kind.plural,
                causes: rendered.map {
                    APIStatus.Cause(reason: "FieldManagerConflict", message: "conflict with \"\($0.manager)\" using \(kind.apiVersion)", field: $0.field)
                }))
        status.status = "Failure"
        return status
    }

    // MARK: Values

    private static func pathOrder(_ lhs: [String], _ rhs: [String]) -> Bool {
        lhs.joined(separator: ".") < rhs.joined(separator: ".")
    }

    static func value(at path: [String], in value: JSONValue) -> JSONValue? {
        value[path: path]
    }

    /// Leaves own a value; a map with members is owned through its members.
    static func isLeaf(_ value: JSONValue?) -> Bool {
        guard case .object(let members) = value else { return true }
        return members.isEmpty
    }

    static func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        guard let first = path.first, case .object(var members) = value else { return value }
        if path.count == 1 {
            members.removeValue(forKey: first)
        } else if let child = members[first] {
            members[first] = removing(Array(path.dropFirst()), from: child)
        }
        return .object(members)
    }

    /// Maps merge member by member; anything else in `applied` replaces what is there.
    static func merging(_ applied: JSONValue, into base: JSONValue) -> JSONValue {
        guard case .object(let appliedMembers) = applied, case .object(var members) = base else { return applied }
        for (key, value) in appliedMembers {
            members[key] = merging(value, into: members[key] ?? .null)
        }
        return .object(members)
    }

    static func droppingNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.filter { !$0.value.isNull }.mapValues(droppingNulls))
        default:
            return value
        }
    }
}
