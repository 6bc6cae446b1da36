import ArgumentParser
import Foundation
import Logging
import StageflowServer

/// The API server's access flags, shared by `stageflow up` and `stageflow apiserver`.
struct AccessOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "YAML file of bearer tokens (tokens: [{token, user, namespaces, role: viewer|editor|admin}]); when set, every route but the health checks requires a token (env STAGEFLOW_AUTH_TOKEN_FILE).",
            valueName: "file"))
    var authTokenFile: String? = Environment.string("STAGEFLOW_AUTH_TOKEN_FILE")

    @Flag(name: .long, help: "With --auth-token-file, let requests without a token read every namespace (env STAGEFLOW_ANONYMOUS_READ).")
    var anonymousRead: Bool = Environment.flag("STAGEFLOW_ANONYMOUS_READ")

    @Option(
        name: .long,
        help: ArgumentHelp(
            "File holding the secret (at least 32 bytes) that signs shareable report and artifact links; without it the secret is random and links die with a restart (env STAGEFLOW_LINK_SECRET_FILE).",
            valueName: "file"))
    var linkSecretFile: String? = Environment.string("STAGEFLOW_LINK_SECRET_FILE")

    @Option(name: .long, help: "ScanJobs one user may create per minute, 0 for no limit (env STAGEFLOW_JOB_RATE_LIMIT).")
    var jobRateLimit: Int = Environment.string("STAGEFLOW_JOB_RATE_LIMIT").flatMap(Int.init) ?? 30

    func validate() throws {
        guard jobRateLimit >= 0 else { throw ValidationError("--job-rate-limit must be 0 or more, not \(jobRateLimit)") }
        if anonymousRead && authTokenFile == nil {
            throw ValidationError("--anonymous-read needs --auth-token-file (without tokens every request may already read)")
        }
        if let linkSecretFile {
            do {
                _ = try AccessConfiguration.loadLinkSecret(path: linkSecretFile)
            } catch {
                throw ValidationError("--link-secret-file \(error)")
            }
        }
        if let authTokenFile {
            do {
                _ = try AccessTokens.load(path: authTokenFile)
            } catch {
                throw ValidationError("--auth-token-file \(error)")
            }
        }
    }

    /// The server's access configuration; the token file is read again here, as it is now.
    func configuration() throws -> AccessConfiguration {
        let tokens: AccessTokens?
        do {
            tokens = try authTokenFile.map { try AccessTokens.load(path: $0) }
        } catch {
            throw ValidationError("--auth-token-file \(error)")
        }
        let secret: Data?
        do {
            secret = try linkSecretFile.map { try AccessConfiguration.loadLinkSecret(path: $0) }
        } catch {
            throw ValidationError("--link-secret-file \(error)")
        }
        return AccessConfiguration(tokens: tokens, anonymousRead: anonymousRead, jobCreationsPerMinute: jobRateLimit, linkSecret: secret)
    }
}
