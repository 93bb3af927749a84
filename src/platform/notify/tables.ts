// Kysely types of the notification tables (declaration merging into core's DB).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type Channel = 'sms' | 'email' | 'inbox';
export type Category = 'case-status' | 'task' | 'reminder' | 'security';
export type NotificationStatus = 'queued' | 'sent' | 'failed';

/** One message on one channel: the outbox of SMS and e-mail, and every person's in-app inbox. */
export interface NotificationTable {
  id: Generated<string>;
  channel: Channel;
  recipient_enc: Buffer;
  recipient_masked: string;
  purpose: string;
  body: string;
  status: Generated<NotificationStatus>;
  adapter: string | null;
  created_at: Generated<Date>;
  sent_at: Timestamp | null;
  // Added by 20261127_0300_notify_templates_inbox:
  account_id: string | null;
  division: string | null;
  category: Category | null;
  template_key: string | null;
  template_version: number | null;
  lang: 'zh-CN' | 'en' | null;
  subject: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  read_at: Timestamp | null;
}

/** A published template version; (key, division, version) is unique and never changes. */
export interface NotifyTemplateTable {
  id: Generated<string>;
  key: string;
  division: string;
  version: number;
  category: Category;
  channels: Channel[];
  placeholders: string[];
  subject_zh: string;
  subject_en: string;
  body_zh: string;
  body_en: string;
  sms_zh: string | null;
  sms_en: string | null;
  builtin: Generated<boolean>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface NotifyPreferenceTable {
  account_id: string;
  sms: Generated<boolean>;
  email: Generated<boolean>;
  muted_categories: Generated<string[]>;
  lang: 'zh-CN' | 'en' | null;
  updated_at: Generated<Date>;
}

declare module '../../core/db/types.js' {
  interface DB {
    notification: NotificationTable;
    notify_template: NotifyTemplateTable;
    notify_preference: NotifyPreferenceTable;
  }
}
