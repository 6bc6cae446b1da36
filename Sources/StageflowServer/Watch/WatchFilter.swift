import StageflowAPI
import StageflowStore

/// Applies a watch's selectors to store events as kube-apiserver does: objects that do not match are left
/// out, and with a label selector an object that stops matching is sent as DELETED (and one that starts
/// matching as ADDED).
struct WatchFilter: Sendable {
    let labelSelector: LabelSelector?
    let fieldSelector: FieldSelector?
    /// Keys of the objects the client currently sees; tracked only with a label selector.
    private var visible: Set<String> = []

    init(options: ListOptions) {
        labelSelector = options.labelSelector
        fieldSelector = options.fieldSelector
    }

    /// Whether transitions need tracking: only labels can change whether an object matches.
    var tracksVisibility: Bool { labelSelector != nil }

    /// Whether an object matches both selectors.
    func matches(_ object: JSONValue) -> Bool {
        ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector).matches(object)
    }

    /// Records that the client sees this object (from the initial list).
    mutating func markVisible(_ object: JSONValue) {
        if tracksVisibility { visible.insert(Self.key(object)) }
    }

    /// The event to send for a store event, if any.
    mutating func translate(_ event: StoreEvent) -> WatchEvent? {
        let matching = matches(event.object)
        guard tracksVisibility else {
            return matching ? WatchEvent(type: event.type, object: event.object) : nil
        }
        let key = Self.key(event.object)
        let wasVisible = visible.contains(key)
        switch event.type {
        case .deleted:
            visible.remove(key)
            return wasVisible || matching ? WatchEvent(type: .deleted, object: event.object) : nil
        default:
            if matching {
                visible.insert(key)
                return WatchEvent(type: wasVisible ? .modified : .added, object: event.object)
            }
            if wasVisible {
                visible.remove(key)
                return WatchEvent(type: .deleted, object: event.object)
            }
            return nil
        }
    }

    private static func key(_ object: JSONValue) -> String {
        let metadata = object["metadata"]
        return (metadata?["namespace"]?.stringValue ?? "") + "/" + (metadata?["name"]?.stringValue ?? "")
    }
}
