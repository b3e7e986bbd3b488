extension ReferenceData {
    /// The built-in reference data of 临湘市 (Linxiang, Yueyang, Hunan), as shipped in
    /// `tools/reference/linxiang.json`.
    ///
    /// Regions carry the statistics bureau's 9-digit codes (统计用区划代码 430682xxx). The
    /// high-tech zone (临湘高新区) has no such code: it gets the project code `LXGXQ` (pinyin
    /// initials of 临湘高新区), which cannot clash with a numeric statistics code.
    ///
    /// Each industry has one lead department. 工业和信息化局 leads 工贸 but holds no enforcement
    /// powers (工贸 enforcement lies with 应急管理局), so it never imposes penalties.
    public static let linxiang = ReferenceData(
        county: "临湘市",
        divisionCode: "430682",
        hazardIdPrefix: "LX",
        regions: [
            Region(name: "长安街道", code: "430682001", authority: "长安街道办事处", abbreviation: "ca"),
            Region(name: "桃矿街道", code: "430682003", authority: "桃矿街道办事处", abbreviation: "tk"),
            Region(name: "五里牌街道", code: "430682004", authority: "五里牌街道办事处", abbreviation: "wlp"),
            Region(name: "云湖街道", code: "430682005", authority: "云湖街道办事处", abbreviation: "yh"),
            Region(name: "忠防镇", code: "430682101", authority: "忠防镇人民政府", abbreviation: "zf"),
            Region(name: "聂市镇", code: "430682103", authority: "聂市镇人民政府", abbreviation: "ns"),
            Region(name: "江南镇", code: "430682105", authority: "江南镇人民政府", abbreviation: "jn"),
            Region(name: "桃林镇", code: "430682107", authority: "桃林镇人民政府", abbreviation: "tl"),
            Region(name: "长塘镇", code: "430682108", authority: "长塘镇人民政府", abbreviation: "ct"),
            Region(name: "白羊田镇", code: "430682109", authority: "白羊田镇人民政府", abbreviation: "byt"),
            Region(name: "詹桥镇", code: "430682110", authority: "詹桥镇人民政府", abbreviation: "zq"),
            Region(name: "黄盖镇", code: "430682113", authority: "黄盖镇人民政府", abbreviation: "hg"),
            Region(name: "羊楼司镇", code: "430682114", authority: "羊楼司镇人民政府", abbreviation: "yls"),
            Region(name: "坦渡镇", code: "430682115", authority: "坦渡镇人民政府", abbreviation: "td"),
            Region(name: "临湘高新区", code: "LXGXQ", authority: "湖南临湘高新技术产业园区管理委员会", abbreviation: "gxq"),
        ],
        industries: ["燃气", "消防", "道路运输", "水上交通", "建筑施工", "危险化学品", "烟花爆竹", "民爆", "工贸", "非煤矿山", "特种设备", "其他"],
        departments: [
            Department(id: "lx-yjj", name: "临湘市应急管理局", abbreviation: "应急", hasEnforcementDuty: true,
                       industries: ["危险化学品", "烟花爆竹", "其他"]),
            Department(id: "lx-zjj", name: "临湘市住房和城乡建设局", abbreviation: "住建", hasEnforcementDuty: true, industries: ["建筑施工"]),
            Department(id: "lx-jtj", name: "临湘市交通运输局", abbreviation: "交通", hasEnforcementDuty: true, industries: ["道路运输"]),
            Department(id: "lx-xf", name: "临湘市消防救援大队", abbreviation: "消", hasEnforcementDuty: true, industries: ["消防"]),
            Department(id: "lx-scjg", name: "临湘市市场监督管理局", abbreviation: "市监", hasEnforcementDuty: true, industries: ["特种设备"]),
            Department(id: "lx-gaj", name: "临湘市公安局", abbreviation: "公", hasEnforcementDuty: true, industries: ["民爆"]),
            Department(id: "lx-zrzy", name: "临湘市自然资源局", abbreviation: "自然资源", hasEnforcementDuty: true, industries: ["非煤矿山"]),
            Department(id: "lx-gxj", name: "临湘市工业和信息化局", abbreviation: "工信", hasEnforcementDuty: false, industries: ["工贸"]),
            Department(id: "lx-cgj", name: "临湘市城市管理和综合执法局", abbreviation: "城管", hasEnforcementDuty: true, industries: ["燃气"]),
            Department(id: "lx-hsc", name: "临湘市地方海事处", abbreviation: "海事", hasEnforcementDuty: true, industries: ["水上交通"]),
        ],
        committee: Department(id: "lx-aqw", name: "临湘市安全生产委员会办公室", abbreviation: "安委", hasEnforcementDuty: false, industries: [])
    )
}
