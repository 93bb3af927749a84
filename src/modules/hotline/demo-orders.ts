// The demo work orders: 45 calls to the 五华区 and 昆明市 12345 desks over the last 14 Beijing days,
// each with the life it had — answered at once from the knowledge base, dispatched, signed for,
// replied, reviewed and called back (satisfied or not), returned (退单), extended, reopened, still
// open past the deadline, refused. demo.ts replays them through the service layer at their times.
import type { SATISFACTION } from './lifecycle.js';

/** One lifecycle step, `h` hours after the previous one (or after intake). */
export type DemoStep =
  | { do: 'answer'; kb: string; h: number }
  | { do: 'dispatch'; unit: string; h: number }
  | { do: 'sign'; h: number }
  | { do: 'return'; reason: string; basis: string; h: number }
  | { do: 'redispatch'; unit: string; h: number }
  | { do: 'extend'; days: number; reason: string; basis: string; h: number }
  | { do: 'decide-extension'; approve: boolean; h: number }
  | { do: 'reply'; text: string; h: number }
  | { do: 'review'; h: number }
  | { do: 'callback'; satisfaction: (typeof SATISFACTION)[number]; atFault?: boolean; comment?: string; h: number };

export interface DemoOrder {
  key: string;
  /** The desk that took the call: its operator registers, its dispatcher dispatches (昆明市 units: the 昆明市 dispatcher). */
  desk: 'wh' | 'km';
  /** Beijing days before today, and the Beijing time of the call. */
  daysAgo: number;
  at: string;
  channel: string;
  demandType: string;
  category: string;
  division: string;
  address: string;
  title: string;
  content: string;
  caller: [string, string];
  urgent?: boolean;
  refusal?: { code: string; note: string };
  steps: DemoStep[];
}

const answer = (kb: string, h = 0.1): DemoStep => ({ do: 'answer', kb, h });
const dispatch = (unit: string, h = 0.5): DemoStep => ({ do: 'dispatch', unit, h });
const sign = (h = 2): DemoStep => ({ do: 'sign', h });
const reply = (text: string, h = 24): DemoStep => ({ do: 'reply', text, h });
const review = (h = 3): DemoStep => ({ do: 'review', h });
const callback = (satisfaction: (typeof SATISFACTION)[number], h = 20, atFault?: boolean, comment?: string): DemoStep => ({ do: 'callback', satisfaction, h, atFault, comment });
/** Dispatched, signed, replied, approved and called back. */
const handled = (unit: string, text: string, satisfaction: (typeof SATISFACTION)[number], replyAfter = 24): DemoStep[] => [dispatch(unit), sign(), reply(text, replyAfter), review(), callback(satisfaction)];

const o = (key: string, desk: 'wh' | 'km', daysAgo: number, at: string, channel: string, demandType: string, category: string, division: string, address: string,
  title: string, content: string, caller: [string, string], steps: DemoStep[], extra: Partial<DemoOrder> = {}): DemoOrder =>
  ({ key, desk, daysAgo, at, channel, demandType, category, division, address, title, content, caller, steps, ...extra });

export const DEMO_ORDERS: DemoOrder[] = [
  // 即时办结: the operator answers from the knowledge base while the caller is on the line.
  o('kb-hpf', 'wh', 12, '09:12', 'phone', '咨询', '020401', '530102001', '五华区华山街道', '咨询住房公积金提取', '市民来电咨询退休后怎么提取住房公积金，需要带什么材料，能不能在网上办。', ['周建国', '13908710101'], [answer('hpf-withdraw')]),
  o('kb-hukou', 'wh', 10, '10:40', 'phone', '咨询', '080102', '530102003', '五华区大观街道', '新生儿上户口需要什么材料', '孩子上周出生，想问给小孩上户口要准备哪些材料，到哪里办理。', ['李婷', '13908710102'], [answer('newborn-hukou')]),
  o('kb-remote', 'wh', 8, '15:05', 'phone', '咨询', '070502', '530102004', '五华区龙翔街道', '去外地看病怎么报销', '家里老人要去上海看病，想问医保异地就医怎么备案，回来能不能报销。', ['陈红', '13908710103'], [answer('medical-remote')]),
  o('kb-pension', 'wh', 6, '09:48', 'phone', '咨询', '050201', '530102005', '五华区丰宁街道', '养老金资格认证怎么做', '退休职工来电，问今年的养老金待遇资格认证怎么做，行动不便能否上门认证。', ['王德明', '13908710104'], [answer('pension-cert')]),
  o('kb-sscard', 'wh', 4, '14:22', 'web', '咨询', '050206', '530102006', '五华区莲华街道', '社保卡丢了怎么补办', '社保卡丢了，想问先挂失还是直接去银行补办，多久能拿到新卡。', ['杨帆', '13908710105'], [answer('ss-card')]),
  o('kb-elderly', 'wh', 2, '11:30', 'phone', '咨询', '110203', '530102002', '五华区护国街道', '高龄津贴怎么申请', '母亲今年满80岁了，想问高龄津贴在哪里申请，怎么发放。', ['赵丽', '13908710106'], [answer('elderly-allowance')]),
  o('kb-school', 'wh', 1, '16:10', 'phone', '咨询', '060201', '530102007', '五华区红云街道', '孩子明年上小学怎么报名', '孩子明年上一年级，想问入学报名的时间和要准备的材料，随迁子女能不能报名。', ['马骏', '13908710107'], [answer('school-enrol')]),
  o('kb-idcard', 'km', 3, '10:05', 'phone', '咨询', '080103', '530103001', '盘龙区拓东街道', '身份证丢了怎么补办', '身份证丢了，下周要坐飞机出差，想问怎么补领，来不及的话有没有临时身份证。', ['孙磊', '13908710108'], [answer('id-card-lost')]),

  // Dispatched and closed after the callback.
  o('water-out', 'wh', 13, '08:35', 'phone', '求助', '120101', '530102001', '五华区华山街道翠湖小区', '翠湖小区突然停水', '翠湖小区3栋从早上7点开始停水，没有看到停水通知，家里有老人，请尽快恢复供水。', ['张秀英', '13908710111'],
    handled('WH-SWJ', '经核实为小区供水主管爆裂，供水公司已于当日14时抢修完毕恢复供水，并督促物业今后提前张贴停水通知。', 'satisfied', 6)),
  o('garbage', 'wh', 11, '19:20', 'phone', '投诉', '010501', '530102004', '五华区龙翔街道学府路', '学府路垃圾多日无人清运', '学府路某小区门口垃圾桶满溢，垃圾堆放三天没人收，气味很大，夏天蚊蝇多。', ['刘洋', '13908710112'],
    handled('WH-CGJ', '已责成环卫作业单位当日完成清运，增加该点位每日清运频次至两次，并纳入日常巡查。', 'satisfied', 20)),
  o('property-fee', 'wh', 9, '10:15', 'phone', '投诉', '020202', '530102005', '五华区丰宁街道', '物业公司乱收费', '小区物业公司今年没有公示就把物业费从每平方米1.2元涨到1.8元，业主不同意还停了门禁卡。', ['黄伟', '13908710113'],
    handled('WH-ZJJ', '经调查，物业公司调价未经业主大会同意，已责令其恢复原收费标准、恢复门禁卡使用，并在小区公示收费依据。', 'basically-satisfied', 48)),
  o('wages', 'wh', 12, '14:50', 'phone', '投诉', '050101', '530102008', '五华区黑林铺街道', '工地拖欠农民工工资', '在黑林铺一处工地干了三个月，包工头拖欠我们12个工人的工资共8万多元，一直拖着不给。', ['罗志强', '13908710114'],
    handled('WH-RSJ', '劳动保障监察大队已约谈总包单位，总包单位从农民工工资专用账户代发拖欠工资，12名工人工资已全部到账。', 'satisfied', 72)),
  o('food', 'wh', 7, '20:40', 'app', '举报', '040201', '530102003', '五华区大观街道篆塘路', '饭店后厨卫生差', '篆塘路一家米线店后厨脏乱，生熟不分，吃完后家里两个人都拉肚子。', ['何静', '13908710115'],
    handled('WH-SJJ', '执法人员已现场检查，该店存在生熟混放、从业人员健康证过期等问题，已责令停业整改并立案调查。', 'satisfied', 30)),
  o('road', 'wh', 5, '08:50', 'phone', '求助', '010201', '530102009', '五华区普吉街道', '普吉路路面坑洼', '普吉路与王家桥路交叉口路面有一个大坑，下雨积水看不见，已经有电动车摔倒。', ['段丽', '13908710116'],
    handled('WH-CGJ', '市政养护单位已设置警示标志，并于次日完成坑槽修补。', 'satisfied', 26)),
  o('noise', 'wh', 10, '23:10', 'phone', '投诉', '090302', '530102006', '五华区莲华街道', '楼下酒吧深夜噪音扰民', '小区楼下酒吧每天营业到凌晨两点，音响声音很大，严重影响休息。', ['施雨', '13908710117'],
    handled('WH-STHJ', '已联合莲华派出所对该酒吧夜间噪声进行监测，超标，已责令其加装隔音设施并于23时后降低音量。', 'satisfied', 40)),
  o('after-school', 'wh', 8, '12:30', 'web', '意见建议', '060203', '530102002', '五华区护国街道', '建议延长小学课后服务时间', '双职工家庭下班晚，建议学校课后服务延长到下午六点，并增加托管场地。', ['杨洁', '13908710118'],
    handled('WH-JTJ', '感谢建议。区教体局已指导辖区小学开展弹性离校，课后服务可延长至18时，需要的家长可向班主任报名。', 'satisfied', 50)),
  o('hospital', 'wh', 6, '09:05', 'phone', '求助', '070104', '530102007', '五华区红云街道', '社区医院挂号难', '红云社区卫生服务中心每天早上号放得很少，老人排不上号。', ['苏红', '13908710119'],
    handled('WH-WJJ', '已协调该中心增加上午门诊号源，并开通电话预约和老年人现场预留号。', 'basically-satisfied', 28)),
  o('taxi', 'km', 9, '22:15', 'phone', '投诉', '030201', '530103002', '盘龙区鼓楼街道昆明火车站', '出租车拒载', '晚上在火车站打车去北京路，连续两辆出租车嫌路近拒载，车牌号已记下。', ['吴刚', '13908710120'],
    handled('KM-JTJ', '经调取车载视频核实，两名驾驶员存在拒载行为，已依法各处罚款并记入服务质量信誉考核。', 'satisfied', 45)),
  o('power', 'km', 4, '18:30', 'phone', '求助', '120201', '530111002', '官渡区太和街道', '小区停电', '太和街道某小区整栋楼停电一个多小时了，冰箱里的东西要坏了，请尽快抢修。', ['郑敏', '13908710121'],
    handled('KM-GDJ', '抢修人员到场查明为小区配电箱故障，已于当晚21时恢复供电。', 'satisfied', 3)),
  o('hpf-loan', 'km', 11, '11:00', 'phone', '咨询', '020402', '530112001', '西山区西苑街道', '公积金贷款额度咨询', '夫妻双方都缴存公积金，想在西山区买首套房，问公积金贷款最高能贷多少。', ['冯娟', '13908710122'],
    handled('KM-GJJ', '已电话告知来电人：双职工缴存家庭首套房最高可贷70万元，具体额度按缴存余额和还款能力计算，可在中心网厅试算。', 'satisfied', 20)),

  // Closed, but the caller was not satisfied (the unit not at fault), and one late reply.
  o('vendor', 'wh', 12, '17:45', 'phone', '投诉', '010301', '530102003', '五华区大观街道', '人行道被占道经营', '大观街一带商户把货物摆到人行道上，行人只能走机动车道，很危险。', ['钱峰', '13908710123'],
    [dispatch('WH-CGJ'), sign(), reply('已对沿街商户进行劝导，清理了占道物品，并将该路段纳入重点巡查。', 30), review(), callback('dissatisfied', 20, false, '来电人表示城管走后商户又摆出来了；属反复性问题，已转入常态化巡查，不予重办。')]),
  o('water-bill', 'wh', 13, '15:30', 'phone', '咨询', '120103', '530102004', '五华区龙翔街道', '水费突然变高', '这两个月水费比以前高了一倍，家里用水没有变化，想问是不是水表有问题。', ['孔亮', '13908710124'],
    [dispatch('WH-SWJ'), sign(6), reply('已派员上门校验水表，水表计量正常，经排查为卫生间水箱漏水，已告知来电人维修。', 170), review(), callback('dissatisfied', 20, false, '来电人认为答复太慢，超过了办理时限')]),
  o('overcharge', 'km', 10, '13:20', 'phone', '投诉', '030202', '530114001', '呈贡区', '网约车到站后加价', '从呈贡大学城坐网约车到长水机场，司机到了之后说要另外加50元高速费。', ['雷鸣', '13908710125'],
    [dispatch('KM-JTJ'), sign(), reply('已约谈该网约车平台，平台已退还来电人多收费用，对司机作出停单处理。', 48), review(), callback('dissatisfied', 20, false, '来电人要求处罚更重')]),

  // 重办: the caller is dissatisfied and the unit was at fault — back with the unit.
  o('lift', 'wh', 9, '08:20', 'phone', '求助', '020205', '530102008', '五华区黑林铺街道', '小区电梯经常停运', '小区2号楼电梯一个月坏了四次，每次都要等好几天才修，老人上下楼很困难。', ['周敏', '13908710126'],
    [dispatch('WH-ZJJ'), sign(), reply('已督促物业联系维保单位修复电梯。', 24), review(), callback('dissatisfied', 30, true, '回访时电梯又已停运，属未实际解决，重办。')]),

  // 退单: the unit returns the order; two await the dispatcher's decision, one was redispatched and closed.
  o('manhole', 'wh', 1, '09:40', 'phone', '求助', '010202', '530102001', '五华区华山街道西仓坡', '西仓坡井盖缺失', '西仓坡路口有个井盖不见了，晚上很危险，请尽快处理。', ['胡斌', '13908710127'],
    [dispatch('WH-SWJ'), { do: 'return', reason: 'not-our-duty', basis: '《昆明市城市道路管理条例》：道路附属设施由市政设施管理部门养护；该井盖为雨水井，不属供水设施', h: 3 }]),
  o('parking', 'wh', 2, '16:35', 'phone', '投诉', '020206', '530102005', '五华区丰宁街道', '小区车位被外来车辆占用', '小区地面车位经常被外来车辆长期占用，物业不管，业主没地方停车。', ['邓超', '13908710128'],
    [dispatch('WH-CGJ'), { do: 'return', reason: 'overlapping-duty', basis: '《云南省物业管理规定》第四十条：小区内车辆停放由物业服务企业按管理规约管理', h: 5 }]),
  o('drain', 'wh', 8, '07:55', 'phone', '求助', '010206', '530102006', '五华区莲华街道', '小区外排水沟堵塞', '小区外面排水沟堵了，一下雨污水就漫到路上。', ['袁芳', '13908710129'],
    [dispatch('WH-CGJ'), { do: 'return', reason: 'not-our-duty', basis: '该段为排水管网，由区水务局负责疏通', h: 4 }, { do: 'redispatch', unit: 'WH-SWJ', h: 1 }, sign(2),
      reply('排水公司已完成管道疏通，并清理了路面淤泥。', 30), review(), callback('satisfied')]),

  // 延期: the unit asks for more working days before the deadline.
  o('illegal-build', 'wh', 5, '10:25', 'phone', '举报', '010101', '530102009', '五华区普吉街道', '举报楼顶违章搭建', '普吉路某小区顶楼住户在楼顶搭建彩钢房，还在继续施工。', ['许娜', '13908710130'],
    [dispatch('WH-CGJ'), sign(), { do: 'extend', days: 10, reason: '需书面通知当事人限期自行拆除，法定期限届满后方可组织强制拆除', basis: '《中华人民共和国行政强制法》第四十四条', h: 50 }]),
  o('contract', 'wh', 3, '15:15', 'phone', '投诉', '050102', '530102002', '五华区护国街道', '公司不签劳动合同', '在一家餐饮公司上班半年了，公司一直不签劳动合同，也不买社保。', ['韩梅', '13908710131'],
    [dispatch('WH-RSJ'), sign(), { do: 'extend', days: 5, reason: '需调取用人单位工资发放和考勤记录，核实用工时间', basis: '《劳动保障监察条例》第十七条', h: 40 }]),
  o('repair-fund', 'wh', 9, '11:40', 'phone', '投诉', '020203', '530102007', '五华区红云街道', '维修资金申请一直批不下来', '小区外墙脱落要用专项维修资金，申请两个月了还没批下来。', ['曹阳', '13908710132'],
    [dispatch('WH-ZJJ'), sign(), { do: 'extend', days: 10, reason: '维修资金使用方案须经业主表决并公示7日', basis: '《住宅专项维修资金管理办法》第二十二条', h: 30 }, { do: 'decide-extension', approve: true, h: 4 }]),

  // Past the deadline and still with the unit (催办 and 通报 follow).
  o('transfer-school', 'wh', 7, '09:30', 'phone', '咨询', '060202', '530102001', '五华区华山街道', '孩子转学需要什么手续', '孩子从外省转学到五华区，想问转学需要什么手续，要去哪个部门办理。', ['叶青', '13908710133'], [dispatch('WH-JTJ'), sign(5)]),
  o('reimburse', 'km', 6, '14:10', 'phone', '咨询', '070501', '530112002', '西山区马街街道', '门诊报销比例咨询', '想问职工医保在社区医院门诊看病报销比例是多少，有没有年度限额。', ['蒋涛', '13908710134'], [dispatch('KM-YBJ'), sign(3)]),
  o('public-rent', 'wh', 5, '16:45', 'web', '咨询', '020101', '530102004', '五华区龙翔街道', '公租房申请条件', '外地来昆工作的年轻人能不能申请公租房，需要什么条件。', ['唐蕾', '13908710135'], [dispatch('WH-ZJJ')]),
  o('water-urgent', 'wh', 3, '07:20', 'phone', '求助', '120101', '530102010', '五华区西翥街道', '西翥片区停水两天', '西翥街道某村停水两天了，村里老人多，吃水都困难，请紧急送水。', ['普国华', '13908710136'], [dispatch('WH-SWJ', 0.2), sign(1)], { urgent: true }),

  // In progress.
  o('water-quality', 'wh', 2, '08:05', 'phone', '投诉', '120102', '530102003', '五华区大观街道', '自来水发黄有异味', '这两天家里自来水发黄，有铁锈味，烧开后有沉淀。', ['林芳', '13908710137'], [dispatch('WH-SWJ'), sign(3)]),
  o('false-ad', 'wh', 1, '13:25', 'app', '投诉', '040102', '530102005', '五华区丰宁街道', '保健品店虚假宣传', '小区附近一家保健品店天天给老人讲课，说保健品能治高血压糖尿病，卖得很贵。', ['董莉', '13908710138'], [dispatch('WH-SJJ'), sign(4)]),
  o('electric-bill', 'km', 2, '10:50', 'phone', '投诉', '120202', '530111003', '官渡区吴井街道', '电费异常偏高', '上个月电费比平时多了三百多块，家里没有添新电器，怀疑电表有问题。', ['沈斌', '13908710139'], [dispatch('KM-GDJ'), sign(2)]),
  o('water-meter', 'wh', 0, '09:10', 'phone', '求助', '120104', '530102008', '五华区黑林铺街道', '水表漏水', '楼道里的水表接口一直在漏水，地面全是水。', ['田野', '13908710140'], [dispatch('WH-SWJ', 0.3)]),
  o('dibao', 'wh', 1, '10:30', 'phone', '求助', '110101', '530102009', '五华区普吉街道', '申请低保不知道找谁', '丈夫生病住院，家里没有收入，想申请低保，不知道去哪里申请。', ['岳红', '13908710141'], [dispatch('WH-MZJ')]),
  o('street-stall', 'wh', 3, '18:40', 'phone', '投诉', '010305', '530102006', '五华区莲华街道', '学校门口流动摊贩', '莲华小学门口放学时间流动摊贩很多，卖三无食品，还堵路。', ['毛丽', '13908710142'],
    [dispatch('WH-CGJ'), sign(), reply('已在放学时段安排执法队员定点值守，取缔流动摊贩，并联合市场监管部门查处三无食品。', 20)]),
  o('nursing-home', 'wh', 4, '09:55', 'phone', '投诉', '110201', '530102007', '五华区红云街道', '养老院护理不到位', '母亲住在一家民办养老院，护理员经常不按时翻身喂饭，身上起了褥疮。', ['宋佳', '13908710143'],
    [dispatch('WH-MZJ'), sign(), reply('区民政局已对该养老机构开展专项检查，责令增配护理员并对护理记录整改，家属已与机构达成调解。', 40), review()]),
  o('expired-food', 'wh', 0, '08:30', 'phone', '举报', '040202', '530102002', '五华区护国街道', '超市出售过期食品', '护国路一家超市货架上的酸奶已经过期三天还在卖。', ['高明', '13908710144'], []),
  o('ride-hailing', 'km', 0, '07:45', 'app', '投诉', '030203', '530112003', '西山区金碧街道', '网约车车辆与平台信息不符', '今天坐的网约车车牌和平台显示的不一样，司机也不是本人。', ['江燕', '13908710145'], []),

  // 不予受理: a labour dispute already before the arbitration commission.
  o('arbitration', 'wh', 6, '16:20', 'phone', '投诉', '050104', '530102004', '五华区龙翔街道', '辞退赔偿不满意', '被公司辞退，已经申请了劳动仲裁，对仲裁进度不满意，要求12345督促。', ['谢军', '13908710146'], [],
    { refusal: { code: 'litigation', note: '已进入劳动仲裁程序，已告知来电人向仲裁委员会了解进度' } }),
];
