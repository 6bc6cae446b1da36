/// A failure of the test harness itself, with what it saw.
public struct E2EError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
