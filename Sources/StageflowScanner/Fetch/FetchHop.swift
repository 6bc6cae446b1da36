/// One response on the way to a resource: the URL asked for and the status it answered with.
public struct FetchHop: Sendable, Hashable, Codable {
    /// The URL requested at this hop.
    public var url: String
    /// The status code it answered with.
    public var status: Int
    /// The `Location` of a redirect, resolved to an absolute URL.
    public var location: String?

    /// A hop.
    public init(url: String, status: Int, location: String? = nil) {
        self.url = url
        self.status = status
        self.location = location
    }
}
