import Foundation
import StageflowAPI
import StageflowClient

/// Prints a server Table the way kubectl does: upper-case headers, columns padded to their widest cell plus
/// three spaces, `priority > 0` columns only with `-o wide`, a NAMESPACE column first across namespaces, and
/// `date` cells as ages.
public struct TableRenderer: Sendable {
    /// The server's columns.
    public let columns: [ResourceTable.Column]
    /// Show every column.
    public let wide: Bool
    /// Prepend a NAMESPACE column.
    public let showNamespace: Bool
    /// The time ages are measured at.
    public let now: Date

    /// Padding after each column but the last.
    static let padding = 3
    /// Smallest width of a padded column.
    static let minimumWidth = 6

    /// A renderer for a table's columns.
    public init(columns: [ResourceTable.Column], wide: Bool = false, showNamespace: Bool = false, now: Date = Date()) {
        self.columns = columns
        self.wide = wide
        self.showNamespace = showNamespace
        self.now = now
    }

    private var visible: [Int] {
        columns.indices.filter { wide || (columns[$0].priority ?? 0) <= 0 }
    }

    /// The header cells.
    public func header() -> [String] {
        (showNamespace ? ["NAMESPACE"] : []) + visible.map { columns[$0].name.uppercased() }
    }

    /// The printed cells of a row.
    public func cells(of row: ResourceTable.Row) -> [String] {
        var cells: [String] = []
        if showNamespace {
            cells.append(row.object?[path: ["metadata", "namespace"]]?.stringValue ?? "")
        }
        for index in visible {
            let value = index < row.cells.count ? row.cells[index] : .null
            cells.append(text(of: value, column: columns[index]))
        }
        return cells
    }

    private func text(of value: JSONValue, column: ResourceTable.Column) -> String {
        switch value {
        case .null: return "<none>"
        case .string(let text):
            if column.type == "date", let date = Timestamp.date(text) {
                return HumanDuration.format(now.timeIntervalSince(date))
            }
            return text
        case .int(let number): return String(number)
        case .double(let number):
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let elements):
            return elements.map { text(of: $0, column: column) }.joined(separator: ",")
        case .object: return value.jsonString()
        }
    }

    /// The whole table as text: header (unless `headers` is false) and one line per row.
    public func render(_ rows: [ResourceTable.Row], headers: Bool = true) -> String {
        var widths: [Int] = []
        let lines = (headers ? [header()] : []) + rows.map(cells(of:))
        return Self.align(lines, widths: &widths).joined(separator: "\n")
    }

    /// Pads cells into columns; `widths` carries column widths from earlier calls (for watch output) and
    /// only ever grows.
    public static func align(_ lines: [[String]], widths: inout [Int]) -> [String] {
        for line in lines {
            for (index, cell) in line.enumerated() {
                let width = max(minimumWidth, cell.count + padding)
                if index < widths.count {
                    widths[index] = max(widths[index], width)
                } else {
                    widths.append(width)
                }
            }
        }
        return lines.map { line in
            var text = ""
            for (index, cell) in line.enumerated() {
                if index == line.count - 1 {
                    text += cell
                } else {
                    text += cell + String(repeating: " ", count: widths[index] - cell.count)
                }
            }
            while text.last == " " { text.removeLast() }
            return text
        }
    }
}
