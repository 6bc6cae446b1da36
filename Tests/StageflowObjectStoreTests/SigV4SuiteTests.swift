import Foundation
import StageflowHTTP
import StageflowObjectStore
import Testing

/// The signer against every case of AWS's Signature Version 4 test suite: canonical request, string to sign and
/// `Authorization` header, compared exactly.
@Suite("SigV4 test suite", .enabled(if: SigV4Corpus.isAvailable, "the sigv4 corpus (../shared/corpus or $STAGEFLOW_CORPUS) is absent"))
struct SigV4SuiteTests {
    /// Two cases whose published files contradict each other; proven by hashing: the `.sts` does not hash the
    /// `.creq`. Each entry rebuilds the request that the `.sts` and `.authz` were computed from, so those two
    /// files are still checked exactly (the `.creq` is checked against the request as published).
    struct Erratum: Sendable {
        /// What differs between the files.
        let reason: String
        /// The request the `.sts` and signature were computed from.
        let adjust: @Sendable (inout SigV4Signer.Request) -> Void
        /// `SignedHeaders` as the `.authz` prints it, when it disagrees with the headers its signature covers.
        let publishedSignedHeaders: String?
    }

    static let errata: [String: Erratum] = [
        "post-x-www-form-urlencoded": Erratum(
            reason: "the .creq signs content-length; the .sts and .authz were computed without it",
            adjust: { $0.headers.remove("Content-Length") }, publishedSignedHeaders: nil),
        "post-x-www-form-urlencoded-parameters": Erratum(
            reason: "the .creq signs content-length and 'charset=utf-8'; the .sts and signature were computed "
                + "without content-length and with 'charset=utf8', and the .authz lists content-length anyway",
            adjust: {
                $0.headers.remove("Content-Length")
                $0.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf8"
            },
            publishedSignedHeaders: "content-length;content-type;host;x-amz-date"),
    ]

    @Test("the suite is complete")
    func suiteIsComplete() {
        #expect(SigV4Corpus.caseNames.count == 31)
        for name in [
            "get-header-key-duplicate", "get-header-value-multiline", "get-utf8", "get-vanilla-query-unreserved",
            "normalize-path/get-relative-relative", "normalize-path/get-space", "post-x-www-form-urlencoded",
            "post-sts-token/post-sts-header-after", "post-sts-token/post-sts-header-before",
        ] {
            #expect(SigV4Corpus.caseNames.contains(name), "missing case \(name)")
        }
    }

    @Test("reproduces the case", arguments: SigV4Corpus.caseNames)
    func reproduces(name: String) throws {
        let files = try SigV4Corpus.Case(name)
        let raw = try RawHTTPRequest(files.request)
        let signer = signer(for: files, raw: raw)
        let signed = signer.sign(raw.signerRequest, at: try raw.date())

        #expect(signed.canonicalRequest == files.canonicalRequest)
        if let token = files.sessionToken {
            #expect(signed.request.headers["X-Amz-Security-Token"] == token)
        }

        guard !files.isSelfConsistent else {
            #expect(Self.errata[name] == nil, "\(name) is consistent now; remove its erratum")
            #expect(signed.stringToSign == files.stringToSign)
            #expect(signed.authorization == files.authorization)
            return
        }
        let erratum = try #require(Self.errata[name], "\(name): the .sts does not hash the .creq, and no erratum explains it")
        var request = raw.signerRequest
        erratum.adjust(&request)
        let asComputed = signer.sign(request, at: try raw.date())
        #expect(asComputed.stringToSign == files.stringToSign, "\(erratum.reason)")
        var authorization = try #require(asComputed.authorization)
        if let published = erratum.publishedSignedHeaders {
            authorization = authorization.replacingOccurrences(
                of: "SignedHeaders=\(asComputed.signedHeaders),", with: "SignedHeaders=\(published),")
        }
        #expect(authorization == files.authorization, "\(erratum.reason)")
    }

    /// The suite's signer; a case whose signed request carries a session token gets it in the credentials,
    /// signed when the raw request already has the header (`post-sts-header-before`), appended after signing
    /// otherwise (`post-sts-header-after`).
    private func signer(for files: SigV4Corpus.Case, raw: RawHTTPRequest) -> SigV4Signer {
        var signer = SigV4Corpus.signer
        if let token = files.sessionToken {
            signer.credentials.sessionToken = token
            signer.sessionTokenPlacement = raw.headers.contains("X-Amz-Security-Token") ? .signed : .appendedAfterSigning
        }
        return signer
    }
}
