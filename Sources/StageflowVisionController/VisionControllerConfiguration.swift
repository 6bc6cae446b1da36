import Foundation
import StageflowVision

/// Settings of the vision controller, defaults resolved here.
public struct VisionControllerConfiguration: Sendable {
    /// The controller's name in `entry.controller` of the Scanners it runs, and in its Lease (`stageflow-vision`).
    public static let controllerName = "vision"

    /// Where the model is.
    public var endpoint: ModelEndpoint
    /// Journeys walked at once; more wait their turn.
    public var maxJourneys: Int
    /// Model requests in flight at once, over all journeys.
    public var maxModelRequests: Int
    /// Where test accounts are held (`<name>.json`).
    public var secretsDirectory: URL?
    /// How pages are read and acted on.
    public var journeySettings: JourneyRunner.Settings
    /// How often a job whose journey runs is looked at again (to notice its end or deadline).
    public var pollInterval: Duration
    /// The scanning deadline of jobs that set none (the ScanJob controller's default).
    public var defaultScanningSeconds: Int64
    /// This process's identity in its Lease, also recorded in `progress.json`.
    public var identity: String

    /// A configuration: 4 journeys, 4 model requests at once, a look every 5 s, 1800 s scanning deadline.
    public init(
        endpoint: ModelEndpoint, maxJourneys: Int = 4, maxModelRequests: Int = 4, secretsDirectory: URL? = nil,
        journeySettings: JourneyRunner.Settings = JourneyRunner.Settings(), pollInterval: Duration = .seconds(5),
        defaultScanningSeconds: Int64 = 1800, identity: String
    ) {
        self.endpoint = endpoint
        self.maxJourneys = max(1, maxJourneys)
        self.maxModelRequests = max(1, maxModelRequests)
        self.secretsDirectory = secretsDirectory
        self.journeySettings = journeySettings
        self.pollInterval = pollInterval
        self.defaultScanningSeconds = defaultScanningSeconds
        self.identity = identity
    }
}
