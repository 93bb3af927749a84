// 智能文本客服 — the smart text service, mobile-first: ask in your own words; the answer comes from
// the knowledge base with its sources, or a question back when it is unsure (pick one), or the
// offer to file a request. "转人工/提交诉求" turns the conversation into a work order with the
// conversation attached. New messages are announced (aria-live).
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Form, Input } from 'antd';
import { errorMessage, showFieldErrors } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import { usePageTitle } from '../../../shell/title';
import { hl, type ChatMessage } from '../../workbench/hotline/api';
import { RequestFields, type RequestValues } from './RequestFields';

const PROVINCE = '530000';

export default function Chat() {
  const i18n = useI18n();
  const { t } = i18n;
  const { message: toast } = App.useApp();
  const navigate = useNavigate();
  usePageTitle('hl.chat.title');
  const [chatId, setChatId] = useState<string | null>(null);
  const [log, setLog] = useState<ChatMessage[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ordering, setOrdering] = useState(false);
  const [form] = Form.useForm<RequestValues>();
  const input = useRef<HTMLTextAreaElement>(null);

  const send = async (question: string) => {
    const q = question.trim();
    if (!q || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await hl.chat({ ...(chatId ? { chatId } : { division: PROVINCE }), message: q });
      setChatId(r.chatId);
      setLog((l) => [...l, { from: 'citizen', text: q, at: new Date().toISOString() }, r.reply]);
      setText('');
    } catch (err) {
      setError(errorMessage(err, i18n)); // what was typed stays in the box
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const order = async () => {
    if (!chatId) return;
    setBusy(true);
    setError(null);
    try {
      const v = form.getFieldsValue(true) as RequestValues & { location?: { division?: string; address?: string }; caller?: { anonymous?: boolean } };
      const r = await hl.chatOrder(chatId, {
        title: Array.from(log.find((m) => m.from === 'citizen')?.text ?? '').slice(0, 100).join(''), demandType: v.demandType, categoryCode: v.categoryCode ?? '',
        location: { division: v.location?.division ?? '', ...(v.location?.address?.trim() ? { address: v.location.address.trim() } : {}) },
        caller: { anonymous: !!v.caller?.anonymous },
      });
      void toast.success(t('hl.new.done', { number: r.order.number }));
      navigate(`/portal/hotline/orders/${r.order.id}`);
    } catch (err) {
      const rest = showFieldErrors(form, err);
      setError(rest.length ? rest.map((r) => r.message).join('；') : errorMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p><Link to="/portal/hotline">{t('hl.mine.back')}</Link></p>
      <h1 className="yl-page-title">{t('hl.chat.title')}</h1>
      <p className="yl-secondary">{t('hl.chat.intro')}</p>
      <section aria-labelledby="hl-chat-log">
        <h2 id="hl-chat-log" className="yl-section-title">{t('hl.chat.log')}</h2>
        <ol className="hl-chat-log" aria-live="polite" aria-relevant="additions" data-testid="chat-log">
          {log.length === 0 && <li className="hl-bot">{t('hl.chat.welcome')}</li>}
          {log.map((m, n) => (
            <li key={n} className={m.from === 'citizen' ? 'hl-me' : 'hl-bot'}>
              <span className="hl-sr-only">{t(m.from === 'citizen' ? 'hl.chat.me' : 'hl.chat.bot')}：</span>
              {m.text}
              {m.kind === 'answer' && m.sources?.length ? <div className="hl-muted">{t('hl.chat.source')}：{m.sources.map((s) => s.title).join('、')}</div> : null}
              {m.kind === 'clarify' && n === log.length - 1 && (
                <div className="hl-row" style={{ marginTop: 8 }}>
                  {m.sources?.map((s) => <Button key={s.id} size="small" onClick={() => void send(s.title)}>{s.title}</Button>)}
                </div>
              )}
            </li>
          ))}
        </ol>
      </section>
      <form className="hl-chat-form" onSubmit={(e) => { e.preventDefault(); void send(text); }}>
        <label htmlFor="hl-chat-input" className="hl-sr-only">{t('hl.chat.ask')}</label>
        <Input.TextArea id="hl-chat-input" ref={input as never} value={text} maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} placeholder={t('hl.chat.ask')}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) { e.preventDefault(); void send(text); } }} />
        <Button type="primary" htmlType="submit" loading={busy && !ordering}>{t('hl.chat.send')}</Button>
      </form>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 12 }} />}
      {chatId && !ordering && <p style={{ marginTop: 12 }}><Button onClick={() => setOrdering(true)}>{t('hl.chat.toOrder')}</Button></p>}
      {ordering && (
        <section aria-labelledby="hl-chat-order" style={{ marginTop: 16 }}>
          <h2 id="hl-chat-order" className="yl-section-title">{t('hl.chat.orderTitle')}</h2>
          <p className="yl-secondary">{t('hl.chat.orderIntro')}</p>
          <Form form={form} layout="vertical" initialValues={{ demandType: '求助' }} onFinish={() => void order()}>
            <RequestFields withContent={false} idPrefix="hl-chat" />
            <Button type="primary" htmlType="submit" loading={busy}>{t('hl.new.submit')}</Button>
          </Form>
        </section>
      )}
    </>
  );
}
