import StageflowAPI

extension StructuralSchema {
    /// Applies `default`s the way Kubernetes does for custom resources: a property with a default is set when
    /// it is absent (or `null` without being nullable) and its parent object exists; then defaulting descends
    /// into every member, so a parent defaulted to `{}` receives the defaults of its children.
    func applyingDefaults(to value: JSONValue) -> JSONValue {
        switch value {
        case .object(var members):
            for (name, property) in properties {
                guard let defaultValue = property.defaultValue else { continue }
                if let current = members[name], !(current.isNull && !property.nullable) { continue }
                members[name] = defaultValue
            }
            for (name, member) in members {
                if let property = properties[name] {
                    members[name] = property.applyingDefaults(to: member)
                } else if case .schema(let valueSchema) = additionalProperties {
                    members[name] = valueSchema.applyingDefaults(to: member)
                }
            }
            return .object(members)
        case .array(let elements):
            guard let items else { return value }
            return .array(elements.map { items.applyingDefaults(to: $0) })
        default:
            return value
        }
    }
}
