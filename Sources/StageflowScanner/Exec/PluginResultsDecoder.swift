import Foundation
import StageflowAPI
import StageflowReport

/// Reads the results file of an exec plugin: `ScannerResults` JSON with two allowances for plugins — `scanner`
/// and `status` may be left out (they default to the scanner id and `success`), and a finding may give only
/// `severityRaw` when the manifest's `severityMapping` maps it. Anything else that does not fit the contract
/// fails the run with the path of the fault.
struct PluginResultsDecoder {
    var scannerID: String
    var mapping: SeverityMapping

    func decode(_ data: Data) throws -> ScannerResults {
        var document: JSONValue
        do {
            document = try JSONValue.parse(data)
        } catch {
            throw invalid("it is not JSON (\(error))")
        }
        guard case .object(var members) = document else { throw invalid("the top level is not an object") }
        members["scanner"] = .string(scannerID)
        if members["status"] == nil || members["status"] == .null { members["status"] = "success" }
        if case .array(let findings)? = members["findings"] {
            members["findings"] = .array(try findings.enumerated().map { try normalized($1, index: $0) })
        }
        document = .object(members)
        do {
            return try document.decode(as: ScannerResults.self)
        } catch let error as DecodingError {
            throw invalid(DecodingErrorText.describe(error))
        }
    }

    /// A finding with its severity filled in from `severityRaw` when it has none.
    private func normalized(_ finding: JSONValue, index: Int) throws -> JSONValue {
        guard case .object(var members) = finding else { throw invalid("findings[\(index)] is not an object") }
        if let severity = members["severity"], severity != .null { return finding }
        guard let raw = members["severityRaw"]?.stringValue else {
            throw invalid("findings[\(index)] has neither severity nor severityRaw")
        }
        guard let severity = mapping.severity(forRaw: raw) else {
            throw invalid(
                "findings[\(index)] has no severity, and its severityRaw \"\(raw)\" is not in the manifest's severityMapping")
        }
        members["severity"] = .string(severity.rawValue)
        return .object(members)
    }

    private func invalid(_ detail: String) -> ScannerRunError {
        ScannerRunError(.scannerFailed, "plugin \(scannerID) wrote invalid results: \(detail)")
    }
}
