import Foundation
import StageflowReport

/// The `open-graph` checks of one page. Creating it runs the checks that need only the markup; `probeImages`
/// adds those that fetch each `og:image`.
struct OpenGraphPageAudit {
    let page: LoadedPage
    let tree: HTMLElementTree
    let metadata: OpenGraphMetadata
    let settings: OpenGraphSettings
    /// What the checks found.
    private(set) var findings: [ScannerFinding] = []
    /// What could not be checked (an image URL the fetch policy refused).
    private(set) var errors: [String] = []

    /// The properties that hold ISO 8601 date-times.
    static let dateProperties: Set<String> = [
        "article:published_time", "article:modified_time", "article:expiration_time", "book:release_date",
        "music:release_date", "video:release_date",
    ]
    /// The properties that hold non-negative integers.
    static let integerProperties: Set<String> = [
        "og:image:width", "og:image:height", "og:video:width", "og:video:height", "video:duration", "music:duration",
        "music:album:disc", "music:album:track", "music:song:disc", "music:song:track", "twitter:player:width",
        "twitter:player:height",
    ]
    /// The values of `twitter:card`.
    static let twitterCards: Set<String> = ["summary", "summary_large_image", "app", "player"]

    /// Runs the markup checks on `page`.
    init(page: LoadedPage, settings: OpenGraphSettings) {
        self.page = page
        self.tree = HTMLElementTree(html: page.html)
        self.metadata = OpenGraphMetadata(tree: tree)
        self.settings = settings
        checkRequired()
        checkType()
        checkURL()
        checkImageURLs()
        checkValues()
        checkTwitterCard()
    }

    /// Adds a finding, on `property`'s `<meta>` element when given.
    mutating func report(_ rule: OpenGraphRule, _ message: String, on property: OpenGraphMetadata.Property? = nil) {
        findings.append(
            rule.finding(
                url: page.url, message: message, selector: property.map { tree.selector(for: $0.element) },
                html: property.map { tree.snippet(of: $0.element) }))
    }

    // MARK: - Markup

    private mutating func checkRequired() {
        guard metadata.hasOpenGraph else {
            report(.tagsMissing, "The page has no Open Graph tags (og:title, og:type, og:image, og:url).")
            return
        }
        let required: [(String, OpenGraphRule)] = [
            ("og:title", .titleMissing), ("og:type", .typeMissing), ("og:image", .imageMissing), ("og:url", .urlMissing),
        ]
        for (name, rule) in required where !metadata.hasValue(name) {
            if name == "og:image", metadata.hasValue("og:image:url") { continue }
            let empty = metadata.first(name)
            report(rule, empty == nil ? "The page has no \(name)." : "The page's \(name) is empty.", on: empty)
        }
        if !metadata.hasValue("og:description") {
            report(.descriptionMissing, "The page has no og:description.", on: metadata.first("og:description"))
        }
    }

    private mutating func checkType() {
        guard let type = metadata.first("og:type"), !type.content.isEmpty else { return }
        if !OpenGraphScanner.knownTypes.contains(type.content.lowercased()) {
            report(.typeInvalid, "og:type \"\(type.content)\" is not in the Open Graph vocabulary.", on: type)
        }
    }

    private mutating func checkURL() {
        for url in metadata.all("og:url") where !url.content.isEmpty && !Self.isAbsoluteWebURL(url.content) {
            report(.urlInvalid, "og:url \"\(url.content)\" is not an absolute http(s) URL.", on: url)
        }
    }

    private mutating func checkImageURLs() {
        for image in metadata.images where !image.url.content.isEmpty && !Self.isAbsoluteWebURL(image.url.content) {
            let scheme = WebAddress.scheme(of: image.url.content)
            let kind = scheme.map { "a \($0): URL" } ?? "a relative URL"
            report(.imageInvalidURL, "\(image.url.name) \"\(Self.shortened(image.url.content))\" is \(kind), not an absolute http(s) URL.", on: image.url)
        }
        for image in metadata.images {
            let width = image.width.flatMap { OpenGraphValue.integer($0.content) }
            let height = image.height.flatMap { OpenGraphValue.integer($0.content) }
            if let width, width < settings.minImageWidth {
                report(.imageTooSmall, "og:image is declared \(width) pixels wide (less than \(settings.minImageWidth)).", on: image.width)
            }
            if let height, height < settings.minImageHeight {
                report(.imageTooSmall, "og:image is declared \(height) pixels high (less than \(settings.minImageHeight)).", on: image.height)
            }
        }
    }

    private mutating func checkValues() {
        for property in metadata.properties where !property.content.isEmpty {
            let value = property.content
            if Self.dateProperties.contains(property.name), !OpenGraphValue.isISO8601(value) {
                report(.dateInvalid, "\(property.name) \"\(value)\" is not an ISO 8601 date or date-time.", on: property)
            } else if Self.integerProperties.contains(property.name), OpenGraphValue.integer(value) == nil {
                report(.valueInvalid, "\(property.name) \"\(value)\" is not a whole number.", on: property)
            } else if property.name == "book:isbn", !OpenGraphValue.isValidISBN(value) {
                report(.valueInvalid, "book:isbn \"\(value)\" is not a valid ISBN-10 or ISBN-13 (check digit included).", on: property)
            } else if property.name == "profile:gender", !["male", "female"].contains(value) {
                report(.valueInvalid, "profile:gender \"\(value)\" is not male or female.", on: property)
            }
        }
    }

    private mutating func checkTwitterCard() {
        guard let card = metadata.first("twitter:card") else { return }
        let type = card.content.lowercased()
        guard Self.twitterCards.contains(type) else {
            report(.twitterCardInvalid, "twitter:card \"\(card.content)\" is not summary, summary_large_image, app or player.", on: card)
            return
        }
        var missing: [String] = []
        switch type {
        case "player":
            missing = ["twitter:player", "twitter:player:width", "twitter:player:height"].filter { !metadata.hasValue($0) }
        case "app":
            let ids = ["twitter:app:id:iphone", "twitter:app:id:ipad", "twitter:app:id:googleplay"]
            if !ids.contains(where: metadata.hasValue) { missing = ["twitter:app:id:iphone, :ipad or :googleplay"] }
        case "summary_large_image":
            if !metadata.hasValue("twitter:image") && !metadata.hasValue("og:image") && !metadata.hasValue("og:image:url") {
                missing = ["twitter:image (or og:image)"]
            }
        default:
            break
        }
        if !missing.isEmpty {
            report(.twitterCardIncomplete, "The \(type) card needs \(missing.joined(separator: ", ")).", on: card)
        }
    }

    // MARK: - Images over the network

    /// Fetches each valid `og:image` (through the run's cache) and reports what does not load as an image or is
    /// too large.
    mutating func probeImages(with probe: OpenGraphImageProbe) async throws {
        var seen = Set<String>()
        for image in metadata.images {
            guard Self.isAbsoluteWebURL(image.url.content), let address = WebAddress(image.url.content),
                seen.insert(address.key).inserted
            else { continue }
            try Task.checkCancellation()
            let response = await probe.probe(address)
            let shown = Self.shortened(image.url.content)
            if let failure = response.failure {
                if failure.kind == .blocked {
                    errors.append("og:image \(shown) was not checked: \(failure.message)")
                } else {
                    report(.imageUnreachable, "og:image \(shown) could not be loaded: \(failure.message).", on: image.url)
                }
                continue
            }
            guard let status = response.status else { continue }
            if status >= 400 {
                report(.imageUnreachable, "og:image \(shown) answers HTTP \(status) (\(response.chain)).", on: image.url)
                continue
            }
            if let type = response.mediaType, !type.hasPrefix("image/") {
                report(.imageNotImage, "og:image \(shown) is served as \(type), not as an image.", on: image.url)
            }
            if let length = response.contentLength, length > Int64(settings.maxImageBytes) {
                report(
                    .imageTooLarge,
                    "og:image \(shown) is \(Self.mebibytes(length)) (more than \(Self.mebibytes(Int64(settings.maxImageBytes)))).",
                    on: image.url)
            }
        }
    }

    // MARK: - Helpers

    /// Whether `text` is an absolute `http`/`https` URL with a host.
    static func isAbsoluteWebURL(_ text: String) -> Bool {
        guard let scheme = WebAddress.scheme(of: text), scheme == "http" || scheme == "https" else { return false }
        return WebAddress(text) != nil
    }

    static func shortened(_ text: String, limit: Int = 120) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    static func mebibytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
