import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { Access } from '../access/access.decorator';
import { Caller, CurrentCaller, reachOf } from '../access/caller';
import { isAccountId } from '../common/ids';
import { OutlastsStoreDeadline } from '../common/store-deadline';
import { CursorShape } from '../common/page';
import { PageQueryDto, pageRequestOf } from '../common/page.dto';
import { AccountsService } from './accounts.service';
import { AccountDto, CreateAccountDto } from './dto/account.dto';
import { PairingCodeDto } from './dto/pairing-code.dto';

/** Accounts page by id alone. */
const ACCOUNT_CURSOR: CursorShape = { key: 'none', isId: isAccountId };

@ApiTags('accounts')
@ApiSecurity('api-key')
@Controller('api/whatsapp/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create an account (409 if it exists) and start linking it' })
  @ApiCreatedResponse({ type: AccountDto })
  async create(@Body() body: CreateAccountDto): Promise<AccountDto> {
    return AccountDto.of(await this.accounts.create(body.accountId, body.name ?? null));
  }

  @Get()
  @Access('read')
  @ApiOperation({ summary: 'List accounts by id (an account key: its own)' })
  async list(@Query() query: PageQueryDto, @CurrentCaller() caller: Caller): Promise<{ items: AccountDto[]; nextCursor: string | null }> {
    const page = await this.accounts.list(pageRequestOf(query, ACCOUNT_CURSOR), reachOf(caller));
    return { items: page.items.map(AccountDto.of), nextCursor: page.nextCursor };
  }

  @Get(':accountId')
  @Access('read', { account: 'param.accountId' })
  async get(@Param('accountId') accountId: string): Promise<AccountDto> {
    return AccountDto.of(await this.accounts.get(accountId));
  }

  @Get(':accountId/qr')
  @Access('manage', { account: 'param.accountId' })
  @ApiOperation({ summary: 'The pending login QR as PNG, or {qr, ageMs} with Accept: application/json; 404 when none is pending' })
  @ApiProduces('image/png', 'application/json')
  async qr(@Param('accountId') accountId: string, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const pending = await this.accounts.pendingQr(accountId);
    if (accept?.includes('application/json')) {
      await reply.type('application/json').send(pending);
      return;
    }
    await reply.type('image/png').header('cache-control', 'no-store').send(await QRCode.toBuffer(pending.qr, { type: 'png', margin: 2, width: 320 }));
  }

  @Post(':accountId/pairing-code')
  @OutlastsStoreDeadline()
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link by phone number instead of QR: answers the code to type on the phone',
    description:
      'Any instance answers: one that does not hold the account relays the request to the holder through the store and ' +
      'waits for its code (up to two account-lease renewals plus 10 s; 503 after that, retry).',
  })
  async pairingCode(@Param('accountId') accountId: string, @Body() body: PairingCodeDto): Promise<{ code: string }> {
    return { code: await this.accounts.pairingCode(accountId, body.phoneNumber.replace(/^\+/, '')) };
  }

  @Post(':accountId/reconnect')
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(202)
  @ApiOperation({ summary: "Close and reopen the account's socket, also after a stop such as a replaced connection" })
  @ApiAcceptedResponse()
  async reconnect(@Param('accountId') accountId: string): Promise<{ accountId: string; requested: 'reconnect' }> {
    await this.accounts.reconnect(accountId);
    return { accountId, requested: 'reconnect' };
  }

  @Post(':accountId/reset-session')
  @Access('manage', { account: 'param.accountId' })
  @HttpCode(202)
  @ApiOperation({ summary: 'Log out, clear the session, fail waiting sends, back to QR' })
  @ApiAcceptedResponse()
  async resetSession(@Param('accountId') accountId: string): Promise<{ accountId: string; requested: 'reset' }> {
    await this.accounts.resetSession(accountId);
    return { accountId, requested: 'reset' };
  }

  @Delete(':accountId')
  @Access('admin', { account: 'param.accountId' })
  @HttpCode(204)
  async delete(@Param('accountId') accountId: string): Promise<void> {
    await this.accounts.delete(accountId);
  }
}
