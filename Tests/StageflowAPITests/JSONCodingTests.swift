import Foundation
import StageflowAPI
import Testing

@Suite("JSON parsing and writing")
struct JSONCodingTests {
    @Test("values round-trip with their types: integers stay integers, doubles stay doubles")
    func roundTrip() throws {
        let value: JSONValue = [
            "int": 42, "negative": -7, "double": 1.5, "whole": .double(100), "big": .int(Int64.max),
            "text": "quote \" backslash \\ newline \n tab \t nul \u{01} é 🚀", "flag": true, "nothing": nil,
            "list": [1, "two", [3], ["four": 4]], "empty": [:], "none": [],
        ]
        let parsed = try JSONValue.parse(value.jsonData())
        #expect(parsed == value)
        #expect(try JSONValue.parse(value.jsonData(pretty: true)) == value)
    }

    @Test("output has sorted keys, so equal values give equal bytes")
    func sortedKeys() throws {
        let first: JSONValue = ["b": 1, "a": ["d": 2, "c": 3]]
        #expect(first.jsonString() == #"{"a":{"c":3,"d":2},"b":1}"#)
    }

    @Test("escapes and surrogate pairs decode", arguments: [
        (#""\u00e9\n\/""#, "é\n/"),
        (#""\ud83d\ude80""#, "🚀"),
        (#""plain""#, "plain"),
    ])
    func escapes(input: String, expected: String) throws {
        #expect(try JSONValue.parse(input) == .string(expected))
    }

    @Test("numbers: exponents and fractions are doubles, the rest integers")
    func numbers() throws {
        #expect(try JSONValue.parse("[0, -1, 1e3, 2.50, 9223372036854775807, 1E-2]")
            == [0, -1, .double(1000), .double(2.5), .int(Int64.max), .double(0.01)])
    }

    @Test("malformed input names the byte offset", arguments: [
        "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "01", "1.", "\"\\x\"", "\"\\ud800\"", "{} x", "",
    ])
    func malformed(input: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(input) }
    }

    @Test("hostile nesting is refused rather than overflowing the stack")
    func nesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        #expect(error?.message.contains("nesting") == true)
    }

    @Test("agrees with Foundation's JSONDecoder on a realistic object")
    func agreesWithFoundation() throws {
        let text = #"{"apiVersion":"stageflow.dev/v1alpha1","kind":"ScanJob","metadata":{"name":"a","generation":3,"labels":{"x":"y"}},"spec":{"target":{"urls":["https://example.com/"]},"scanners":[{"name":"axe","config":{"level":2.5}}]}}"#
        let ours = try JSONValue.parse(text)
        let foundations = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundations)
    }
}
