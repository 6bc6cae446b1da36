import CCurl
import Foundation

/// One libcurl easy transfer, performed on a thread of its own so that the blocking `curl_easy_perform` never
/// occupies a thread of Swift's cooperative pool. The callbacks report, in order and on that thread: the head
/// of the final response, body chunks as they arrive, and completion.
final class CurlTransfer: @unchecked Sendable {
    /// Status and headers of a response, known before its body.
    struct Head: Sendable {
        var status: Int
        var headers: HTTPHeaders
    }

    /// What the transfer reports to, all on the transfer's thread.
    struct Callbacks: Sendable {
        var head: @Sendable (Head) -> Void
        var body: @Sendable (Data) -> Void
        var complete: @Sendable (Result<Void, HTTPError>) -> Void
    }

    let request: HTTPRequest
    private let configuration: HTTPClient.Configuration
    private let totalTimeout: Duration?
    private let callbacks: Callbacks

    private let lock = NSLock()
    private var cancelled = false

    // Touched only on the transfer's thread.
    private var blockStatus = 0
    private var blockHeaders = HTTPHeaders()
    private var headDelivered = false
    private var refusedAddress: (address: ConnectAddress, reason: String)?

    init(
        request: HTTPRequest, configuration: HTTPClient.Configuration, totalTimeout: Duration?, callbacks: Callbacks
    ) {
        self.request = request
        self.configuration = configuration
        self.totalTimeout = totalTimeout
        self.callbacks = callbacks
    }

    /// Starts the transfer on a new thread.
    func start() {
        let thread = Thread { [self] in perform() }
        thread.name = "curl \(request.summary)"
        thread.start()
    }

    /// Aborts the transfer at the next callback (within about a second when the connection is idle).
    func cancel() {
        lock.withLock { cancelled = true }
    }

    var isCancelled: Bool {
        lock.withLock { cancelled }
    }

    private func perform() {
        guard CurlGlobal.initialized, let handle = curl_easy_init() else {
            callbacks.complete(.failure(failure(.invalidRequest, nil, "libcurl could not be initialised")))
            return
        }
        defer { curl_easy_cleanup(handle) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        var resolveList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(resolveList) }

        let setup = configure(handle, errorBuffer: errorBuffer, headerList: &headerList, resolveList: &resolveList)
        if let (option, code) = setup {
            let text = String(cString: curl_easy_strerror(code))
            callbacks.complete(.failure(failure(.invalidRequest, code, "cannot set \(option): \(text)")))
            return
        }
        if isCancelled {
            callbacks.complete(.failure(failure(.cancelled, nil, "cancelled")))
            return
        }
        let code = curl_easy_perform(handle)
        if code == CURLE_OK {
            if !headDelivered { deliverHead(handle) }
            callbacks.complete(.success(()))
        } else if let refused = refusedAddress, !isCancelled {
            let message = "connection to \(refused.address) port \(refused.address.port) refused: \(refused.reason)"
            callbacks.complete(
                .failure(
                    HTTPError(
                        kind: .couldNotConnect, method: request.method, url: request.url.absoluteString,
                        curlCode: Int(code.rawValue), message: message, blockedAddress: refused.address.description)))
        } else {
            let detail = String(cString: errorBuffer)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            callbacks.complete(.failure(failure(kind(of: code), code, text)))
        }
    }

    private func failure(_ kind: HTTPError.Kind, _ code: CURLcode?, _ message: String) -> HTTPError {
        let actualKind = isCancelled ? .cancelled : kind
        return HTTPError(
            kind: actualKind, method: request.method, url: request.url.absoluteString,
            curlCode: code.map { Int($0.rawValue) }, message: actualKind == .cancelled ? "cancelled" : message)
    }

    private func kind(of code: CURLcode) -> HTTPError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: return .timedOut
        case CURLE_ABORTED_BY_CALLBACK: return .cancelled
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidRequest
        default: return .transfer
        }
    }

    /// Sets every option; returns the first option libcurl refused, with its code.
    private func configure(
        _ handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>,
        headerList: inout UnsafeMutablePointer<curl_slist>?, resolveList: inout UnsafeMutablePointer<curl_slist>?
    ) -> (String, CURLcode)? {
        var options = CurlOptions(handle: handle)
        options.set(CURLOPT_URL, "CURLOPT_URL", string: request.url.absoluteString)
        options.set(CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR", string: "http,https")
        options.set(CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL", long: 1)
        options.set(CURLOPT_ERRORBUFFER, "CURLOPT_ERRORBUFFER", pointer: UnsafeMutableRawPointer(errorBuffer))
        if configuration.decodeContentEncoding {
            options.set(CURLOPT_ACCEPT_ENCODING, "CURLOPT_ACCEPT_ENCODING", string: "")
        }
        options.set(CURLOPT_TCP_KEEPALIVE, "CURLOPT_TCP_KEEPALIVE", long: 1)
        options.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, "CURLOPT_SUPPRESS_CONNECT_HEADERS", long: 1)
        options.set(
            CURLOPT_CONNECTTIMEOUT_MS, "CURLOPT_CONNECTTIMEOUT_MS",
            long: configuration.connectTimeout.curlMilliseconds)
        if let totalTimeout {
            options.set(CURLOPT_TIMEOUT_MS, "CURLOPT_TIMEOUT_MS", long: totalTimeout.curlMilliseconds)
        }
        if let socket = configuration.unixSocketPath {
            options.set(CURLOPT_UNIX_SOCKET_PATH, "CURLOPT_UNIX_SOCKET_PATH", string: socket)
        }
        options.set(CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION", long: configuration.followRedirects ? 1 : 0)
        options.set(CURLOPT_MAXREDIRS, "CURLOPT_MAXREDIRS", long: configuration.maxRedirects)
        if !configuration.useEnvironmentProxy {
            options.set(CURLOPT_PROXY, "CURLOPT_PROXY", string: "")
        }
        if let bundle = configuration.caBundlePath {
            options.set(CURLOPT_CAINFO, "CURLOPT_CAINFO", string: bundle)
        }
        if let certificate = configuration.clientCertificatePath {
            options.set(CURLOPT_SSLCERT, "CURLOPT_SSLCERT", string: certificate)
        }
        if let key = configuration.clientKeyPath {
            options.set(CURLOPT_SSLKEY, "CURLOPT_SSLKEY", string: key)
        }
        if configuration.insecureSkipTLSVerify {
            options.set(CURLOPT_SSL_VERIFYPEER, "CURLOPT_SSL_VERIFYPEER", long: 0)
            options.set(CURLOPT_SSL_VERIFYHOST, "CURLOPT_SSL_VERIFYHOST", long: 0)
        }
        configureMethodAndBody(&options)
        for (hostAndPort, addresses) in request.resolveOverrides.sorted(by: { $0.key < $1.key }) {
            let list = addresses.map { $0.contains(":") ? "[\($0)]" : $0 }.joined(separator: ",")
            resolveList = curl_slist_append(resolveList, "\(hostAndPort):\(list)")
        }
        if resolveList != nil {
            options.set(CURLOPT_RESOLVE, "CURLOPT_RESOLVE", pointer: resolveList.map(UnsafeMutableRawPointer.init))
        }

        for field in request.headers {
            let line = field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
            headerList = curl_slist_append(headerList, line)
        }
        if !request.headers.contains("User-Agent") {
            headerList = curl_slist_append(headerList, "User-Agent: \(configuration.userAgent)")
        }
        if !request.headers.contains("Expect") {
            headerList = curl_slist_append(headerList, "Expect:")
        }
        if request.body != nil, !request.headers.contains("Content-Type") {
            headerList = curl_slist_append(headerList, "Content-Type:")
        }
        options.set(CURLOPT_HTTPHEADER, "CURLOPT_HTTPHEADER", pointer: headerList.map(UnsafeMutableRawPointer.init))

        let userdata = Unmanaged.passUnretained(self).toOpaque()
        options.set(CURLOPT_HEADERDATA, "CURLOPT_HEADERDATA", pointer: userdata)
        options.set(CURLOPT_WRITEDATA, "CURLOPT_WRITEDATA", pointer: userdata)
        options.set(CURLOPT_XFERINFODATA, "CURLOPT_XFERINFODATA", pointer: userdata)
        options.set(CURLOPT_NOPROGRESS, "CURLOPT_NOPROGRESS", long: 0)
        if connectFilter != nil {
            options.set(CURLOPT_OPENSOCKETDATA, "CURLOPT_OPENSOCKETDATA", pointer: userdata)
            options.record("CURLOPT_OPENSOCKETFUNCTION") {
                ccurl_setopt_opensocket_callback(handle) { userdata, _, address in
                    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
                    return transfer.openSocket(address!)
                }
            }
        }
        options.record("CURLOPT_HEADERFUNCTION") {
            ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { buffer, size, count, userdata in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
                return transfer.receivedHeader(buffer, size * count)
            }
        }
        options.record("CURLOPT_WRITEFUNCTION") {
            ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, userdata in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
                return transfer.receivedBody(buffer, size * count)
            }
        }
        options.record("CURLOPT_XFERINFOFUNCTION") {
            ccurl_setopt_xferinfo_callback(handle) { userdata, _, _, _, _ in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
                return transfer.isCancelled ? 1 : 0
            }
        }
        return options.firstFailure
    }

    private func configureMethodAndBody(_ options: inout CurlOptions) {
        let method = request.method.uppercased()
        if method == "HEAD" {
            options.set(CURLOPT_NOBODY, "CURLOPT_NOBODY", long: 1)
        } else if method != "GET" || request.body != nil {
            options.set(CURLOPT_CUSTOMREQUEST, "CURLOPT_CUSTOMREQUEST", string: request.method)
        }
        let body = request.body ?? (["POST", "PUT", "PATCH"].contains(method) ? Data() : nil)
        guard let body else { return }
        options.set(CURLOPT_POSTFIELDSIZE_LARGE, "CURLOPT_POSTFIELDSIZE_LARGE", offset: curl_off_t(body.count))
        let handle = options.handle
        // libcurl copies POSTFIELDSIZE bytes; an empty body still needs a valid pointer.
        let bytes = body.isEmpty ? Data([0]) : body
        options.record("CURLOPT_COPYPOSTFIELDS") {
            bytes.withUnsafeBytes { buffer in
                ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
        }
    }

    private var connectFilter: ConnectFilter? { request.connectFilter ?? configuration.connectFilter }

    /// Opens a socket for an address the connect filter allows. Once one address is refused, every later one
    /// is too: one blocked address fails the request, as it fails the URL at intake.
    private func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        var bytes = [UInt8](repeating: 0, count: 16)
        var port: Int32 = 0
        let length = ccurl_sockaddr_ip(address, &bytes, &port)
        if length > 0, let connectFilter {
            if refusedAddress != nil { return ccurl_socket_bad() }
            let candidate = ConnectAddress(bytes: Array(bytes.prefix(Int(length))), port: Int(port))
            if let reason = connectFilter.refusal(for: candidate) {
                refusedAddress = (candidate, reason)
                return ccurl_socket_bad()
            }
        }
        return ccurl_open_socket(address)
    }

    private func receivedHeader(_ buffer: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let buffer, count > 0 else { return count }
        let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: count), as: UTF8.self)
            .trimmingCharacters(in: .newlines)
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2)
            blockStatus = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            blockHeaders = HTTPHeaders()
        } else if line.isEmpty {
            let redirected = configuration.followRedirects && (300..<400).contains(blockStatus)
                && blockHeaders.contains("Location")
            if blockStatus >= 200, !redirected, !headDelivered {
                headDelivered = true
                callbacks.head(Head(status: blockStatus, headers: blockHeaders))
            }
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            blockHeaders.add(name, value)
        }
        return count
    }

    private func receivedBody(_ buffer: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        if isCancelled { return 0 }
        if !headDelivered {
            headDelivered = true
            callbacks.head(Head(status: blockStatus, headers: blockHeaders))
        }
        guard let buffer, count > 0 else { return count }
        callbacks.body(Data(bytes: buffer, count: count))
        return count
    }

    private func deliverHead(_ handle: UnsafeMutableRawPointer) {
        var code = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        headDelivered = true
        callbacks.head(Head(status: blockStatus != 0 ? blockStatus : code, headers: blockHeaders))
    }
}

/// Sets options on one handle and remembers the first one libcurl refused.
private struct CurlOptions {
    let handle: UnsafeMutableRawPointer
    var firstFailure: (String, CURLcode)?

    init(handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    mutating func record(_ name: String, _ body: () -> CURLcode) {
        guard firstFailure == nil else { return }
        let code = body()
        if code != CURLE_OK { firstFailure = (name, code) }
    }

    mutating func set(_ option: CURLoption, _ name: String, long value: Int) {
        let handle = handle
        record(name) { ccurl_setopt_long(handle, option, value) }
    }

    mutating func set(_ option: CURLoption, _ name: String, string value: String) {
        let handle = handle
        record(name) { ccurl_setopt_string(handle, option, value) }
    }

    mutating func set(_ option: CURLoption, _ name: String, pointer value: UnsafeMutableRawPointer?) {
        let handle = handle
        record(name) { ccurl_setopt_pointer(handle, option, value) }
    }

    mutating func set(_ option: CURLoption, _ name: String, offset value: curl_off_t) {
        let handle = handle
        record(name) { ccurl_setopt_off_t(handle, option, value) }
    }
}

/// `curl_global_init`, run once per process before the first handle is made.
enum CurlGlobal {
    static let initialized: Bool = ccurl_global_init_all() == CURLE_OK
}
