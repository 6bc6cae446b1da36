/// Parses one field of a cron expression: a comma-separated list of `*`, `?`, values, ranges (`1-5`) and steps
/// (`*/15`, `1-30/5`, and `5/15` meaning `5-last/15`), with month and weekday names for those fields.
struct CronFieldParser {
    let field: CronField

    func parse(_ text: String) throws(CronError) -> CronValues {
        var bits: UInt64 = 0
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        if items.contains(where: \.isEmpty) {
            throw CronError(field: field, text: text, problem: "a list item is empty")
        }
        for item in items {
            bits |= try parseItem(String(item))
        }
        if field == .dayOfWeek, bits & (1 << 7) != 0 {
            // 7 is Sunday too.
            bits = (bits & ~(1 << 7)) | 1
        }
        return CronValues(bits: bits, isWildcard: text.hasPrefix("*") || text.hasPrefix("?"))
    }

    private func parseItem(_ item: String) throws(CronError) -> UInt64 {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw CronError(field: field, text: item, problem: "at most one step (/) is allowed") }
        // Day-of-week runs 0-6 under `*` and steps; 7 is only another name for Sunday.
        let last = field == .dayOfWeek ? 6 : field.bounds.upperBound
        let span = last - field.bounds.lowerBound + 1
        var step = 1
        if parts.count == 2 {
            guard let value = Int(parts[1]), (1...span).contains(value) else {
                throw CronError(field: field, text: item, problem: "step must be 1-\(span)")
            }
            step = value
        }
        let range = String(parts[0])
        let low: Int
        var high: Int
        if range == "*" || range == "?" {
            low = field.bounds.lowerBound
            high = last
        } else {
            let ends = range.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw outOfRange(item) }
            low = try value(String(ends[0]), in: item)
            high = ends.count == 2 ? try value(String(ends[1]), in: item) : low
            if ends.count == 1, parts.count == 2 {
                high = max(low, last)
            }
            if low > high {
                throw CronError(field: field, text: item, problem: "range start \(low) is after its end \(high)")
            }
        }
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) {
            bits |= 1 << UInt64(value)
        }
        return bits
    }

    private func value(_ text: String, in item: String) throws(CronError) -> Int {
        if let number = Int(text), text.allSatisfy(\.isASCII), text.first?.isNumber == true, field.bounds.contains(number) {
            return number
        }
        if let named = field.names[text.uppercased()] { return named }
        throw outOfRange(item)
    }

    private func outOfRange(_ item: String) -> CronError {
        CronError(field: field, text: item, problem: "\(field.name) must be \(field.accepted)")
    }
}
