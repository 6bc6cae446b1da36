import StageflowAPI

/// A set of field paths, as server-side apply records who owns what. Every map member is a path (so a map
/// and its members are separate entries); arrays and scalars are leaves, since lists of these kinds are
/// replaced as a whole. Serialised as Kubernetes' `FieldsV1` (`{"f:spec":{".":{},"f:suspend":{}}}`).
struct FieldSet: Sendable, Hashable {
    /// The paths, each a list of member names from the root.
    private(set) var paths: Set<[String]>

    /// A set of paths.
    init(_ paths: Set<[String]> = []) {
        self.paths = paths
    }

    var isEmpty: Bool { paths.isEmpty }

    /// Every path of a value below `prefix` (not `prefix` itself).
    static func of(_ value: JSONValue, under prefix: [String] = []) -> FieldSet {
        var paths: Set<[String]> = []
        collect(value, prefix, into: &paths)
        return FieldSet(paths)
    }

    private static func collect(_ value: JSONValue, _ prefix: [String], into paths: inout Set<[String]>) {
        guard case .object(let members) = value else { return }
        for (key, child) in members {
            let path = prefix + [key]
            paths.insert(path)
            collect(child, path, into: &paths)
        }
    }

    func contains(_ path: [String]) -> Bool { paths.contains(path) }

    /// Whether the set holds `path` or anything below it.
    func containsAnything(at path: [String]) -> Bool {
        paths.contains { $0.count >= path.count && Array($0.prefix(path.count)) == path }
    }

    func union(_ other: FieldSet) -> FieldSet { FieldSet(paths.union(other.paths)) }
    func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(paths.subtracting(other.paths)) }

    mutating func remove(_ path: [String]) { paths.remove(path) }

    /// The paths that differ between two values: what `new` sets or changes, and what it removes.
    static func changes(from old: JSONValue?, to new: JSONValue) -> (changed: FieldSet, removed: FieldSet) {
        var changed: Set<[String]> = []
        var removed: Set<[String]> = []
        diff(old ?? [:], new, [], &changed, &removed)
        return (FieldSet(changed), FieldSet(removed))
    }

    private static func diff(
        _ old: JSONValue, _ new: JSONValue, _ prefix: [String], _ changed: inout Set<[String]>,
        _ removed: inout Set<[String]>
    ) {
        guard case .object(let oldMembers) = old, case .object(let newMembers) = new else {
            if old != new, !prefix.isEmpty {
                changed.insert(prefix)
                collect(new, prefix, into: &changed)
                var previous: Set<[String]> = []
                collect(old, prefix, into: &previous)
                removed.formUnion(previous.subtracting(changed))
            }
            return
        }
        for (key, value) in newMembers {
            let path = prefix + [key]
            if let previous = oldMembers[key] {
                diff(previous, value, path, &changed, &removed)
            } else {
                changed.insert(path)
                collect(value, path, into: &changed)
            }
        }
        for (key, value) in oldMembers where newMembers[key] == nil {
            let path = prefix + [key]
            removed.insert(path)
            collect(value, path, into: &removed)
        }
    }

    /// The set as `FieldsV1`: a tree of `f:<name>` members where `.` marks a field that is owned itself and
    /// also has owned members.
    var fieldsV1: JSONValue {
        final class Node {
            var owned = false
            var children: [String: Node] = [:]

            func encoded() -> JSONValue {
                var members: [String: JSONValue] = [:]
                for (name, child) in children { members["f:" + name] = child.encoded() }
                if owned, !members.isEmpty { members["."] = [:] }
                return .object(members)
            }
        }
        let root = Node()
        for path in paths {
            var node = root
            for name in path {
                if let next = node.children[name] {
                    node = next
                } else {
                    let next = Node()
                    node.children[name] = next
                    node = next
                }
            }
            node.owned = true
        }
        return root.encoded()
    }

    /// Reads `FieldsV1`; entries other than `f:` members (list keys, values) are treated as owning their list.
    init(fieldsV1: JSONValue) {
        var paths: Set<[String]> = []
        Self.read(fieldsV1, [], into: &paths)
        self.init(paths)
    }

    private static func read(_ node: JSONValue, _ prefix: [String], into paths: inout Set<[String]>) {
        guard case .object(let members) = node else { return }
        for (key, child) in members {
            if key == "." {
                if !prefix.isEmpty { paths.insert(prefix) }
            } else if key.hasPrefix("f:") {
                let path = prefix + [String(key.dropFirst(2))]
                let grandchildren = child.objectValue ?? [:]
                if grandchildren.isEmpty || grandchildren.keys.contains(where: { !$0.hasPrefix("f:") && $0 != "." }) {
                    paths.insert(path)
                }
                read(child, path, into: &paths)
            } else if !prefix.isEmpty {
                paths.insert(prefix)
            }
        }
    }
}
