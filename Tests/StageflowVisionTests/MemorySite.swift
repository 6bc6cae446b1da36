import Foundation
import StageflowAPI
import StageflowScanner

/// Pages of an in-memory shop for journey tests over `MemorySiteBrowser`: the browser's script closure plays the
/// page analysis as the real script would (the controls as the numbered list, a digest of what is visible).
enum MemorySite {
    static let base = "https://shop.example"

    static func browser(_ pages: [MemorySiteBrowser.Page]) -> MemorySiteBrowser {
        MemorySiteBrowser(pages: pages, evaluator: evaluate, resolver: resolve)
    }

    /// The shop: home → product → add to cart → cart; a checkout whose Continue does nothing; a page that links to
    /// itself.
    static let shop: [MemorySiteBrowser.Page] = [
        .init(url: base + "/", title: "Shop", controls: [
            .init(role: "link", name: "Blue T-shirt", effect: .navigate(base + "/product/blue")),
            .init(role: "link", name: "Checkout", effect: .navigate(base + "/checkout")),
            .init(role: "link", name: "Shop home", effect: .navigate(base + "/")),
        ], text: "Welcome"),
        .init(url: base + "/product/blue", title: "Blue T-shirt", controls: [
            .init(role: "button", name: "Add to cart", effect: .navigate(base + "/cart")),
            .init(role: "textbox", name: "Coupon"),
        ], text: "A blue T-shirt"),
        .init(url: base + "/cart", title: "Cart", controls: [.init(role: "link", name: "Shop home", effect: .navigate(base + "/"))],
              text: "1 item in your cart: Blue T-shirt"),
        .init(url: base + "/checkout", title: "Checkout", controls: [.init(role: "button", name: "Continue", effect: .nothing)], text: "Checkout"),
    ]

    static func resolve(_ expression: String) -> Int? {
        guard let open = expression.range(of: "[", options: .backwards), let close = expression.range(of: "]", options: .backwards),
            let index = Int(expression[open.upperBound..<close.lowerBound])
        else { return nil }
        return index
    }

    static func evaluate(_ snapshot: MemorySiteBrowser.Snapshot, _ expression: String) throws -> JSONValue {
        let page = snapshot.page
        if expression == "location.href" { return .string(page.url) }
        if expression.contains("interactiveCount") {
            let elements: [JSONValue] = page.controls.enumerated().map { index, control in
                var entry: JSONValue = [
                    "index": .int(Int64(index + 1)), "role": .string(control.role), "name": .string(control.name), "tag": "a",
                    "locator": .string("role=\(control.role)[name=\"\(control.name)\"]"), "selector": .string("#c\(index)"),
                    "box": ["x": 10, "y": .double(Double(40 * index + 10)), "width": 120, "height": 24], "inViewport": true, "disabled": false,
                ]
                if let value = snapshot.values[index] { entry["value"] = .string(value) }
                return entry
            }
            let visible = page.text + snapshot.revealed.joined() + snapshot.values.sorted { $0.key < $1.key }.map(\.value).joined()
            return [
                "url": .string(page.url), "title": .string(page.title),
                "viewport": ["width": 1280, "height": 800, "scrollX": 0, "scrollY": .double(Double(snapshot.scrolled * 640)), "pageHeight": 800],
                "elements": .array(elements), "interactiveCount": .int(Int64(elements.count)),
                "digest": .string(String(format: "%08x", abs((page.url + visible + "\(snapshot.scrolled)").hashValue) % 0xFFFF_FFFF)),
            ]
        }
        if expression.contains(".includes(") {
            let visible = page.text + snapshot.revealed.joined()
            guard let start = expression.range(of: ".includes(\""), let end = expression.range(of: "\")", options: .backwards) else { return false }
            return .bool(visible.contains(String(expression[start.upperBound..<end.lowerBound])))
        }
        return .bool(true)
    }
}
