// /portal/wallet — 我的卡包: the signed-in resident's e-licenses and e-bills.
import { useT } from '../../../i18n';

export default function Wallet() {
  const t = useT();
  return <h1>{t('wal.title')}</h1>;
}
