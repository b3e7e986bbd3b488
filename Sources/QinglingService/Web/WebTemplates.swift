import Foundation
import Mustache

/// Why the web pages cannot be served: the service does not start without them.
public enum WebTemplateError: Error, Equatable, CustomStringConvertible {
    /// No directory searched holds every template and the stylesheet; the first missing file
    /// of the nearest candidate is named.
    case missing(file: String, searched: [String])
    /// A template that does not parse.
    case invalid(file: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let file, let searched):
            "the web templates are incomplete: \(file) is missing (searched \(searched.joined(separator: ", "))); reinstall qingling with its qingling_QinglingService.resources directory beside the binary"
        case .invalid(let file, let reason):
            "the web template \(file) does not parse: \(reason)"
        }
    }
}

/// The web pages' mustache templates and their stylesheet, read once at start from the
/// `Templates` resource directory that SwiftPM puts beside the binary (`.build/debug`,
/// `.build/release`, the test bundle's) or, failing that, from the source tree. Every page
/// template is checked at start, so that rendering never meets a missing one.
public struct WebTemplates: Sendable {
    /// The page templates (`{{> top}}` and `{{> bottom}}` are the shared frame).
    enum Page: String, CaseIterable, Sendable {
        case login, home, reminders, hazard, ledger, error, analysis, dashboard, form
    }

    /// The partials the pages use.
    static let partials = ["top", "bottom", "table", "chart"]
    static let stylesheetFile = "qingling.css"
    /// The dashboard's live update, served at `/assets/dashboard.js`.
    static let scriptFile = "dashboard.js"

    private let library: MustacheLibrary
    /// The one stylesheet, served at `/assets/qingling.css`.
    let stylesheet: String
    /// The one script, served at `/assets/dashboard.js`.
    let script: String

    /// Loads the templates from `directory`, else from the first candidate that holds them.
    public static func load(directory: String? = nil) throws(WebTemplateError) -> WebTemplates {
        let candidates = directory.map { [$0] } ?? defaultDirectories
        let files = Page.allCases.map { $0.rawValue + ".mustache" } + partials.map { $0 + ".mustache" } + [stylesheetFile, scriptFile]
        guard let found = candidates.first(where: { candidate in files.allSatisfy { FileManager.default.fileExists(atPath: candidate + "/" + $0) } }) else {
            let nearest = candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
            let missing = files.first { !FileManager.default.fileExists(atPath: nearest + "/" + $0) } ?? files[0]
            throw .missing(file: missing, searched: candidates)
        }
        var library = MustacheLibrary()
        for name in Page.allCases.map(\.rawValue) + partials {
            let path = found + "/" + name + ".mustache"
            do {
                try library.register(try String(contentsOfFile: path, encoding: .utf8), named: name)
            } catch {
                throw .invalid(file: path, reason: "\(error)")
            }
        }
        guard let stylesheet = try? String(contentsOfFile: found + "/" + stylesheetFile, encoding: .utf8) else {
            throw .invalid(file: found + "/" + stylesheetFile, reason: "not readable as UTF-8")
        }
        guard let script = try? String(contentsOfFile: found + "/" + scriptFile, encoding: .utf8) else {
            throw .invalid(file: found + "/" + scriptFile, reason: "not readable as UTF-8")
        }
        return WebTemplates(library: library, stylesheet: stylesheet, script: script)
    }

    /// Where SwiftPM puts the resources: beside the running binary (or test bundle), as
    /// `Bundle.module` looks, without its crash when they are absent; then the source tree.
    static var defaultDirectories: [String] {
        let bundle = "qingling_QinglingService.resources/Templates"
        let beside = Bundle.main.bundleURL.appendingPathComponent(bundle).path
        let executable = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent(bundle).path
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Templates").path
        var directories: [String] = []
        for directory in [beside, executable, source].compactMap({ $0 }) where !directories.contains(directory) { directories.append(directory) }
        return directories
    }

    /// `page` rendered with `view` (escaped: every `{{value}}` is HTML-escaped).
    func render(_ page: Page, _ view: Any) -> String {
        // Present: `load` checked every page.
        library.render(view, withTemplate: page.rawValue) ?? ""
    }
}
