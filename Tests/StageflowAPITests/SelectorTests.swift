import StageflowAPI
import Testing

@Suite("Label and field selectors")
struct SelectorTests {
    @Test("a=b,c!=d,e in (x,y),!f,g parses into five requirements")
    func parses() throws {
        let selector = try LabelSelector(parsing: "a=b,c!=d,e in (x,y),!f,g")
        #expect(
            selector.requirements == [
                .equals("a", "b"), .notEquals("c", "d"), .in("e", ["x", "y"]), .doesNotExist("f"), .exists("g"),
            ])
    }

    @Test("matching follows Kubernetes semantics")
    func matches() throws {
        let selector = try LabelSelector(parsing: "a=b,c!=d,e in (x,y),!f,g")
        #expect(selector.matches(["a": "b", "e": "x", "g": ""]))
        #expect(selector.matches(["a": "b", "c": "z", "e": "y", "g": "1"]))
        #expect(!selector.matches(["a": "b", "c": "d", "e": "x", "g": "1"]))
        #expect(!selector.matches(["a": "b", "e": "x", "f": "1", "g": "1"]))
        #expect(!selector.matches(["a": "b", "e": "z", "g": "1"]))
        #expect(!selector.matches(["a": "b", "e": "x"]))
        #expect(try LabelSelector(parsing: "").matches([:]))
        #expect(try LabelSelector(parsing: "tier notin (db)").matches([:]))
        #expect(
            try LabelSelector(parsing: " app == web , env in ( a , b ) ").requirements == [
                .equals("app", "web"), .in("env", ["a", "b"]),
            ])
        #expect(try LabelSelector(parsing: "app.kubernetes.io/name=site").matches(["app.kubernetes.io/name": "site"]))
    }

    @Test("malformed selectors throw with the column", arguments: ["a in x", "a in (x,y", "=b", "a b", "a=b,,c", "!"])
    func errors(text: String) {
        let error = #expect(throws: SelectorError.self) { try LabelSelector(parsing: text) }
        #expect(error?.description.contains("at column") == true)
    }

    @Test("a trailing comma is an error, as in Kubernetes")
    func trailingComma() {
        #expect(throws: SelectorError.self) { try LabelSelector(parsing: "a=b,") }
    }

    @Test("field selectors on name and namespace")
    func fieldSelectors() throws {
        let selector = try FieldSelector(parsing: "metadata.name=site,metadata.namespace!=kube-system")
        #expect(selector.matches(name: "site", namespace: "default"))
        #expect(!selector.matches(name: "site", namespace: "kube-system"))
        #expect(!selector.matches(name: "other", namespace: "default"))
        #expect(try FieldSelector(parsing: "metadata.name==site").matches(name: "site", namespace: nil))
        #expect(throws: SelectorError.self) { try FieldSelector(parsing: "spec.suspend=true") }
        #expect(throws: SelectorError.self) { try FieldSelector(parsing: "metadata.name") }
    }
}
