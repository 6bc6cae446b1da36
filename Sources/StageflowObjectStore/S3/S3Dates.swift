import Foundation

/// The two date formats S3 uses: ISO 8601 in XML (`2009-10-12T17:50:30.000Z`) and the HTTP date of
/// `Last-Modified` (`Mon, 12 Oct 2009 17:50:30 GMT`). Parsed by hand: no formatter, locale or calendar involved.
enum S3Dates {
    /// A UTC ISO 8601 time with optional fractional seconds; `nil` when malformed.
    static func iso8601(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 20, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
            scalars[10] == UInt8(ascii: "T"), scalars[13] == UInt8(ascii: ":"), scalars[16] == UInt8(ascii: ":"),
            let year = number(scalars[0..<4]), let month = number(scalars[5..<7]), let day = number(scalars[8..<10]),
            let hour = number(scalars[11..<13]), let minute = number(scalars[14..<16]),
            let second = number(scalars[17..<19])
        else { return nil }
        var fraction = 0.0
        var index = 19
        if scalars[index] == UInt8(ascii: ".") {
            var scale = 0.1
            index += 1
            while index < scalars.count, let digit = number(scalars[index..<index + 1]) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < scalars.count, scalars[index] == UInt8(ascii: "Z") || text.hasSuffix("+00:00") else { return nil }
        return date(year, month, day, hour, minute, second, fraction)
    }

    /// An RFC 7231 HTTP date (`Mon, 12 Oct 2009 17:50:30 GMT`); `nil` when malformed.
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        return date(year, monthIndex + 1, day, time[0], time[1], time[2], 0)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    private static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ fraction: Double) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
        return Date(timeIntervalSince1970: seconds)
    }
}
