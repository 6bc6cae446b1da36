import StageflowAPI

extension SchemaRegistry {
    /// Validates a value against a plain JSON Schema with the keywords the CRDs use (type, properties, required,
    /// items, additionalProperties, enum, pattern, lengths, bounds, format, anyOf/allOf/oneOf/not): a ScanJob's
    /// `spec.scanners[i].config` against its Scanner's `configSchema`. As in JSON Schema, undeclared fields are
    /// allowed unless `additionalProperties: false`; nothing is pruned. Causes carry field paths under `path`
    /// (`spec.scanners[0].config.level`). Throws `SchemaError` for a schema outside that subset.
    public static func validate(
        _ value: JSONValue, againstJSONSchema schema: JSONValue, at path: String
    ) throws -> [APIStatus.Cause] {
        let compiled = try StructuralSchema(schema, path: "configSchema")
        var walker = SchemaWalker(prunes: false)
        _ = walker.walk(value, compiled, at: FieldPath(description: path))
        return walker.causes
    }
}
