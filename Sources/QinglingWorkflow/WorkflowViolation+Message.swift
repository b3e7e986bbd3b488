import QinglingEvents

extension WorkflowViolation.Rule {
    /// What the rule says and what was found, in Chinese (`.zh`) or English (`.en`).
    public func message(_ language: Language) -> String {
        let zh = language == .zh
        switch self {
        case let .expectedVersionOutsideStorable(found, storable):
            return zh ? "预期版本 \(found) 超出可存储范围 \(storable)" : "expected version \(found) is outside \(storable)"
        case .unstorable(let error):
            return zh ? "无法存储：\(error.reason)" : "it cannot be stored: \(error.reason)"
        case let .eventIdReused(id, sequence):
            return zh ? "事件编号 \(id) 已用于其他内容（序号 \(sequence)）"
                : "event id \(id) was already used (sequence \(sequence)) for different content"
        case let .inTheFuture(at, now):
            let slack = WorkflowRules.futureSlackMinutes
            return zh ? "发生时间 \(at) 在未来（现在为 \(now)；允许时钟误差 \(slack) 分钟）"
                : "it happened at \(at), which is in the future (now \(now); up to \(slack) minutes ahead is allowed for clocks that differ)"
        case let .beforeEarliestDate(field, date):
            let earliest = WorkflowRules.earliestDate
            return zh ? "\(field) 为 \(date)，早于 \(earliest)；事件的任何日期和时间均不得早于 \(earliest)"
                : "\(field) \(date) is before \(earliest); no date or time of an event may be earlier than \(earliest)"
        case let .hazardIdYear(id, discovered):
            return zh ? "隐患编号 \(id) 的年份与发现日期 \(discovered) 不符；隐患编号使用发现年份"
                : "hazard id \(id) does not name the year of its discovery (\(discovered)); a hazard id carries the year the hazard was discovered"
        case .expectedVersionWithoutHazard(let expected):
            return zh ? "预期版本（\(expected)）只用于恰好涉及一个隐患的事件；请删去"
                : "an expected version (\(expected)) applies only to an event that acts on exactly one hazard; leave it out"
        case let .unknownRegion(value, nearest):
            return (zh ? "区域 \(value) 不在基础数据中（按名称或代码）" : "region \(value) is not in the reference data (by name or code)")
                + Self.didYouMean(nearest, language)
        case let .unknownIndustry(value, nearest):
            return (zh ? "行业 \(value) 不在基础数据中" : "industry \(value) is not in the reference data")
                + Self.didYouMean(nearest.map { Self.industry($0, language) }, language)
        case let .unknownOrganization(kind, id, role, nearest):
            let town = kind == .town ? (zh ? "（属地以其区域代码为编号）" : " (a town acts under its region's code)") : ""
            return (zh ? "\(kind.label) \(id)（\(role.name(.zh))）不在基础数据中\(town)"
                : "\(kind.rawValue) \(id) (\(role.name(.en))) is not in the reference data\(town)") + Self.didYouMean(nearest, language)
        case let .invalidCreditCode(id, role, problem):
            return zh ? "生产经营单位 \(id)（\(role.name(.zh))）不是有效的统一社会信用代码：\(problem.message(.zh))；生产经营单位以其统一社会信用代码为编号"
                : "enterprise \(id) (\(role.name(.en))) is not a valid unified social credit code: \(problem.message(.en)); an enterprise acts under its credit code"
        case let .hazardIdPrefix(id, prefix):
            return zh ? "隐患编号 \(id) 不以本县前缀 \(prefix)- 开头；全县各区域（含园区）的隐患同用一个编号序列，如 \(prefix)-2024-0031"
                : "hazard id \(id) does not begin with the county's prefix \(prefix)-; every region of the county, zones included, numbers its hazards in the one list, e.g. \(prefix)-2024-0031"
        case let .versionMismatch(id, expected, found):
            return zh ? "预期隐患 \(id) 的版本为 \(expected)，实际为 \(found)" : "expected version \(expected) of hazard \(id), found version \(found)"
        case .hazardExists(let id):
            return zh ? "隐患 \(id) 已存在；隐患编号不得重复" : "hazard \(id) already exists; hazard ids are unique"
        case .unknownHazard(let id):
            return zh ? "隐患 \(id) 不存在" : "hazard \(id) does not exist"
        case .notOwnHazard(let actorId):
            return zh ? "生产经营单位只能上报本单位的隐患：隐患所属单位须为行为主体（\(actorId)）"
                : "an enterprise reports only its own hazards: the hazard's enterprise must be the actor (\(actorId))"
        case let .notPermitted(kind, type):
            return zh ? "只有\(Self.whoMay(type, .zh))可以\(Self.action(type, .zh))，\(kind.label)不可以"
                : "only \(Self.whoMay(type, .en)) may \(Self.action(type, .en)), not \(Self.named(kind))"
        case let .wrongStatus(id, status, type):
            return zh ? "隐患 \(id) 当前为\(status.label)；\(Self.condition(type, .zh))"
                : "hazard \(id) is \(status.rawValue); \(Self.condition(type, .en))"
        case let .noLeadYet(id, status, type):
            return zh ? "隐患 \(id) 尚无牵头部门（当前为\(status.label)）；只有市安委办可以\(Self.action(type, .zh))"
                : "hazard \(id) has no lead department yet (it is \(status.rawValue)); only the committee may \(Self.action(type, .en))"
        case let .notLead(lead, actorId, type):
            return zh ? "只有牵头部门（\(lead)）或市安委办可以\(Self.action(type, .zh))；\(actorId) 不是牵头部门"
                : "only the lead department (\(lead)) or the committee may \(Self.action(type, .en)); \(actorId) is not the lead"
        case .notOwnEnterprise(let code):
            return zh ? "只有隐患所属生产经营单位（\(code ?? "无：该隐患无经营单位")）或其属地可以记录整改完成"
                : "only the hazard's own enterprise (\(code ?? "none: the hazard has no operator")) or its town records its rectification"
        case let .notTheTown(townId, townRegion, id, hazardRegion):
            return zh ? "属地 \(townId) 为\(townRegion)，不是隐患 \(id) 的属地（\(hazardRegion)）"
                : "town \(townId) is \(townRegion), not the town of hazard \(id) (\(hazardRegion))"
        case .verifierRecordedRectification(let person):
            return zh ? "\(person.name)（\(person.id)）记录了整改完成，不得审核把关"
                : "\(person.name) (\(person.id)) recorded the rectification and may not verify it"
        case let .discoveredAfterReport(discovered, reported):
            return zh ? "发现日期 \(discovered) 晚于上报时间 \(reported)；发现日期不得在未来"
                : "discovered on \(discovered), after the report at \(reported); the discovered date cannot be in the future"
        case let .beforePreviousStep(id, on, previous, previousOn):
            return zh ? "隐患 \(id) 的本环节发生于 \(on)，早于上一环节\(previous.label)（\(previousOn)）；同一隐患的环节日期不得倒序（可同日）"
                : "hazard \(id): it happened on \(on), before its previous step, \(previous.rawValue) on \(previousOn); a hazard's steps may not go back in date (the same day is allowed)"
        case let .beforeReport(id, on, reported):
            return zh ? "本事件发生于 \(on)，早于隐患 \(id) 的上报（\(reported)）；事件不得早于其所涉隐患的上报（可同日）"
                : "it happened on \(on), before hazard \(id) was reported on \(reported); an event may not be dated before the report of a hazard it names (the same day is allowed)"
        case let .beforeTipOff(id, on, received):
            return zh ? "本事件发生于 \(on)，早于举报 \(id) 的受理（\(received)）；事件不得早于其所涉举报的受理（可同日）"
                : "it happened on \(on), before tip-off \(id) was received on \(received); an event may not be dated before the receipt of the tip-off it names (the same day is allowed)"
        case let .deadlineNotAfterDiscovery(deadline, discovered):
            return zh ? "整改期限 \(deadline) 不晚于发现日期 \(discovered)" : "deadline \(deadline) is not after the discovered date \(discovered)"
        case let .deadlineNotLater(new, current):
            return zh ? "新期限 \(new) 不晚于现行期限 \(current)" : "new deadline \(new) is not later than the current deadline \(current)"
        case let .completedAfterRecorded(completed, recorded):
            return zh ? "完成日期 \(completed) 晚于记录时间 \(recorded)" : "completed on \(completed), after it was recorded at \(recorded)"
        case let .completedBeforeTheStepItAnswers(id, completed, step, stepOn):
            return zh ? "隐患 \(id) 的整改完成日期 \(completed) 早于其所回应的环节\(step.label)（\(stepOn)）；整改完成不得早于该环节（可同日）"
                : "hazard \(id): completed on \(completed), before the step it answers, \(step.rawValue) on \(stepOn); a rectification is not completed before the step that began it (the same day is allowed)"
        case let .reopenDeadlineNotAfter(deadline, reopened):
            return zh ? "新期限 \(deadline) 不晚于复发认定日 \(reopened)" : "new deadline \(deadline) is not after the reopening on \(reopened)"
        case .fineWithoutAmount:
            return zh ? "罚款金额须大于 0 分" : "a fine needs an amount above 0 fen"
        case let .escalationNamesHazardOutsideTarget(id, target):
            return zh ? "隐患 \(id) 不属于被函告的\(target.kind.label)\(target.name)（\(target.id)）；函告生产经营单位或属地只能列其自己的隐患"
                : "hazard \(id) is not \(target.name)'s (\(target.kind.rawValue) \(target.id)); an escalation to an enterprise or a town names only its own hazards"
        case let .penaltyNamesAnotherEnterprisesHazard(id, penalised, owner):
            return zh ? "隐患 \(id) 属于\(owner.map { "生产经营单位 \($0)" } ?? "无经营单位的隐患")，不是被处罚单位 \(penalised) 的；处罚只能列被处罚单位自己的隐患"
                : "hazard \(id) is \(owner.map { "enterprise \($0)'s" } ?? "no enterprise's"), not the penalised enterprise \(penalised)'s; a penalty names only the penalised enterprise's own hazards"
        case .tipOffNotReceived(let id):
            return zh ? "举报 \(id) 未受理" : "tip-off \(id) has not been received"
        case .tipOffExists(let id):
            return zh ? "举报 \(id) 已存在；举报编号不得重复" : "tip-off \(id) already exists; tip-off ids are unique"
        case .tipOffNotConfirmed(let id):
            return zh ? "举报 \(id) 未经查实：没有据此上报且未撤销的隐患，也没有处罚引用它"
                : "tip-off \(id) is not confirmed: no hazard reported with it stands (not withdrawn) and no penalty names it"
        case .attachmentNotStored(let hash):
            return zh ? "附件 \(hash) 不在本日志的附件库中；请先用 qingling attach 或 POST /api/v1/attachments 存入文件"
                : "attachment \(hash) is not in the log's blob store; store the file first (qingling attach, or POST /api/v1/attachments)"
        case let .attachmentDiffers(hash, stated, stored):
            return zh ? "附件 \(hash) 的说明（\(stated)）与库中文件（\(stored)）不符；请使用存入时给出的大小和类型"
                : "attachment \(hash) is described as \(stated), but the stored file is \(stored); give the size and type the store printed"
        case .reporterWithoutKeyStore:
            return zh ? "给出了举报人身份（data.reporter），但未配置密钥库和主密钥，无法加密；请指定 --keystore 与 --master-key-file（或 $QINGLING_MASTER_KEY）。举报人身份从不以明文存储"
                : "a reporter's identity (data.reporter) is given but no key store and master key are configured to seal it: give --keystore and --master-key-file (or $QINGLING_MASTER_KEY). An identity is never stored in plain text"
        case .reporterKeyWasDestroyed(let keyId):
            return zh ? "事件的举报人密钥 \(keyId) 已销毁；此事件不能再带举报人身份追加"
                : "the reporter key \(keyId) of this event was destroyed; the event cannot be appended with a reporter's identity again"
        case .noSealedReporter(let id):
            return zh ? "举报 \(id) 没有加密的举报人身份，没有可销毁的密钥" : "tip-off \(id) has no sealed reporter identity: there is no key to destroy"
        case let .otherReporterKey(id, keyId):
            return zh ? "举报 \(id) 的举报人密钥是 \(keyId)" : "the reporter key of tip-off \(id) is \(keyId)"
        case .reporterKeyAlreadyDestroyed(let id):
            return zh ? "举报 \(id) 的举报人密钥已销毁" : "the reporter key of tip-off \(id) was already destroyed"
        }
    }

    /// "; did you mean A, B or C?", or nothing when there is nothing near.
    static func didYouMean(_ nearest: [String], _ language: Language) -> String {
        guard let last = nearest.last else { return "" }
        let head = nearest.dropLast()
        switch language {
        case .zh: return "；是否应为 " + (head.isEmpty ? last : head.joined(separator: "、") + " 或 " + last) + "？"
        case .en: return "; did you mean " + (head.isEmpty ? last : head.joined(separator: ", ") + " or " + last) + "?"
        }
    }

    /// An industry as a suggestion names it: its name, the one the log takes, with its English
    /// name beside when it has one (`烟花爆竹 (fireworks)`).
    static func industry(_ name: String, _ language: Language) -> String {
        let english = IndustryNames.text(name, .en)
        guard english != name else { return name }
        return language.pick(zh: "\(name)（\(english)）", en: "\(name) (\(english))")
    }

    /// The kind of organisation with its article: "an enterprise", "the committee".
    static func named(_ kind: OrganizationKind) -> String {
        switch kind {
        case .enterprise: "an enterprise"
        case .town: "a town"
        case .department: "a department"
        case .committee: "the committee"
        }
    }

    /// What an event of `type` does, as a verb phrase.
    static func action(_ type: EventType, _ language: Language) -> String {
        switch type {
        case .hazardReported: language.pick(zh: "上报隐患", en: "report hazards")
        case .hazardSupervised: language.pick(zh: "交办督办", en: "supervise")
        case .deadlineExtended: language.pick(zh: "延期", en: "extend its deadline")
        case .hazardRectified: language.pick(zh: "记录整改完成", en: "record its rectification")
        case .hazardVerified: language.pick(zh: "审核把关", en: "verify")
        case .hazardClosed: language.pick(zh: "销号", en: "close it")
        case .hazardReopened: language.pick(zh: "认定复发", en: "reopen")
        case .hazardWithdrawn: language.pick(zh: "撤销", en: "withdraw it")
        case .escalationIssued: language.pick(zh: "函告、通报、约谈、曝光", en: "issue escalations")
        case .penaltyImposed: language.pick(zh: "执法处罚", en: "impose penalties")
        case .tipOffReceived: language.pick(zh: "受理举报", en: "receive tip-offs")
        case .rewardPaid: language.pick(zh: "发放举报奖励", en: "pay rewards")
        case .reporterKeyDestroyed: language.pick(zh: "销毁举报人身份密钥", en: "destroy a reporter's identity key")
        }
    }

    /// Who may record an event of `type`.
    static func whoMay(_ type: EventType, _ language: Language) -> String {
        switch type {
        case .deadlineExtended, .hazardClosed, .hazardWithdrawn: language.pick(zh: "牵头部门或市安委办", en: "the lead department or the committee")
        case .hazardRectified: language.pick(zh: "隐患所属生产经营单位或其属地", en: "the hazard's own enterprise or its town")
        case .escalationIssued: language.pick(zh: "市安委办", en: "the committee (市安委办)")
        case .penaltyImposed: language.pick(zh: "行业主管部门", en: "a department")
        case .hazardReported, .hazardSupervised, .hazardVerified, .hazardReopened, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed:
            language.pick(zh: "行业主管部门或市安委办", en: "a department or the committee")
        }
    }

    /// The state an event of `type` needs, said after the state found.
    static func condition(_ type: EventType, _ language: Language) -> String {
        switch type {
        case .hazardSupervised: language.pick(zh: "只能交办督办已上报的隐患", en: "supervision is only from reported")
        case .deadlineExtended:
            language.pick(zh: "只有整改中或待验收的隐患可以延期", en: "a deadline is extended only while rectifying or awaiting verification")
        case .hazardRectified: language.pick(zh: "只有整改中的隐患可以记录整改完成", en: "rectification is recorded only while rectifying")
        case .hazardVerified: language.pick(zh: "只有待验收的隐患可以审核把关", en: "verification is only while awaiting verification")
        case .hazardClosed: language.pick(zh: "销号须先通过验收", en: "closing needs a passed verification")
        case .hazardReopened: language.pick(zh: "只有已销号的隐患可以认定复发", en: "only a closed hazard is reopened")
        case .hazardWithdrawn: language.pick(zh: "已销号或已撤销的隐患不能撤销", en: "a closed or withdrawn hazard cannot be withdrawn")
        case .hazardReported, .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed:
            language.pick(zh: "该事件不作用于此状态", en: "this event does not act on that state")
        }
    }
}
