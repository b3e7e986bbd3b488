import QinglingEvents

/// The free texts of the sample data: reasons, findings, notes, trade names, pseudonyms.
enum Phrases {
    /// Trade names (字号) of businesses.
    static let tradeNames = [
        "兴旺", "华能", "恒泰", "鑫源", "宏达", "永盛", "昌隆", "湘北", "洞庭", "长江", "瑞丰", "鸿运", "金桥", "佳和", "天润",
        "顺达", "福源", "聚鑫", "新安", "宇通", "荣昌", "丰泰", "浩然", "明诚", "龙腾", "德信", "众诚", "广源", "益民", "祥和",
        "万隆", "金沙", "银河", "茂源", "盛世", "红日", "巴陵", "白云", "楚天", "富民", "嘉禾", "锦程", "凯达", "利群", "隆兴",
        "美佳", "南湖", "鹏程", "润泽", "三友", "泰和", "通达", "旺达", "湘江", "晓峰", "亚兴", "远航", "正源", "志成", "中和",
    ]

    static let extensionReasons = [
        "整改涉及设备采购和工程改造，工期较长，经企业申请、部门审核同意延期。",
        "整改需停产检修，受订单交付影响，经专家论证后同意分阶段整改并延期。",
        "整改方案需经专家论证，论证周期较长，同意延期。",
        "受连续降雨天气影响，室外施工无法进行，同意延期。",
        "整改资金正在落实，企业已采取临时管控措施，同意延期。",
    ]

    static let passedFindings = [
        "经现场核查，整改措施落实到位，资料齐全，符合销号条件。",
        "现场复核整改完成，相关检测报告合格，同意通过验收。",
        "组织专家现场验收，整改到位，隐患已消除。",
        "经部门会同属地现场核实，整改措施有效，同意验收。",
    ]

    static let failedFindings = [
        "现场复核发现整改不彻底，部分措施未落实到位，退回继续整改。",
        "整改资料不全，缺少第三方检测报告，退回补充整改。",
        "复查发现同类问题仍然存在，整改未达到判定标准要求，退回整改。",
        "临时措施代替永久整改，不符合销号条件，退回整改。",
    ]

    static let closingNotes = [
        "经审核验收，隐患整改完成，同意销号。",
        "整改闭环，资料归档，予以销号。",
        "验收合格，按“一单四制”予以销号并纳入回头看名单。",
    ]

    static let reopenReasons = [
        "回头看发现隐患复发，整改措施未长期保持。",
        "暗访检查发现同一部位问题再次出现，重新挂牌整改。",
        "回头看复查发现整改设施已拆除停用，隐患复发。",
    ]

    static let withdrawalReasons = [
        "经专家复核，不属于重大事故隐患，转为一般隐患闭环管理。",
        "企业已依法关闭注销，生产经营活动终止，隐患主体灭失。",
        "经核查为重复登记，予以撤销。",
        "经复核判定依据适用有误，予以撤销。",
    ]

    static let pseudonymStems = ["热心群众", "匿名市民", "知情职工", "附近居民", "过往司机", "网友"]
    static let pseudonymMarks = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "A", "B", "C", "D"]

    /// What a tip-off channel prefixes to its summary.
    static func tipOffOpening(_ channel: TipOffChannel) -> String {
        switch channel {
        case .hotline: "群众来电反映"
        case .online: "网上举报反映"
        case .letter: "来信反映"
        case .visit: "群众来访反映"
        case .other: "有群众反映"
        }
    }

    /// Why the committee escalates an overdue hazard.
    static func escalationReason(hazardId: String, daysOverdue: Int, level: EscalationLevel) -> String {
        "隐患\(hazardId)整改逾期\(daysOverdue)天，进展缓慢，依据重大事故隐患“一单四制”管理规定予以\(level.label)。"
    }
}
