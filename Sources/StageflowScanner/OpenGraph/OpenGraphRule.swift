import StageflowReport

/// The rules of the `open-graph` scanner: each one's id, short title, raw severity and the fix.
enum OpenGraphRule: String, CaseIterable, Sendable, MarkupRule {
    case tagsMissing = "og-tags-missing"
    case titleMissing = "og-title-missing"
    case typeMissing = "og-type-missing"
    case imageMissing = "og-image-missing"
    case urlMissing = "og-url-missing"
    case descriptionMissing = "og-description-missing"
    case typeInvalid = "og-type-invalid"
    case urlInvalid = "og-url-invalid"
    case imageInvalidURL = "og-image-invalid-url"
    case imageUnreachable = "og-image-unreachable"
    case imageNotImage = "og-image-not-image"
    case imageTooSmall = "og-image-too-small"
    case imageTooLarge = "og-image-too-large"
    case dateInvalid = "og-date-invalid"
    case valueInvalid = "og-value-invalid"
    case twitterCardInvalid = "twitter-card-invalid"
    case twitterCardIncomplete = "twitter-card-incomplete"

    /// The raw severity word (`severityRaw`).
    var rawSeverity: RawSeverity {
        switch self {
        case .imageInvalidURL, .imageUnreachable, .imageNotImage:
            return .error
        case .tagsMissing, .titleMissing, .typeMissing, .imageMissing, .urlMissing, .typeInvalid, .urlInvalid,
            .imageTooSmall, .imageTooLarge, .twitterCardInvalid, .twitterCardIncomplete:
            return .warning
        case .dateInvalid, .valueInvalid:
            return .notice
        case .descriptionMissing:
            return .info
        }
    }

    /// A short name of the rule.
    var title: String {
        switch self {
        case .tagsMissing: return "Page has no Open Graph tags"
        case .titleMissing: return "og:title is missing"
        case .typeMissing: return "og:type is missing"
        case .imageMissing: return "og:image is missing"
        case .urlMissing: return "og:url is missing"
        case .descriptionMissing: return "og:description is missing"
        case .typeInvalid: return "og:type is not an Open Graph type"
        case .urlInvalid: return "og:url is not an absolute URL"
        case .imageInvalidURL: return "og:image is not an absolute http(s) URL"
        case .imageUnreachable: return "og:image cannot be loaded"
        case .imageNotImage: return "og:image is not an image"
        case .imageTooSmall: return "og:image is too small"
        case .imageTooLarge: return "og:image is too large"
        case .dateInvalid: return "Open Graph date is not ISO 8601"
        case .valueInvalid: return "Open Graph property has an invalid value"
        case .twitterCardInvalid: return "twitter:card has an unknown value"
        case .twitterCardIncomplete: return "Twitter card lacks tags its type requires"
        }
    }

    /// How to fix it.
    var howToFix: String {
        switch self {
        case .tagsMissing:
            return "Add at least og:title, og:type, og:image and og:url (<meta property=\"og:title\" content=\"…\">) "
                + "so shared links show a title, image and description."
        case .titleMissing, .typeMissing, .imageMissing, .urlMissing:
            return "Add the required Open Graph properties: og:title, og:type, og:image and og:url."
        case .descriptionMissing:
            return "Add og:description with a one- or two-sentence summary."
        case .typeInvalid:
            return "Use a type from the Open Graph vocabulary: website, article, book, profile, music.*, video.*."
        case .urlInvalid:
            return "Set og:url to the page's canonical absolute URL (https://…)."
        case .imageInvalidURL:
            return "Point og:image at an absolute http(s) URL of the image; relative, data: and javascript: URLs are ignored by sharers."
        case .imageUnreachable:
            return "Make the og:image URL answer 200 to anonymous requests (no login, no blocked crawler)."
        case .imageNotImage:
            return "Serve the og:image URL with an image content type (image/jpeg, image/png, image/webp)."
        case .imageTooSmall:
            return "Use an image of at least 200×200 pixels (1200×630 shows best) and declare its size truthfully."
        case .imageTooLarge:
            return "Compress the image below 8 MiB; sharers drop larger ones."
        case .dateInvalid:
            return "Write dates in ISO 8601: 2024-05-01 or 2024-05-01T13:45:00Z."
        case .valueInvalid:
            return "Give the property a value of its type (an integer, a valid ISBN, male or female)."
        case .twitterCardInvalid:
            return "Set twitter:card to summary, summary_large_image, app or player."
        case .twitterCardIncomplete:
            return "Add the tags the card type requires (player: twitter:player with width and height; app: "
                + "twitter:app:id:*; summary_large_image: twitter:image or og:image)."
        }
    }

    /// Its report category.
    static let category = ReportCategory.social

    /// The part of the Open Graph protocol (or of X's card markup) the rule checks.
    var standards: [StandardReference] {
        switch self {
        case .tagsMissing, .titleMissing, .typeMissing, .imageMissing, .urlMissing, .urlInvalid, .imageInvalidURL:
            return [.openGraph("metadata", title: "Basic metadata")]
        case .descriptionMissing:
            return [.openGraph("optional", title: "Optional metadata")]
        case .typeInvalid:
            return [.openGraph("types", title: "Object types")]
        case .imageUnreachable, .imageNotImage, .imageTooSmall, .imageTooLarge:
            return [.openGraph("structured", title: "Structured properties (og:image)")]
        case .dateInvalid, .valueInvalid:
            return [.openGraph("data_types", title: "Types of property values")]
        case .twitterCardInvalid, .twitterCardIncomplete:
            return [
                StandardReference(
                    kind: .other, id: "x-cards", title: "X (Twitter) card markup",
                    url: "https://developer.x.com/en/docs/x-for-websites/cards/overview/markup")
            ]
        }
    }

    /// The Open Graph protocol, or X's card markup for the twitter rules.
    var helpURL: String? {
        id.hasPrefix("twitter") ? "https://developer.x.com/en/docs/x-for-websites/cards/overview/markup" : "https://ogp.me/"
    }
}
