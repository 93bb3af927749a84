// The demo 12345 centre's handling units (承办单位): departments of 五华区 (530102) and 昆明市 (530100)
// as a district hotline really dispatches to, each with a 联络员 (the person the 督办 SMS goes to),
// and the dispatch rules (category prefix → unit) that suggest them. Three units have a login
// (the demo password); the other liaisons are contacts only (no password, they cannot sign in).

export interface DemoUnit {
  code: string;
  division: '530102' | '530100';
  name: string;
  /** The liaison: name and mobile (the 督办 SMS recipient). */
  liaison: { name: string; mobile: string };
  /** A demo sign-in for the liaison (listed in the start banner); otherwise `<code>_liaison`, no password. */
  login?: string;
}

export const DEMO_UNITS: DemoUnit[] = [
  { code: 'WH-SWJ', division: '530102', name: '五华区水务局', liaison: { name: '杨春梅', mobile: '13800872101' }, login: 'wh_hotline_unit' },
  { code: 'WH-CGJ', division: '530102', name: '五华区城市管理局', liaison: { name: '段志刚', mobile: '13800872102' }, login: 'wh_hotline_unit_cg' },
  { code: 'WH-ZJJ', division: '530102', name: '五华区住房和城乡建设局', liaison: { name: '李文娟', mobile: '13800872103' } },
  { code: 'WH-SJJ', division: '530102', name: '五华区市场监督管理局', liaison: { name: '张建华', mobile: '13800872104' } },
  { code: 'WH-RSJ', division: '530102', name: '五华区人力资源和社会保障局', liaison: { name: '王丽萍', mobile: '13800872105' } },
  { code: 'WH-JTJ', division: '530102', name: '五华区教育体育局', liaison: { name: '赵明', mobile: '13800872106' } },
  { code: 'WH-WJJ', division: '530102', name: '五华区卫生健康局', liaison: { name: '普艳', mobile: '13800872107' } },
  { code: 'WH-MZJ', division: '530102', name: '五华区民政局', liaison: { name: '杨斌', mobile: '13800872108' } },
  { code: 'WH-STHJ', division: '530102', name: '昆明市生态环境局五华分局', liaison: { name: '字丽华', mobile: '13800872109' } },
  { code: 'KM-JTJ', division: '530100', name: '昆明市交通运输局', liaison: { name: '刘建国', mobile: '13800872201' }, login: 'km_hotline_unit' },
  { code: 'KM-GDJ', division: '530100', name: '昆明供电局', liaison: { name: '何晓东', mobile: '13800872202' } },
  { code: 'KM-GJJ', division: '530100', name: '昆明住房公积金管理中心', liaison: { name: '陈静', mobile: '13800872203' } },
  { code: 'KM-YBJ', division: '530100', name: '昆明市医疗保障局', liaison: { name: '罗红梅', mobile: '13800872204' } },
];

export const liaisonUsername = (u: DemoUnit) => u.login ?? `${u.code.toLowerCase().replace('-', '_')}_liaison`;

/** 派单规则: [division, category prefix, unit code]. The most specific division and longest prefix win. */
export const DEMO_RULES: Array<[string, string, string]> = [
  ['530102', '1201', 'WH-SWJ'], // 供水
  ['530102', '0102', 'WH-CGJ'], // 市政设施
  ['530102', '0103', 'WH-CGJ'], // 城市管理
  ['530102', '0105', 'WH-CGJ'], // 环境卫生
  ['530102', '010101', 'WH-CGJ'], // 违法建设: 综合行政执法
  ['530102', '0101', 'WH-ZJJ'], // 房屋建筑
  ['530102', '0201', 'WH-ZJJ'], // 保障性住房
  ['530102', '0202', 'WH-ZJJ'], // 物业管理
  ['530102', '04', 'WH-SJJ'], // 市场监管
  ['530102', '05', 'WH-RSJ'], // 劳动保障
  ['530102', '06', 'WH-JTJ'], // 教育
  ['530102', '0701', 'WH-WJJ'], // 医疗服务
  ['530102', '0903', 'WH-STHJ'], // 噪声污染
  ['530102', '11', 'WH-MZJ'], // 民政
  ['530100', '03', 'KM-JTJ'], // 交通运输
  ['530100', '1202', 'KM-GDJ'], // 供电
  ['530100', '0204', 'KM-GJJ'], // 住房公积金
  ['530100', '0705', 'KM-YBJ'], // 医疗保障
];
