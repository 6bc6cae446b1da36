/// The values one field allows, as a bit set, and whether the field was written as `*` or `?` (which decides
/// how day-of-month and day-of-week combine).
struct CronValues: Sendable, Hashable {
    /// Bit `n` set when value `n` matches.
    var bits: UInt64
    /// The field's text starts with `*` or `?`: Vixie cron calls such a field unrestricted, steps included.
    var isWildcard: Bool

    func contains(_ value: Int) -> Bool { bits & (1 << UInt64(value)) != 0 }

    /// The smallest value at or above `value`, if any.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = bits & (~UInt64(0) << UInt64(value))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    /// The largest value at or below `value`, if any.
    func last(atOrBefore value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let remaining = value >= 63 ? bits : bits & ((UInt64(1) << UInt64(value + 1)) - 1)
        return remaining == 0 ? nil : 63 - remaining.leadingZeroBitCount
    }
}
