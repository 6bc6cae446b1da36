import Foundation
import StageflowTestSupport
import Testing

/// The container image: `deploy/Containerfile` built through Podman's REST API (the Podman CLI fails in this
/// sandbox) from a Debian bookworm base made here with debootstrap and `podman import`, then run with
/// `stageflow up` inside, as a non-root user, scanning a site on the host's loopback.
///
/// Building compiles Stageflow in release mode inside the build stage, which takes long on two cores, so the test
/// runs only with `STAGEFLOW_IMAGE_TEST=1`; the base rootfs is kept in `.build-image/` between runs.
@Suite("Container image", .serialized)
struct ContainerImageTests {
    static let enabled = ProcessInfo.processInfo.environment["STAGEFLOW_IMAGE_TEST"] == "1"
    static let tag = "localhost/stageflow:e2e"

    /// Calls the Podman REST API with curl; the body as text.
    static func podman(_ socket: String, _ method: String, _ path: String, body: String? = nil, file: String? = nil) throws -> CommandResult {
        var arguments = ["-sS", "--unix-socket", socket, "-X", method, "--max-time", "7200"]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        // -T streams the file (the builder's tar holds the Swift toolchain: gigabytes).
        if let file { arguments += ["-H", "Content-Type: application/x-tar", "-T", file] }
        return try run("/usr/bin/curl", arguments + ["http://podman/v4.0.0/libpod\(path)"])
    }

    /// `tar` of `parts` (directory, paths in it) into `file`.
    static func tar(_ file: String, _ parts: [(String, [String])]) throws {
        let arguments = parts.flatMap { ["-C", $0.0] + $0.1 }
        let result = try run("/bin/tar", ["-cf", file] + arguments)
        guard result.status == 0 else { throw E2EError("tar: \(result)") }
    }

    @Test(
        "the image builds from deploy/Containerfile on a local base, runs as a non-root user without build tools, and scans a loopback site",
        .enabled(if: enabled, "set STAGEFLOW_IMAGE_TEST=1: builds Stageflow in release mode inside the image"))
    func buildAndScan() throws {
        let podman = try PodmanService.shared()
        let socket = podman.socketPath
        let work = URL(fileURLWithPath: ".build-image", isDirectory: true).standardizedFileURL
        let rootfs = work.appendingPathComponent("bookworm")
        if !FileManager.default.fileExists(atPath: rootfs.appendingPathComponent("etc/debian_version").path) {
            let made = try run("/usr/sbin/debootstrap", ["--variant=minbase", "bookworm", rootfs.path, "http://deb.debian.org/debian"])
            #expect(made.status == 0, "debootstrap: \(made)")
        }
        // The runtime base: the bare bookworm rootfs. The builder: the same plus this machine's Swift toolchain and
        // its package mirror (with the git configuration that points GitHub addresses at it), and the machine's own
        // certificate authorities, which the build stage's ca-certificates adds to its bundle: where egress goes
        // through a TLS-inspecting proxy, the build reaches PyPI (for axe-core) as this machine does.
        let baseTar = work.appendingPathComponent("base.tar").path
        try Self.tar(baseTar, [(rootfs.path, ["."])])
        let imported = try Self.podman(socket, "POST", "/images/import?reference=localhost/stageflow-base:bookworm", file: baseTar)
        try #require(imported.stdout.contains("\"Id\""), "\(imported)")
        let builderTar = work.appendingPathComponent("builder.tar").path
        try Self.tar(builderTar, [(rootfs.path, ["."]), ("/", ["opt/swift", "opt/swift-packages", "etc/gitconfig", "usr/local/share/ca-certificates"])])
        let builder = try Self.podman(socket, "POST", "/images/import?reference=localhost/stageflow-builder:bookworm", file: builderTar)
        try #require(builder.stdout.contains("\"Id\""), "\(builder)")

        // The build context: the repository's files as git sees them (no .build).
        let context = work.appendingPathComponent("context.tar").path
        let files = try run("/bin/sh", ["-c", "git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf \(context)"])
        #expect(files.status == 0, "\(files)")
        let arguments = #"{"BUILDER":"localhost/stageflow-builder:bookworm","BASE":"localhost/stageflow-base:bookworm"}"#
        let query = "dockerfile=deploy/Containerfile&t=\(Self.tag)&buildargs="
            + (arguments.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let clock = ContinuousClock()
        let started = clock.now
        let built = try Self.podman(socket, "POST", "/build?\(query)", file: context)
        print("image build took \(clock.now - started)")
        try #require(built.stdout.contains("Successfully tagged \(Self.tag)"), "\(built.stdout.suffix(4000)) \(built.stderr)")

        let inspected = try Self.podman(socket, "GET", "/images/\(Self.tag)/json")
        let image = try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any] ?? [:]
        let config = image["Config"] as? [String: Any] ?? [:]
        #expect(config["User"] as? String == "10001:10001", "\(config)")
        print("image size: \((image["Size"] as? Int).map { "\($0 / 1_048_576) MiB" } ?? "?")")

        // Nothing of the build stage's tools is left in the image.
        let probe = try runContainer(
            socket, command: ["/bin/sh", "-c", "id -u; for t in swift swiftc gcc cc clang make git; do command -v $t || true; done; /usr/local/bin/stageflow version"])
        #expect(probe.hasPrefix("10001"), "\(probe)")
        for tool in ["swift", "gcc", "clang", "make", "/git"] { #expect(!probe.contains("/\(tool)"), "\(tool) in the image: \(probe)") }
        #expect(probe.contains("built-in scanners: ") && probe.contains("axe 1.0.0") && probe.contains("security-headers"), "\(probe)")

        try scanInside(socket)
    }

    /// Explicit limits: runc here may not raise a container's limits to the service's own, so each container states
    /// them, as Stageflow's Podman runtime does.
    static var limits: [[String: Any]] {
        [["type": "nofile", "soft": 4096, "hard": 4096], ["type": "nproc", "soft": 4096, "hard": 4096]]
    }

    /// Creates, starts and waits for a container of the image; its output.
    func runContainer(_ socket: String, command: [String]) throws -> String {
        let name = "stageflow-image-probe-\(UUID().uuidString.prefix(8).lowercased())"
        let spec: [String: Any] = ["name": name, "image": Self.tag, "command": command, "entrypoint": [String](), "r_limits": Self.limits]
        let created = try Self.podman(socket, "POST", "/containers/create", body: String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self))
        guard created.stdout.contains("\"Id\"") else { throw E2EError("create: \(created)") }
        defer { _ = try? Self.podman(socket, "DELETE", "/containers/\(name)?force=true") }
        _ = try Self.podman(socket, "POST", "/containers/\(name)/start")
        _ = try Self.podman(socket, "POST", "/containers/\(name)/wait")
        return try Self.podman(socket, "GET", "/containers/\(name)/logs?stdout=true&stderr=true").stdout
            .unicodeScalars.filter { $0.value >= 32 || $0 == "\n" }.map(String.init).joined()
    }

    /// `stageflow up` in the image, on the host's network, scanning the fixture site on loopback with an HTTP and a
    /// browser scanner; the data directory is a host directory owned by the image's user.
    func scanInside(_ socket: String) throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-image-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        _ = try run("/bin/chown", ["10001:10001", data.path])
        let port = Int.random(in: 20_000...40_000)
        let name = "stageflow-image-up-\(UUID().uuidString.prefix(8).lowercased())"
        let spec: [String: Any] = [
            "name": name, "image": Self.tag,
            "command": ["up", "--listen", "127.0.0.1:\(port)", "--data-dir", "/data", "--allow-private-targets"],
            "netns": ["nsmode": "host"], "r_limits": Self.limits,
            "mounts": [["type": "bind", "source": data.path, "destination": "/data", "options": ["rw"]]],
        ]
        let created = try Self.podman(socket, "POST", "/containers/create", body: String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self))
        guard created.stdout.contains("\"Id\"") else { throw E2EError("create: \(created)") }
        defer { _ = try? Self.podman(socket, "DELETE", "/containers/\(name)?force=true") }
        _ = try Self.podman(socket, "POST", "/containers/\(name)/start")
        let url = "http://127.0.0.1:\(port)"
        let up = waitUntil(seconds: 60) { (try? run("/usr/bin/curl", ["-sf", url + "/readyz"]).status) == 0 }
        #expect(up, "stageflow up in the image: \((try? Self.podman(socket, "GET", "/containers/\(name)/logs?stdout=true&stderr=true").stdout) ?? "")")
        let tokenOwner = try FileManager.default.attributesOfItem(atPath: data.appendingPathComponent("admin-token").path)[.ownerAccountID] as? Int
        #expect(tokenOwner == 10001, "files are written by the image's non-root user")

        let driver = ScanDriver(server: url, dataDirectory: data)
        try driver.apply(
            """
            apiVersion: stageflow.dev/v1alpha1
            kind: ScanJob
            metadata:
              name: in-image
            spec:
              allowPrivateTargets: true
              target:
                urls:
                  - \(site.baseURL)/
              scanners:
                - name: security-headers
                - name: axe
            """)
        #expect(try driver.waitFinished("in-image", seconds: 300) == "Done", "\(String(describing: try? driver.job("in-image")))")
        let status = try #require(try driver.job("in-image"))["status"] as? [String: Any] ?? [:]
        let states = (status["scanners"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")=\($0["state"] ?? "")" }.sorted()
        #expect(states == ["axe=Succeeded", "security-headers=Succeeded"], "\(status)")
    }
}
