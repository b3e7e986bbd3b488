import Foundation
import QinglingEvents

/// What an analysts' command prints: facts about the query, then one or more tables, rendered
/// as an aligned terminal table, CSV (UTF-8 with BOM) or JSON with stable English keys.
struct Report {
    /// One fact about the query (period, date, known-at…).
    struct Fact {
        var key: String
        var zh: String
        var en: String
        var value: Cell
    }

    struct Column {
        /// The JSON key, stable English.
        var key: String
        var zh: String
        var en: String
    }

    struct Table {
        /// The JSON key of the table.
        var key: String
        var zh: String
        var en: String
        var columns: [Column]
        var rows: [[Cell]] = []
        /// A closing row (totals): the last row of a terminal table or CSV; a separate member
        /// `total` in JSON, so that `rows` hold only groups.
        var total: [Cell]?

        /// The rows to print, the total last.
        var printedRows: [[Cell]] { rows + (total.map { [$0] } ?? []) }
    }

    enum Cell {
        case text(String)
        case int(Int)
        /// Money in fen: yuan with two decimals in tables and CSV, integer fen in JSON.
        case fen(Int64)
        /// A ratio: a percentage in tables and CSV, a number in JSON; none when nil.
        case rate(Double?)
        case date(CalendarDate?)
        case bool(Bool)
        /// A term of a vocabulary: its English code in JSON, its label (by language) elsewhere.
        case term(code: String, zh: String, en: String)
        case none
    }

    var facts: [Fact] = []
    var tables: [Table] = []

    func render(_ format: OutputFormat, _ lang: Language) -> String {
        switch format {
        case .table: renderTable(lang)
        case .csv: renderCSV(lang)
        case .json: renderJSON()
        }
    }

    // MARK: - Terminal table

    private func renderTable(_ lang: Language) -> String {
        var out = ""
        for fact in facts { out += "\(lang == .zh ? fact.zh : fact.en): \(fact.value.text(lang))\n" }
        for table in tables {
            out += "\n" + (lang == .zh ? table.zh : table.en) + "\n"
            guard !table.printedRows.isEmpty else {
                out += lang == .zh ? "（无）\n" : "(none)\n"
                continue
            }
            let header = table.columns.map { lang == .zh ? $0.zh : $0.en }
            let cells = table.printedRows.map { $0.map { $0.text(lang) } }
            let widths = header.indices.map { column in
                ([header[column]] + cells.map { $0[column] }).map(\.terminalWidth).max() ?? 0
            }
            let numeric = header.indices.map { column in table.rows.allSatisfy { $0[column].isNumeric || $0[column].isNone } }
            func line(_ values: [String]) -> String {
                values.indices.map { column in
                    let value = values[column]
                    let pad = String(repeating: " ", count: max(0, widths[column] - value.terminalWidth))
                    return numeric[column] ? pad + value : value + pad
                }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            }
            out += line(header)
            out += line(widths.map { String(repeating: "-", count: $0) })
            for row in cells { out += line(row) }
        }
        return out
    }

    // MARK: - CSV

    private func renderCSV(_ lang: Language) -> String {
        var out = "\u{FEFF}"
        func line(_ values: [String]) -> String { values.map(Self.csvField).joined(separator: ",") + "\r\n" }
        for fact in facts { out += line([lang == .zh ? fact.zh : fact.en, fact.value.text(lang)]) }
        for (index, table) in tables.enumerated() {
            if !facts.isEmpty || index > 0 { out += "\r\n" }
            if tables.count > 1 { out += line([lang == .zh ? table.zh : table.en]) }
            out += line(table.columns.map { lang == .zh ? $0.zh : $0.en })
            for row in table.printedRows { out += line(row.map { $0.text(lang) }) }
        }
        return out
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - JSON

    /// One member per line, one table row per line: readable, and still plain JSON.
    private func renderJSON() -> String {
        var members = facts.map { "  " + JSONWriter.string(.string($0.key)) + ": " + JSONWriter.string($0.value.json) }
        for table in tables {
            let rows = table.rows.map { row in
                "    " + JSONWriter.string(.object(zip(table.columns, row).map { column, cell in JSONMember(column.key, cell.json) }))
            }
            members.append("  " + JSONWriter.string(.string(table.key)) + ": " + (rows.isEmpty ? "[]" : "[\n" + rows.joined(separator: ",\n") + "\n  ]"))
            if let total = table.total {
                members.append("  \"total\": " + JSONWriter.string(.object(zip(table.columns, total).map { JSONMember($0.key, $1.json) })))
            }
        }
        return "{\n" + members.joined(separator: ",\n") + "\n}\n"
    }
}

extension Report.Cell {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    var isNumeric: Bool {
        switch self {
        case .int, .fen, .rate: true
        default: false
        }
    }

    func text(_ lang: Language) -> String {
        switch self {
        case .text(let value): value
        case .int(let value): String(value)
        case .fen(let fen): Self.yuan(fen)
        case .rate(let rate): rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
        case .date(let date): date.map(String.init(describing:)) ?? "—"
        case .bool(let value): lang == .zh ? (value ? "是" : "否") : (value ? "yes" : "no")
        case let .term(_, zh, en): lang == .zh ? zh : en
        case .none: "—"
        }
    }

    var json: JSONValue {
        switch self {
        case .text(let value): .string(value)
        case .int(let value): .number(String(value))
        case .fen(let fen): .number(String(fen))
        case .rate(let rate): rate.map { .number(String($0)) } ?? .null
        case .date(let date): date.map { .string($0.description) } ?? .null
        case .bool(let value): .bool(value)
        case .term(let code, _, _): .string(code)
        case .none: .null
        }
    }

    /// `1500.00` for 150000 fen.
    static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

extension String {
    /// Columns on a terminal: East Asian wide characters take two.
    var terminalWidth: Int {
        unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
                || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x20000...0x3FFFD).contains(value)
            return width + (wide ? 2 : 1)
        }
    }

    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
