import Foundation

/// `data` cut into chunks of `size` bytes, for uploading data already in memory through the part logic.
struct DataChunks: AsyncSequence, Sendable {
    typealias Element = Data
    let data: Data
    let size: Int

    func makeAsyncIterator() -> Iterator {
        Iterator(data: data, size: size)
    }

    struct Iterator: AsyncIteratorProtocol {
        let data: Data
        let size: Int
        var offset = 0

        mutating func next() async -> Data? {
            guard offset < data.count else { return nil }
            let start = data.startIndex + offset
            let end = Swift.min(start + size, data.endIndex)
            offset += end - start
            return data.subdata(in: start..<end)
        }
    }
}
