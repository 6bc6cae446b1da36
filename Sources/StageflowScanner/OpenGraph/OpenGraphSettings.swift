/// The configuration with defaults applied.
struct OpenGraphSettings: Sendable {
    var checkImages: Bool
    var minImageWidth: Int
    var minImageHeight: Int
    var maxImageBytes: Int
    var timeoutSeconds: Int

    init(_ configuration: OpenGraphScanner.Configuration = .init()) {
        checkImages = configuration.checkImages ?? true
        minImageWidth = configuration.minImageWidth ?? 200
        minImageHeight = configuration.minImageHeight ?? 200
        maxImageBytes = configuration.maxImageBytes ?? 8 << 20
        timeoutSeconds = max(1, configuration.timeoutSeconds ?? 10)
    }
}
