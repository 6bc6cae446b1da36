import StageflowAPI

extension JSONValue {
    /// Sets (or, with `nil`, removes) the value at a path of object keys, creating objects on the way.
    subscript(path first: String, _ rest: String...) -> JSONValue? {
        get { self[path: [first] + rest] }
        set { setValue(newValue, at: [first] + rest) }
    }

    mutating func setValue(_ value: JSONValue?, at path: [String]) {
        guard let first = path.first else { return }
        var members = objectValue ?? [:]
        if path.count == 1 {
            members[first] = value
        } else {
            var child = members[first] ?? [:]
            child.setValue(value, at: Array(path.dropFirst()))
            members[first] = child
        }
        self = .object(members)
    }
}
