import Foundation
import Logging
import StageflowAPI

/// Headless Chromium driven over the DevTools Protocol: one browser process per runner; every tab lives in a
/// browser context of its own, which gives it its own renderer process, so pages load and run their scripts
/// in parallel.
public final class ChromiumBrowser: Browser {
    private let process: ChromiumProcess
    private let connection: CDPConnection
    /// `Chromium 156.0.…` as the browser reports it.
    public let version: String

    /// Starts a browser: `executable` (a path or a name on PATH; default `$STAGEFLOW_CHROMIUM`, else
    /// `chromium`…); `extraArguments` are passed before the defaults.
    public static func launch(
        executable: String? = nil, extraArguments: [String] = [], logger: Logger = Logger(label: "stageflow.browser")
    ) async throws -> ChromiumBrowser {
        let process = try await ChromiumProcess.launch(executable: executable, extraArguments: extraArguments)
        do {
            let connection = try await CDPConnection.connect(to: process.endpoint, logger: logger)
            let info = try await connection.send("Browser.getVersion")
            return ChromiumBrowser(
                process: process, connection: connection, version: info["product"]?.stringValue ?? "Chromium")
        } catch {
            await process.stop()
            throw BrowserError.unavailable("cannot talk to \(process.executable) over DevTools: \(error)")
        }
    }

    private init(process: ChromiumProcess, connection: CDPConnection, version: String) {
        self.process = process
        self.connection = connection
        // The product reads `HeadlessChrome/156.0.…` or `Chrome/156.0.…`.
        self.version = "Chromium " + (version.split(separator: "/").last.map(String.init) ?? version)
    }

    /// A tab in a new browser context.
    public func openTab(_ options: TabOptions) async throws -> any LoadingTab {
        do {
            return try await CDPTab.open(on: connection, options: options)
        } catch let error as CDPError {
            if process.hasExited { throw BrowserError.crashed("\(process.executable) exited") }
            throw BrowserError.crashed("cannot open a tab: \(error)")
        }
    }

    /// Closes the connection and stops the browser.
    public func close() async {
        _ = try? await connection.send("Browser.close")
        await connection.close()
        await process.stop()
    }
}
