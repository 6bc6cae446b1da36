import Foundation
import StageflowHTTP
import StageflowObjectStore

/// The AWS Signature Version 4 test suite in the shared corpus (`sigv4/suite/`), read in place from
/// `$STAGEFLOW_CORPUS` or `../shared/corpus` beside the package.
enum SigV4Corpus {
    /// The suite's credentials and scope.
    static let signer = SigV4Signer(
        credentials: .init(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")

    /// `…/corpus/sigv4/suite`, if the corpus is there.
    static let suiteDirectory: URL? = {
        var candidates: [URL] = []
        if let corpus = ProcessInfo.processInfo.environment["STAGEFLOW_CORPUS"], !corpus.isEmpty {
            candidates.append(URL(fileURLWithPath: corpus))
        }
        let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent("../shared/corpus").standardizedFileURL)
        candidates.append(
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("../shared/corpus")
                .standardizedFileURL)
        return candidates.map { $0.appendingPathComponent("sigv4/suite") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    /// Whether the suite is present.
    static var isAvailable: Bool { suiteDirectory != nil }

    /// Every case, as its directory relative to the suite (`get-vanilla`, `normalize-path/get-slash`): a
    /// directory holding `<name>.req`.
    static let caseNames: [String] = {
        guard let suite = suiteDirectory,
            let enumerator = FileManager.default.enumerator(at: suite, includingPropertiesForKeys: nil)
        else { return [] }
        var names: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "req" {
            let directory = url.deletingLastPathComponent()
            guard directory.lastPathComponent == url.deletingPathExtension().lastPathComponent else { continue }
            names.append(String(directory.standardizedFileURL.path.dropFirst(suite.standardizedFileURL.path.count + 1)))
        }
        return names.sorted()
    }()

    /// The files of one case.
    struct Case {
        let name: String
        let request: String
        let canonicalRequest: String
        let stringToSign: String
        let authorization: String
        let signedRequest: String

        init(_ name: String) throws {
            guard let suite = SigV4Corpus.suiteDirectory else { throw CorpusError("the sigv4 corpus is absent") }
            let base = suite.appendingPathComponent(name).appendingPathComponent(
                String(name.split(separator: "/").last ?? ""))
            func read(_ suffix: String) throws -> String {
                try String(contentsOf: base.appendingPathExtension(suffix), encoding: .utf8)
            }
            self.name = name
            request = try read("req")
            canonicalRequest = try read("creq")
            stringToSign = try read("sts")
            authorization = try read("authz")
            signedRequest = try read("sreq")
        }

        /// Whether the `.sts` hashes the `.creq`: the suite's files agree with each other.
        var isSelfConsistent: Bool {
            stringToSign.split(separator: "\n").last.map(String.init)
                == SigV4Signer.hexSHA256(Data(canonicalRequest.utf8))
        }

        /// The value of `X-Amz-Security-Token` in the signed request, for the session-token cases.
        var sessionToken: String? {
            try? RawHTTPRequest(signedRequest).headers["X-Amz-Security-Token"]
        }
    }
}

/// A request as the suite writes it: `METHOD target HTTP/1.1`, header lines, a blank line and the body. The
/// target is written unencoded (`/example space/`, raw UTF-8), so the method ends at the first space and the
/// version starts at the last. A line starting with whitespace continues the header above, and AWS's suite
/// reads it as one more value of that header (`get-header-value-multiline`).
struct RawHTTPRequest {
    var method: String
    var path: String
    var query: [SigV4Signer.QueryItem]
    var headers: HTTPHeaders
    var body: Data

    init(_ text: String) throws {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let (head, body) = normalized.range(of: "\n\n").map {
            (String(normalized[..<$0.lowerBound]), String(normalized[$0.upperBound...]))
        } ?? (normalized, "")
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw CorpusError("empty request") }
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " "),
            firstSpace < lastSpace
        else { throw CorpusError("malformed request line \(requestLine)") }
        method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts[0]).removingPercentEncoding ?? String(parts[0])
        query = []
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(nameValue[0])
                let value = nameValue.count > 1 ? String(nameValue[1]) : ""
                query.append(.init(name: name.removingPercentEncoding ?? name, value: value.removingPercentEncoding ?? value))
            }
        }
        headers = [:]
        var lastName: String?
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t" {
                guard let lastName else { throw CorpusError("continuation line before any header: \(line)") }
                headers.add(lastName, line.trimmingCharacters(in: .whitespaces))
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw CorpusError("malformed header line \(line)") }
            let name = String(line[..<colon])
            headers.add(name, String(line[line.index(after: colon)...]))
            lastName = name
        }
        self.body = Data(body.utf8)
    }

    /// The request for the signer, with the payload hash of the body.
    var signerRequest: SigV4Signer.Request {
        SigV4Signer.Request(method: method, path: path, query: query, headers: headers, payload: .bytes(body))
    }

    /// The time in `X-Amz-Date`.
    func date() throws -> Date {
        guard let text = headers["X-Amz-Date"] else { throw CorpusError("no X-Amz-Date header") }
        return try parseAMZDate(text)
    }
}

/// `20150830T123600Z` as a date.
func parseAMZDate(_ text: String) throws -> Date {
    let digits = text.filter(\.isNumber)
    guard digits.count == 14, text.hasSuffix("Z") else { throw CorpusError("malformed X-Amz-Date \(text)") }
    func part(_ offset: Int, _ length: Int) -> Int {
        let start = digits.index(digits.startIndex, offsetBy: offset)
        return Int(digits[start..<digits.index(start, offsetBy: length)]) ?? 0
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = DateComponents(
        year: part(0, 4), month: part(4, 2), day: part(6, 2), hour: part(8, 2), minute: part(10, 2), second: part(12, 2))
    guard let date = calendar.date(from: components) else { throw CorpusError("invalid date \(text)") }
    return date
}

/// The corpus is missing or a file in it is malformed.
struct CorpusError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
