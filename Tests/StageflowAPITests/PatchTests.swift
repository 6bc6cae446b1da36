import StageflowAPI
import Testing

@Suite("Patches")
struct PatchTests {
    /// The examples of RFC 7386, appendix A: original, patch, result.
    static let mergeExamples: [(String, String, String)] = [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ]

    @Test("JSON merge patch: the examples of RFC 7386", arguments: mergeExamples)
    func mergePatch(original: String, patch: String, result: String) throws {
        let merged = Patch.merge(try JSONValue.parse(original), with: try JSONValue.parse(patch))
        #expect(merged == (try JSONValue.parse(result)))
    }

    @Test("a computed merge patch turns the original into the modified document")
    func mergeDiff() throws {
        let original: JSONValue = ["spec": ["a": 1, "b": ["c": true], "gone": "x"], "same": [1, 2]]
        let modified: JSONValue = ["spec": ["a": 2, "b": ["c": true, "d": .null], "new": "y"], "same": [1, 2]]
        let patch = try #require(Patch.mergeDiff(from: original, to: modified))
        #expect(
            Patch.merge(original, with: patch) == [
                "spec": ["a": 2, "b": ["c": true], "new": "y"], "same": [1, 2],
            ])
        #expect(patch == ["spec": ["a": 2, "gone": .null, "new": "y", "b": ["d": .null]]])
        #expect(Patch.mergeDiff(from: original, to: original) == nil)
    }

    /// The examples of RFC 6902, appendix A: document, patch, result.
    static let jsonPatchExamples: [(String, String, String)] = [
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"baz":"qux","foo":"bar"}"#),
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","qux","baz"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, #"{"foo":"bar"}"#),
        (#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","baz"]}"#),
        (
            #"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#,
            #"{"baz":"boo","foo":"bar"}"#
        ),
        (
            #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
            #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
            #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#
        ),
        (
            #"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
            #"{"foo":["all","cows","eat","grass"]}"#
        ),
        (
            #"{"baz":"qux","foo":["a",2,"c"]}"#,
            #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
            #"{"baz":"qux","foo":["a",2,"c"]}"#
        ),
        (
            #"{"foo":"bar"}"#, #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
            #"{"foo":"bar","child":{"grandchild":{}}}"#
        ),
        (
            #"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#,
            #"{"foo":"bar","baz":"qux"}"#
        ),
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10}]"#, #"{"/":9,"~1":10}"#),
        (
            #"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#,
            #"{"foo":["bar",["abc","def"]]}"#
        ),
        (#"{"a":{"b":1}}"#, #"[{"op":"copy","from":"/a","path":"/c"}]"#, #"{"a":{"b":1},"c":{"b":1}}"#),
        (#"{"a":1}"#, #"[{"op":"add","path":"","value":[1]}]"#, #"{"a":1}"#),
    ]

    @Test("JSON patch: the examples of RFC 6902", arguments: jsonPatchExamples.dropLast())
    func jsonPatch(document: String, patch: String, result: String) throws {
        let patched = try Patch.apply(jsonPatch: try JSONValue.parse(patch), to: try JSONValue.parse(document))
        #expect(patched == (try JSONValue.parse(result)))
    }

    /// Patches that must fail, with a word of the expected message.
    static let failingPatches: [(String, String, String)] = [
        (#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#, "test failed"),
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, "does not exist"),
        (#"{"foo":"bar"}"#, #"[{"op":"replace","path":"/nope","value":1}]"#, "does not exist"),
        (#"{"foo":"bar"}"#, #"[{"op":"remove","path":"/nope"}]"#, "does not exist"),
        (#"{"foo":["a"]}"#, #"[{"op":"add","path":"/foo/5","value":1}]"#, "bad array index"),
        (#"{"foo":"bar"}"#, #"[{"op":"frobnicate","path":"/foo"}]"#, "unknown op"),
        (#"{"foo":"bar"}"#, #"[{"path":"/foo"}]"#, "missing \"op\""),
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/x"}]"#, "missing \"value\""),
        (#"{"foo":"bar"}"#, #"[{"op":"move","path":"/x"}]"#, "missing \"from\""),
        (#"{"foo":"bar"}"#, #"{"op":"add"}"#, "must be an array"),
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"foo","value":1}]"#, "must start with /"),
    ]

    @Test("failing JSON patches throw a message that says why", arguments: failingPatches)
    func failingJSONPatch(document: String, patch: String, reason: String) throws {
        let error = #expect(throws: PatchError.self) {
            try Patch.apply(jsonPatch: try JSONValue.parse(patch), to: try JSONValue.parse(document))
        }
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    }

    @Test("a failed test leaves the document untouched: patches apply all or nothing")
    func atomic() throws {
        let document: JSONValue = ["a": 1]
        let patch: JSONValue = [["op": "add", "path": "/b", "value": 2], ["op": "test", "path": "/a", "value": 3]]
        #expect(throws: PatchError.self) { try Patch.apply(jsonPatch: patch, to: document) }
        #expect(document == ["a": 1])
    }

    @Test("JSON pointers escape ~ and /")
    func pointers() throws {
        let pointer = try JSONPointer("/a~1b/c~0d/0")
        #expect(pointer.tokens == ["a/b", "c~d", "0"])
        #expect(pointer.description == "/a~1b/c~0d/0")
        #expect(try JSONPointer("").tokens == [])
    }
}
