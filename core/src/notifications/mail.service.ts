import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends mail through nodemailer: to the relay in `SMTP_URL`, or, by default, as `.eml` files in
 * `$PLEIN_DATA_DIR/mail/` (what tests and a fresh install read).
 */
export class MailService {
  private readonly transport: Transporter;
  private counter = 0;

  constructor(
    private readonly smtpUrl: string | null,
    private readonly mailDir: string,
    private readonly from = 'Plein <plein@localhost>',
  ) {
    this.transport = smtpUrl ? createTransport(smtpUrl) : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<string | null> {
    const info = (await this.transport.sendMail({ from: this.from, ...mail })) as { message?: Buffer };
    if (this.smtpUrl || !info.message) return null;
    mkdirSync(this.mailDir, { recursive: true });
    const file = join(this.mailDir, `${Date.now()}-${process.pid}-${this.counter++}.eml`);
    writeFileSync(file, info.message);
    return file;
  }
}
