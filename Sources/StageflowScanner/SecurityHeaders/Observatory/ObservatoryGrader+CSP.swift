extension ObservatoryGrader {
    static let dangerouslyBroad: Set<String> = [
        "ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*",
    ]
    static let unsafeInline: Set<String> = ["'unsafe-inline'", "data:"]
    static let noncesAndHashes = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"]
    static let passiveDirectives = ["img-src", "media-src"]

    /// The `content-security-policy` test.
    func contentSecurityPolicy(_ input: ObservatoryInput) -> CSPAnalysis {
        let test = ObservatoryTest.contentSecurityPolicy
        func verdict(_ result: ObservatoryResult, pass: Bool = false, _ detail: String? = nil) -> CSPAnalysis {
            CSPAnalysis(outcome: ObservatoryOutcome(test: test, result: result, pass: pass, detail: detail))
        }
        let headerTexts = ContentSecurityPolicy.serializedPolicies(in: input.values("Content-Security-Policy"))
        let metaValues = input.document?.httpEquivalents.filter { $0.name == "content-security-policy" }.map(\.content) ?? []
        let metaTexts = ContentSecurityPolicy.serializedPolicies(in: metaValues)
        let headerPolicies: [ContentSecurityPolicy]
        let rawMetaPolicies: [ContentSecurityPolicy]
        do {
            headerPolicies = try headerTexts.map(ContentSecurityPolicy.parse)
            rawMetaPolicies = try metaTexts.map(ContentSecurityPolicy.parse)
        } catch {
            return verdict(.cspHeaderInvalid, "\(error)")
        }
        let metaPolicies = rawMetaPolicies.map { $0.removing(ContentSecurityPolicy.disallowedInMeta) }
        let ignoredMeta = Set(rawMetaPolicies.flatMap { $0.directives.keys }).intersection(ContentSecurityPolicy.disallowedInMeta)
        let headerPolicy = ContentSecurityPolicy.combining(headerPolicies)
        let metaPolicy = ContentSecurityPolicy.combining(metaPolicies)
        if headerPolicy.isEmpty && metaPolicy.isEmpty {
            if let reportOnly = input.combined("Content-Security-Policy-Report-Only"), !reportOnly.isEmpty {
                return verdict(.cspNotImplementedButReportingEnabled, "Content-Security-Policy-Report-Only: \(reportOnly)")
            }
            return verdict(.cspNotImplemented)
        }
        var csp = ContentSecurityPolicy.combining(headerPolicies + metaPolicies)
        var result: ObservatoryResult?

        // Where script-src, style-src and object-src come from: their own directive, default-src, or nothing
        // (which allows everything). Edits below go to the directive they came from, as in the Observatory.
        func key(_ name: String) -> String? {
            csp[name] != nil ? name : csp["default-src"] != nil ? "default-src" : nil
        }
        func sources(_ name: String) -> [String] { key(name).flatMap { csp[$0] } ?? ["*"] }
        func remove(_ name: String, where shouldRemove: (String) -> Bool) {
            guard let key = key(name) else { return }
            csp[key] = csp[key]?.filter { !shouldRemove($0) }
        }
        func hasNonceOrHash(_ list: [String]) -> Bool {
            list.contains { source in Self.noncesAndHashes.contains { source.hasPrefix($0) } }
        }

        for name in ["script-src", "style-src"] where hasNonceOrHash(sources(name)) {
            remove(name) { $0 == "'unsafe-inline'" }
        }
        if hasNonceOrHash(sources("script-src")), sources("script-src").contains("'strict-dynamic'") {
            remove("script-src") { source in
                Self.dangerouslyBroad.contains { source.hasPrefix($0) } || source == "'self'" || source == "'unsafe-inline'"
            }
        } else if sources("script-src").contains("'strict-dynamic'") {
            result = .cspHeaderInvalid
        }

        let scriptSources = sources("script-src")
        let styleSources = sources("style-src")
        let objectSources = sources("object-src")
        let active = csp.directives.filter { !Self.passiveDirectives.contains($0.key) && $0.key != "script-src" }
            .flatMap { $0.value } + scriptSources
        let passive = Self.passiveDirectives.flatMap { csp[$0] ?? csp["default-src"] ?? [] }
        let isInsecure = { (source: String) in source.hasPrefix("http:") || source.hasPrefix("ftp:") }
        let broadOrInline = Self.dangerouslyBroad.union(Self.unsafeInline)

        if scriptSources.contains(where: broadOrInline.contains) || objectSources.contains(where: Self.dangerouslyBroad.contains) {
            result = result ?? .cspImplementedWithUnsafeInline
        }
        if input.url.isSecure, active.contains(where: isInsecure) {
            result = result ?? .cspImplementedWithInsecureScheme
        }
        if (scriptSources + styleSources).contains("'unsafe-eval'") {
            result = result ?? .cspImplementedWithUnsafeEval
        }
        if input.url.isSecure, passive.contains(where: isInsecure) {
            result = result ?? .cspImplementedWithInsecureSchemeInPassiveContentOnly
        }
        if styleSources.contains(where: broadOrInline.contains) {
            result = result ?? .cspImplementedWithUnsafeInlineInStyleSrcOnly
        }
        if csp["default-src"] == ["'none'"] {
            result = result ?? .cspImplementedWithNoUnsafeDefaultSrcNone
        } else {
            result = result ?? .cspImplementedWithNoUnsafe
        }

        let finalResult = result ?? .cspImplementedWithNoUnsafe
        let passes: Set<ObservatoryResult> = [
            .cspImplementedWithNoUnsafe, .cspImplementedWithNoUnsafeDefaultSrcNone,
            .cspImplementedWithUnsafeInlineInStyleSrcOnly, .cspImplementedWithInsecureSchemeInPassiveContentOnly,
        ]
        let pass = passes.contains(finalResult)
        let reported = pass && !csp.duplicateReportDirectives.isEmpty ? .cspImplementedButDuplicateDirectives : finalResult
        let shown = (headerTexts.map { "Content-Security-Policy: \($0)" } + metaTexts.map { "<meta http-equiv> policy: \($0)" })
            .joined(separator: "; ")
        var analysis = CSPAnalysis(outcome: ObservatoryOutcome(test: test, result: reported, pass: pass, detail: shown))
        analysis.policy = csp
        analysis.headerPolicy = headerPolicy
        analysis.fromMeta = !metaTexts.isEmpty
        analysis.ignoredMetaDirectives = ignoredMeta.sorted()
        let frameAncestors = headerPolicy["frame-ancestors"] ?? ["*"]
        analysis.antiClickjacking = !frameAncestors.contains(where: Self.dangerouslyBroad.contains)
        analysis.insecureBaseUri = (csp["base-uri"] ?? ["*"]).contains(where: broadOrInline.contains)
        analysis.insecureFormAction = (csp["form-action"] ?? ["*"]).contains(where: Self.dangerouslyBroad.contains)
        analysis.unsafeObjects = objectSources.contains(where: Self.dangerouslyBroad.contains)
        return analysis
    }
}
