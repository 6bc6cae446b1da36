import StageflowAPI
import StageflowSchema
import Testing

@Suite("YAML")
struct YAMLTests {
    @Test("integers stay integers, floats stay floats, quoted scalars stay strings")
    func scalars() throws {
        let value = try JSONValue.parseYAML(
            """
            count: 10
            ratio: 0.5
            big: 9007199254740993
            flag: true
            legacy: yes
            quoted: "10"
            nothing: null
            time: 2026-11-22T16:44:24Z
            list: [a, 1]
            """)
        #expect(value["count"] == .int(10))
        #expect(value["ratio"] == .double(0.5))
        #expect(value["big"] == .int(9_007_199_254_740_993))
        #expect(value["flag"] == true)
        #expect(value["legacy"] == true)
        #expect(value["quoted"] == "10")
        #expect(value["nothing"] == .null)
        #expect(value["time"] == "2026-11-22T16:44:24Z")
        #expect(value["list"] == ["a", 1])
    }

    @Test("multi-document streams skip empty documents")
    func documents() throws {
        let documents = try JSONValue.parseYAMLDocuments("---\na: 1\n---\n---\nb: [x]\n")
        #expect(documents == [["a": 1], ["b": ["x"]]])
        #expect(try JSONValue.parseYAML("") == .null)
    }

    @Test("malformed YAML throws")
    func malformed() {
        #expect(throws: (any Error).self) { try JSONValue.parseYAML("a: [1, 2") }
        #expect(throws: (any Error).self) { try JSONValue.parseYAMLDocuments("a: 1\n---\nb: {") }
        #expect(throws: YAMLConversionError.self) { try JSONValue.parseYAML("? [a, b]\n: 1\n") }
    }

    @Test("emitting and parsing again gives the same value, with ambiguous strings quoted")
    func roundTrip() throws {
        let value: JSONValue = [
            "name": "site", "count": 3, "ratio": 1.5, "on": true, "text": "true", "number": "42",
            "empty": "", "nothing": .null, "lines": "a\nb\n", "list": [1, "two", ["three": 3]],
        ]
        let yaml = try value.yamlString()
        #expect(try JSONValue.parseYAML(yaml) == value)
        #expect(yaml.contains("text: 'true'"))
    }

    @Test("a ScanJob manifest in YAML validates as the JSON one does")
    func manifest() throws {
        let manifest = try JSONValue.parseYAML(
            """
            apiVersion: stageflow.dev/v1alpha1
            kind: ScanJob
            metadata:
              name: docs
            spec:
              target:
                urls: [https://example.com/]
                crawl: {maxPages: 25, sameOrigin: true}
              scanners:
                - name: axe
                  config: {level: AA}
              failOn: serious
            """)
        #expect(SchemaRegistry.builtin.validate(manifest, kind: .scanJob, unknownFields: .strict).causes == [])
    }
}
