import Foundation

extension ObservatoryGrader {
    /// The `subresource-integrity` test: scripts from other sites should load over HTTPS with an
    /// `integrity` hash.
    func subresourceIntegrity(_ input: ObservatoryInput) -> ObservatoryOutcome {
        let order: [ObservatoryResult] = [
            .sriImplementedAndAllScriptsLoadedSecurely, .sriImplementedAndExternalScriptsLoadedSecurely,
            .sriImplementedButExternalScriptsNotLoadedSecurely, .sriNotImplementedButExternalScriptsLoadedSecurely,
            .sriNotImplementedAndExternalScriptsNotLoadedSecurely, .sriNotImplementedResponseNotHtml,
        ]
        func outcome(_ result: ObservatoryResult, _ detail: String? = nil) -> ObservatoryOutcome {
            let passes: [ObservatoryResult] = [
                .sriImplementedAndAllScriptsLoadedSecurely, .sriImplementedAndExternalScriptsLoadedSecurely,
                .sriNotImplementedResponseNotHtml, .sriNotImplementedButAllScriptsLoadedFromSecureOrigin,
                .sriNotImplementedButNoScriptsLoaded,
            ]
            return ObservatoryOutcome(test: .subresourceIntegrity, result: result, pass: passes.contains(result), detail: detail)
        }
        if let type = input.headers["Content-Type"]?.split(separator: ";").first.map(String.init), !type.isEmpty,
            !["text/html", "application/xhtml+xml"].contains(type)
        {
            return outcome(.sriNotImplementedResponseNotHtml)
        }
        let scripts = input.document?.elements("script") ?? []
        guard !scripts.isEmpty else { return outcome(.sriNotImplementedButNoScriptsLoaded) }
        let siteDomain = Self.registrableDomain(input.url.host)
        var result: ObservatoryResult?
        var foreign = false
        var offenders: [String] = []
        func worsen(_ candidate: ObservatoryResult) {
            guard let current = result, let old = order.firstIndex(of: current) else {
                result = candidate
                return
            }
            if let new = order.firstIndex(of: candidate), new > old { result = candidate }
        }
        for script in scripts {
            guard let source = script.attribute("src")?.trimmingCharacters(in: .whitespacesAndNewlines), !source.isEmpty
            else { continue }
            let integrity = script.attribute("integrity").map { !$0.isEmpty } ?? false
            let lowered = source.lowercased()
            let protocolRelative = source.hasPrefix("//") && !source.hasPrefix("///")
            let absolute = lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
            let relative = !protocolRelative && !absolute
            let sameSite = protocolRelative || relative
                || WebAddress(source).map { Self.registrableDomain($0.host) == siteDomain } == true
            let secureOrigin = relative || (sameSite && !protocolRelative)
            let secureScheme = lowered.hasPrefix("https://") || (relative && input.url.isSecure)
            if secureOrigin {
                if integrity, secureScheme, result == nil { result = .sriImplementedAndAllScriptsLoadedSecurely }
                continue
            }
            foreign = true
            offenders.append(source)
            if integrity, !secureScheme {
                worsen(.sriImplementedButExternalScriptsNotLoadedSecurely)
            } else if !integrity, secureScheme {
                worsen(.sriNotImplementedButExternalScriptsLoadedSecurely)
            } else if !integrity {
                worsen(.sriNotImplementedAndExternalScriptsNotLoadedSecurely)
            }
        }
        let final = result
            ?? (foreign ? .sriImplementedAndExternalScriptsLoadedSecurely : .sriNotImplementedButAllScriptsLoadedFromSecureOrigin)
        return outcome(final, offenders.isEmpty ? nil : "external scripts: " + offenders.prefix(10).joined(separator: ", "))
    }

    /// The registrable domain of a host (`www.example.co.uk` → `example.co.uk`), from the last two labels, or
    /// three under the common two-level public suffixes; an IP address is its own domain. An approximation
    /// of the public suffix list that is right for the overwhelming majority of sites.
    static func registrableDomain(_ host: String) -> String {
        let host = host.lowercased()
        if host.hasPrefix("[") || host.allSatisfy({ $0.isNumber || $0 == "." }) { return host }
        let labels = host.split(separator: ".")
        guard labels.count > 2 else { return host }
        let lastTwo = labels.suffix(2).joined(separator: ".")
        let keep = twoLevelSuffixes.contains(lastTwo) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    private static let twoLevelSuffixes: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "net.uk", "ltd.uk", "plc.uk", "com.au", "net.au", "org.au",
        "edu.au", "gov.au", "co.nz", "org.nz", "govt.nz", "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "com.br",
        "net.br", "org.br", "gov.br", "com.cn", "net.cn", "org.cn", "gov.cn", "com.hk", "com.sg", "com.tw",
        "co.in", "net.in", "org.in", "gov.in", "co.za", "org.za", "com.mx", "com.ar", "com.tr", "co.kr",
        "or.kr", "com.ua", "co.il", "org.il", "com.my", "com.ph", "com.vn", "co.id", "or.id", "com.pl",
        "github.io", "gitlab.io", "netlify.app", "vercel.app", "pages.dev", "herokuapp.com", "appspot.com",
        "blogspot.com", "cloudfront.net", "azurewebsites.net",
    ]
}
