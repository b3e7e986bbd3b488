import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// The events the campaign's writer appends: event `i` is a hazard report fully determined by
/// `i`, so that the harness knows exactly which bytes sequence `i` must hold. Business time
/// advances two hours per event, so the log's years turn and finished years can be sealed.
enum CampaignEvents {
    static let start = ShanghaiTime.startOfYear(2023) + 8 * 3_600_000_000

    static func occurredAt(_ index: Int) -> Int64 { start + Int64(index) * 2 * 3_600_000_000 }

    static func event(_ index: Int) -> Event {
        let time = ShanghaiDateTime(microseconds: occurredAt(index))
        let department = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                               person: PersonRef(id: "yjj-\(index % 40)", name: "检查员\(index % 40)"))
        return Event(eventId: "crash-\(index)", occurredAt: time, actor: department, body: .hazardReported(HazardReported(
            hazardId: "LX-\(time.date.components.year)-\(100_000 + index)", enterprise: nil, region: "桃林镇", industry: "烟花爆竹",
            criterionClause: "《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》第四条",
            description: "批发仓库超量储存，第\(index)次检查发现。", source: .departmentInspection, discoveredOn: time.date)))
    }

    /// The stored bytes and stream keys sequence `index` must hold.
    static func expected(_ index: Int) -> (payload: [UInt8], keys: [String]) {
        let event = event(index)
        return (EventBinaryCodec.encode(event), StreamKeys.keys(of: event))
    }
}
