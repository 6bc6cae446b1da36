import StageflowIntake

/// Names the fake resolver knows; every other name gets one public and, for some, one private address
/// derived from the name, so that the address checks run on names as well as literals.
private let resolver = StaticHostResolver([
    "example.com": [IPAddress("93.184.215.14")!],
    "rebind.test": [IPAddress("93.184.215.14")!, IPAddress("10.0.0.5")!],
])

private let policies = [
    TargetURLPolicy(resolver: resolver),
    TargetURLPolicy(allowPrivateTargets: true, resolver: resolver),
    TargetURLPolicy(allowedOrigins: [try! TargetOrigin("http://127.0.0.1:8123")], resolver: resolver),
]

private func addresses(of name: String) -> [IPAddress] {
    if let known = try? resolver.lookup(name) { return known }
    let hash = name.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
    return [IPAddress(ipv4: hash), IPAddress(ipv4: 0x0a00_0000 | (hash & 0xffff))]
}

/// Parses the input as a URL and checks it under three policies. Crashes (the findings) are traps on
/// these invariants: a normalised URL parses back to itself; an accepted URL has only addresses its
/// policy allows; an address's text form parses back to the same address.
@_cdecl("LLVMFuzzerTestOneInput")
public func urlPolicyFuzzerInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let address = IPAddress(text) {
        precondition(IPAddress(address.description) == address, "address \(address) does not round-trip")
        for policy in policies { _ = policy.addressPolicy.verdict(for: address, port: 80).refusal }
    }
    guard let url = try? TargetURL.parse(text) else { return 0 }
    let normalised = url.description
    guard let again = try? TargetURL.parse(normalised) else {
        preconditionFailure("normalised URL \(normalised) of \(text.debugDescription) does not parse")
    }
    precondition(again.description == normalised, "\(normalised) normalises to \(again.description)")
    precondition(again.host == url.host && again.effectivePort == url.effectivePort)
    let hostAddresses: [IPAddress]
    switch url.host {
    case .address(let address): hostAddresses = [address]
    case .name(let name): hostAddresses = addresses(of: name)
    }
    for policy in policies {
        switch policy.evaluate(url, addresses: hostAddresses) {
        case .success(let target):
            var connect = policy.addressPolicy
            if policy.allowedOrigins.contains(url.origin) { connect.allowPrivateTargets = true }
            for address in target.addresses {
                precondition(connect.verdict(for: address, port: url.effectivePort).isAllowed, "\(address) allowed at intake only")
                precondition(AddressPolicy(allowPrivateTargets: true).verdict(for: address).isAllowed)
            }
        case .failure(let rejection):
            precondition(!rejection.message.isEmpty)
        }
    }
    return 0
}
