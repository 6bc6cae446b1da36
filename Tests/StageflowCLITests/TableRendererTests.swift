import Foundation
import StageflowAPI
import StageflowCLI
import StageflowClient
import Testing

@Suite("Table rendering")
struct TableRendererTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    var table: ResourceTable {
        ResourceTable(
            columnDefinitions: [
                .init(name: "Name", type: "string", format: "name"),
                .init(name: "Phase", type: "string"),
                .init(name: "Score", type: "number", priority: 1),
                .init(name: "Age", type: "date"),
            ],
            rows: [
                .init(
                    cells: ["nightly", "Scanning", nil, .string(now.addingTimeInterval(-7200).formatted(.iso8601))],
                    object: ["metadata": ["name": "nightly", "namespace": "team-a"]]),
                .init(
                    cells: ["a-much-longer-name", "Done", 97.5, .string(now.addingTimeInterval(-3 * 86400).formatted(.iso8601))],
                    object: ["metadata": ["name": "a-much-longer-name", "namespace": "default"]]),
            ])
    }

    @Test func standardColumnsAlignedWithAges() {
        let text = TableRenderer(columns: table.columnDefinitions, now: now).render(table.rows)
        #expect(text == """
            NAME                 PHASE      AGE
            nightly              Scanning   120m
            a-much-longer-name   Done       3d
            """)
    }

    @Test func wideAddsPriorityColumnsAndNamespaceComesFirst() {
        let renderer = TableRenderer(columns: table.columnDefinitions, wide: true, showNamespace: true, now: now)
        let text = renderer.render(table.rows)
        #expect(text == """
            NAMESPACE   NAME                 PHASE      SCORE    AGE
            team-a      nightly              Scanning   <none>   120m
            default     a-much-longer-name   Done       97.5     3d
            """)
    }

    @Test func headersCanBeOmitted() {
        let text = TableRenderer(columns: table.columnDefinitions, now: now).render(Array(table.rows.prefix(1)), headers: false)
        #expect(text == "nightly   Scanning   120m")
    }

    @Test func widthsOnlyGrowAcrossCalls() {
        var widths: [Int] = []
        _ = TableRenderer.align([["NAME", "AGE"], ["a", "1s"]], widths: &widths)
        let later = TableRenderer.align([["bb", "2s"]], widths: &widths)
        #expect(later == ["bb     2s"])
    }
}
