/// Which discovered URLs a crawl may follow: the seeds' origins, or with `sameOrigin: false` their hosts
/// and subdomains on any scheme and port.
struct CrawlScope: Sendable {
    let origins: [String]
    let hosts: Set<String>
    let sameOrigin: Bool

    init(seeds: [WebAddress], sameOrigin: Bool) {
        var origins: [String] = []
        for seed in seeds where !origins.contains(seed.origin) { origins.append(seed.origin) }
        self.origins = origins
        self.hosts = Set(seeds.map(\.host))
        self.sameOrigin = sameOrigin
    }

    func contains(_ address: WebAddress) -> Bool {
        if sameOrigin { return origins.contains(address.origin) }
        return hosts.contains { address.host == $0 || address.host.hasSuffix("." + $0) }
    }
}
