/// The string formats the schemas check; other formats (`int64`, `double`, …) describe numbers and are accepted.
enum StringFormat {
    /// Whether `text` is valid in `format`; unknown formats accept everything, as Kubernetes does.
    static func isValid(_ text: String, format: String) -> Bool {
        switch format {
        case "date-time": return isDateTime(text)
        case "date": return isFullDate(Substring(text))
        default: return true
        }
    }

    /// RFC 3339 `date-time`: `2026-11-22T16:44:24Z`, `2026-11-22T16:44:24.5+01:00` (`t`, `z` and a space as
    /// separator accepted).
    static func isDateTime(_ text: String) -> Bool {
        guard text.count >= 20 else { return false }
        let separatorIndex = text.index(text.startIndex, offsetBy: 10)
        guard "Tt ".contains(text[separatorIndex]) else { return false }
        guard isFullDate(text[..<separatorIndex]) else { return false }
        var rest = text[text.index(after: separatorIndex)...]
        guard let hour = take(2, from: &rest), hour <= 23, skip(":", in: &rest),
            let minute = take(2, from: &rest), minute <= 59, skip(":", in: &rest),
            let second = take(2, from: &rest), second <= 60
        else { return false }
        if skip(".", in: &rest) {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(digits.count)
        }
        if rest == "Z" || rest == "z" { return true }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return false }
        rest = rest.dropFirst()
        guard let offsetHour = take(2, from: &rest), offsetHour <= 23, skip(":", in: &rest),
            let offsetMinute = take(2, from: &rest), offsetMinute <= 59
        else { return false }
        return rest.isEmpty
    }

    /// RFC 3339 `full-date`: `2026-11-22`, with the day checked against the month.
    static func isFullDate(_ text: Substring) -> Bool {
        var rest = text
        guard let year = take(4, from: &rest), skip("-", in: &rest),
            let month = take(2, from: &rest), (1...12).contains(month), skip("-", in: &rest),
            let day = take(2, from: &rest), rest.isEmpty
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    private static func take(_ count: Int, from text: inout Substring) -> Int? {
        let digits = text.prefix(count)
        guard digits.count == count, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        text = text.dropFirst(count)
        return Int(digits)
    }

    private static func skip(_ character: Character, in text: inout Substring) -> Bool {
        guard text.first == character else { return false }
        text = text.dropFirst()
        return true
    }
}
