import Foundation

/// The HSTS preload list: hosts browsers only ever reach over HTTPS. Read from Chromium's
/// `transport_security_state_static.json` (`{"entries": [{"name", "include_subdomains", "mode"}]}`, `//`
/// comment lines allowed) or from the Observatory's `hsts-preload.json` (`{"host": {"includeSubDomains",
/// "mode"}}`). Without a list nothing counts as preloaded.
public struct HSTSPreloadList: Sendable, Hashable {
    /// One host of the list.
    public struct Entry: Sendable, Hashable {
        /// The rule covers subdomains.
        public var includeSubDomains: Bool
        /// `force-https` for HSTS entries; entries without it (pins only) do not count.
        public var mode: String?

        /// An entry.
        public init(includeSubDomains: Bool, mode: String?) {
            self.includeSubDomains = includeSubDomains
            self.mode = mode
        }
    }

    /// Host → entry.
    public private(set) var entries: [String: Entry]

    /// A list of the given entries (none by default).
    public init(_ entries: [String: Entry] = [:]) {
        self.entries = entries.reduce(into: [:]) { $0[$1.key.lowercased()] = $1.value }
    }

    /// Parses either format; throws with what is wrong.
    public init(data: Data) throws {
        let text = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
        let root = try JSONSerialization.jsonObject(with: Data(text.utf8))
        var entries: [String: Entry] = [:]
        if let object = root as? [String: Any], let list = object["entries"] as? [[String: Any]] {
            for item in list {
                guard let name = item["name"] as? String else { continue }
                entries[name.lowercased()] = Entry(
                    includeSubDomains: item["include_subdomains"] as? Bool ?? false, mode: item["mode"] as? String)
            }
        } else if let object = root as? [String: Any] {
            for (name, value) in object {
                guard let item = value as? [String: Any] else { continue }
                entries[name.lowercased()] = Entry(
                    includeSubDomains: item["includeSubDomains"] as? Bool ?? false, mode: item["mode"] as? String)
            }
        } else {
            throw CocoaError(.propertyListReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "not a JSON object"])
        }
        self.entries = entries
    }

    /// The entry that makes `host` preloaded: its own `force-https` entry, or a parent domain's that includes
    /// subdomains; `nil` when the host is not preloaded.
    public func preloadEntry(for host: String) -> Entry? {
        let host = host.lowercased()
        if let own = entries[host], own.mode == "force-https" { return own }
        var labels = host.split(separator: ".")
        while labels.count > 1 {
            labels.removeFirst()
            if let parent = entries[labels.joined(separator: ".")], parent.mode == "force-https", parent.includeSubDomains {
                return parent
            }
        }
        return nil
    }
}
