import Foundation

/// The static table of known cross-scanner equivalences and the scanner priorities that decide which
/// finding of an equivalent pair is kept; the built-in table is `Data/equivalences.json`.
public struct EquivalenceTable: Sendable, Hashable {
    /// One canonical rule and the scanner rules that mean it.
    public struct Rule: Codable, Sendable, Hashable {
        /// The canonical rule id (`image-alt`).
        public var canonical: String
        /// Whether the rule is about an element or about the page as a whole.
        public var scope: Scope
        /// What the rule means.
        public var description: String?
        /// Scanner id → that scanner's rule ids for it.
        public var members: [String: [String]]
    }

    /// What a canonical rule is about.
    public enum Scope: String, Codable, Sendable, Hashable {
        /// An element: findings merge only with the same normalised selector.
        case element
        /// The document: selectors are ignored (one issue per page).
        case page
    }

    /// The canonical rules.
    public let rules: [Rule]
    /// Scanner id → priority.
    public let scannerPriority: [String: Int]
    /// Priority of scanners the table does not list.
    public let defaultPriority: Int
    /// Scanner id → rule id → index into `rules`.
    private let index: [String: [String: Int]]

    /// The built-in table, `Data/equivalences.json`.
    public static let builtIn: EquivalenceTable = {
        do {
            return try EquivalenceTable(jsonData: Data(PackageResources.equivalences_json))
        } catch {
            fatalError("Data/equivalences.json of StageflowReport is invalid: \(error)")
        }
    }()

    /// A table from the JSON format of `Data/equivalences.json`; rejects a scanner rule listed under two
    /// canonical rules.
    public init(jsonData: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: jsonData)
        try self.init(rules: file.equivalences, scannerPriority: file.scannerPriority, defaultPriority: file.defaultPriority)
    }

    /// A table from its parts; rejects a scanner rule listed under two canonical rules.
    public init(rules: [Rule], scannerPriority: [String: Int], defaultPriority: Int = 50) throws {
        var index: [String: [String: Int]] = [:]
        for (position, rule) in rules.enumerated() {
            for (scanner, ruleIds) in rule.members {
                for ruleId in ruleIds {
                    if let other = index[scanner]?[ruleId] {
                        throw EquivalenceTableError(
                            message: "\(scanner):\(ruleId) is listed under both \(rules[other].canonical) and \(rule.canonical)"
                        )
                    }
                    index[scanner, default: [:]][ruleId] = position
                }
            }
        }
        self.rules = rules
        self.scannerPriority = scannerPriority
        self.defaultPriority = defaultPriority
        self.index = index
    }

    /// The canonical rule a scanner's rule belongs to, if any.
    public func rule(scanner: String, ruleId: String) -> Rule? {
        index[scanner]?[ruleId].map { rules[$0] }
    }

    /// The priority of a scanner in deduplication (higher wins).
    public func priority(of scanner: String) -> Int {
        scannerPriority[scanner] ?? defaultPriority
    }

    /// Rule id → index into `rules`, for one scanner.
    func ruleIndex(for scanner: String) -> [String: Int] {
        index[scanner] ?? [:]
    }

    private struct File: Codable {
        var defaultPriority: Int
        var scannerPriority: [String: Int]
        var equivalences: [Rule]
    }
}

/// A fault in an equivalence table.
public struct EquivalenceTableError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}
