import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One 财政电子票据. The signed form is `canonical` + `signature`; the columns are for lookup. */
export interface LicenseBillTable {
  id: Generated<string>;
  bill_code: string;
  bill_number: string;
  check_code: string;
  bill_type: string;
  division: string;
  payee_code: string;
  payee_name: string;
  payer_name: string;
  payer_code_type: '111' | '001' | null;
  payer_code_enc: Buffer | null;
  payer_code_bidx: string | null;
  payer_code_masked: string | null;
  total_fen: ColumnType<string, string | bigint, string | bigint>;
  channel: string;
  transaction_id: string;
  paid_at: Timestamp;
  issued_at: Timestamp;
  canonical: string;
  signature: Buffer;
  key_id: string;
  request_hash: string;
  case_ref: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface LicenseBillSequenceTable {
  bill_code: string;
  last: ColumnType<string, string | number, string | number>;
}

declare module '../../../core/db/types.js' {
  interface DB {
    license_bill: LicenseBillTable;
    license_bill_sequence: LicenseBillSequenceTable;
  }
}
