import Foundation
import StageflowAPI

/// A person's use of the page over the DevTools Protocol: real mouse and keyboard events (`Input.*`) at the
/// element's box, so what a person could not click (a control under an overlay) is not clicked either;
/// navigation tracked through the tab's `TabJournal`.
extension CDPTab: InteractiveTab {
    func element(_ expression: String) async throws -> ElementHandle? {
        let result = try await send("Runtime.evaluate", ["expression": .string(expression), "returnByValue": false])
        if let details = result["exceptionDetails"] {
            throw BrowserScriptError(
                message: details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "script error")
        }
        guard result["result"]?["subtype"]?.stringValue == "node", let id = result["result"]?["objectId"]?.stringValue else {
            return nil
        }
        return ElementHandle(id: id)
    }

    func click(_ element: ElementHandle) async throws -> ViewportPoint? {
        guard let point = try await centre(of: element) else { return nil }
        let position: JSONValue = ["x": .double(point.x), "y": .double(point.y)]
        _ = try await send("Input.dispatchMouseEvent", merge(position, ["type": "mouseMoved"]))
        _ = try await send("Input.dispatchMouseEvent", merge(position, ["type": "mousePressed", "button": "left", "clickCount": 1]))
        _ = try await send("Input.dispatchMouseEvent", merge(position, ["type": "mouseReleased", "button": "left", "clickCount": 1]))
        return point
    }

    /// The centre of the element's first visible box in the viewport, after scrolling it into view.
    private func centre(of element: ElementHandle) async throws -> ViewportPoint? {
        do {
            _ = try await send("DOM.scrollIntoViewIfNeeded", ["objectId": .string(element.id)])
            let quads = try await send("DOM.getContentQuads", ["objectId": .string(element.id)])
            for quad in quads["quads"]?.arrayValue ?? [] {
                let numbers = (quad.arrayValue ?? []).compactMap(\.doubleValue)
                guard numbers.count == 8 else { continue }
                let xs = stride(from: 0, to: 8, by: 2).map { numbers[$0] }
                let ys = stride(from: 1, to: 8, by: 2).map { numbers[$0] }
                guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max(), maxX - minX >= 1,
                    maxY - minY >= 1
                else { continue }
                return ViewportPoint(x: (minX + maxX) / 2, y: (minY + maxY) / 2)
            }
            return nil
        } catch CDPError.protocolError {
            // No layout object: the element is hidden or no longer in the document.
            return nil
        }
    }

    func type(_ text: String, into element: ElementHandle, submit: Bool) async throws {
        do {
            _ = try await send("DOM.focus", ["objectId": .string(element.id)])
        } catch CDPError.protocolError {
            _ = try await click(element)
        }
        // Select what is there so the typed text replaces it, as a person clearing the field would.
        _ = try await send(
            "Runtime.callFunctionOn",
            [
                "objectId": .string(element.id),
                "functionDeclaration": """
                function() { if (typeof this.select === 'function') { this.select(); } \
                else if (this.isContentEditable) { document.execCommand('selectAll'); } }
                """,
            ])
        if text.isEmpty {
            _ = try await send("Input.dispatchKeyEvent", ["type": "keyDown", "key": "Delete", "code": "Delete", "windowsVirtualKeyCode": 46])
            _ = try await send("Input.dispatchKeyEvent", ["type": "keyUp", "key": "Delete", "code": "Delete", "windowsVirtualKeyCode": 46])
        } else {
            _ = try await send("Input.insertText", ["text": .string(text)])
        }
        if submit {
            let enter: JSONValue = ["key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13]
            _ = try await send("Input.dispatchKeyEvent", merge(enter, ["type": "keyDown", "text": "\r"]))
            _ = try await send("Input.dispatchKeyEvent", merge(enter, ["type": "keyUp"]))
        }
    }

    func select(_ value: String, in element: ElementHandle) async throws -> Bool {
        let result = try await send(
            "Runtime.callFunctionOn",
            [
                "objectId": .string(element.id), "returnByValue": true, "arguments": [["value": .string(value)]],
                "functionDeclaration": """
                function(wanted) {
                  if (!this.options) return false;
                  const option = Array.from(this.options).find((o) => o.value === wanted || o.text.trim() === wanted.trim());
                  if (!option) return false;
                  this.focus();
                  this.value = option.value;
                  this.dispatchEvent(new Event('input', { bubbles: true }));
                  this.dispatchEvent(new Event('change', { bubbles: true }));
                  return true;
                }
                """,
            ])
        return result["result"]?["value"]?.boolValue ?? false
    }

    func scroll(_ direction: ScrollDirection) async throws {
        let sign = direction == .down ? "" : "-"
        _ = try await evaluate("window.scrollBy({ top: \(sign)Math.round(window.innerHeight * 0.8), behavior: 'instant' })")
    }

    func goBack() async throws -> Bool {
        let history = try await send("Page.getNavigationHistory")
        guard let current = history["currentIndex"]?.intValue, current > 0,
            let entries = history["entries"]?.arrayValue, entries.count > Int(current),
            let previous = entries[Int(current) - 1]["id"]?.intValue,
            entries[Int(current) - 1]["url"]?.stringValue != "about:blank"
        else { return false }
        _ = try await send("Page.navigateToHistoryEntry", ["entryId": .int(previous)])
        return true
    }

    func mark() -> TabMark { journal.mark }

    func settle(after mark: TabMark, timeout: Duration) async -> TabSettlement {
        let clock = ContinuousClock()
        // A click's navigation starts after the page's handlers have run: give it a moment to begin.
        let grace = clock.now + .milliseconds(250)
        while journal.started == mark.loadsStarted, clock.now < grace {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let loaded = journal.started > mark.loadsStarted
        var timedOut = false
        if loaded {
            let deadline = clock.now + timeout
            while !journal.isIdle {
                if clock.now >= deadline {
                    timedOut = true
                    break
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        // Then until the document has not changed for a moment (script rendering after the click), briefly.
        _ = try? await evaluate(Self.quietDocumentScript)
        let within = journal.mark.sameDocumentNavigations > mark.sameDocumentNavigations
        return TabSettlement(loadedDocument: loaded, navigatedWithinDocument: within, timedOut: timedOut)
    }

    /// Resolves once the document has had no mutation for 100 ms, or after 1 s.
    static let quietDocumentScript = """
        new Promise((resolve) => {
          if (!document.documentElement) { resolve(true); return; }
          let timer = setTimeout(done, 100);
          const stop = setTimeout(done, 1000);
          const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 100); });
          observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
          function done() { observer.disconnect(); clearTimeout(timer); clearTimeout(stop); resolve(true); }
        })
        """

    func viewportJPEG(maxWidth: Int, quality: Int) async throws -> ViewportImage {
        let metrics = try await send("Page.getLayoutMetrics")
        let viewport = metrics["cssVisualViewport"] ?? metrics["cssLayoutViewport"] ?? [:]
        let width = max(1, viewport["clientWidth"]?.doubleValue ?? 1280)
        let height = max(1, viewport["clientHeight"]?.doubleValue ?? 800)
        let scale = min(1, Double(max(16, maxWidth)) / width)
        let shot = try await send(
            "Page.captureScreenshot",
            [
                "format": "jpeg", "quality": .int(Int64(min(100, max(1, quality)))), "optimizeForSpeed": true,
                "clip": [
                    "x": .double(viewport["pageX"]?.doubleValue ?? 0), "y": .double(viewport["pageY"]?.doubleValue ?? 0),
                    "width": .double(width), "height": .double(height), "scale": .double(scale),
                ],
            ])
        guard let base64 = shot["data"]?.stringValue, let jpeg = Data(base64Encoded: base64) else {
            throw CDPError.protocolError(code: 0, message: "Page.captureScreenshot returned no image")
        }
        return ViewportImage(
            jpeg: jpeg, pixelWidth: Int((width * scale).rounded()), pixelHeight: Int((height * scale).rounded()), cssWidth: width,
            cssHeight: height)
    }

    func drainActivity() -> TabActivity {
        journal.drain(adding: egressRefusals())
    }

    private func merge(_ base: JSONValue, _ extra: JSONValue) -> JSONValue {
        var merged = base.objectValue ?? [:]
        for (key, value) in extra.objectValue ?? [:] { merged[key] = value }
        return .object(merged)
    }
}
