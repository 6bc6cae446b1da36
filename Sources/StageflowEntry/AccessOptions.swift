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

    @Flag(
        name: .long,
        help: "Serve without authentication: every request, from any program or web page that reaches the address, may do everything. Only for a throwaway machine (env STAGEFLOW_INSECURE_NO_AUTH).")
    var insecureNoAuth: Bool = Environment.flag("STAGEFLOW_INSECURE_NO_AUTH")

    @Option(
        name: .customLong("allowed-host"),
        help: ArgumentHelp(
            "A host name this server answers for (besides IP addresses, localhost and the listen address), repeatable; requests naming other hosts get 421 (env STAGEFLOW_ALLOWED_HOSTS, comma-separated).",
            valueName: "name"))
    var allowedHosts: [String] = (Environment.string("STAGEFLOW_ALLOWED_HOSTS") ?? "").split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
    }

    func validate() throws {
        guard jobRateLimit >= 0 else { throw ValidationError("--job-rate-limit must be 0 or more, not \(jobRateLimit)") }
        if anonymousRead && authTokenFile == nil {
            throw ValidationError("--anonymous-read needs --auth-token-file (without tokens every request may already read)")
        }
        if insecureNoAuth && authTokenFile != nil {
            throw ValidationError("give either --auth-token-file or --insecure-no-auth, not both")
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

    /// The server's access configuration; the token file is read again here, as it is now. Without a token file,
    /// `generated` gives the tokens (those `stageflow up` keeps in its data directory); without either, only
    /// `--insecure-no-auth` serves, openly.
    func configuration(generated: AccessTokens? = nil) throws -> AccessConfiguration {
        let tokens: AccessTokens?
        do {
            tokens = try authTokenFile.map { try AccessTokens.load(path: $0) } ?? (insecureNoAuth ? nil : generated)
        } catch {
            throw ValidationError("--auth-token-file \(error)")
        }
        if tokens == nil && !insecureNoAuth {
            throw ValidationError(
                "this server needs --auth-token-file FILE (bearer tokens and their roles) or, on a throwaway machine only, --insecure-no-auth")
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
