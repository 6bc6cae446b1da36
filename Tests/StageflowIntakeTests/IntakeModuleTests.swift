import Testing
@testable import StageflowIntake

@Suite struct IntakeModuleTests {
    @Test func moduleLinks() {
        #expect(String(describing: StageflowIntake.self) == "StageflowIntake")
    }
}
