import Foundation
import StageflowAPI
import StageflowIntake

/// The SSRF policy at intake: every target URL of a ScanJob (and of a ScanSchedule's job template) is parsed,
/// resolved and checked by `TargetURLPolicy` before the object is stored. Private addresses pass only when the
/// server allows private targets and the job asks for them. A name that does not resolve now (or not within the
/// lookup deadline) is accepted: intake cannot judge it, and the scan-time checks still apply, where an
/// unresolvable name fails closed.
///
/// Admission runs this last, after the schema has bounded the list (at most 100 URLs of at most 2,048
/// characters), and only when the target changed: a label-only patch of a job resolves nothing.
public struct TargetURLAdmission: Sendable {
    /// The server's `--allow-private-targets`.
    public var serverAllowsPrivateTargets: Bool
    /// How host names become addresses (`StaticHostResolver` in tests), behind the lookup pool.
    public var resolver: any HostResolver

    /// An admission; by default private targets are closed and names are resolved by the system resolver, at
    /// most 16 at a time, each given up after 3 seconds.
    public init(serverAllowsPrivateTargets: Bool = false, resolver: any HostResolver = SystemHostResolver()) {
        self.serverAllowsPrivateTargets = serverAllowsPrivateTargets
        self.resolver = resolver as? BoundedHostResolver ?? BoundedHostResolver(resolver)
    }

    /// Where a kind keeps the job spec whose targets are checked.
    static func jobSpecPath(_ kind: ResourceKind) -> [String]? {
        switch kind {
        case .scanJob: return ["spec"]
        case .scanSchedule: return ["spec", "jobTemplate", "spec"]
        default: return nil
        }
    }

    /// The 422 causes of the URLs of `object`; nothing is resolved when the target and the private-targets
    /// flag are as in `current`. `verdicts` remembers decisions across attempts of one write.
    func causes(of object: JSONValue, kind: ResourceKind, current: JSONValue?, verdicts: TargetURLVerdicts) async
        -> [APIStatus.Cause]
    {
        guard let specPath = Self.jobSpecPath(kind) else { return [] }
        let target = object[path: specPath + ["target", "urls"]]
        let asks = object[path: specPath + ["allowPrivateTargets"]]?.boolValue == true
        if let current, current[path: specPath + ["target", "urls"]] == target,
            (current[path: specPath + ["allowPrivateTargets"]]?.boolValue == true) == asks
        {
            return []
        }
        let policy = TargetURLPolicy(
            allowPrivateTargets: serverAllowsPrivateTargets && asks, resolver: verdicts.resolver(over: resolver))
        let prefix = specPath.joined(separator: ".") + ".target.urls"
        let urls = (target?.arrayValue ?? []).enumerated().compactMap { index, value in
            value.stringValue.map { (field: "\(prefix)[\(index)]", url: $0) }
        }
        await withTaskGroup(of: Void.self) { group in
            for url in Set(urls.map(\.url)) where !verdicts.knows(url, allowPrivate: policy.allowPrivateTargets) {
                group.addTask {
                    do throws(TargetURLRejection) {
                        _ = try await policy.check(url)
                        verdicts.record(url, allowPrivate: policy.allowPrivateTargets, rejection: nil)
                    } catch {
                        verdicts.record(
                            url, allowPrivate: policy.allowPrivateTargets, rejection: error.reason == .unresolvable ? nil : error)
                    }
                }
            }
        }
        return urls.compactMap { field, url in
            guard case .some(.some(let rejection)) = verdicts.verdict(url, allowPrivate: policy.allowPrivateTargets) else {
                return nil
            }
            return .init(
                reason: "FieldValueForbidden",
                message: "Forbidden: \(JSONValue.string(url).jsonString()): \(rejection.reason): \(rejection.message)",
                field: field)
        }
    }
}

/// The URL decisions made while serving one write, so that an attempt repeated after a lost compare-and-swap
/// (or a generated name that was taken) resolves nothing again, and each host is looked up once however many
/// URLs name it.
final class TargetURLVerdicts: @unchecked Sendable {
    private let lock = NSLock()
    private var verdicts: [String: TargetURLRejection?] = [:]
    private var lookups: [String: Task<[IPAddress], any Error>] = [:]

    /// `base`, answering each host once for this write.
    func resolver(over base: any HostResolver) -> any HostResolver {
        WriteScopedResolver(base: base, verdicts: self)
    }

    fileprivate func lookup(_ host: String, base: any HostResolver) -> Task<[IPAddress], any Error> {
        lock.withLock {
            if let running = lookups[host] { return running }
            let task = Task { try await base.addresses(of: host) }
            lookups[host] = task
            return task
        }
    }

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

/// A resolver that shares one lookup per host among the URLs of one write.
private struct WriteScopedResolver: HostResolver {
    let base: any HostResolver
    let verdicts: TargetURLVerdicts

    func addresses(of host: String) async throws -> [IPAddress] {
        try await verdicts.lookup(host, base: base).value
    }
}
