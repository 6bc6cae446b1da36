import Foundation
import StageflowAPI

extension APIStatus {
    /// The status of a failed response: the `Status` body the server sent, or one made from the HTTP status
    /// code and the body text when the answer is not a `Status` (a proxy's error page, say).
    init(response body: Data, httpStatus: Int) {
        let json = try? JSONValue.parse(body)
        if let json, json["kind"]?.stringValue == "Status", let message = json["message"]?.stringValue {
            let code = json["code"]?.intValue.map { Int($0) } ?? httpStatus
            let reason = json["reason"]?.stringValue ?? APIStatus.reason(forHTTPStatus: httpStatus)
            let details = try? json["details"]?.decode(as: Details.self)
            self.init(code: code, reason: reason, message: message, details: details)
            return
        }
        var text = String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("<") { text = "" }
        self.init(
            code: httpStatus, reason: APIStatus.reason(forHTTPStatus: httpStatus),
            message: text.isEmpty ? APIStatus.defaultMessage(forHTTPStatus: httpStatus) : text)
    }

    /// A status from the object of a watch `ERROR` event.
    init(watchError object: JSONValue) {
        self.init(response: object.jsonData(), httpStatus: Int(object["code"]?.intValue ?? 500))
    }

    /// The reason Kubernetes clients give a bare HTTP status.
    static func reason(forHTTPStatus status: Int) -> String {
        switch status {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 406: return "NotAcceptable"
        case 409: return "Conflict"
        case 410: return "Expired"
        case 413: return "RequestEntityTooLarge"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return "Unknown"
        }
    }

    /// The message Kubernetes clients give a bare HTTP status.
    static func defaultMessage(forHTTPStatus status: Int) -> String {
        switch status {
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "the server could not find the requested resource"
        case 405: return "the server does not allow this method on the requested resource"
        case 409: return "the server reported a conflict"
        case 500: return "an error on the server has prevented the request from succeeding"
        case 503: return "the server is currently unable to handle the request"
        case 504: return "the server was unable to return a response in the time allotted"
        default: return "the server responded with the status code \(status)"
        }
    }
}
