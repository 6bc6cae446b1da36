/// The object layout of `docs/architecture.md`, in one place so that the API server, the controller and the scanners agree:
///
/// ```
/// staging/<job-uid>/<file>.zip                      an uploaded archive, before extraction
/// artifacts/<job-uid>/plan.json                     the scan plan
/// artifacts/<job-uid>/site.json                     an archive job's extracted site: served where, or refused why
/// artifacts/<job-uid>/provenance.json               what ran, where, with which versions
/// artifacts/<job-uid>/<scanner>/results.json        one scanner's raw results
/// artifacts/<job-uid>/<scanner>/report.html         one scanner's own report
/// artifacts/<job-uid>/<scanner>/screenshots/<page-id>.png
/// artifacts/<job-uid>/report.json                   the unified report
/// artifacts/<job-uid>/report.html
/// ```
///
/// Every part that comes from outside (job uid, file name, scanner id, page id) is checked to be one safe key
/// segment; a bad one throws `ObjectStoreError` of kind `.invalidKey` naming the field.
public enum ObjectKeys {
    /// Top-level folder of uploads waiting for extraction.
    public static let stagingFolder = "staging"
    /// Top-level folder of scan artifacts.
    public static let artifactsFolder = "artifacts"

    /// `staging/<job-uid>/`: everything uploaded for one job.
    public static func stagingPrefix(jobUID: String) throws -> String {
        try validate(segment: jobUID, field: "job uid")
        return "\(stagingFolder)/\(jobUID)/"
    }

    /// `staging/<job-uid>/<file>.zip`: an uploaded archive; `.zip` is appended unless `fileName` ends with it.
    public static func stagingArchive(jobUID: String, fileName: String) throws -> String {
        try validate(segment: fileName, field: "archive file name")
        let name = fileName.lowercased().hasSuffix(".zip") ? fileName : "\(fileName).zip"
        let key = try stagingPrefix(jobUID: jobUID) + name
        try validate(key)
        return key
    }

    /// `artifacts/<job-uid>/`: every artifact of one job (what `deletePrefix` removes when the job goes).
    public static func artifactsPrefix(jobUID: String) throws -> String {
        try validate(segment: jobUID, field: "job uid")
        return "\(artifactsFolder)/\(jobUID)/"
    }

    /// `artifacts/<job-uid>/plan.json`: the scan plan.
    public static func plan(jobUID: String) throws -> String {
        try artifactsPrefix(jobUID: jobUID) + "plan.json"
    }

    /// `artifacts/<job-uid>/site.json`: what the archive container of an archive job reports (`ArchiveSite`).
    public static func archiveSite(jobUID: String) throws -> String {
        try artifactsPrefix(jobUID: jobUID) + "site.json"
    }

    /// `artifacts/<job-uid>/provenance.json`.
    public static func provenance(jobUID: String) throws -> String {
        try artifactsPrefix(jobUID: jobUID) + "provenance.json"
    }

    /// `artifacts/<job-uid>/report.json`: the unified report.
    public static func reportJSON(jobUID: String) throws -> String {
        try artifactsPrefix(jobUID: jobUID) + "report.json"
    }

    /// `artifacts/<job-uid>/report.html`: the unified report rendered.
    public static func reportHTML(jobUID: String) throws -> String {
        try artifactsPrefix(jobUID: jobUID) + "report.html"
    }

    /// `artifacts/<job-uid>/<scanner>/`: one scanner's artifacts.
    public static func scannerPrefix(jobUID: String, scanner: String) throws -> String {
        try validate(scannerID: scanner)
        return try artifactsPrefix(jobUID: jobUID) + "\(scanner)/"
    }

    /// `artifacts/<job-uid>/<scanner>/results.json`.
    public static func scannerResults(jobUID: String, scanner: String) throws -> String {
        try scannerPrefix(jobUID: jobUID, scanner: scanner) + "results.json"
    }

    /// `artifacts/<job-uid>/<scanner>/report.html`.
    public static func scannerReport(jobUID: String, scanner: String) throws -> String {
        try scannerPrefix(jobUID: jobUID, scanner: scanner) + "report.html"
    }

    /// `artifacts/<job-uid>/<scanner>/screenshots/`.
    public static func screenshotsPrefix(jobUID: String, scanner: String) throws -> String {
        try scannerPrefix(jobUID: jobUID, scanner: scanner) + "screenshots/"
    }

    /// `artifacts/<job-uid>/<scanner>/screenshots/<page-id>.png`.
    public static func screenshot(jobUID: String, scanner: String, pageID: String) throws -> String {
        try validate(segment: pageID, field: "page id")
        let key = try screenshotsPrefix(jobUID: jobUID, scanner: scanner) + "\(pageID).png"
        try validate(key)
        return key
    }

    /// Scanner ids follow the manifest rule `^[a-z][a-z0-9-]*$`, which also keeps them apart from the file
    /// names beside them (`report.json`).
    private static func validate(scannerID: String) throws {
        let scalars = Array(scannerID.unicodeScalars)
        let valid = scalars.first.map { ("a"..."z").contains($0) } == true
            && scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard valid else {
            throw ObjectStoreError(
                .invalidKey, store: "object key layout", key: scannerID,
                message: "invalid scanner id: it must match ^[a-z][a-z0-9-]*$")
        }
    }
}
