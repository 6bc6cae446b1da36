import Foundation
import StageflowAPI
import StageflowServer
import StageflowStore
import Testing

/// A ScanSchedule is admitted only with a cron expression, a time zone and a name its controller can use; each
/// refusal is a 422 naming the field and what is wrong, and nothing is stored.
@Suite("ScanSchedule admission")
struct ScheduleAdmissionTests {
    static func schedules(_ namespace: String = "default") -> String { "\(Paths.group)/namespaces/\(namespace)/scanschedules" }

    static func schedule(_ name: String = "nightly", cron: String = "0 3 * * *", timeZone: String? = nil) -> JSONValue {
        var spec: JSONValue = [
            "schedule": .string(cron),
            "jobTemplate": ["spec": ["target": ["urls": ["https://example.com/"]], "scanners": [["name": "axe"]]]],
        ]
        if let timeZone { spec["timeZone"] = .string(timeZone) }
        return [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanSchedule", "metadata": ["name": .string(name)], "spec": spec,
        ]
    }

    func refused(_ object: JSONValue, server: TestServer) async throws -> [APIStatus.Cause] {
        let response = try await server.client.send(.post, Self.schedules(), json: object)
        #expect(response.status.code == 422, "\(response.text)")
        #expect(response.json["reason"] == "Invalid")
        #expect(try await server.store.list(.scanSchedule, namespace: nil).items.isEmpty)
        return try (response.json[path: ["details", "causes"]] ?? []).decode(as: [APIStatus.Cause].self)
    }

    @Test("a valid schedule in a named zone is created")
    func valid() async throws {
        try await withServer { server in
            let response = try await server.client.send(.post, Self.schedules(), json: Self.schedule(cron: "@daily", timeZone: "Europe/Berlin"))
            #expect(response.status == .created, "\(response.text)")
        }
    }

    @Test("an invalid schedule is 422 naming spec.schedule, the field and the problem")
    func invalidSchedule() async throws {
        try await withServer { server in
            let causes = try await refused(Self.schedule(cron: "0 25 * * *"), server: server)
            #expect(
                causes == [
                    APIStatus.Cause(
                        reason: "FieldValueInvalid", message: #"Invalid value: "0 25 * * *": field 2 "25": hour must be 0-23"#,
                        field: "spec.schedule")
                ])
            let zoned = try await refused(Self.schedule(cron: "CRON_TZ=UTC 0 3 * * *"), server: server)
            #expect(zoned.map(\.field) == ["spec.schedule"])
            #expect(zoned.first?.message.contains("not supported in the schedule; give the time zone in timeZone") == true)
            let short = try await refused(Self.schedule(cron: "0 3 * *"), server: server)
            #expect(
                short.map(\.message) == [
                    #"Invalid value: "0 3 * *": expected 5 fields (minute hour day-of-month month day-of-week), found 4"#
                ])
        }
    }

    @Test("an unknown time zone is 422 naming spec.timeZone")
    func unknownTimeZone() async throws {
        try await withServer { server in
            let causes = try await refused(Self.schedule(timeZone: "Mars/Olympus_Mons"), server: server)
            #expect(
                causes == [
                    APIStatus.Cause(
                        reason: "FieldValueInvalid",
                        message: #"Invalid value: "Mars/Olympus_Mons": unknown time zone: is not an IANA time zone name such as Europe/Berlin"#,
                        field: "spec.timeZone")
                ])
        }
    }

    @Test("both faults at once, and the 422's message lists them")
    func both() async throws {
        try await withServer { server in
            let response = try await server.client.send(.post, Self.schedules(), json: Self.schedule(cron: "61 * * * *", timeZone: "PST"))
            #expect(response.status.code == 422)
            let message = response.json["message"]?.stringValue ?? ""
            #expect(message.contains(#"spec.schedule: Invalid value: "61 * * * *": field 1 "61": minute must be 0-59"#), "\(message)")
            #expect(message.contains("spec.timeZone"), "\(message)")
        }
    }

    @Test("a name longer than 52 characters is refused: its jobs' names must stay DNS labels")
    func longName() async throws {
        try await withServer { server in
            let causes = try await refused(Self.schedule(String(repeating: "a", count: 53)), server: server)
            #expect(causes.map(\.field) == ["metadata.name"])
            #expect(causes.first?.message.contains("must be no more than 52 characters") == true)
            let fits = try await server.client.send(.post, Self.schedules(), json: Self.schedule(String(repeating: "a", count: 52)))
            #expect(fits.status == .created, "\(fits.text)")
        }
    }

    @Test("an update to an invalid schedule is refused and the stored one is kept")
    func update() async throws {
        try await withServer { server in
            let created = try await server.client.send(.post, Self.schedules(), json: Self.schedule()).json
            var changed = created
            changed[path: "spec", "schedule"] = "0 3 31 2 *"
            let response = try await server.client.send(.put, Self.schedules() + "/nightly", json: changed)
            #expect(response.status.code == 422, "\(response.text)")
            #expect(response.text.contains(#"field 3 \"31\": no such day in the months of field 4 \"2\""#), "\(response.text)")
            let stored = try await server.store.get(.scanSchedule, namespace: "default", name: "nightly")
            #expect(stored[path: ["spec", "schedule"]] == "0 3 * * *")
        }
    }
}
