import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { AlertMessage } from './alert-message';
import { sampleAlertMessage } from './testing/sample-alert-message';
import { SmtpSender, type SmtpSettings } from './smtp-sender';

const message: AlertMessage = sampleAlertMessage();

/** RFC 5322 msg-id with a dot-atom left part. */
const MSG_ID = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@pathway>$/;

interface Relay {
  settings: SmtpSettings;
  mails: ParsedMail[];
  envelopes: { from: string | false; to: string[] }[];
  logins: string[];
}

const servers: SMTPServer[] = [];
const senders: SmtpSender[] = [];

/** A real SMTP server on a free local port; `refuse` decides which recipients it rejects. */
async function relay(refuse: (to: SMTPServerAddress) => boolean = () => false): Promise<Relay> {
  const mails: ParsedMail[] = [];
  const envelopes: Relay['envelopes'] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => {
      if (auth.username !== 'pathway' || auth.password !== 'relay-pw') return callback(new Error('invalid login'));
      logins.push(auth.username);
      callback(null, { user: auth.username });
    },
    onRcptTo: (address, _session, callback) =>
      callback(refuse(address) ? Object.assign(new Error('no such mailbox'), { responseCode: 550 }) : null),
    onData: (stream, session, callback) => {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          envelopes.push({
            from: session.envelope.mailFrom && session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    settings: {
      host: '127.0.0.1',
      port,
      secure: false,
      user: 'pathway',
      password: 'relay-pw',
      from: 'Pathway <alerts@pathway.example>',
    },
    mails,
    envelopes,
    logins,
  };
}

const sender = (settings: SmtpSettings) => {
  const created = new SmtpSender(settings);
  senders.push(created);
  return created;
};

afterEach(async () => {
  for (const s of senders.splice(0)) s.close();
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('SmtpSender', () => {
  it('sends the Danish alert text with the delivery id in a header and in the Message-ID', async () => {
    const { settings, mails, envelopes, logins } = await relay();
    const { messageId } = await sender(settings).send(['koordinator@kommune.example'], message);

    expect(logins).toEqual(['pathway']);
    expect(envelopes).toEqual([{ from: 'alerts@pathway.example', to: ['koordinator@kommune.example'] }]);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.to).toMatchObject({ value: [{ address: 'koordinator@kommune.example' }] });
    expect(mail.subject).toBe('Frist overskredet: underretning vurderes (sag 7F3K)');
    expect(mail.headers.get('x-pathway-delivery')).toBe(message.deliveryId);
    expect(mail.messageId).toBe(`<${message.deliveryId}@pathway>`);
    expect(messageId).toBe(mail.messageId);
    expect(mail.text).toContain('Frist: 24.11.2026 kl. 14:00');
    expect(mail.text).toContain(message.link);
    expect(mail.html).toBe(false);
    expect(`${mail.subject}\n${mail.text}`).not.toMatch(/\b\d{6}-?\d{4}\b/);
  });

  it('gives a re-delivery of the same alert the same Message-ID', async () => {
    const { settings, mails } = await relay();
    const smtp = sender(settings);
    await smtp.send(['koordinator@kommune.example'], message);
    await smtp.send(['koordinator@kommune.example'], message);

    expect(mails.map((m) => m.messageId)).toEqual([
      `<${message.deliveryId}@pathway>`,
      `<${message.deliveryId}@pathway>`,
    ]);
  });

  it('escapes in the Message-ID what it cannot hold, keeping distinct delivery ids distinct', async () => {
    const { settings, mails } = await relay();
    const smtp = sender(settings);
    const ids = [
      'a.municipality:851.email',
      'a.alice@kommune.dk.email',
      'a.municipality=3A851.email',
      'a.bø',
      '.a..b.',
      'a b<>',
    ];
    const sent = [];
    for (const deliveryId of ids)
      sent.push((await smtp.send(['koordinator@kommune.example'], { ...message, deliveryId })).messageId);

    expect(mails.map((m) => m.messageId)).toEqual(sent);
    for (const messageId of sent) expect(messageId).toMatch(MSG_ID);
    expect(new Set(sent).size).toBe(ids.length);
    expect(sent[0]).toBe('<a.municipality=3A851.email@pathway>');
    expect(sent[2]).toBe('<a.municipality=3D3A851.email@pathway>');
    expect(sent[3]).toBe('<a.b=C3=B8@pathway>');
    expect(sent[4]).toBe('<=2Ea=2E=2Eb=2E@pathway>');
  });

  it('writes English when configured to', async () => {
    const { settings, mails } = await relay();
    await sender({ ...settings, language: 'en' }).send(['operator@region.example'], message);

    expect(mails[0].subject).toBe('Deadline missed: notification assessed (case 7F3K)');
    expect(mails[0].text).toContain('Due: 24 Nov 2026, 14:00 (Danish time)');
  });

  it('rejects when the server refuses the recipient', async () => {
    const { settings, mails } = await relay((to) => to.address === 'gone@kommune.example');

    await expect(sender(settings).send(['gone@kommune.example'], message)).rejects.toThrow();
    expect(mails).toHaveLength(0);
  });

  it('rejects when the server refuses one recipient of several', async () => {
    const { settings } = await relay((to) => to.address === 'gone@kommune.example');

    await expect(
      sender(settings).send(['koordinator@kommune.example', 'gone@kommune.example'], message),
    ).rejects.toThrow('refused recipient(s) gone@kommune.example');
  });

  it('rejects when the login is refused', async () => {
    const { settings, mails } = await relay();

    await expect(
      sender({ ...settings, password: 'wrong' }).send(['koordinator@kommune.example'], message),
    ).rejects.toThrow();
    expect(mails).toHaveLength(0);
  });
});
