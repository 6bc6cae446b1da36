import Foundation
import StageflowAPI

/// Who owns whom, across every kind the garbage collector watches, kept from the informers' events: each object by
/// uid, and for each owner uid the objects that name it in `metadata.ownerReferences` (owners that are gone
/// included — those dependents are what gets collected).
final class OwnershipGraph: @unchecked Sendable {
    private let lock = NSLock()
    private var refs: [String: ObjectRef] = [:]
    private var owners: [String: Set<String>] = [:]
    private var dependents: [String: Set<String>] = [:]

    /// Records an object as it is now.
    func upsert(_ object: JSONValue, as ref: ObjectRef) {
        guard let uid = Self.uid(of: object) else { return }
        let ownerUIDs = Set(Self.ownerReferences(of: object).map(\.uid))
        lock.withLock {
            refs[uid] = ref
            for old in owners[uid] ?? [] where !ownerUIDs.contains(old) { removeDependent(uid, of: old) }
            for owner in ownerUIDs { dependents[owner, default: []].insert(uid) }
            owners[uid] = ownerUIDs.isEmpty ? nil : ownerUIDs
        }
    }

    /// Forgets a deleted object; returns the references of its dependents (whose owner is now gone) and of its
    /// owners (which may be waiting for it).
    func remove(_ object: JSONValue) -> (dependents: [ObjectRef], owners: [ObjectRef]) {
        guard let uid = Self.uid(of: object) else { return ([], []) }
        return lock.withLock {
            refs.removeValue(forKey: uid)
            let ownerUIDs = owners.removeValue(forKey: uid) ?? []
            for owner in ownerUIDs { removeDependent(uid, of: owner) }
            let dependentRefs = (dependents[uid] ?? []).compactMap { refs[$0] }
            return (dependentRefs, ownerUIDs.compactMap { refs[$0] })
        }
    }

    /// The objects naming `uid` as an owner.
    func dependents(of uid: String) -> [ObjectRef] {
        lock.withLock { (dependents[uid] ?? []).compactMap { refs[$0] } }
    }

    /// Whether any object names `uid` as an owner.
    func hasDependents(_ uid: String) -> Bool {
        lock.withLock { !(dependents[uid] ?? []).isEmpty }
    }

    private func removeDependent(_ uid: String, of owner: String) {
        dependents[owner]?.remove(uid)
        if dependents[owner]?.isEmpty == true { dependents.removeValue(forKey: owner) }
    }

    static func uid(of object: JSONValue) -> String? {
        object[path: ["metadata", "uid"]]?.stringValue
    }

    /// The owner references of an object; malformed entries are skipped.
    static func ownerReferences(of object: JSONValue) -> [OwnerReference] {
        (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { try? $0.decode(as: OwnerReference.self) }
    }
}
