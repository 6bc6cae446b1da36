import Foundation

/// The Open Graph and Twitter card properties of a page, in document order: `<meta property=… content=…>`
/// (and `<meta name=… content=…>` for `twitter:*`), names lowercased, contents trimmed.
struct OpenGraphMetadata {
    /// One property as the page declares it.
    struct Property {
        /// `og:title`, `article:published_time`, `twitter:card`.
        let name: String
        /// The `content`, trimmed.
        let content: String
        /// The `<meta>` element.
        let element: HTMLElement
    }

    /// One `og:image` with the structured properties that follow it (`og:image:width`, `og:image:height`).
    struct Image {
        var url: Property
        var width: Property?
        var height: Property?
    }

    /// Every property, in document order.
    let properties: [Property]

    /// The properties of a page's `<meta>` elements.
    init(tree: HTMLElementTree) {
        var properties: [Property] = []
        for element in tree.elements(named: "meta") {
            guard let content = element.attribute("content") else { continue }
            let property = element.attribute("property").map(Self.normalized) ?? ""
            let name = element.attribute("name").map(Self.normalized) ?? ""
            let key = !property.isEmpty ? property : (name.hasPrefix("twitter:") ? name : "")
            guard !key.isEmpty else { continue }
            properties.append(Property(name: key, content: content.trimmingCharacters(in: .whitespacesAndNewlines), element: element))
        }
        self.properties = properties
    }

    private static func normalized(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Whether the page declares any `og:` property.
    var hasOpenGraph: Bool {
        properties.contains { $0.name.hasPrefix("og:") }
    }

    /// The first property with this name.
    func first(_ name: String) -> Property? {
        properties.first { $0.name == name }
    }

    /// Every property with this name.
    func all(_ name: String) -> [Property] {
        properties.filter { $0.name == name }
    }

    /// Whether a property with this name has a non-empty value.
    func hasValue(_ name: String) -> Bool {
        properties.contains { $0.name == name && !$0.content.isEmpty }
    }

    /// The images, each with the width and height declared after it (before the next image).
    var images: [Image] {
        var images: [Image] = []
        for property in properties {
            switch property.name {
            case "og:image":
                images.append(Image(url: property))
            case "og:image:url" where images.isEmpty:
                images.append(Image(url: property))
            case "og:image:width" where !images.isEmpty && images[images.count - 1].width == nil:
                images[images.count - 1].width = property
            case "og:image:height" where !images.isEmpty && images[images.count - 1].height == nil:
                images[images.count - 1].height = property
            default:
                break
            }
        }
        return images
    }
}
