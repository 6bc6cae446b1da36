import StageflowAPI
import StageflowSchema
import Testing

@Suite("JSONPath")
struct JSONPathTests {
    let object: JSONValue = [
        "metadata": ["labels": ["app.kubernetes.io/name": "site"], "creationTimestamp": "2026-11-22T16:44:24Z"],
        "status": ["summary": ["score": 91.5], "scanners": [["name": "axe"], ["name": "seo"]]],
    ]

    @Test(
        "members, indices and quoted keys",
        arguments: [
            (".status.summary.score", JSONValue.double(91.5)),
            ("{.metadata.creationTimestamp}", "2026-11-22T16:44:24Z"),
            ("$.status.scanners[1].name", "seo"),
            (".status.scanners[-1].name", "seo"),
            (".metadata.labels['app.kubernetes.io/name']", "site"),
            (".metadata.labels[\"app.kubernetes.io/name\"]", "site"),
        ])
    func evaluates(expression: String, expected: JSONValue) throws {
        #expect(try JSONPath(expression).evaluate(in: object) == expected)
    }

    @Test("missing steps give nil")
    func missing() throws {
        #expect(try JSONPath(".status.phase").evaluate(in: object) == nil)
        #expect(try JSONPath(".status.scanners[5]").evaluate(in: object) == nil)
        #expect(try JSONPath(".status.summary.score.value").evaluate(in: object) == nil)
    }

    @Test("unsupported expressions throw", arguments: [".items[*].name", ".a[?(@.b)]", "status", ".a..b", ".a[0"])
    func unsupported(expression: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(expression) }
    }
}
