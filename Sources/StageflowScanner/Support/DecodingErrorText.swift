/// `DecodingError` as one line: the coding path and what was wrong there.
enum DecodingErrorText {
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "(root)" : String(text.drop { $0 == "." })
        }
        switch error {
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context):
            return "\(path(context)): value missing"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "(root)" ? "" : parent + ".")\(key.stringValue): required field missing"
        @unknown default:
            return "\(error)"
        }
    }
}
