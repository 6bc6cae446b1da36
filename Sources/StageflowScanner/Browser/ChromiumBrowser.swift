import Foundation
import Logging
import StageflowAPI
import StageflowIntake

/// Headless Chromium driven over the DevTools Protocol: one browser process per runner; every tab lives in a
/// browser context of its own, which gives it its own renderer process, so pages load and run their scripts
/// in parallel.
public final class ChromiumBrowser: Browser {
    private let process: ChromiumProcess
    private let connection: CDPConnection
    /// The browser-wide proxy of a confined browser, which refuses everything: only tabs with their own
    /// egress proxy reach anything.
    private let confinement: EgressProxy?
    /// `Chromium 156.0.…` as the browser reports it.
    public let version: String

    /// Starts a browser: `executable` (a path or a name on PATH; default `$STAGEFLOW_CHROMIUM`, else
    /// `chromium`…); `extraArguments` are passed before the defaults. A `confined` browser sends everything
    /// through a proxy that refuses it, does not resolve names itself, and has QUIC and non-proxied WebRTC off,
    /// so its only way out is the egress proxy of each tab (`TabOptions.egress`).
    public static func launch(
        executable: String? = nil, extraArguments: [String] = [], confined: Bool = false,
        logger: Logger = Logger(label: "stageflow.browser")
    ) async throws -> ChromiumBrowser {
        var arguments = extraArguments + [
            "--disable-quic", "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--webrtc-ip-handling-policy=disable_non_proxied_udp",
        ]
        var confinement: EgressProxy?
        if confined {
            let proxy = try await EgressProxy.start(policy: .nothing)
            confinement = proxy
            arguments += [
                "--proxy-server=\(proxy.proxyServer)", "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ]
        }
        let process: ChromiumProcess
        do {
            process = try await ChromiumProcess.launch(executable: executable, extraArguments: arguments)
        } catch {
            await confinement?.close()
            throw error
        }
        do {
            let connection = try await CDPConnection.connect(to: process.endpoint, logger: logger)
            let info = try await connection.send("Browser.getVersion")
            return ChromiumBrowser(
                process: process, connection: connection, confinement: confinement,
                version: info["product"]?.stringValue ?? "Chromium")
        } catch {
            await process.stop()
            await confinement?.close()
            throw BrowserError.unavailable("cannot talk to \(process.executable) over DevTools: \(error)")
        }
    }

    private init(process: ChromiumProcess, connection: CDPConnection, confinement: EgressProxy?, version: String) {
        self.process = process
        self.connection = connection
        self.confinement = confinement
        // The product reads `HeadlessChrome/156.0.…` or `Chrome/156.0.…`.
        self.version = "Chromium " + (version.split(separator: "/").last.map(String.init) ?? version)
    }

    /// A tab in a new browser context; with `options.egress`, the context's traffic goes through an egress proxy
    /// of its own, which also refuses the browser's DevTools port.
    public func openTab(_ options: TabOptions) async throws -> any LoadingTab {
        var egress: EgressProxy?
        if var policy = options.egress {
            if let port = process.devToolsPort {
                policy.refusedEndpoints.insert(.init(address: IPAddress(ipv4: 0x7f00_0001), port: port))
            }
            egress = try await EgressProxy.start(policy: policy)
        }
        do {
            return try await CDPTab.open(on: connection, options: options, egress: egress)
        } catch let error as CDPError {
            await egress?.close()
            if process.hasExited { throw BrowserError.crashed("\(process.executable) exited") }
            throw BrowserError.crashed("cannot open a tab: \(error)")
        } catch {
            await egress?.close()
            throw error
        }
    }

    /// Closes the connection and stops the browser.
    public func close() async {
        _ = try? await connection.send("Browser.close")
        await connection.close()
        await process.stop()
        await confinement?.close()
    }
}
