import Foundation
import StageflowAPI

/// The shape a client asked for in `Accept`: the objects themselves, a `meta.k8s.io` Table (what
/// `kubectl get` asks for), or only their metadata (`PartialObjectMetadata`).
enum ResponseShape: Sendable, Equatable {
    /// The objects as stored.
    case object
    /// A Table of `meta.k8s.io/<version>`.
    case table(version: String)
    /// `PartialObjectMetadata[List]` of `meta.k8s.io/<version>`.
    case partialMetadata(version: String)

    /// Picks the first alternative of an `Accept` header this server can produce; `nil` when there is none.
    init?(accept: String?) {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else {
            self = .object
            return
        }
        for alternative in accept.split(separator: ",") {
            if let shape = Self.shape(of: MediaType(String(alternative))) {
                self = shape
                return
            }
        }
        return nil
    }

    private static func shape(of media: MediaType) -> ResponseShape? {
        let jsonLike = media.type == "application/json" || media.type == "application/*" || media.type == "*/*"
        guard jsonLike else { return nil }
        guard let target = media.parameters["as"] else { return .object }
        guard media.parameters["g"] == "meta.k8s.io", let version = media.parameters["v"],
            version == "v1" || version == "v1beta1"
        else { return nil }
        switch target {
        case "Table": return .table(version: version)
        case "PartialObjectMetadata", "PartialObjectMetadataList": return .partialMetadata(version: version)
        default: return nil
        }
    }
}

/// One media range of an `Accept` header: `application/json;as=Table;v=v1;g=meta.k8s.io`.
struct MediaType: Sendable, Equatable {
    /// `application/json`, lower-cased.
    var type: String
    /// Parameters other than `q`, by name.
    var parameters: [String: String]

    init(_ text: String) {
        let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        type = (parts.first ?? "").lowercased()
        parameters = [:]
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            parameters[pair[0].lowercased()] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }
}
