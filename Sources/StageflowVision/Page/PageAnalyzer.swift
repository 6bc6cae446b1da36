import Foundation
import StageflowAPI
import StageflowScanner

/// Reads the page of a tab as the agent sees it (`PageAnalysisScript`), and takes the set-of-marks screenshot:
/// the viewport with every listed element boxed and numbered, downscaled and JPEG-compressed.
public struct PageAnalyzer: Sendable {
    /// Elements listed at most.
    public var maxElements: Int
    /// Width of the screenshot in pixels at most.
    public var screenshotMaxWidth: Int
    /// JPEG quality, 1–100.
    public var jpegQuality: Int

    /// An analyzer: 75 elements, screenshots at most 1024 px wide at quality 60.
    public init(maxElements: Int = 75, screenshotMaxWidth: Int = 1024, jpegQuality: Int = 60) {
        self.maxElements = maxElements
        self.screenshotMaxWidth = screenshotMaxWidth
        self.jpegQuality = jpegQuality
    }

    /// Why a page could not be read.
    public struct AnalysisError: Error, CustomStringConvertible, Sendable {
        /// What went wrong.
        public let description: String
    }

    /// The page as it stands.
    public func observe(_ tab: any InteractiveTab) async throws -> PageObservation {
        let value = try await tab.evaluate(PageAnalysisScript.expression(maxElements: maxElements))
        do {
            return try value.decode(as: PageObservation.self)
        } catch {
            throw AnalysisError(description: "the page analysis returned what cannot be read: \(error)")
        }
    }

    /// The viewport with the numbered boxes of the last `observe`, as a JPEG. The overlay is taken away again
    /// before this returns, whatever happens.
    public func markedScreenshot(_ tab: any InteractiveTab) async throws -> ViewportImage {
        _ = try? await tab.evaluate(PageAnalysisScript.drawOverlay)
        do {
            let image = try await tab.viewportJPEG(maxWidth: screenshotMaxWidth, quality: jpegQuality)
            _ = try? await tab.evaluate(PageAnalysisScript.removeOverlay)
            return image
        } catch {
            _ = try? await tab.evaluate(PageAnalysisScript.removeOverlay)
            throw error
        }
    }

    /// The expression giving the element numbered `index` by the last `observe`.
    public static func elementExpression(_ index: Int) -> String {
        "(window[Symbol.for('stageflow.marks')] || [])[\(index - 1)] || null"
    }
}
