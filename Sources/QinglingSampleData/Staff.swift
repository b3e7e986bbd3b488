import QinglingEvents

/// The people who act: officers of departments, the committee and towns, and the persons of
/// enterprises. Each person is a pure function of the seed and their id, so nothing is stored.
struct Staff {
    let seed: UInt64
    /// Officers per department, per committee office and per town.
    static let departmentOfficers = 30
    static let committeeOfficers = 8
    static let townOfficers = 12

    /// A Chinese name drawn from a stable stream for `key`.
    func name(for key: String) -> String {
        var rng = SplitMix64(seed: seed, stream: SplitMix64.hash(key))
        let surname = rng.pick(ChineseNames.surnames)
        let given = rng.chance(0.25) ? rng.pick(ChineseNames.singleGiven) : rng.pick(ChineseNames.doubleGiven)
        return surname + given
    }

    /// Officer `number` (from 1) of a department or the committee's office: ids like `yjj-017`,
    /// the part of the department id after its last `-`.
    func officer(of department: Department, number: Int) -> PersonRef {
        let prefix = department.id.split(separator: "-").last.map(String.init) ?? department.id
        let id = prefix + "-" + Staff.pad(number)
        return PersonRef(id: id, name: name(for: department.id + "/" + id))
    }

    /// Officer `number` (from 1) of a town: ids like `tl-005`.
    func officer(of region: Region, number: Int) -> PersonRef {
        let id = region.abbreviation + "-" + Staff.pad(number)
        return PersonRef(id: id, name: name(for: region.code + "/" + id))
    }

    /// A person of an enterprise: ids are its credit code and a role suffix (`-fzr` principal,
    /// `-kzr` actual controller, `-aqy` safety officer).
    func person(of creditCode: String, role: String) -> PersonRef {
        let id = creditCode + "-" + role
        return PersonRef(id: id, name: name(for: id))
    }

    static func pad(_ number: Int) -> String {
        let text = String(number)
        return text.count >= 3 ? text : String(repeating: "0", count: 3 - text.count) + text
    }
}

/// Common surnames (Hunan-weighted) and given names.
enum ChineseNames {
    static let surnames = [
        "李", "刘", "张", "王", "陈", "彭", "周", "黄", "吴", "胡", "谭", "曾", "易", "钟", "方", "沈", "余", "邓", "汤", "毛",
        "廖", "熊", "龚", "杨", "赵", "徐", "孙", "朱", "郭", "何", "高", "罗", "谢", "唐", "许", "冯", "袁", "蒋", "蔡", "贺",
        "魏", "任", "姚", "卢", "付", "田", "向", "欧阳", "戴", "万",
    ]
    static let singleGiven = [
        "伟", "军", "勇", "敏", "静", "丽", "强", "磊", "涛", "艳", "芳", "霞", "平", "斌", "辉", "超", "明", "亮", "婷", "刚",
        "波", "鹏", "娟", "华", "峰", "杰", "琳", "洁", "健", "宇",
    ]
    static let doubleGiven = [
        "卫东", "志刚", "建平", "红梅", "国强", "立新", "少华", "德明", "长青", "海燕", "小兵", "春华", "秋云", "建国", "建军",
        "文斌", "新民", "跃进", "爱华", "红兵", "志强", "晓东", "利民", "光辉", "振华", "宏伟", "玉兰", "桂英", "秀英", "梦瑶",
        "子涵", "浩宇", "俊杰", "雪梅", "德胜", "永红", "湘平", "岳林", "洞明", "江波", "松林", "冬梅", "金华", "佳怡", "思远",
        "家豪", "丽华", "建华", "国庆", "亚军", "学文", "明亮", "晓燕", "正清", "慧敏", "湘君", "楚雄", "卫平", "朝阳", "定国",
    ]
}
