import Foundation
import Hummingbird
import StageflowAPI

/// Builders of the responses the API sends: JSON documents, `Status` errors and plain text.
enum APIResponse {
    /// The media type of every JSON answer.
    static let jsonContentType = "application/json"

    /// A JSON document, serialised with a trailing newline as kube-apiserver does.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var data = value.jsonData()
        data.append(UInt8(ascii: "\n"))
        var fields = headers
        fields[.contentType] = jsonContentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A `Status` error (or success) with its own code as the HTTP status.
    static func status(_ status: APIStatus, headers: HTTPFields = [:]) -> Response {
        json(encode(status), status: HTTPResponse.Status(code: status.code), headers: headers)
    }

    /// A `Status` as a JSON value.
    static func encode(_ status: APIStatus) -> JSONValue {
        var value = (try? JSONValue(encoding: status)) ?? ["kind": "Status", "apiVersion": "v1", "status": "Failure"]
        // A success carries neither reason nor message, as in kube-apiserver.
        for key in ["reason", "message"] where value[key] == "" {
            if case .object(var members) = value {
                members.removeValue(forKey: key)
                value = .object(members)
            }
        }
        return value
    }

    /// Plain text, for the health endpoints.
    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8")
        -> Response
    {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension APIStatus {
    /// 404 for a path nothing is served at, worded as kube-apiserver words it.
    static var pathNotFound: APIStatus {
        APIStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource", details: Details())
    }

    /// 405 for a verb the path does not support.
    static var verbNotAllowed: APIStatus {
        .methodNotAllowed("the server does not allow this method on the requested resource")
    }

    /// 406 when no media type in `Accept` can be produced.
    static func notAcceptable(_ accept: String) -> APIStatus {
        APIStatus(
            code: 406, reason: "NotAcceptable",
            message: "the server was unable to respond with a content type that the client supports (accepted: \(accept); "
                + "served: application/json, application/json;as=Table;v=v1;g=meta.k8s.io)")
    }

    /// A success `Status`, as returned for a completed delete.
    static func success(_ kind: ResourceKind, name: String, uid: String?) -> APIStatus {
        var status = APIStatus(code: 200, reason: "", message: "")
        status.status = "Success"
        var details = Details(name: name, group: kind.group, kind: kind.plural)
        details.uid = uid
        status.details = details
        return status
    }
}
