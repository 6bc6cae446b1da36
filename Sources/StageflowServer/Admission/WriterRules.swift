import StageflowAPI
import StageflowObjectStore

/// The admission rules that keep a writer inside its own tenancy and away from the host (docs/security.md):
///
/// - A Scanner written through the API never carries a command line (`spec.entry.command`): commands come only
///   from the plugin manifests the operator installed where the controller runs, which an API Scanner may
///   name with `spec.entry.plugin`.
/// - The Scanners installed with the controller (label `stageflow.dev/installed: "true"`) are written only by the
///   controllers, so a built-in scanner cannot be replaced through the API.
/// - A ScanJob's archive is the one uploaded for it: `spec.target.archive.objectKey` must lie under the job's
///   own staging prefix (`staging/<uid>/`), which `POST /api/v1/jobs/zip` fills in, so no job can scan another
///   job's upload.
enum WriterRules {
    /// The label the controller's scanner registry puts on the Scanners it installs.
    static let installedLabel = "stageflow.dev/installed"

    /// Throws 403 or 422 when `object`, written by `write.principal` over `current`, breaks a rule.
    static func check(_ object: JSONValue, current: JSONValue?, write: WriteRequest, uid: String) throws {
        guard write.subresource == .main else { return }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        switch write.kind {
        case .scanner:
            if !write.principal.isController, isInstalled(object) || current.map(isInstalled) == true {
                throw installedScannerRefusal(name)
            }
            if let command = object[path: ["spec", "entry", "command"]], !command.isNull {
                throw APIStatus.invalid(
                    .scanner, name,
                    causes: [
                        .init(
                            reason: "FieldValueForbidden",
                            message: "Forbidden: a Scanner written through the API cannot carry a command line. Commands "
                                + "come only from plugin manifests installed where the controller runs (--plugin-dir, "
                                + "/plugins, ~/.stageflow/plugins or PLUGIN_PATHS); name an installed plugin with "
                                + "spec.entry.plugin instead",
                            field: "spec.entry.command")
                    ])
            }
        case .scanJob:
            guard let key = object[path: ["spec", "target", "archive", "objectKey"]]?.stringValue else { return }
            let prefix = (try? ObjectKeys.stagingPrefix(jobUID: uid)) ?? "staging/\(uid)/"
            let valid = (try? ObjectKeys.validate(key)) != nil
            if !valid || !key.hasPrefix(prefix) || key.dropFirst(prefix.count).contains("/") {
                throw APIStatus.invalid(
                    .scanJob, name,
                    causes: [
                        .init(
                            reason: "FieldValueForbidden",
                            message: "Forbidden: \(JSONValue.string(key).jsonString()): a job scans only the archive uploaded "
                                + "for it (POST /api/v1/jobs/zip sets this key, under \(prefix))",
                            field: "spec.target.archive.objectKey")
                    ])
            }
        default:
            return
        }
    }

    /// 403 for deleting an installed Scanner without the controller's grant.
    static func checkDeletion(of object: JSONValue, kind: ResourceKind, by principal: Principal) throws {
        guard kind == .scanner, !principal.isController, isInstalled(object) else { return }
        throw installedScannerRefusal(object[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    static func isInstalled(_ object: JSONValue) -> Bool {
        object[path: ["metadata", "labels", installedLabel]]?.stringValue == "true"
    }

    private static func installedScannerRefusal(_ name: String) -> APIStatus {
        APIStatus(
            code: 403, reason: "Forbidden",
            message: "Forbidden: Scanner \(JSONValue.string(name).jsonString()) is installed with the controller and changes "
                + "only when its manifest does; create a Scanner under another name to vary it",
            details: APIStatus.Details(name: name, group: ResourceKind.group, kind: ResourceKind.scanner.plural))
    }
}
