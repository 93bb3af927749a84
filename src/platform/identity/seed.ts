// Demo accounts: one for every built-in role in 昆明市 (530100) and in 五华区 (530102), plus the
// province-wide system administrator. All share one demo password; admin and approval roles set up
// their authenticator app at first sign-in (the page shows the key).
import type { Core } from '../../core/index.js';
import type { DemoAccount } from '../../seed.js';
import { orgCodeCheckChar, residentIdCheckChar, usccCheckChar } from '../../core/validators/index.js';
import { createAccount } from './accounts.js';
import { ensureRoles } from './index.js';

export const DEMO_PASSWORD = 'Yunling@2026';
const SEED = { id: 'system:seed' };

export const demoResidentId = (region: string, birth: string, seq: string) => {
  const first17 = `${region}${birth}${seq}`;
  return first17 + residentIdCheckChar(first17);
};

export const demoUscc = (region: string, org8: string) => {
  const first17 = `91${region}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
};

interface Spec {
  username: string;
  name: string;
  role: string;
  division: string;
}

const STAFF_ROLES: Array<[string, string]> = [
  ['window_clerk', '窗口'], ['approver', '审批'], ['department_admin', '管理员'], ['hotline_operator', '话务员'],
  ['hotline_dispatcher', '派单员'], ['data_steward', '数据管理员'], ['auditor', '审计员'],
];

export async function seedIdentity(core: Core): Promise<DemoAccount[]> {
  await ensureRoles(core);
  const out: DemoAccount[] = [];
  const exists = async (username: string) => !!(await core.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirst());
  const add = async (role: string, username: string, division: string, create: () => Promise<unknown>) => {
    if (!(await exists(username))) await create();
    out.push({ role, username, password: DEMO_PASSWORD, division });
  };
  await add('system_admin', 'admin', '530000', () => createAccount(core, SEED, { type: 'staff', username: 'admin', password: DEMO_PASSWORD, name: '省平台管理员', division: '530000', roles: ['system_admin'] }));
  for (const [prefix, division, place, region, seq] of [['km', '530100', '昆明市', '530102', '001'], ['wh', '530102', '五华区', '530102', '002']] as const) {
    await add('citizen', `${prefix}_citizen`, division, () => createAccount(core, SEED, {
      type: 'citizen', username: `${prefix}_citizen`, password: DEMO_PASSWORD, name: prefix === 'km' ? '张云' : '李岭', division,
      idNumber: demoResidentId(region, '19900101', seq.padStart(3, '0')), mobile: prefix === 'km' ? '13800871001' : '13800871002', address: `${place}示例路 1 号`,
    }));
    await add('enterprise', `${prefix}_enterprise`, division, () => createAccount(core, SEED, {
      type: 'enterprise', username: `${prefix}_enterprise`, password: DEMO_PASSWORD, name: `${place}云岭示范科技有限公司`, division,
      uscc: demoUscc(division, `MA6K${seq.padStart(4, '0')}`), legalRepresentative: '王示范', mobile: prefix === 'km' ? '13800871011' : '13800871012',
    }));
    for (const [role, label] of STAFF_ROLES) {
      const username = `${prefix}_${role}`;
      await add(role, username, division, () => createAccount(core, SEED, { type: 'staff', username, password: DEMO_PASSWORD, name: `${place}${label}`, division, roles: [role] }));
    }
  }
  return out;
}
