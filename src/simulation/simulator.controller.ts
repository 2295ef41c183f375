import { Access } from '../access/access.decorator';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AccountRepository } from '../accounts/account.repository';
import { AccountNotFound, ConflictWithState, InvalidInput } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { mediaLimitBytes } from '../media/media-limits';
import { assertAccountId } from '../common/ids';
import { ThreadRepository } from '../messaging/thread.repository';
import { InjectInboundDto, InjectReceiptDto, MediaFaultDto, SimulateDisconnectDto, SimulateLimitDto } from './simulator.dto';
import type { LimitFault } from '../whatsapp/simulator/simulated-limits';
import { InjectionResult, WhatsAppSimulator } from '../whatsapp/simulator/whatsapp-simulator';

/** The simulator's routes (registered only with WA_PROVIDER=simulator): provider events injected as Baileys emits them. */
@ApiTags('simulator')
@ApiSecurity('api-key')
@Controller('api/whatsapp/simulator/accounts/:accountId')
export class SimulatorController {
  constructor(
    private readonly simulator: WhatsAppSimulator,
    private readonly accounts: AccountRepository,
    private readonly threads: ThreadRepository,
    private readonly config: AppConfig,
  ) {}

  @Post('inbound')
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(202)
  @ApiOperation({ summary: 'A client writes to the account (or, with fromMe, the phone writes to the client)' })
  async inbound(@Param('accountId') accountId: string, @Body() body: InjectInboundDto): Promise<InjectionResult> {
    await this.existing(accountId);
    if (body.media) {
      const limit = mediaLimitBytes(body.media.type, this.config.mediaMaxMb);
      if (Buffer.byteLength(body.media.base64, 'base64') > limit) throw new InvalidInput('media.base64', `is larger than the ${body.media.type} limit (${limit} bytes)`);
    }
    return this.simulator.injectInbound(accountId, body);
  }

  @Post('media-fault')
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(202)
  @ApiOperation({ summary: "What the account's next media download answers instead of the file (404/410: gone until re-uploaded)" })
  async mediaFault(@Param('accountId') accountId: string, @Body() body: MediaFaultDto): Promise<{ accountId: string; status: number }> {
    await this.existing(accountId);
    this.simulator.faultNextDownload(accountId, body.status);
    return { accountId, status: body.status };
  }

  @Post('receipts')
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(202)
  @ApiOperation({ summary: 'A receipt for one of the account\'s messages, as messages.update / message-receipt.update' })
  async receipt(@Param('accountId') accountId: string, @Body() body: InjectReceiptDto): Promise<InjectionResult> {
    await this.existing(accountId);
    // Another process may have sent it: the store knows the chat (looked up by account and id, never id alone).
    const sent = await this.threads.findByWaMessageId(accountId, 'outbound', body.waMessageId);
    return this.simulator.injectReceipt(accountId, { ...body, chatJid: sent?.clientJid });
  }

  @Post('scan')
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(202)
  @ApiOperation({ summary: 'Complete the pending QR (or pairing-code) login' })
  async scan(@Param('accountId') accountId: string): Promise<{ accountId: string; scanned: true }> {
    await this.existing(accountId);
    if (!this.simulator.scan(accountId)) throw new ConflictWithState('accountId', `"${accountId}" has no login waiting in this process`);
    return { accountId, scanned: true };
  }

  @Post('disconnect')
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(202)
  @ApiOperation({ summary: "Close the account's socket as WhatsApp would, with a Baileys DisconnectReason" })
  async disconnect(@Param('accountId') accountId: string, @Body() body: SimulateDisconnectDto): Promise<{ accountId: string; reason: string }> {
    await this.existing(accountId);
    if (!this.simulator.disconnect(accountId, body.reason)) throw new ConflictWithState('accountId', `"${accountId}" has no socket in this process`);
    return { accountId, reason: body.reason };
  }

  @Post('limits')
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(202)
  @ApiOperation({ summary: "Answer the account's next sends through this process with WhatsApp's limits: 429 rate-overlimit or 463 reach-out lock" })
  async limits(@Param('accountId') accountId: string, @Body() body: SimulateLimitDto): Promise<{ accountId: string } & LimitFault> {
    await this.existing(accountId);
    const fault = this.simulator.limitSends(accountId, { code: body.code, sends: body.sends ?? 1, ...(body.lockForMs === undefined ? {} : { lockForMs: body.lockForMs }) });
    return { accountId, ...fault };
  }

  private async existing(accountId: string): Promise<void> {
    if (!(await this.accounts.get(assertAccountId(accountId)))) throw new AccountNotFound(accountId);
  }
}
