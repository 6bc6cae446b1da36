import Foundation

/// The value types of the Open Graph protocol that can be checked from the text alone: ISO 8601 date-times,
/// ISBNs with their check digit, and integers.
enum OpenGraphValue {
    /// Whether `text` is an ISO 8601 date (`2024-05-01`) or date-time in extended format
    /// (`2024-05-01T13:45`, `…:30`, `…:30.5`, with `Z` or a `±hh:mm`/`±hhmm`/`±hh` offset), with real
    /// month, day, hour and minute values.
    static func isISO8601(_ text: String) -> Bool {
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        var position = 0
        func number(_ digits: Int) -> Int? {
            guard position + digits <= characters.count else { return nil }
            var value = 0
            for character in characters[position..<position + digits] {
                guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
                value = value * 10 + digit
            }
            position += digits
            return value
        }
        func take(_ character: Character) -> Bool {
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
            return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return false }
        if position == characters.count { return true }
        guard take("T") || take("t") || take(" "), let hour = number(2), take(":"), let minute = number(2),
            (0...24).contains(hour), (0...59).contains(minute)
        else { return false }
        if take(":") {
            guard let second = number(2), (0...60).contains(second) else { return false }
            if take(".") || take(",") {
                let start = position
                while position < characters.count, characters[position].isASCII, characters[position].isNumber { position += 1 }
                guard position > start else { return false }
            }
        }
        if position == characters.count || take("Z") || take("z") { return position == characters.count }
        guard take("+") || take("-"), let offsetHours = number(2), offsetHours <= 23 else { return false }
        if position == characters.count { return true }
        _ = take(":")
        guard let offsetMinutes = number(2), offsetMinutes <= 59 else { return false }
        return position == characters.count
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether `text` is an ISBN-10 or ISBN-13 with a correct check digit (hyphens and spaces ignored, an
    /// `ISBN` prefix allowed).
    static func isValidISBN(_ text: String) -> Bool {
        var compact = text.uppercased().filter { $0 != "-" && $0 != " " }
        if compact.hasPrefix("ISBN") { compact = String(compact.dropFirst(4)).trimmingCharacters(in: [":"]) }
        let characters = Array(compact)
        switch characters.count {
        case 10:
            var sum = 0
            for (offset, character) in characters.enumerated() {
                let value: Int
                if offset == 9, character == "X" {
                    value = 10
                } else if character.isASCII, let digit = character.wholeNumberValue {
                    value = digit
                } else {
                    return false
                }
                sum += value * (10 - offset)
            }
            return sum % 11 == 0
        case 13:
            guard compact.hasPrefix("978") || compact.hasPrefix("979") else { return false }
            var sum = 0
            for (offset, character) in characters.enumerated() {
                guard character.isASCII, let digit = character.wholeNumberValue else { return false }
                sum += digit * (offset % 2 == 0 ? 1 : 3)
            }
            return sum % 10 == 0
        default:
            return false
        }
    }

    /// The value of a non-negative decimal integer written without sign, spaces or units; `nil` otherwise.
    static func integer(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 12, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
