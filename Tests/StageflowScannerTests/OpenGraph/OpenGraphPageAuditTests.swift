import StageflowReport
import Testing

@testable import StageflowScanner

/// A page with complete Open Graph and Twitter card metadata, and variations of it.
enum OpenGraphFixture {
    static let url = "https://example.com/guide/"

    static let tags = """
        <meta property="og:title" content="Serializers">
        <meta property="og:type" content="article">
        <meta property="og:image" content="https://example.com/og.png">
        <meta property="og:image:width" content="1200">
        <meta property="og:image:height" content="630">
        <meta property="og:url" content="https://example.com/guide/">
        <meta property="og:description" content="How serializers work.">
        <meta property="article:published_time" content="2024-05-01T13:45:00Z">
        <meta name="twitter:card" content="summary_large_image">
        """

    static func page(_ tags: String = tags) -> String {
        "<!doctype html><html lang=\"en\"><head><title>Guide</title>\(tags)</head><body><h1>Guide</h1></body></html>"
    }

    /// The markup findings (no image fetches).
    static func findings(_ html: String, settings: OpenGraphSettings = OpenGraphSettings()) -> [ScannerFinding] {
        OpenGraphPageAudit(page: LoadedPage(url: url, html: html), settings: settings).findings
    }

    static func rules(_ html: String) -> [String] {
        findings(html).map(\.ruleId)
    }

    /// The fixture's tags with one replaced.
    static func replacing(_ old: String, with new: String) -> String {
        page(tags.replacingOccurrences(of: old, with: new))
    }
}

@Suite("open-graph page checks")
struct OpenGraphPageAuditTests {
    @Test("complete metadata has no findings")
    func complete() {
        let findings = OpenGraphFixture.findings(OpenGraphFixture.page())
        #expect(findings.isEmpty, "\(findings.map(\.message))")
    }

    @Test("a page without any og: tag gets one page-level finding, not one per property")
    func noTags() {
        let findings = OpenGraphFixture.findings(OpenGraphFixture.page(#"<meta name="description" content="x">"#))
        #expect(findings.map(\.ruleId) == ["og-tags-missing"])
        #expect(findings.first?.selector == nil && findings.first?.severity == .moderate && findings.first?.severityRaw == "warning")
        // og: in a name attribute is not Open Graph.
        #expect(OpenGraphFixture.rules(OpenGraphFixture.page(#"<meta name="og:title" content="x">"#)) == ["og-tags-missing"])
    }

    @Test("each missing or empty required property is its own finding; og:description is informational")
    func required() {
        let partial = OpenGraphFixture.page(#"<meta property="og:title" content="T"><meta property="og:url" content="">"#)
        let findings = OpenGraphFixture.findings(partial)
        #expect(findings.map(\.ruleId) == ["og-type-missing", "og-image-missing", "og-url-missing", "og-description-missing"])
        #expect(findings[2].message == "The page's og:url is empty." && findings[2].selector == "html > head > meta:nth-of-type(2)")
        #expect(findings[0].selector == nil)
        #expect(findings[3].severity == .info)
        let aliased = OpenGraphFixture.replacing(#"property="og:image" "#, with: #"property="og:image:url" "#)
        #expect(OpenGraphFixture.rules(aliased).isEmpty)
    }

    @Test("og:type must be in the vocabulary")
    func type() {
        for known in OpenGraphScanner.knownTypes {
            #expect(OpenGraphFixture.rules(OpenGraphFixture.replacing(#"content="article""#, with: #"content="\#(known)""#)).isEmpty)
        }
        #expect(OpenGraphFixture.rules(OpenGraphFixture.replacing(#"content="article""#, with: #"content="blog""#)) == ["og-type-invalid"])
        #expect(OpenGraphFixture.rules(OpenGraphFixture.replacing(#"content="article""#, with: #"content="video""#)) == ["og-type-invalid"])
    }

    @Test("og:image and og:url must be absolute http(s) URLs")
    func urls() {
        for bad in ["/og.png", "og.png", "//cdn.example.com/og.png", "data:image/png;base64,AAAA", "javascript:alert(1)", "ftp://example.com/og.png"] {
            let findings = OpenGraphFixture.findings(OpenGraphFixture.replacing("https://example.com/og.png", with: bad))
            #expect(findings.map(\.ruleId) == ["og-image-invalid-url"], "\(bad)")
            #expect(findings.first?.severity == .serious)
        }
        #expect(OpenGraphFixture.findings(OpenGraphFixture.replacing("https://example.com/og.png", with: "javascript:alert(1)"))
            .first?.message.contains("a javascript: URL") == true)
        #expect(OpenGraphFixture.rules(OpenGraphFixture.replacing("https://example.com/guide/", with: "/guide/")) == ["og-url-invalid"])
    }

    @Test("declared image sizes: integers, at least the minimum, attached to the image they follow")
    func imageSize() {
        let small = OpenGraphFixture.findings(OpenGraphFixture.replacing(#"content="630""#, with: #"content="150""#))
        #expect(small.map(\.ruleId) == ["og-image-too-small"])
        #expect(small.first?.message.contains("150 pixels high") == true)
        #expect(OpenGraphFixture.rules(OpenGraphFixture.replacing(#"content="1200""#, with: #"content="1200px""#)) == ["og-value-invalid"])
        var settings = OpenGraphSettings()
        settings.minImageWidth = 1500
        #expect(OpenGraphFixture.findings(OpenGraphFixture.page(), settings: settings).map(\.ruleId) == ["og-image-too-small"])
        let second = OpenGraphFixture.page(OpenGraphFixture.tags + #"<meta property="og:image" content="https://example.com/2.png"><meta property="og:image:width" content="100">"#)
        #expect(OpenGraphFixture.findings(second).map(\.selector) == ["html > head > meta:nth-of-type(11)"])
    }

    @Test("dates: ISO 8601 dates and date-times with real values")
    func dates() {
        for valid in ["2024-05-01", "2024-05-01T13:45", "2024-05-01T13:45:00Z", "2024-05-01T13:45:00.123+02:00", "2024-02-29T00:00:00-0500", "2024-05-01 13:45:00+02"] {
            #expect(OpenGraphValue.isISO8601(valid), "\(valid)")
        }
        for invalid in ["May 1, 2024", "2024-13-01", "2023-02-29", "2024-05-01T25:00", "2024-5-1", "01/05/2024", "2024-05-01T13:45:00+", "2024-05-01T13:45Zjunk", ""] {
            #expect(!OpenGraphValue.isISO8601(invalid), "\(invalid)")
        }
        let findings = OpenGraphFixture.findings(OpenGraphFixture.replacing("2024-05-01T13:45:00Z", with: "Wed, 01 May 2024"))
        #expect(findings.map(\.ruleId) == ["og-date-invalid"])
        #expect(findings.first?.message.contains("article:published_time") == true)
        let book = OpenGraphFixture.page(OpenGraphFixture.tags + #"<meta property="book:release_date" content="yesterday">"#)
        #expect(OpenGraphFixture.rules(book) == ["og-date-invalid"])
    }

    @Test("typed values: ISBN check digits, profile:gender, integer durations")
    func typedValues() {
        for valid in ["0-306-40615-2", "978-0-306-40615-7", "9780306406157", "ISBN 0-8044-2957-X"] {
            #expect(OpenGraphValue.isValidISBN(valid), "\(valid)")
        }
        for invalid in ["0-306-40615-3", "978-0-306-40615-8", "12345", "977-0-306-40615-7"] {
            #expect(!OpenGraphValue.isValidISBN(invalid), "\(invalid)")
        }
        let typed = OpenGraphFixture.page(OpenGraphFixture.tags + """
            <meta property="book:isbn" content="978-0-306-40615-8"><meta property="profile:gender" content="Male">
            <meta property="video:duration" content="3:20"><meta property="music:duration" content="200">
            <meta property="profile:gender" content="female"><meta property="book:isbn" content="0306406152">
            """)
        let findings = OpenGraphFixture.findings(typed)
        #expect(findings.map(\.ruleId) == ["og-value-invalid", "og-value-invalid", "og-value-invalid"])
        #expect(findings.map { $0.message.prefix(14) } == ["book:isbn \"978", "profile:gender", "video:duration"])
    }

    @Test("twitter:card: known values and the tags each needs; name= and property= both count")
    func twitterCard() {
        #expect(OpenGraphFixture.rules(OpenGraphFixture.replacing(#"content="summary_large_image""#, with: #"content="large""#)) == ["twitter-card-invalid"])
        let player = OpenGraphFixture.replacing(#"content="summary_large_image""#, with: #"content="player""#)
        let findings = OpenGraphFixture.findings(player)
        #expect(findings.map(\.ruleId) == ["twitter-card-incomplete"])
        #expect(findings.first?.message == "The player card needs twitter:player, twitter:player:width, twitter:player:height.")
        let completePlayer = OpenGraphFixture.page(OpenGraphFixture.tags.replacingOccurrences(of: "summary_large_image", with: "player") + """
            <meta name="twitter:player" content="https://example.com/embed"><meta property="twitter:player:width" content="480">
            <meta name="twitter:player:height" content="270">
            """)
        #expect(OpenGraphFixture.rules(completePlayer).isEmpty)
        let app = OpenGraphFixture.replacing(#"content="summary_large_image""#, with: #"content="app""#)
        #expect(OpenGraphFixture.rules(app) == ["twitter-card-incomplete"])
        #expect(OpenGraphFixture.rules(OpenGraphFixture.page(OpenGraphFixture.tags.replacingOccurrences(of: "summary_large_image", with: "app")
            + #"<meta name="twitter:app:id:googleplay" content="com.example">"#)).isEmpty)
        // summary_large_image takes og:image in place of twitter:image.
        let noImage = OpenGraphFixture.page(#"<meta name="twitter:card" content="summary_large_image"><meta name="twitter:title" content="T">"#)
        #expect(OpenGraphFixture.rules(noImage) == ["og-tags-missing", "twitter-card-incomplete"])
        let twitterImage = OpenGraphFixture.page(#"<meta name="twitter:card" content="summary_large_image"><meta name="twitter:image" content="https://example.com/t.png">"#)
        #expect(OpenGraphFixture.rules(twitterImage) == ["og-tags-missing"])
    }
}
