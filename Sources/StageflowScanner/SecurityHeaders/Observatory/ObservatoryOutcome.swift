/// One test's verdict on one page.
public struct ObservatoryOutcome: Sendable, Hashable, Codable {
    /// The test.
    public var test: ObservatoryTest
    /// Its result.
    public var result: ObservatoryResult
    /// Whether the Observatory counts the test as passed.
    public var pass: Bool
    /// What was seen (the header value, the cookies concerned, the redirect route), for the finding message.
    public var detail: String?

    /// A verdict.
    public init(test: ObservatoryTest, result: ObservatoryResult, pass: Bool, detail: String? = nil) {
        self.test = test
        self.result = result
        self.pass = pass
        self.detail = detail
    }

    /// The result's score modifier.
    public var modifier: Int { result.modifier }
}
