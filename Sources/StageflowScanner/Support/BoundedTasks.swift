/// Runs work items concurrently, at most `width` at a time, and returns their outputs in the items' order.
enum BoundedTasks {
    static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], width: Int, _ transform: @escaping @Sendable (Item) async throws -> Output
    ) async throws -> [Output] {
        guard !items.isEmpty else { return [] }
        return try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var outputs = [Output?](repeating: nil, count: items.count)
            var next = 0
            while next < min(max(1, width), items.count) {
                let index = next
                group.addTask { (index, try await transform(items[index])) }
                next += 1
            }
            while let (index, output) = try await group.next() {
                outputs[index] = output
                if next < items.count {
                    let index = next
                    group.addTask { (index, try await transform(items[index])) }
                    next += 1
                }
            }
            return outputs.map { $0! }
        }
    }
}
