import ArgumentParser
import Foundation

extension AppendCommand {
    /// `append --server URL`: posts the input to the service as the signed-in account, which
    /// checks and appends it all or nothing (`POST /api/v1/events`).
    func appendThroughService(_ server: String) async throws {
        let lang = language.lang
        guard let token = SavedSession.token(for: server) else {
            printError("qingling: " + lang.pick(zh: "未登录 \(server)：先运行 qingling login --server \(server)，或设置 QINGLING_TOKEN",
                                                en: "not signed in to \(server): run qingling login --server \(server) first, or set QINGLING_TOKEN"))
            throw ExitCodes.usage
        }
        let bytes: [UInt8]
        if input == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else if let data = FileManager.default.contents(atPath: input) {
            bytes = Array(data)
        } else {
            printError("qingling: " + lang.pick(zh: "无法读取 \(input)", en: "cannot read \(input)"))
            throw ExitCodes.ioError
        }
        let client = ServiceClient(server: server, token: token)
        let answer: ServiceClient.Answer
        do {
            answer = try await client.post("events", body: bytes, contentType: bytes.first(where: { $0 > 0x20 }) == UInt8(ascii: "[") ? "application/json" : "application/x-ndjson")
        } catch {
            printError("qingling: " + lang.pick(zh: "无法连接服务 \(client.server)：\(error)；不知是否已写入：重试是安全的（相同事件编号只写一次）",
                                                en: "cannot reach the service at \(client.server): \(error); whether anything was written is unknown: retrying is safe (an event id is written once)"))
            throw ExitCodes.ioError
        }
        guard answer.status == .ok, let object = answer.object else {
            for line in ServiceClient.problems(of: answer) { printError("qingling: " + line) }
            switch answer.status {
            case .conflict: throw ExitCodes.conflict
            case .unauthorized:
                printError("qingling: " + lang.pick(zh: "会话已结束：请重新运行 qingling login --server \(client.server)",
                                                    en: "the session has ended: run qingling login --server \(client.server) again"))
                throw ExitCodes.usage
            case .badRequest, .forbidden, .payloadTooLarge, .unprocessableEntity, .unsupportedMediaType: throw ExitCodes.invalidInput
            default: throw ExitCodes.ioError
            }
        }
        let appended = object["appended"] as? Int ?? 0, retries = object["alreadyInLog"] as? Int ?? 0
        let range = (object["firstSequence"] as? Int).flatMap { first in (object["lastSequence"] as? Int).map { "\(first)…\($0)" } }
        print(lang.pick(zh: "已通过 \(client.server) 追加 \(appended) 个事件" + (range.map { "（序号 \($0)）" } ?? "") + (retries > 0 ? "；\(retries) 个已在日志中" : ""),
                        en: "appended \(appended) event(s) through \(client.server)" + (range.map { " (sequences \($0))" } ?? "") + (retries > 0 ? "; \(retries) already in the log" : "")))
    }
}
