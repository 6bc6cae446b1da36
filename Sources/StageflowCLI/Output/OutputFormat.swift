import ArgumentParser

/// `-o`: how `get` prints objects.
public enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// The server's table, standard columns.
    case table
    /// The table with every column.
    case wide
    /// The objects as YAML.
    case yaml
    /// The objects as JSON.
    case json
    /// `kind.group/name` per object.
    case name

    /// Whether the output is a table.
    public var isTable: Bool { self == .table || self == .wide }
}
