import Foundation
import StageflowAPI
import StageflowClient
import StageflowReport

/// Reads a ScanJob's unified report, and the screenshots it refers to, through the API server.
public struct ReportFetcher: Sendable {
    /// The client.
    public let client: StageflowClient
    /// The job's namespace.
    public let namespace: String

    /// A fetcher.
    public init(client: StageflowClient, namespace: String) {
        self.client = client
        self.namespace = namespace
    }

    /// The stored `report.json` as it is, and decoded.
    public func report(of name: String) async throws -> (data: Data, report: Report) {
        let data = try await client.scanJobReport(named: name, namespace: namespace)
        do {
            return (data, try Report.decode(from: data))
        } catch {
            throw CLIError("the report of scanjobs/\(name) is not a valid report.json: \(error)", exitCode: 2)
        }
    }

    /// The bytes of every page (and journey step) screenshot the report refers to, by object key, for the HTML
    /// renderer to embed.
    /// A screenshot that cannot be fetched is left out (the page shows without it) and named in `missing`.
    public func screenshots(of name: String, report: Report) async -> (images: [String: Data], missing: [String]) {
        let prefix = "artifacts/\(report.meta.jobId)/"
        var images: [String: Data] = [:]
        var missing: [String] = []
        let journeySteps = (report.journeys ?? []).flatMap(\.steps).compactMap { $0.screenshot?.key }
        for key in Set(report.pages.compactMap { $0.screenshot?.key } + journeySteps).sorted() {
            guard key.hasPrefix(prefix) else {
                missing.append(key)
                continue
            }
            do {
                images[key] = try await client.scanJobArtifact(
                    named: name, namespace: namespace, path: String(key.dropFirst(prefix.count))
                ).data
            } catch {
                missing.append(key)
            }
        }
        return (images, missing)
    }
}
