import Foundation

extension ObservatoryGrader {
    /// 15768000 s is six months; the Observatory accepts the common 180 days.
    static let sixMonths = 15_552_000

    /// The `strict-transport-security` test, and the header's parameters when it could be read.
    func strictTransportSecurity(_ input: ObservatoryInput) -> (ObservatoryOutcome, HSTSPolicy?) {
        var result = ObservatoryResult.hstsNotImplemented
        var policy: HSTSPolicy?
        var detail: String?
        let hasHTTPS = input.url.isSecure
        if !hasHTTPS {
            result = .hstsNotImplementedNoHttps
        } else if !input.tlsVerified {
            result = .hstsInvalidCert
        } else if let header = input.combined("Strict-Transport-Security") {
            let value = String(header.prefix(1024))
            detail = "Strict-Transport-Security: \(value)"
            var parsed = HSTSPolicy()
            for parameter in value.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                if parameter.hasPrefix("max-age=") {
                    let digits = parameter.dropFirst(8).prefix(128).drop { $0 == "\"" }.prefix { $0.isNumber }
                    parsed.maxAge = Int(digits) ?? (digits.isEmpty ? nil : Int.max)
                } else if parameter == "includesubdomains" {
                    parsed.includeSubDomains = true
                } else if parameter == "preload" {
                    parsed.preload = true
                }
            }
            if value.contains(",") || parsed.maxAge == nil {
                result = .hstsHeaderInvalid
            } else {
                policy = parsed
                result = (parsed.maxAge ?? 0) < Self.sixMonths
                    ? .hstsImplementedMaxAgeLessThanSixMonths : .hstsImplementedMaxAgeAtLeastSixMonths
            }
        }
        if hasHTTPS, let entry = input.preloadList.preloadEntry(for: input.url.host) {
            result = .hstsPreloaded
            detail = "\(input.url.host) is on the HSTS preload list" + (entry.includeSubDomains ? " (with subdomains)" : "")
        }
        let pass = result == .hstsImplementedMaxAgeAtLeastSixMonths || result == .hstsPreloaded
        return (ObservatoryOutcome(test: .strictTransportSecurity, result: result, pass: pass, detail: detail), policy)
    }

    /// The `redirection` test: how plain HTTP leads to HTTPS.
    func redirection(_ input: ObservatoryInput) -> ObservatoryOutcome {
        func outcome(_ result: ObservatoryResult, _ detail: String? = nil) -> ObservatoryOutcome {
            let pass = [.redirectionToHttps, .redirectionNotNeededNoHttp, .redirectionAllRedirectsPreloaded].contains(result)
            return ObservatoryOutcome(test: .redirection, result: result, pass: pass, detail: detail)
        }
        guard let route = input.httpRoute, let first = route.first else { return outcome(.redirectionNotNeededNoHttp) }
        let detail = "route: " + route.joined(separator: " → ")
        if !input.httpRouteVerified { return outcome(.redirectionInvalidCert, detail) }
        let addresses = route.map { WebAddress($0) }
        let allPreloaded = addresses.allSatisfy { address in
            address.map { input.preloadList.preloadEntry(for: $0.host) != nil } ?? false
        }
        if allPreloaded { return outcome(.redirectionAllRedirectsPreloaded, detail) }
        if route.count == 1 { return outcome(.redirectionMissing, "\(first) is served without a redirect to HTTPS") }
        if addresses.last??.isSecure != true { return outcome(.redirectionNotToHttps, detail) }
        if addresses[1]?.isSecure == false { return outcome(.redirectionNotToHttpsOnInitialRedirection, detail) }
        if addresses[0]?.isSecure == false, addresses[1]?.isSecure == true, addresses[0]?.host != addresses[1]?.host {
            return outcome(.redirectionOffHostFromHttp, detail)
        }
        return outcome(.redirectionToHttps, detail)
    }

    /// The `cross-origin-resource-sharing` test: whether the server lets any origin read credentialed
    /// responses.
    func crossOriginResourceSharing(_ input: ObservatoryInput) -> ObservatoryOutcome {
        var result = ObservatoryResult.corsNotImplemented
        var detail: String?
        if let probe = input.corsProbe, let allowed = probe.headers["Access-Control-Allow-Origin"] {
            let value = String(allowed.prefix(256)).trimmingCharacters(in: .whitespaces).lowercased()
            let credentials = probe.headers["Access-Control-Allow-Credentials"]?.trimmingCharacters(in: .whitespaces).lowercased()
            detail = "Access-Control-Allow-Origin: \(allowed) (Origin sent: \(probe.origin))"
            if value == "*" {
                result = .corsImplementedWithPublicAccess
            } else if allowed == probe.origin, credentials == "true" {
                result = .corsImplementedWithUniversalAccess
                detail = (detail ?? "") + ", Access-Control-Allow-Credentials: true"
            } else {
                result = .corsImplementedWithRestrictedAccess
            }
        }
        return ObservatoryOutcome(
            test: .crossOriginResourceSharing, result: result, pass: result != .corsImplementedWithUniversalAccess,
            detail: detail)
    }
}
