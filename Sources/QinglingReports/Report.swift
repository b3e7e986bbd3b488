import Foundation
import QinglingEvents
import QinglingProjections

/// What an analysts' command prints: facts about the query, then one or more tables, rendered
/// as an aligned terminal table, CSV (UTF-8 with BOM; one table with one header row, for tools
/// as well as spreadsheets) or JSON with stable English keys. The terminal table shows every
/// value `terminalSafe` (control characters made visible); CSV and JSON keep the exact text.
public struct Report: Sendable {
    /// One fact about the query (period, date, known-at…).
    public struct Fact: Sendable {
        public var key: String
        public var zh: String
        public var en: String
        public var value: Cell

        public init(key: String, zh: String, en: String, value: Cell) {
            (self.key, self.zh, self.en, self.value) = (key, zh, en, value)
        }
    }

    public struct Column: Sendable {
        /// The JSON key, stable English.
        public var key: String
        public var zh: String
        public var en: String

        public init(key: String, zh: String, en: String) {
            (self.key, self.zh, self.en) = (key, zh, en)
        }
    }

    public struct Table: Sendable {
        /// The JSON key of the table.
        public var key: String
        public var zh: String
        public var en: String
        public var columns: [Column]
        public var rows: [[Cell]] = []
        /// A closing row (totals): the last row of a terminal table or CSV; a separate member
        /// `total` in JSON, so that `rows` hold only groups.
        public var total: [Cell]?

        /// What a row of this table is, in the first column of a CSV that joins several
        /// tables (default: the title).
        public var rowKind: (zh: String, en: String)?

        public init(key: String, zh: String, en: String, columns: [Column], rows: [[Cell]] = [], total: [Cell]? = nil,
                    rowKind: (zh: String, en: String)? = nil) {
            (self.key, self.zh, self.en, self.columns, self.rows, self.total, self.rowKind) = (key, zh, en, columns, rows, total, rowKind)
        }

        /// The rows to print, the total last.
        public var printedRows: [[Cell]] { rows + (total.map { [$0] } ?? []) }
    }

    public enum Cell: Sendable {
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

    public var facts: [Fact] = []
    public var tables: [Table] = []

    public init(facts: [Fact] = [], tables: [Table] = []) {
        self.facts = facts
        self.tables = tables
    }

    /// The report in `format` and `lang`; `withFacts` puts the facts before a CSV's table.
    public func render(_ format: OutputFormat, _ lang: Language, withFacts: Bool = false) -> String {
        switch format {
        case .table: renderTable(lang)
        case .csv: renderCSV(lang, withFacts: withFacts)
        case .json: renderJSON()
        }
    }

    // MARK: - Terminal table

    private func renderTable(_ lang: Language) -> String {
        var out = ""
        for fact in facts { out += "\(lang == .zh ? fact.zh : fact.en): \(fact.value.text(lang).terminalSafe)\n" }
        for table in tables {
            out += "\n" + (lang == .zh ? table.zh : table.en) + "\n"
            guard !table.printedRows.isEmpty else {
                out += lang == .zh ? "（无）\n" : "(none)\n"
                continue
            }
            let header = table.columns.map { lang == .zh ? $0.zh : $0.en }
            let cells = table.printedRows.map { $0.map { $0.text(lang).terminalSafe } }
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

    /// One table with one header row, so that sqlite3 `.import --csv`, DuckDB and pandas read
    /// it as it is: several tables are joined into one (the columns of all, by key, after a
    /// first column saying which table a row is from); a report of facts only is a table of
    /// them. Empty cells where a value is none. `withFacts` puts the facts first, as
    /// `label,value` lines and an empty line, for people.
    private func renderCSV(_ lang: Language, withFacts: Bool) -> String {
        var out = "\u{FEFF}"
        func line(_ values: [String]) -> String { values.map(Self.csvField).joined(separator: ",") + "\r\n" }
        func text(_ cell: Cell) -> String { cell.isAbsent ? "" : cell.text(lang) }
        if withFacts, !tables.isEmpty {
            for fact in facts { out += line([lang.pick(zh: fact.zh, en: fact.en), text(fact.value)]) }
            out += "\r\n"
        }
        guard !tables.isEmpty else {
            out += line([lang.pick(zh: "项目", en: "Item"), lang.pick(zh: "值", en: "Value")])
            for fact in facts { out += line([lang.pick(zh: fact.zh, en: fact.en), text(fact.value)]) }
            return out
        }
        guard tables.count > 1 else {
            out += line(tables[0].columns.map { lang.pick(zh: $0.zh, en: $0.en) })
            for row in tables[0].printedRows { out += line(row.map(text)) }
            return out
        }
        var columns: [Column] = []
        for column in tables.flatMap(\.columns) where !columns.contains(where: { $0.key == column.key }) { columns.append(column) }
        var header = [lang.pick(zh: "清单", en: "List")]
        for column in columns {
            let label = lang.pick(zh: column.zh, en: column.en)
            header.append(header.contains(label) ? "\(label) (\(column.key))" : label)
        }
        out += line(header)
        for table in tables {
            let kind = table.rowKind ?? (table.zh, table.en)
            for row in table.printedRows {
                let byKey = Dictionary(zip(table.columns.map(\.key), row), uniquingKeysWith: { first, _ in first })
                out += line([lang.pick(zh: kind.zh, en: kind.en)] + columns.map { byKey[$0.key].map(text) ?? "" })
            }
        }
        return out
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - JSON

    /// One member per line, one table row per line: readable, and still plain JSON. Written as
    /// bytes straight from the cells, no value tree or string per row built first.
    private func renderJSON() -> String {
        var output = Array("{\n".utf8)
        var first = true
        func member(_ key: String) {
            output.append(contentsOf: first ? "  ".utf8 : ",\n  ".utf8)
            first = false
            JSONWriter.writeString(key, to: &output)
            output.append(contentsOf: ": ".utf8)
        }
        for fact in facts {
            member(fact.key)
            JSONWriter.write(fact.value.json, to: &output)
        }
        for table in tables {
            member(table.key)
            if table.rows.isEmpty {
                output.append(contentsOf: "[]".utf8)
            } else {
                // A large table's rows written in parts side by side (the targets' breaches are
                // hundreds of thousands at 16 million events).
                let parts = SideBySide.map(table.rows.count, parts: SideBySide.parts(for: table.rows.count)) { range in
                    var part: [UInt8] = []
                    for index in range {
                        part.append(contentsOf: index == range.lowerBound ? "    ".utf8 : ",\n    ".utf8)
                        Self.writeRow(table.rows[index], of: table.columns, to: &part)
                    }
                    return part
                }
                output.append(contentsOf: "[\n".utf8)
                for (index, part) in parts.enumerated() {
                    if index > 0 { output.append(contentsOf: ",\n".utf8) }
                    output.append(contentsOf: part)
                }
                output.append(contentsOf: "\n  ]".utf8)
            }
            if let total = table.total {
                member("total")
                Self.writeRow(total, of: table.columns, to: &output)
            }
        }
        output.append(contentsOf: "\n}\n".utf8)
        return String(decoding: output, as: UTF8.self)
    }

    /// `row` as one compact JSON object, its cells under their columns' keys.
    private static func writeRow(_ row: [Cell], of columns: [Column], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, (column, cell)) in zip(columns, row).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(column.key, to: &output)
            output.append(UInt8(ascii: ":"))
            JSONWriter.write(cell.json, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}

extension Report.Cell {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    /// No value: none, a rate without a denominator, a date not set (an empty CSV cell).
    var isAbsent: Bool {
        switch self {
        case .none, .rate(nil), .date(nil): true
        default: false
        }
    }

    var isNumeric: Bool {
        switch self {
        case .int, .fen, .rate: true
        default: false
        }
    }

    /// The cell as a table or CSV shows it, in `lang`.
    public func text(_ lang: Language) -> String {
        switch self {
        case .text(let value): value
        case .int(let value): String(value)
        case .fen(let fen): Money.yuan(fen)
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
}

/// How a report is written.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, csv
}

extension String {
    /// Columns on a terminal: East Asian wide characters take two.
    public var terminalWidth: Int {
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
