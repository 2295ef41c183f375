import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { PageQueryDto, pageRequestOf } from '../common/page.dto';
import { AccountsService } from './accounts.service';
import { AccountDto, CreateAccountDto } from './dto/account.dto';

@ApiTags('accounts')
@ApiSecurity('api-key')
@Controller('api/whatsapp/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an account (409 if it exists)' })
  @ApiCreatedResponse({ type: AccountDto })
  async create(@Body() body: CreateAccountDto): Promise<AccountDto> {
    return AccountDto.of(await this.accounts.create(body.accountId, body.name ?? null));
  }

  @Get()
  @ApiOperation({ summary: 'List accounts by id' })
  async list(@Query() query: PageQueryDto): Promise<{ items: AccountDto[]; nextCursor: string | null }> {
    const page = await this.accounts.list(pageRequestOf(query));
    return { items: page.items.map(AccountDto.of), nextCursor: page.nextCursor };
  }

  @Get(':accountId')
  async get(@Param('accountId') accountId: string): Promise<AccountDto> {
    return AccountDto.of(await this.accounts.get(accountId));
  }

  @Delete(':accountId')
  @HttpCode(204)
  async delete(@Param('accountId') accountId: string): Promise<void> {
    await this.accounts.delete(accountId);
  }
}
