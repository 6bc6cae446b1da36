import Foundation
import StageflowHTTP

/// Fetches `og:image` URLs to see whether they load as images, each URL once per run however many pages name
/// it (concurrent pages asking for one URL wait for the same request). A `HEAD` first; a `GET` that stops
/// after the headers when the server refuses or mishandles `HEAD`.
actor OpenGraphImageProbe {
    /// What the image URL answered.
    struct Response: Sendable {
        /// Final status; `nil` when the fetch failed.
        var status: Int?
        /// Media type of the final response, lowercased, without parameters.
        var mediaType: String?
        /// Declared `Content-Length`.
        var contentLength: Int64?
        /// Why there was no response.
        var failure: FetchFailure?
        /// The redirect chain as text, for messages.
        var chain: String
    }

    private let fetcher: PageFetcher
    private let timeout: Duration
    private var responses: [String: Task<Response, Never>] = [:]

    init(fetcher: PageFetcher, timeout: Duration) {
        self.fetcher = fetcher
        self.timeout = timeout
    }

    /// The answer for `address`, fetched on first request and remembered.
    func probe(_ address: WebAddress) async -> Response {
        if let task = responses[address.key] { return await task.value }
        let fetcher = fetcher
        let timeout = timeout
        let task = Task { await Self.fetch(address, fetcher: fetcher, timeout: timeout) }
        responses[address.key] = task
        return await task.value
    }

    private static func fetch(_ address: WebAddress, fetcher: PageFetcher, timeout: Duration) async -> Response {
        do {
            var result = try await fetcher.fetch(
                FetchRequest(address, method: "HEAD", timeout: timeout, maxRedirects: 5, readsBody: PageFetcher.noBodies))
            let headRefused = result.status.map { [400, 403, 405, 501].contains($0) } ?? false
            if headRefused || result.failure?.kind == .transfer {
                result = try await fetcher.fetch(
                    FetchRequest(address, method: "GET", timeout: timeout, maxRedirects: 5, readsBody: PageFetcher.noBodies))
            }
            let length = result.headers["Content-Length"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            return Response(
                status: result.status, mediaType: result.mediaType, contentLength: length, failure: result.failure,
                chain: result.chainDescription)
        } catch {
            return Response(failure: FetchFailure(.transfer, "the check was cancelled"), chain: address.key)
        }
    }
}
