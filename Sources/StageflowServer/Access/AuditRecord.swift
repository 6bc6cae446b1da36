import Foundation
import Logging

/// What the audit line of one write says: who did what to which object, and how it ended. Handlers that learn
/// the object's namespace or name only while serving (creations with generated names, the job API) fill them in
/// through `AuditRecord.current`.
final class AuditRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var _namespace: String?
    private var _name: String?

    /// The record of the request being served.
    @TaskLocal static var current: AuditRecord?

    init(namespace: String?, name: String?) {
        _namespace = namespace
        _name = name
    }

    var namespace: String? {
        get { lock.withLock { _namespace } }
        set { lock.withLock { _namespace = newValue } }
    }

    var name: String? {
        get { lock.withLock { _name } }
        set { lock.withLock { _name = newValue } }
    }

    /// Logs the line: `user`, `verb`, `resource`, `namespace`, `name`, `outcome` (`allowed`, `denied`,
    /// `rejected`, `failed`) and `code`.
    func log(to logger: Logger, user: String, verb: String, resource: String, code: Int) {
        let outcome: String
        switch code {
        case 200..<400: outcome = "allowed"
        case 401, 403: outcome = "denied"
        case 400..<500: outcome = "rejected"
        default: outcome = "failed"
        }
        logger.info(
            "\(user) \(verb) \(resource) \(outcome)",
            metadata: [
                "user": .string(user), "verb": .string(verb), "resource": .string(resource),
                "namespace": .string(namespace ?? ""), "name": .string(name ?? ""), "outcome": .string(outcome),
                "code": .stringConvertible(code),
            ])
    }
}
