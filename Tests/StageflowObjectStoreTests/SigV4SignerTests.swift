import Foundation
import StageflowHTTP
import StageflowObjectStore
import Testing

/// S3's own signing rules, checked against the examples of AWS's S3 documentation ("Signature Calculations
/// for the Authorization Header" and "Query String Authentication"), cross-checked with botocore.
@Suite("SigV4 signer for S3")
struct SigV4SignerTests {
    let signer = SigV4Signer(
        credentials: .init(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "s3")
    let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    @Test("GET object with a Range header")
    func getObject() {
        let request = SigV4Signer.Request(
            method: "GET", path: "/test.txt", headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"])
        let signed = signer.sign(request, at: date)
        #expect(
            signed.canonicalRequest == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """)
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.request.headers["x-amz-date"] == "20130524T000000Z")
    }

    @Test("PUT object with a payload and a reserved character in the key")
    func putObject() {
        let body = Data("Welcome to Amazon S3.".utf8)
        let request = SigV4Signer.Request(
            method: "PUT", path: "/test$file.text",
            headers: [
                "Host": "examplebucket.s3.amazonaws.com", "Date": "Fri, 24 May 2013 00:00:00 GMT",
                "x-amz-storage-class": "REDUCED_REDUNDANCY",
            ],
            payload: .bytes(body))
        let signed = signer.sign(request, at: date)
        #expect(signed.canonicalRequest.split(separator: "\n").dropFirst().first == "/test%24file.text")
        #expect(signed.request.headers["x-amz-content-sha256"] == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        #expect(signed.signedHeaders == "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class")
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test("GET bucket listing with query parameters")
    func listObjects() {
        let request = SigV4Signer.Request(
            method: "GET", path: "/", query: [.init(name: "prefix", value: "J"), .init(name: "max-keys", value: "2")],
            headers: ["Host": "examplebucket.s3.amazonaws.com"])
        let signed = signer.sign(request, at: date)
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
        #expect(signed.request.url(scheme: "https")?.absoluteString == "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J")
    }

    @Test("presigned GET")
    func presign() {
        let request = SigV4Signer.Request(
            method: "GET", path: "/test.txt", headers: ["Host": "examplebucket.s3.amazonaws.com"], payload: .unsigned)
        let signed = signer.presign(request, at: date, expiresInSeconds: 86_400)
        #expect(signed.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(signed.authorization == nil)
        #expect(
            signed.request.url(scheme: "https")?.absoluteString
                == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-Signature="
                + "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404&X-Amz-SignedHeaders=host")
    }

    @Test("S3 signs the raw path; other services normalise it")
    func pathNormalisation() {
        #expect(signer.canonicalURI("/bucket/a//b/./c/../d") == "/bucket/a//b/./c/../d")
        let generic = SigV4Signer(credentials: signer.credentials, region: "us-east-1", service: "service")
        #expect(generic.canonicalURI("/bucket/a//b/./c/../d") == "/bucket/a/b/d")
        #expect(generic.canonicalURI("/a/b/..") == "/a/")
        #expect(signer.canonicalURI("/bucket/répertoire/a b+c=d") == "/bucket/r%C3%A9pertoire/a%20b%2Bc%3Dd")
    }

    @Test("session tokens are signed for S3 and carried in presigned links")
    func sessionToken() throws {
        var tokenSigner = signer
        tokenSigner.credentials.sessionToken = "token/with+chars"
        let request = SigV4Signer.Request(method: "GET", path: "/b/k", headers: ["Host": "s3.example"])
        let signed = tokenSigner.sign(request, at: date)
        #expect(signed.signedHeaders == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(signed.request.headers["X-Amz-Security-Token"] == "token/with+chars")
        let presigned = tokenSigner.presign(request, at: date, expiresInSeconds: 60)
        let url = try #require(presigned.request.url(scheme: "http"))
        #expect(url.absoluteString.contains("X-Amz-Security-Token=token%2Fwith%2Bchars"))
    }

    @Test("requests built from a URL decode it and add Host as curl sends it")
    func requestFromURL() throws {
        let url = try #require(URL(string: "http://127.0.0.1:9000/bucket/a%20b.json?prefix=x%2Fy&uploads"))
        let request = try #require(SigV4Signer.Request(method: "GET", url: url))
        #expect(request.path == "/bucket/a b.json")
        #expect(request.query == [.init(name: "prefix", value: "x/y"), .init(name: "uploads", value: "")])
        #expect(request.headers["Host"] == "127.0.0.1:9000")
        #expect(SigV4Signer.authority(of: URL(string: "https://s3.example:443/")!) == "s3.example")
        #expect(request.url(scheme: "http")?.absoluteString == "http://127.0.0.1:9000/bucket/a%20b.json?prefix=x%2Fy&uploads=")
    }

    @Test("the credentials' description hides the secret")
    func credentialsDescription() {
        #expect(!String(describing: signer.credentials).contains("wJalr"))
    }
}
