import StageflowAPI
import StageflowSchema
import Testing

@Suite("Schema validation")
struct ValidationTests {
    let registry = SchemaRegistry.builtin

    func validate(_ object: JSONValue, _ kind: ResourceKind = .scanJob, _ policy: UnknownFieldPolicy = .strict)
        -> ValidationResult
    {
        registry.validate(object, kind: kind, unknownFields: policy)
    }

    /// The minimal ScanJob with one spec field replaced.
    func job(_ path: [String], _ value: JSONValue?) -> JSONValue {
        var object = Fixtures.minimalScanJob()
        object = setting(object, path[...], value)
        return object
    }

    private func setting(_ node: JSONValue, _ path: ArraySlice<String>, _ value: JSONValue?) -> JSONValue {
        guard let key = path.first else { return value ?? .null }
        var members = node.objectValue ?? [:]
        if path.count == 1 {
            members[key] = value
        } else {
            members[key] = setting(members[key] ?? [:], path.dropFirst(), value)
        }
        return .object(members)
    }

    // MARK: - Agreement between the Swift types and the CRDs

    @Test("a ScanJob built from the Swift types validates strictly with every field filled")
    func typedScanJob() throws {
        let job = Fixtures.scanJob()
        #expect(Fixtures.nilOptionals(in: job) == [])
        let json = try Fixtures.json(job)
        #expect(Fixtures.missingSchemaFields(registry.schema(for: .scanJob), in: json) == [])
        let result = validate(json)
        #expect(result.causes == [])
        #expect(result.unknownFields == [])
        #expect(result.object == json)
        #expect(try result.object.decode(as: ScanJob.self) == job)
    }

    @Test("a ScanSchedule built from the Swift types validates strictly with every field filled")
    func typedScanSchedule() throws {
        let schedule = Fixtures.scanSchedule()
        // A notify target has a url or a urlSecretRef, never both; the fixture's two targets hold one each.
        #expect(Fixtures.nilOptionals(in: schedule) == ["spec.notify[0].urlSecretRef", "spec.notify[1].url"])
        let json = try Fixtures.json(schedule)
        #expect(Fixtures.missingSchemaFields(registry.schema(for: .scanSchedule), in: json) == ["spec.notify[0].urlSecretRef"])
        #expect(json[path: ["spec", "notify"]]?.arrayValue?[1]["urlSecretRef"] == ["name": "pager-webhook"])
        let result = validate(json, .scanSchedule)
        #expect(result.causes == [])
        #expect(result.object == json)
    }

    @Test("a Scanner built from the Swift types validates strictly with every field filled")
    func typedScanner() throws {
        let scanner = Fixtures.scanner()
        #expect(Fixtures.nilOptionals(in: scanner) == ["metadata.namespace"], "a Scanner is cluster-scoped")
        let json = try Fixtures.json(scanner)
        #expect(Fixtures.missingSchemaFields(registry.schema(for: .scanner), in: json) == [])
        let result = validate(json, .scanner)
        #expect(result.causes == [])
        #expect(result.object == json)
    }

    @Test("every phase and severity of the Swift enums is in the schema")
    func enumsAgree() {
        let jobSchema = registry.schema(for: .scanJob)
        let phases = jobSchema[path: ["properties", "status", "properties", "phase", "enum"]]
        #expect(phases == .array(ScanJobPhase.allCases.map { .string($0.rawValue) }))
        let failOn = jobSchema[path: ["properties", "spec", "properties", "failOn", "enum"]]
        #expect(failOn == .array(Severity.allCases.map { .string($0.rawValue) }))
    }

    // MARK: - Violations, each with its reason and field path

    @Test("101 URLs are too many")
    func tooManyURLs() {
        let urls = (0...100).map { JSONValue.string("https://example.com/\($0)") }
        let causes = validate(job(["spec", "target", "urls"], .array(urls))).causes
        #expect(
            causes == [
                APIStatus.Cause(
                    reason: "FieldValueTooMany", message: "Too many: 101: must have at most 100 items",
                    field: "spec.target.urls")
            ])
    }

    @Test("a URL of 2049 characters is too long; 2048 is fine")
    func urlTooLong() {
        let prefix = "https://example.com/"
        let long = prefix + String(repeating: "a", count: 2049 - prefix.count)
        let causes = validate(job(["spec", "target", "urls"], ["https://example.com/", .string(long)])).causes
        #expect(
            causes == [
                APIStatus.Cause(
                    reason: "FieldValueTooLong", message: "Too long: may not be more than 2048 bytes",
                    field: "spec.target.urls[1]")
            ])
        let fits = String(long.dropLast())
        #expect(validate(job(["spec", "target", "urls"], [.string(fits)])).causes == [])
    }

    @Test("maxLength counts characters, not bytes")
    func lengthInCharacters() {
        let prefix = "https://example.com/"
        let url = prefix + String(repeating: "é", count: 2048 - prefix.count)
        #expect(validate(job(["spec", "target", "urls"], [.string(url)])).causes == [])
    }

    @Test("wrong types are FieldValueTypeInvalid with the type found")
    func wrongTypes() {
        let urls = validate(job(["spec", "target", "urls"], "x")).causes
        #expect(
            urls == [
                APIStatus.Cause(
                    reason: "FieldValueTypeInvalid",
                    message: "Invalid value: \"string\": spec.target.urls in body must be of type array: \"string\"",
                    field: "spec.target.urls")
            ])
        let pages = validate(job(["spec", "target", "crawl"], ["maxPages": "ten"])).causes
        #expect(
            pages == [
                APIStatus.Cause(
                    reason: "FieldValueTypeInvalid",
                    message:
                        "Invalid value: \"string\": spec.target.crawl.maxPages in body must be of type integer: \"string\"",
                    field: "spec.target.crawl.maxPages")
            ])
        let fraction = validate(job(["spec", "ttlSecondsAfterFinished"], 1.5)).causes
        #expect(fraction.map(\.reason) == ["FieldValueTypeInvalid"])
        #expect(validate(job(["spec", "ttlSecondsAfterFinished"], 60.0)).causes == [])
        #expect(validate(job(["spec", "suspend"], "yes")).causes.map(\.field) == ["spec.suspend"])
    }

    @Test("missing required fields are FieldValueRequired")
    func missingRequired() {
        let noSpec = validate(job(["spec"], nil)).causes
        #expect(noSpec == [APIStatus.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec")])
        let emptySpec = validate(job(["spec"], [:])).causes
        #expect(emptySpec.map(\.field) == ["spec.target", "spec.scanners"])
        #expect(emptySpec.allSatisfy { $0.reason == "FieldValueRequired" && $0.message == "Required value" })
        let noName = validate(job(["spec", "scanners"], [["config": [:]]])).causes
        #expect(
            noName == [
                APIStatus.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.scanners[0].name")
            ])
    }

    @Test("a target needs urls or an archive")
    func targetNeedsURLsOrArchive() {
        let causes = validate(job(["spec", "target"], ["crawl": ["maxPages": 5]])).causes
        #expect(causes.map(\.field) == ["spec.target", "spec.target.urls"])
        #expect(
            causes.first?.message == "Invalid value: \"\": \"spec.target\" must validate at least one schema (anyOf)")
        #expect(validate(job(["spec", "target"], ["archive": ["objectKey": "staging/u/site.zip"]])).causes == [])
    }

    @Test("values outside an enum are FieldValueNotSupported listing the supported values")
    func unsupportedEnum() {
        let causes = validate(job(["spec", "failOn"], "blocker")).causes
        #expect(
            causes == [
                APIStatus.Cause(
                    reason: "FieldValueNotSupported",
                    message:
                        "Unsupported value: \"blocker\": supported values: \"critical\", \"serious\", \"moderate\", \"minor\", \"info\"",
                    field: "spec.failOn")
            ])
        var schedule = try? Fixtures.json(Fixtures.scanSchedule())
        schedule?["spec"]?["concurrencyPolicy"] = "x"
        let policy = validate(schedule ?? .null, .scanSchedule).causes
        #expect(
            policy.map(\.message) == ["Unsupported value: \"x\": supported values: \"Allow\", \"Forbid\", \"Replace\""])
        #expect(policy.map(\.field) == ["spec.concurrencyPolicy"])
    }

    @Test("a notify target gives exactly one of url and urlSecretRef, and only known events")
    func notifyTargets() throws {
        var schedule = try Fixtures.json(Fixtures.scanSchedule())
        schedule[path: "spec", "notify"] = [
            ["name": "both", "url": "https://hooks.example.com/", "urlSecretRef": ["name": "hook"], "on": ["Failed"]],
            ["name": "neither", "on": ["Failed"]],
            ["name": "fine", "url": "https://hooks.example.com/", "on": ["Sometimes"]],
        ]
        let causes = validate(schedule, .scanSchedule).causes
        // Neither: the oneOf fails, and the validator also names the first alternative's missing field.
        #expect(
            Set(causes.compactMap(\.field)) == ["spec.notify[0]", "spec.notify[1]", "spec.notify[1].url", "spec.notify[2].on[0]"],
            "\(causes)")
    }

    @Test("a scanner name must match its pattern")
    func badPattern() {
        let causes = validate(job(["spec", "scanners"], [["name": "axe"], ["name": "Bad_Name"]])).causes
        #expect(
            causes == [
                APIStatus.Cause(
                    reason: "FieldValueInvalid",
                    message:
                        "Invalid value: \"Bad_Name\": spec.scanners[1].name in body should match '^[a-z][a-z0-9-]*$'",
                    field: "spec.scanners[1].name")
            ])
        #expect(
            validate(job(["spec", "scanners"], [["name": "axe\n"]])).causes.map(\.field) == ["spec.scanners[0].name"])
    }

    @Test("bounds on numbers, items and formats")
    func bounds() {
        let zero = validate(job(["spec", "deadlines"], ["scanningSeconds": 0])).causes
        #expect(
            zero.map(\.message) == [
                "Invalid value: 0: spec.deadlines.scanningSeconds in body should be greater than or equal to 1"
            ])
        let noScanners = validate(job(["spec", "scanners"], [])).causes
        #expect(noScanners.map(\.message) == ["Invalid value: 0: spec.scanners in body should have at least 1 items"])
        var status = Fixtures.minimalScanJob()
        status["status"] = ["startTime": "yesterday", "summary": ["score": 100.5]]
        let causes = validate(status).causes
        #expect(causes.map(\.field) == ["status.startTime", "status.summary.score"])
        #expect(
            causes.first?.message
                == "Invalid value: \"yesterday\": status.startTime in body must be of type date-time: \"yesterday\"")
        #expect(
            causes.last?.message
                == "Invalid value: 100.5: status.summary.score in body should be less than or equal to 100")
    }

    @Test("two scanners of the same name are FieldValueDuplicate")
    func duplicateScanner() {
        let causes = validate(job(["spec", "scanners"], [["name": "axe"], ["name": "seo"], ["name": "axe"]])).causes
        #expect(
            causes == [
                APIStatus.Cause(
                    reason: "FieldValueDuplicate", message: "Duplicate value: {\"name\":\"axe\"}",
                    field: "spec.scanners[2]")
            ])
    }

    @Test("all violations are reported at once")
    func allAtOnce() {
        var object = Fixtures.minimalScanJob()
        object["spec"] = [
            "target": ["urls": .array((0...100).map { _ in "https://example.com/" }), "crawl": ["maxPages": "ten"]],
            "scanners": [["name": "Bad"], [:]],
            "failOn": "blocker",
            "deadlines": ["extractionSeconds": -1],
        ]
        let fields = validate(object).causes.map(\.field)
        #expect(
            fields == [
                "spec.deadlines.extractionSeconds", "spec.failOn", "spec.scanners[0].name", "spec.scanners[1].name",
                "spec.target.crawl.maxPages", "spec.target.urls",
            ])
    }

    // MARK: - Unknown fields

    @Test("unknown fields are causes under strict, warnings under warn, silent under ignore; always pruned")
    func unknownFields() throws {
        var object = Fixtures.minimalScanJob()
        object["spec"]?["foo"] = 1
        object["spec"]?["scanners"] = [["name": "axe", "bar": true, "config": ["anything": ["goes": 1]]]]
        object["metadata"]?["colour"] = "red"
        let expectedPruned = Fixtures.minimalScanJob()[path: ["spec", "target"]]

        let strict = validate(object, .scanJob, .strict)
        #expect(strict.unknownFields == ["metadata.colour", "spec.foo", "spec.scanners[0].bar"])
        #expect(
            strict.causes.map(\.message) == [
                "unknown field \"metadata.colour\"", "unknown field \"spec.foo\"",
                "unknown field \"spec.scanners[0].bar\"",
            ])
        #expect(strict.causes.map(\.field) == ["metadata.colour", "spec.foo", "spec.scanners[0].bar"])
        let failure = try #require(strict.failure(kind: .scanJob, name: "site"))
        #expect(failure.code == 400)
        #expect(
            failure.message.hasPrefix(
                "ScanJob in version \"v1alpha1\" cannot be handled as a ScanJob: strict decoding error: unknown field \"metadata.colour\""
            ))

        let warn = validate(object, .scanJob, .warn)
        #expect(warn.isValid)
        #expect(warn.warnings == strict.causes.map(\.message))
        #expect(warn.object["spec"]?["foo"] == nil)
        #expect(warn.object["metadata"]?["colour"] == nil)
        #expect(warn.object[path: ["spec", "target"]] == expectedPruned)
        #expect(warn.object["spec"]?["scanners"] == [["name": "axe", "config": ["anything": ["goes": 1]]]])
        #expect(warn.failure(kind: .scanJob, name: "site") == nil)

        let ignore = validate(object, .scanJob, .ignore)
        #expect(ignore.isValid && ignore.warnings.isEmpty)
        #expect(ignore.object == warn.object)
    }

    @Test("schema violations make a 422 Invalid status with every cause")
    func invalidStatus() throws {
        let result = validate(job(["spec", "failOn"], "blocker"))
        let status = try #require(result.failure(kind: .scanJob, name: "site"))
        #expect(status.code == 422)
        #expect(status.reason == "Invalid")
        #expect(status.details?.causes == result.causes)
        #expect(status.message.contains("spec.failOn: Unsupported value: \"blocker\""))
    }

    @Test("null of a non-nullable field is dropped, as Kubernetes prunes it")
    func nullsDropped() {
        let result = validate(job(["spec", "failOn"], .null))
        #expect(result.causes == [])
        #expect(result.object["spec"]?["failOn"] == nil)
        #expect(validate(job(["spec", "target"], .null)).causes.map(\.field) == ["spec.target"])
    }

    @Test("the fieldValidation query parameter maps onto a policy")
    func policyFromQuery() {
        #expect(UnknownFieldPolicy(fieldValidation: nil) == .warn)
        #expect(UnknownFieldPolicy(fieldValidation: "Strict") == .strict)
        #expect(UnknownFieldPolicy(fieldValidation: "ignore") == .ignore)
        #expect(UnknownFieldPolicy(fieldValidation: "loud") == nil)
    }
}

@Suite("Scanner configuration against configSchema")
struct ConfigurationValidationTests {
    let configSchema: JSONValue = [
        "type": "object",
        "additionalProperties": false,
        "required": ["level"],
        "properties": [
            "level": ["type": "string", "enum": ["A", "AA", "AAA"]],
            "rules": ["type": "object", "additionalProperties": ["type": "boolean"]],
            "timeoutMs": ["type": "integer", "minimum": 100],
        ],
    ]

    @Test("a matching configuration has no causes and undeclared fields count only with additionalProperties false")
    func valid() throws {
        let causes = try SchemaRegistry.validate(
            ["level": "AA", "rules": ["color-contrast": false]], againstJSONSchema: configSchema,
            at: "spec.scanners[0].config")
        #expect(causes == [])
        let open: JSONValue = ["type": "object", "properties": ["level": ["type": "string"]]]
        #expect(try SchemaRegistry.validate(["other": 1], againstJSONSchema: open, at: "config") == [])
    }

    @Test("violations carry paths under the given prefix")
    func invalid() throws {
        let causes = try SchemaRegistry.validate(
            ["level": "B", "rules": ["x": "yes"], "timeoutMs": 5, "extra": true], againstJSONSchema: configSchema,
            at: "spec.scanners[0].config")
        #expect(
            causes.map(\.field) == [
                "spec.scanners[0].config.extra", "spec.scanners[0].config.level", "spec.scanners[0].config.rules[x]",
                "spec.scanners[0].config.timeoutMs",
            ])
        #expect(
            causes.map(\.reason) == [
                "FieldValueForbidden", "FieldValueNotSupported", "FieldValueTypeInvalid", "FieldValueInvalid",
            ])
        let missing = try SchemaRegistry.validate([:], againstJSONSchema: configSchema, at: "config")
        #expect(
            missing == [APIStatus.Cause(reason: "FieldValueRequired", message: "Required value", field: "config.level")]
        )
    }

    @Test("a schema outside the supported subset is a SchemaError")
    func unsupportedSchema() {
        #expect(throws: SchemaError.self) {
            try SchemaRegistry.validate(1, againstJSONSchema: ["type": "null"], at: "config")
        }
        #expect(throws: SchemaError.self) {
            try SchemaRegistry.validate("a", againstJSONSchema: ["pattern": "("], at: "config")
        }
    }
}
