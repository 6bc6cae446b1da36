import Foundation
import StageflowThrowaway

extension FixtureSite {
    /// The fixture folder of the end-to-end tests.
    public static func endToEndFixture(_ name: String) -> String {
        let fromWorkingDirectory = FileManager.default.currentDirectoryPath + "/Tests/EndToEndTests/Fixtures/\(name)"
        if FileManager.default.fileExists(atPath: fromWorkingDirectory) { return fromWorkingDirectory }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EndToEndTests/Fixtures/\(name)").path
    }
}
