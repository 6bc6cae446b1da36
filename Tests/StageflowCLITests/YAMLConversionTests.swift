import StageflowAPI
import StageflowCLI
import Testing

@Suite("YAML conversion")
struct YAMLConversionTests {
    @Test func quotesStringsThatWouldReadAsOtherTypes() throws {
        let value: JSONValue = [
            "count": 3, "enabled": true, "flag": "yes", "number": "123", "empty": "", "none": nil,
            "date": "2024-01-01", "text": "plain words", "ratio": 0.25,
        ]
        let yaml = YAMLConversion.yaml(value)
        #expect(yaml.contains("count: 3\n"))
        #expect(yaml.contains("flag: \"yes\"\n"))
        #expect(yaml.contains("number: \"123\"\n"))
        #expect(yaml.contains("empty: \"\"\n"))
        #expect(yaml.contains("date: \"2024-01-01\"\n"))
        #expect(yaml.contains("text: plain words\n"))
        #expect(try YAMLConversion.documents(yaml) == [value])
    }

    @Test func roundTripsNestedValuesWithSortedKeys() throws {
        let value: JSONValue = [
            "spec": ["urls": ["https://a.example/x", "https://b.example"], "message": "line one\nline two\n"],
            "apiVersion": "stageflow.dev/v1alpha1", "items": [], "labels": [:],
        ]
        let yaml = YAMLConversion.yaml(value)
        #expect(yaml.hasPrefix("apiVersion: stageflow.dev/v1alpha1\n"))
        #expect(try YAMLConversion.documents(yaml) == [value])
    }
}

@Suite("JSON output")
struct JSONTextTests {
    @Test func printsLikeKubectl() {
        let value: JSONValue = ["b": [1, "x\"y\n"], "a": [:], "c": [], "d": 2.5, "e": nil]
        #expect(JSONText.pretty(value) == """
            {
                "a": {},
                "b": [
                    1,
                    "x\\"y\\n"
                ],
                "c": [],
                "d": 2.5,
                "e": null
            }
            """)
    }
}
