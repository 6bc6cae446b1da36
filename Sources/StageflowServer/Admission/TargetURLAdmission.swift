import Foundation
import StageflowAPI
import StageflowIntake

/// The SSRF policy at intake: every `spec.target.urls` entry of a ScanJob is parsed, resolved and checked by
/// `TargetURLPolicy` before the job is stored. Private addresses pass only when the server allows private
/// targets and the job asks for them. A name that does not resolve now is accepted: intake cannot judge it,
/// and the scan-time checks (every fetch, at connect time and in the browser) still apply.
public struct TargetURLAdmission: Sendable {
    /// The server's `--allow-private-targets`.
    public var serverAllowsPrivateTargets: Bool
    /// How host names become addresses (`StaticHostResolver` in tests).
    public var resolver: any HostResolver

    /// An admission; by default private targets are closed and names are resolved by the system resolver.
    public init(serverAllowsPrivateTargets: Bool = false, resolver: any HostResolver = SystemHostResolver()) {
        self.serverAllowsPrivateTargets = serverAllowsPrivateTargets
        self.resolver = resolver
    }

    /// The policy for a job: private targets only when both the server and the job allow them.
    func policy(for object: JSONValue) -> TargetURLPolicy {
        let jobAsks = object[path: ["spec", "allowPrivateTargets"]]?.boolValue == true
        return TargetURLPolicy(allowPrivateTargets: serverAllowsPrivateTargets && jobAsks, resolver: resolver)
    }

    /// The URLs of a ScanJob object, with their field paths.
    static func urls(of object: JSONValue) -> [(field: String, url: String)] {
        let list = object[path: ["spec", "target", "urls"]]?.arrayValue ?? []
        return list.enumerated().compactMap { index, value in
            value.stringValue.map { ("spec.target.urls[\(index)]", $0) }
        }
    }

    /// Checks every URL of `object` not yet in `verdicts` (resolving names) and records the outcome.
    func check(_ object: JSONValue, into verdicts: TargetURLVerdicts) async {
        let policy = policy(for: object)
        for (_, url) in Self.urls(of: object) where !verdicts.knows(url, allowPrivate: policy.allowPrivateTargets) {
            do throws(TargetURLRejection) {
                _ = try await policy.check(url)
                verdicts.record(url, allowPrivate: policy.allowPrivateTargets, rejection: nil)
            } catch {
                verdicts.record(url, allowPrivate: policy.allowPrivateTargets, rejection: error.reason == .unresolvable ? nil : error)
            }
        }
    }

    /// The 422 causes of `object`'s URLs from `verdicts`; throws `PendingTargetURLChecks` when some URL has
    /// no verdict yet (the caller checks it asynchronously and admits again).
    func causes(of object: JSONValue, verdicts: TargetURLVerdicts) throws -> [APIStatus.Cause] {
        let allowPrivate = policy(for: object).allowPrivateTargets
        var causes: [APIStatus.Cause] = []
        for (field, url) in Self.urls(of: object) {
            guard let verdict = verdicts.verdict(url, allowPrivate: allowPrivate) else {
                throw PendingTargetURLChecks(object: object)
            }
            if let rejection = verdict {
                causes.append(
                    .init(
                        reason: "FieldValueForbidden",
                        message: "Forbidden: \(JSONValue.string(url).jsonString()): \(rejection.reason): \(rejection.message)",
                        field: field))
            }
        }
        return causes
    }
}

/// Thrown by admission when a ScanJob names URLs that have not been checked yet: checking resolves names,
/// which admission (synchronous, inside the store's compare-and-swap) cannot do.
struct PendingTargetURLChecks: Error {
    let object: JSONValue
}

/// The URL decisions made while serving one request, so that a retried admission does not resolve again.
final class TargetURLVerdicts: @unchecked Sendable {
    private let lock = NSLock()
    private var verdicts: [String: TargetURLRejection?] = [:]

    /// The verdicts of the request being served, bound while a write of ScanJobs runs.
    @TaskLocal static var current: TargetURLVerdicts?

    private static func key(_ url: String, _ allowPrivate: Bool) -> String { "\(allowPrivate ? 1 : 0)|\(url)" }

    func knows(_ url: String, allowPrivate: Bool) -> Bool {
        lock.withLock { verdicts.keys.contains(Self.key(url, allowPrivate)) }
    }

    /// `nil` when unknown, `.some(nil)` when accepted, `.some(rejection)` when refused.
    func verdict(_ url: String, allowPrivate: Bool) -> TargetURLRejection?? {
        lock.withLock { verdicts[Self.key(url, allowPrivate)] }
    }

    func record(_ url: String, allowPrivate: Bool, rejection: TargetURLRejection?) {
        lock.withLock { verdicts[Self.key(url, allowPrivate)] = .some(rejection) }
    }
}
