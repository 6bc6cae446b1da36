extension ObservatoryGrader {
    /// Cookies the Observatory ignores (a load balancer's affinity cookie no site can change).
    static let ignoredCookies: Set<String> = ["heroku-session-affinity"]

    /// The `cookies` test. `hstsPasses` is the HSTS test's verdict: HSTS keeps cookies without `Secure` off
    /// plain HTTP, which softens the penalty.
    func cookies(_ input: ObservatoryInput, hstsPasses: Bool) -> ObservatoryOutcome {
        // From best to worst; a later verdict replaces an earlier one only when it is worse.
        let order: [ObservatoryResult] = [
            .cookiesWithoutSecureFlagButProtectedByHsts, .cookiesWithoutSecureFlag,
            .cookiesSessionWithoutSecureFlagButProtectedByHsts, .cookiesSamesiteFlagInvalid,
            .cookiesAnticsrfWithoutSamesiteFlag, .cookiesSessionWithoutHttponlyFlag, .cookiesSessionWithoutSecureFlag,
        ]
        var result: ObservatoryResult?
        var reasons: [String] = []
        func worsen(_ candidate: ObservatoryResult, _ reason: String) {
            reasons.append(reason)
            guard let current = result, let old = order.firstIndex(of: current) else {
                result = candidate
                return
            }
            if let new = order.firstIndex(of: candidate), new > old { result = candidate }
        }
        let parsed = input.setCookies.compactMap(SetCookie.init(header:))
        for cookie in parsed where cookie.sameSiteInvalid {
            worsen(.cookiesSamesiteFlagInvalid, "\(cookie.name): invalid SameSite")
        }
        var byName: [String: SetCookie] = [:]
        var names: [String] = []
        for cookie in parsed where !Self.ignoredCookies.contains(cookie.name) {
            if byName[cookie.name] == nil { names.append(cookie.name) }
            byName[cookie.name] = cookie
        }
        let jar = names.compactMap { byName[$0] }
        guard !jar.isEmpty else {
            return ObservatoryOutcome(test: .cookies, result: .cookiesNotFound, pass: true)
        }
        var missingSameSite = false
        for cookie in jar {
            if !cookie.secure, cookie.sameSite == "none" { worsen(.cookiesSamesiteFlagInvalid, "\(cookie.name): SameSite=None without Secure") }
            if !cookie.secure {
                worsen(hstsPasses ? .cookiesWithoutSecureFlagButProtectedByHsts : .cookiesWithoutSecureFlag, "\(cookie.name): no Secure")
            }
            if cookie.isAntiCSRF, cookie.sameSite == nil { worsen(.cookiesAnticsrfWithoutSamesiteFlag, "\(cookie.name): anti-CSRF token without SameSite") }
            if cookie.isSession, !cookie.secure {
                worsen(
                    hstsPasses ? .cookiesSessionWithoutSecureFlagButProtectedByHsts : .cookiesSessionWithoutSecureFlag,
                    "\(cookie.name): session cookie without Secure")
            }
            if cookie.isSession, !cookie.httpOnly { worsen(.cookiesSessionWithoutHttponlyFlag, "\(cookie.name): session cookie without HttpOnly") }
            if cookie.sameSite == nil { missingSameSite = true }
        }
        let final = result ?? (missingSameSite ? .cookiesSecureWithHttponlySessions : .cookiesSecureWithHttponlySessionsAndSamesite)
        if result == nil, missingSameSite {
            reasons = jar.filter { $0.sameSite == nil }.map { "\($0.name): no SameSite" }
        }
        let pass = [.cookiesNotFound, .cookiesSecureWithHttponlySessionsAndSamesite, .cookiesSecureWithHttponlySessions]
            .contains(final)
        let detail = "cookies: " + jar.map(\.name).joined(separator: ", ")
            + (reasons.isEmpty ? "" : " (" + Array(Set(reasons)).sorted().joined(separator: "; ") + ")")
        return ObservatoryOutcome(test: .cookies, result: final, pass: pass, detail: detail)
    }
}
