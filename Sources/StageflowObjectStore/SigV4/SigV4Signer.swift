import Crypto
import Foundation
import StageflowHTTP

/// AWS Signature Version 4, as S3 and S3-compatible stores (MinIO, Garage) check it: a pure function from a
/// request, credentials and a time to the `Authorization` header (or, for links, the `X-Amz-*` query
/// parameters). Every intermediate step is exposed in the result (`canonicalRequest`, `stringToSign`) so that it
/// can be compared with AWS's published test suite.
///
/// Two service differences are options rather than special cases: S3 signs the request path exactly as sent,
/// while other services sign it with `.` and `..` segments resolved and repeated slashes merged
/// (`normalizesPath`); S3 also wants the payload hash sent as `x-amz-content-sha256` (`sendsContentHash`).
public struct SigV4Signer: Sendable, Hashable {
    /// Where a session token goes.
    public enum SessionTokenPlacement: Sendable, Hashable {
        /// Sent as `X-Amz-Security-Token` and included in the signature (S3 and most services).
        case signed
        /// Added after signing, outside the signature (services that ask for it).
        case appendedAfterSigning
    }

    /// `AWS4-HMAC-SHA256`.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The key pair (and session token) that signs.
    public var credentials: Credentials
    /// The region of the scope, `us-east-1` for most S3-compatible servers.
    public var region: String
    /// The service of the scope, `s3` for object stores.
    public var service: String
    /// Resolve `.`/`..` segments and merge repeated slashes of the path before signing; off for S3.
    public var normalizesPath: Bool
    /// Send and sign `x-amz-content-sha256` with the payload hash; on for S3.
    public var sendsContentHash: Bool
    /// Whether a session token is signed or appended after signing.
    public var sessionTokenPlacement: SessionTokenPlacement

    /// A signer. `normalizesPath` and `sendsContentHash` default to what `service` expects: both off for other
    /// services, S3 signing the raw path and sending the content hash.
    public init(
        credentials: Credentials, region: String, service: String, normalizesPath: Bool? = nil,
        sendsContentHash: Bool? = nil, sessionTokenPlacement: SessionTokenPlacement = .signed
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizesPath = normalizesPath ?? (service != "s3")
        self.sendsContentHash = sendsContentHash ?? (service == "s3")
        self.sessionTokenPlacement = sessionTokenPlacement
    }

    /// Signs `request` at `date` with an `Authorization` header. The result's request carries the headers to
    /// send: the original ones, `X-Amz-Date` (replacing any), `x-amz-content-sha256` when `sendsContentHash`,
    /// `X-Amz-Security-Token` for session credentials, and `Authorization`. Every header of `request` is signed.
    public func sign(_ request: Request, at date: Date) -> SignedRequest {
        let timestamp = SigV4Timestamp(date)
        var signing = request
        signing.headers["X-Amz-Date"] = timestamp.dateTime
        if sendsContentHash { signing.headers["x-amz-content-sha256"] = request.payload.hash }
        if let token = credentials.sessionToken, sessionTokenPlacement == .signed {
            signing.headers["X-Amz-Security-Token"] = token
        }
        signing.headers["Authorization"] = nil

        let canonical = canonicalRequest(signing)
        let scope = self.scope(timestamp)
        let stringToSign = Self.stringToSign(canonicalRequest: canonical.text, timestamp: timestamp, scope: scope)
        let signature = sign(stringToSign, timestamp)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"

        var signed = signing
        if let token = credentials.sessionToken, sessionTokenPlacement == .appendedAfterSigning {
            signed.headers["X-Amz-Security-Token"] = token
        }
        signed.headers["Authorization"] = authorization
        return SignedRequest(
            request: signed, canonicalRequest: canonical.text, stringToSign: stringToSign,
            signedHeaders: canonical.signedHeaders, signature: signature, authorization: authorization)
    }

    /// Signs `request` into its query string, for a link that works without credentials until it expires:
    /// adds `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`
    /// (`X-Amz-Security-Token` for session credentials) and finally `X-Amz-Signature`. The request's headers
    /// (at least `Host`) are signed; its payload is normally `.unsigned`. `expiresInSeconds` is clamped to
    /// 1…604800 (seven days, the most SigV4 allows).
    public func presign(_ request: Request, at date: Date, expiresInSeconds: Int) -> SignedRequest {
        let timestamp = SigV4Timestamp(date)
        let scope = self.scope(timestamp)
        var signing = request
        signing.headers["Authorization"] = nil
        let signedHeaders = Self.canonicalHeaders(signing.headers).signedHeaders
        signing.query.append(contentsOf: [
            QueryItem(name: "X-Amz-Algorithm", value: Self.algorithm),
            QueryItem(name: "X-Amz-Credential", value: "\(credentials.accessKeyID)/\(scope)"),
            QueryItem(name: "X-Amz-Date", value: timestamp.dateTime),
            QueryItem(name: "X-Amz-Expires", value: String(Swift.min(Swift.max(expiresInSeconds, 1), 604_800))),
            QueryItem(name: "X-Amz-SignedHeaders", value: signedHeaders),
        ])
        if let token = credentials.sessionToken, sessionTokenPlacement == .signed {
            signing.query.append(QueryItem(name: "X-Amz-Security-Token", value: token))
        }

        let canonical = canonicalRequest(signing)
        let stringToSign = Self.stringToSign(canonicalRequest: canonical.text, timestamp: timestamp, scope: scope)
        let signature = sign(stringToSign, timestamp)

        var signed = signing
        if let token = credentials.sessionToken, sessionTokenPlacement == .appendedAfterSigning {
            signed.query.append(QueryItem(name: "X-Amz-Security-Token", value: token))
        }
        signed.query.append(QueryItem(name: "X-Amz-Signature", value: signature))
        return SignedRequest(
            request: signed, canonicalRequest: canonical.text, stringToSign: stringToSign,
            signedHeaders: canonical.signedHeaders, signature: signature, authorization: nil)
    }

    /// The signing key for a day: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    public func signingKey(day: String) -> SymmetricKey {
        let secret = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        let dated = Self.hmac(secret, day)
        let regional = Self.hmac(dated, region)
        let serviced = Self.hmac(regional, service)
        return Self.hmac(serviced, "aws4_request")
    }

    /// `<yyyymmdd>/<region>/<service>/aws4_request`.
    func scope(_ timestamp: SigV4Timestamp) -> String {
        "\(timestamp.day)/\(region)/\(service)/aws4_request"
    }

    /// The algorithm, the time, the scope and the hex SHA-256 of the canonical request, one per line.
    static func stringToSign(canonicalRequest: String, timestamp: SigV4Timestamp, scope: String) -> String {
        [algorithm, timestamp.dateTime, scope, hexSHA256(Data(canonicalRequest.utf8))].joined(separator: "\n")
    }

    private func sign(_ stringToSign: String, _ timestamp: SigV4Timestamp) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: timestamp.day))
        return Self.hex(code)
    }

    private static func hmac(_ key: SymmetricKey, _ message: String) -> SymmetricKey {
        SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)))
    }

    /// Lower-case hex of the SHA-256 of `data`.
    public static func hexSHA256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
