/// The industries of the national major-hazard criteria (重大事故隐患判定标准) with realistic
/// hazards, names and penalties; an industry of another county's reference data that is not
/// listed here is treated as `其他`.
enum HazardCatalog {
    static func profile(for industry: String) -> IndustryProfile {
        profiles[industry] ?? other
    }

    // swiftlint:disable line_length
    static let profiles: [String: IndustryProfile] = [
        "燃气": IndustryProfile(
            weight: 14, nameEndings: [("燃气有限公司", false), ("液化气站", false), ("餐饮管理有限公司", false), ("酒家", true)],
            hazards: [
                HazardEntry(clause: "《城镇燃气经营安全重大隐患判定标准》第十条", description: "餐饮场所使用瓶装液化石油气，未安装可燃气体报警装置，气瓶间与操作间未分隔。", measures: "安装可燃气体报警器并与紧急切断阀联锁，设置独立气瓶间，将老化橡胶软管更换为金属波纹管。"),
                HazardEntry(clause: "《城镇燃气经营安全重大隐患判定标准》第七条", description: "液化石油气充装站储罐区安全阀超期未校验，静电接地装置失效。", measures: "安全阀送检校验合格后复装，重新敷设静电接地装置并检测合格。"),
                HazardEntry(clause: "《城镇燃气经营安全重大隐患判定标准》第九条", description: "中压燃气管道被违章建筑占压，且未设置警示标志。", measures: "拆除占压建筑，管道局部改线，沿线设置警示桩和标志牌。"),
            ],
            tipOff: "某餐饮店在地下室违规使用瓶装液化气，无通风和报警设施。", legalBasis: "《城镇燃气管理条例》第四十七条",
            fundsYuan: 2_000...300_000, regionHints: ["长安街道": 2, "五里牌街道": 1.6, "云湖街道": 1.4, "桃矿街道": 1.2]),
        "消防": IndustryProfile(
            weight: 16, nameEndings: [("商贸有限公司", false), ("酒店管理有限公司", false), ("购物广场", false), ("KTV", true), ("养老院", false)],
            hazards: [
                HazardEntry(clause: "《重大火灾隐患判定方法》（GB 35181—2017）第6.3条", description: "人员密集场所疏散通道被占用，安全出口上锁，常闭式防火门处于开启状态。", measures: "清理疏散通道，拆除安全出口门锁，修复防火门闭门器并落实每日防火巡查。"),
                HazardEntry(clause: "《重大火灾隐患判定方法》（GB 35181—2017）第6.9条", description: "自动喷水灭火系统因管网漏水长期处于停用状态。", measures: "维修管网、更换阀门，系统联动测试合格后恢复运行，委托维保单位按月维护。"),
                HazardEntry(clause: "《重大火灾隐患判定方法》（GB 35181—2017）第6.1条", description: "生产车间与员工宿舍设置在同一建筑内，未采用防火分隔（“三合一”场所）。", measures: "员工宿舍全部搬离生产车间，另设独立宿舍，车间增设火灾自动报警系统。"),
            ],
            tipOff: "某商场消防通道长期堆放货物，安全出口被锁闭。", legalBasis: "《中华人民共和国消防法》第六十条",
            fundsYuan: 5_000...500_000, regionHints: ["长安街道": 2, "五里牌街道": 1.5, "云湖街道": 1.3]),
        "道路运输": IndustryProfile(
            weight: 10, nameEndings: [("运输有限公司", false), ("客运有限公司", false), ("物流有限公司", false)],
            hazards: [
                HazardEntry(clause: "《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》第五条", description: "危险货物运输车辆动态监控装置不能正常使用，驾驶员疲劳驾驶报警未处置。", measures: "维修更换车载终端，建立24小时动态监控值班制度，对违规驾驶员停岗培训。"),
                HazardEntry(clause: "《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》第四条", description: "客运车辆未按规定进行年度审验，仍从事客运经营。", measures: "涉事车辆停运送检，审验合格后恢复营运，完善车辆技术档案。"),
                HazardEntry(clause: "《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》第六条", description: "企业聘用驾驶证记满12分的驾驶员从事营运。", measures: "清退不合格驾驶员，建立驾驶员动态管理台账并每月核查。"),
            ],
            tipOff: "某物流公司货车长期超载，且驾驶员连续驾驶超过四小时。", legalBasis: "《中华人民共和国道路运输条例》第七十条",
            fundsYuan: 3_000...200_000, regionHints: ["五里牌街道": 1.5, "长安街道": 1.3, "羊楼司镇": 1.3]),
        "水上交通": IndustryProfile(
            weight: 3, nameEndings: [("航运有限公司", false), ("港务有限公司", false), ("砂石码头", false)],
            hazards: [
                HazardEntry(clause: "《水路运输重大事故隐患判定标准》第三条", description: "砂石运输船舶超载航行，且未按规定配备持证船员。", measures: "卸载超载货物，补配持证船员，对船长、轮机长进行安全培训考核。"),
                HazardEntry(clause: "《水路运输重大事故隐患判定标准》第七条", description: "码头装卸作业区系缆桩严重锈蚀，未设置防撞设施。", measures: "更换系缆桩，增设防撞护舷和安全警示标志。"),
            ],
            tipOff: "长江沿岸某码头夜间违规装卸，船舶超载。", legalBasis: "《中华人民共和国内河交通安全管理条例》第八十一条",
            fundsYuan: 10_000...400_000, regionHints: ["江南镇": 6, "黄盖镇": 4, "长安街道": 1]),
        "建筑施工": IndustryProfile(
            weight: 14, nameEndings: [("建设工程有限公司", false), ("建筑有限公司", false), ("置业有限公司", false)],
            hazards: [
                HazardEntry(clause: "《房屋市政工程生产安全重大事故隐患判定标准（2022版）》第七条", description: "深基坑开挖未按专项施工方案放坡，支护结构出现明显变形后未停工处置。", measures: "立即停工回填反压，经专家论证修订方案后加固支护，设置第三方监测。"),
                HazardEntry(clause: "《房屋市政工程生产安全重大事故隐患判定标准（2022版）》第八条", description: "塔式起重机未经验收即投入使用，起重量限制器失效。", measures: "停用塔吊，委托检测机构检测并修复安全装置，验收合格后办理使用登记。"),
                HazardEntry(clause: "《房屋市政工程生产安全重大事故隐患判定标准（2022版）》第九条", description: "高大模板支撑体系搭设不符合专项方案，立杆间距超过设计要求。", measures: "拆除不合格支撑体系，按论证方案重新搭设并组织验收。"),
            ],
            tipOff: "某在建楼盘工地基坑边堆土过高，已出现裂缝仍在施工。", legalBasis: "《建设工程安全生产管理条例》第六十五条",
            fundsYuan: 10_000...800_000, regionHints: ["长安街道": 1.8, "五里牌街道": 1.8, "云湖街道": 1.5, "临湘高新区": 1.3]),
        "危险化学品": IndustryProfile(
            weight: 7, nameEndings: [("化工有限公司", false), ("新材料有限公司", false), ("加油站", false)],
            hazards: [
                HazardEntry(clause: "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第（七）项", description: "涉及重点监管危险化工工艺的装置未实现自动化控制，紧急停车系统未投用。", measures: "完成自动化控制改造并投用紧急停车系统，经专家组验收合格。"),
                HazardEntry(clause: "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第（一）项", description: "主要负责人和安全生产管理人员未依法经考核合格。", measures: "组织主要负责人、安全管理人员参加考核并取得合格证，调整不合格人员岗位。"),
                HazardEntry(clause: "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第（八）项", description: "构成二级重大危险源的储罐区未实现紧急切断功能。", measures: "储罐进出口增设紧急切断阀并接入安全仪表系统，完成联锁调试。"),
            ],
            tipOff: "某化工企业夜间偷排、违规储存危险化学品。", legalBasis: "《危险化学品安全管理条例》第八十条",
            fundsYuan: 50_000...3_000_000, regionHints: ["临湘高新区": 8, "江南镇": 1.5]),
        "烟花爆竹": IndustryProfile(
            weight: 8, nameEndings: [("烟花爆竹有限公司", false), ("烟花爆竹批发部", true), ("烟花爆竹经营部", true)],
            hazards: [
                HazardEntry(clause: "《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》第四条第（三）项", description: "批发仓库实际储存量超过设计药量，库房与周边居民住宅安全距离不足。", measures: "超量成品转运至合规仓库，库存核减至核定药量以内，库区增设视频监控。"),
                HazardEntry(clause: "《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》第五条", description: "零售点与居民居住场所设置在同一建筑物内（“住店合一”）。", measures: "经营场所与居住场所彻底分离，撤除居住设施，配齐灭火器材。"),
                HazardEntry(clause: "《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》第三条", description: "工（库）房作业人员和存药量超过核定标准。", measures: "按核定标准定员定量，设置定员定量标识牌，安装视频监控实时监测。"),
            ],
            tipOff: "某烟花爆竹批发部仓库超量储存成品烟花，且仓库与居民住宅相邻。", legalBasis: "《烟花爆竹安全管理条例》第三十八条",
            fundsYuan: 3_000...300_000, regionHints: ["桃林镇": 2, "羊楼司镇": 1.6, "聂市镇": 1.4]),
        "民爆": IndustryProfile(
            weight: 1, nameEndings: [("民爆器材有限公司", false), ("爆破工程有限公司", false)],
            hazards: [
                HazardEntry(clause: "《民用爆炸物品生产、销售企业安全生产重大事故隐患判定标准》第五条", description: "民用爆炸物品储存库防盗报警系统未与公安机关联网，视频监控存在盲区。", measures: "完成报警系统联网并增设监控点位，落实双人双锁和24小时值守。"),
                HazardEntry(clause: "《民用爆炸物品生产、销售企业安全生产重大事故隐患判定标准》第八条", description: "爆破作业现场在库外临时存放雷管、炸药，无专人看守。", measures: "剩余爆炸物品当日清退入库，严格执行领用清退登记制度。"),
            ],
            tipOff: "某采石场爆破作业后剩余炸药随意堆放。", legalBasis: "《民用爆炸物品安全管理条例》第四十九条",
            fundsYuan: 20_000...500_000, regionHints: ["桃林镇": 2, "忠防镇": 1.5]),
        "工贸": IndustryProfile(
            weight: 12, nameEndings: [("浮标有限公司", false), ("竹木制品有限公司", false), ("茶业有限公司", false), ("机械制造有限公司", false), ("钢结构有限公司", false)],
            hazards: [
                HazardEntry(clause: "《工贸企业重大事故隐患判定标准》第十三条", description: "木粉尘打磨工序设置在多层厂房内，除尘系统未采取泄爆、隔爆措施。", measures: "打磨工序迁至单层厂房，除尘器加装泄爆和隔爆装置，建立粉尘定期清扫制度。"),
                HazardEntry(clause: "《工贸企业重大事故隐患判定标准》第四条", description: "有限空间作业未执行“先通风、再检测、后作业”，未配备检测和救援设备。", measures: "建立有限空间作业审批制度，配备气体检测仪、正压式呼吸器和救援三脚架，开展专项培训。"),
                HazardEntry(clause: "《工贸企业重大事故隐患判定标准》第十一条", description: "熔炼炉冷却水系统未设置温度、流量监测报警装置。", measures: "加装冷却水温度、流量监测报警并与熔炼炉联锁，完成应急演练。"),
            ],
            tipOff: "某浮标加工厂车间粉尘弥漫，工人反映除尘设备长期不开。", legalBasis: "《中华人民共和国安全生产法》第一百零二条",
            fundsYuan: 3_000...400_000, regionHints: ["临湘高新区": 2.5, "羊楼司镇": 2, "聂市镇": 1.6, "桃矿街道": 1.3]),
        "非煤矿山": IndustryProfile(
            weight: 4, nameEndings: [("石材有限公司", false), ("矿业有限公司", false), ("建材有限公司", false)],
            hazards: [
                HazardEntry(clause: "《金属非金属矿山重大事故隐患判定标准》第六条", description: "露天采石场未按设计自上而下分台阶开采，形成高陡边坡。", measures: "停止开采，按设计削坡减载并形成安全平台，经验收后恢复生产。"),
                HazardEntry(clause: "《金属非金属矿山重大事故隐患判定标准》第八条", description: "排土场未按设计分层堆排，坡脚无拦挡设施。", measures: "按设计分层堆排，修筑拦渣坝和截排水沟，开展边坡位移监测。"),
            ],
            tipOff: "某采石场越界开采，边坡有落石危及过往村民。", legalBasis: "《中华人民共和国矿山安全法》第四十条",
            fundsYuan: 20_000...1_500_000, regionHints: ["桃林镇": 3, "忠防镇": 2.5, "詹桥镇": 2, "白羊田镇": 2, "长塘镇": 1.5, "坦渡镇": 1.5]),
        "特种设备": IndustryProfile(
            weight: 8, nameEndings: [("物业管理有限公司", false), ("起重设备租赁有限公司", false), ("热力有限公司", false)],
            hazards: [
                HazardEntry(clause: "《特种设备重大事故隐患判定准则》第4.1条", description: "在用电梯超过定期检验有效期仍在运行，制动器存在异常磨损。", measures: "电梯停用维修，更换制动器部件，经定期检验合格后恢复使用。"),
                HazardEntry(clause: "《特种设备重大事故隐患判定准则》第6.2条", description: "使用未经定期检验的压力容器，安全阀失效。", measures: "压力容器停用并委托检验，更换安全阀，建立特种设备安全技术档案。"),
                HazardEntry(clause: "《特种设备重大事故隐患判定准则》第8.3条", description: "起重机械安全保护装置失效仍在作业。", measures: "修复限位器和超载保护装置，经检验合格后恢复作业，操作人员持证上岗。"),
            ],
            tipOff: "某小区电梯多次困人，物业未组织维修。", legalBasis: "《中华人民共和国特种设备安全法》第八十四条",
            fundsYuan: 5_000...300_000, regionHints: ["长安街道": 1.8, "五里牌街道": 1.5, "临湘高新区": 1.5]),
    ]

    static let other = IndustryProfile(
        weight: 3, nameEndings: [("文化旅游发展有限公司", false), ("农业开发有限公司", false), ("商贸有限公司", false)],
        hazards: [
            HazardEntry(clause: "《湖南省重大事故隐患判定参照标准》第十二条", description: "经营性自建房擅自改变用途并加层，存在结构安全隐患。", measures: "停止经营并疏散人员，经房屋安全鉴定后拆除违规加层、加固结构。"),
            HazardEntry(clause: "《湖南省重大事故隐患判定参照标准》第十五条", description: "景区玻璃栈道未经安全评估即对外开放，防护设施不全。", measures: "停止开放，委托第三方安全评估并完善防护设施，评估合格后重新开放。"),
        ],
        tipOff: "某农家乐自建房加盖楼层，墙体已出现裂缝。", legalBasis: "《中华人民共和国安全生产法》第一百零二条",
        fundsYuan: 3_000...300_000, regionHints: [:])

    /// Hazards with no operator (无主隐患), each under its industry; the town records them.
    static let withoutOperator: [(industry: String, entry: HazardEntry)] = [
        ("水上交通", HazardEntry(clause: "《水上客运重大事故隐患判定指南》第二条", description: "长江沿岸一处废弃自用渡口无经营主体，仍有群众自行摆渡，无救生设备。", measures: "拆除废弃渡口跳板，设置禁渡警示牌，由村组安排专人劝导。")),
        ("非煤矿山", HazardEntry(clause: "《金属非金属矿山重大事故隐患判定标准》第六条", description: "废弃采石场高陡边坡无管理主体，坡顶存在危岩体，周边有村民通行。", measures: "设置围挡和警示标志，清除危岩体，纳入废弃矿山生态修复项目。")),
        ("燃气", HazardEntry(clause: "《城镇燃气经营安全重大隐患判定标准》第九条", description: "老旧小区燃气立管锈蚀严重，产权不明，无维护主体。", measures: "由街道牵头协调燃气企业更换立管，纳入老旧小区改造项目。")),
        ("消防", HazardEntry(clause: "《重大火灾隐患判定方法》（GB 35181—2017）第6.3条", description: "无物业老旧小区电动自行车在楼道内集中停放充电，堵塞疏散通道。", measures: "清理楼道，建设集中充电棚，落实网格员每日巡查。")),
        ("道路运输", HazardEntry(clause: "《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》第十二条", description: "农村客运线路临水临崖路段无防护栏，已发生多起险情。", measures: "增设波形护栏和警示标志，纳入公路安全生命防护工程。")),
    ]
    // swiftlint:enable line_length
}
