import Foundation

extension ObservatoryGrader {
    /// The `referrer-policy` test: the header and `<meta name="referrer">` together, the last recognised
    /// value winning (the meta tag comes after the header, as browsers apply it).
    func referrerPolicy(_ input: ObservatoryInput) -> ObservatoryOutcome {
        let good = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]
        let bad = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"]
        var values = input.values("Referrer-Policy")
        if let meta = input.document?.metaContent(named: "referrer") { values.append(meta) }
        guard !values.isEmpty else {
            return ObservatoryOutcome(test: .referrerPolicy, result: .referrerPolicyNotImplemented, pass: true)
        }
        let data = values.joined(separator: ", ")
        let policy = data.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .last { good.contains($0) || bad.contains($0) } ?? ""
        let result: ObservatoryResult =
            good.contains(policy) ? .referrerPolicyPrivate : bad.contains(policy) ? .referrerPolicyUnsafe : .referrerPolicyHeaderInvalid
        return ObservatoryOutcome(
            test: .referrerPolicy, result: result, pass: result == .referrerPolicyPrivate, detail: "Referrer-Policy: \(data)")
    }

    /// The `x-content-type-options` test.
    func xContentTypeOptions(_ input: ObservatoryInput) -> ObservatoryOutcome {
        guard let header = input.combined("X-Content-Type-Options") else {
            return ObservatoryOutcome(test: .xContentTypeOptions, result: .xContentTypeOptionsNotImplemented, pass: false)
        }
        let nosniff = String(header.prefix(256)).trimmingCharacters(in: .whitespaces).lowercased() == "nosniff"
        return ObservatoryOutcome(
            test: .xContentTypeOptions, result: nosniff ? .xContentTypeOptionsNosniff : .xContentTypeOptionsHeaderInvalid,
            pass: nosniff, detail: "X-Content-Type-Options: \(header)")
    }

    /// The `x-frame-options` test; CSP `frame-ancestors` (from a header, not a meta tag) supersedes the
    /// header.
    func xFrameOptions(_ input: ObservatoryInput, csp: CSPAnalysis) -> ObservatoryOutcome {
        var result = ObservatoryResult.xFrameOptionsNotImplemented
        var detail: String?
        if let header = input.combined("X-Frame-Options") {
            detail = "X-Frame-Options: \(header)"
            let value = String(header.prefix(1024)).trimmingCharacters(in: .whitespaces).lowercased()
            if value == "deny" || value == "sameorigin" {
                result = .xFrameOptionsSameoriginOrDeny
            } else if value.hasPrefix("allow-from") {
                result = .xFrameOptionsAllowFromOrigin
            } else {
                result = .xFrameOptionsHeaderInvalid
            }
        }
        if csp.policy != nil, let ancestors = csp.headerPolicy?["frame-ancestors"] {
            result = .xFrameOptionsImplementedViaCsp
            detail = "CSP frame-ancestors \(ancestors.joined(separator: " "))"
        }
        let pass = [.xFrameOptionsAllowFromOrigin, .xFrameOptionsSameoriginOrDeny, .xFrameOptionsImplementedViaCsp]
            .contains(result)
        return ObservatoryOutcome(test: .xFrameOptions, result: result, pass: pass, detail: detail)
    }

    /// The `cross-origin-resource-policy` test.
    func crossOriginResourcePolicy(_ input: ObservatoryInput) -> ObservatoryOutcome {
        let values = input.values("Cross-Origin-Resource-Policy")
        guard let first = values.first else {
            return ObservatoryOutcome(test: .crossOriginResourcePolicy, result: .corpNotImplemented, pass: true)
        }
        let value = String(first.prefix(256)).trimmingCharacters(in: .whitespaces).lowercased()
        let result: ObservatoryResult
        switch value {
        case _ where values.count > 1: result = .corpHeaderInvalid
        case "same-site": result = .corpImplementedWithSameSite
        case "same-origin": result = .corpImplementedWithSameOrigin
        case "cross-origin": result = .corpImplementedWithCrossOrigin
        default: result = .corpHeaderInvalid
        }
        return ObservatoryOutcome(
            test: .crossOriginResourcePolicy, result: result, pass: result != .corpHeaderInvalid,
            detail: "Cross-Origin-Resource-Policy: " + values.joined(separator: " | "))
    }

    /// The `cross-origin-opener-policy` test: one header line holding a structured-field token.
    func crossOriginOpenerPolicy(_ input: ObservatoryInput) -> ObservatoryOutcome {
        let results: [String: ObservatoryResult] = [
            "same-origin": .coopImplementedWithSameOrigin,
            "same-origin-allow-popups": .coopImplementedWithSameOriginAllowPopups,
            "noopener-allow-popups": .coopImplementedWithNoopenerAllowPopups,
            "unsafe-none": .coopImplementedWithUnsafeNone,
        ]
        return isolationPolicy(
            input, header: "Cross-Origin-Opener-Policy", test: .crossOriginOpenerPolicy, results: results,
            missing: .coopNotImplemented, invalid: .coopHeaderInvalid)
    }

    /// The `cross-origin-embedder-policy` test: one header line holding a structured-field token.
    func crossOriginEmbedderPolicy(_ input: ObservatoryInput) -> ObservatoryOutcome {
        let results: [String: ObservatoryResult] = [
            "require-corp": .coepImplementedWithRequireCorp,
            "credentialless": .coepImplementedWithCredentialless,
            "unsafe-none": .coepImplementedWithUnsafeNone,
        ]
        return isolationPolicy(
            input, header: "Cross-Origin-Embedder-Policy", test: .crossOriginEmbedderPolicy, results: results,
            missing: .coepNotImplemented, invalid: .coepHeaderInvalid)
    }

    private func isolationPolicy(
        _ input: ObservatoryInput, header: String, test: ObservatoryTest, results: [String: ObservatoryResult],
        missing: ObservatoryResult, invalid: ObservatoryResult
    ) -> ObservatoryOutcome {
        let values = input.values(header)
        guard let first = values.first else { return ObservatoryOutcome(test: test, result: missing, pass: true) }
        var result = invalid
        if values.count == 1, let token = StructuredFieldItem.token(String(first.prefix(1024))), let known = results[token] {
            result = known
        }
        return ObservatoryOutcome(
            test: test, result: result, pass: result != invalid, detail: "\(header): " + values.joined(separator: " | "))
    }
}
