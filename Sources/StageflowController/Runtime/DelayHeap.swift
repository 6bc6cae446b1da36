/// The keys of a work queue waiting for their time, earliest first: a binary min-heap with at most one live entry
/// per key. Moving a key earlier pushes a new entry and leaves the old one to be skipped when it surfaces.
struct DelayHeap<Key: Hashable, Instant: Comparable> {
    private struct Entry {
        var due: Instant
        var sequence: UInt64
        var key: Key

        func precedes(_ other: Entry) -> Bool {
            due < other.due || (due == other.due && sequence < other.sequence)
        }
    }

    private var entries: [Entry] = []
    private var dueByKey: [Key: Instant] = [:]
    private var sequence: UInt64 = 0

    /// Keys waiting.
    var count: Int { dueByKey.count }

    /// When a key is due, if it waits.
    func due(_ key: Key) -> Instant? { dueByKey[key] }

    /// The earliest due time.
    mutating func earliest() -> Instant? {
        dropStale()
        return entries.first?.due
    }

    /// Schedules `key` at `due`, unless it already waits for an earlier time. Returns whether `due` is now the
    /// earliest time of the heap (so a timer waiting for a later one must wake).
    @discardableResult
    mutating func schedule(_ key: Key, at due: Instant) -> Bool {
        if let current = dueByKey[key], current <= due { return false }
        dueByKey[key] = due
        sequence += 1
        push(Entry(due: due, sequence: sequence, key: key))
        dropStale()
        return entries.first?.sequence == sequence
    }

    /// Removes and returns every key due at or before `now`, earliest first.
    mutating func popDue(_ now: Instant) -> [Key] {
        var keys: [Key] = []
        while let first = entries.first, first.due <= now {
            pop()
            if dueByKey[first.key] == first.due {
                dueByKey.removeValue(forKey: first.key)
                keys.append(first.key)
            }
        }
        return keys
    }

    /// Forgets every key.
    mutating func removeAll() {
        entries = []
        dueByKey = [:]
    }

    private mutating func dropStale() {
        while let first = entries.first, dueByKey[first.key] != first.due { pop() }
    }

    private mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var first = parent
            if left < entries.count, entries[left].precedes(entries[first]) { first = left }
            if right < entries.count, entries[right].precedes(entries[first]) { first = right }
            if first == parent { return }
            entries.swapAt(parent, first)
            parent = first
        }
    }
}
