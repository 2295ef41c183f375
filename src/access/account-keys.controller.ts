import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Clock } from '../common/clock';
import { NotAvailable } from '../common/errors';
import { Access } from './access.decorator';
import { assertKeyId, newAccountKey } from './account-key';
import { AccountKeyRepository } from './account-key.repository';
import { AccountKeyDto, CreateAccountKeyDto, CreatedAccountKeyDto } from './dto/account-key.dto';

@ApiTags('keys')
@ApiSecurity('api-key')
@Controller('api/whatsapp/keys')
export class AccountKeysController {
  constructor(
    private readonly keys: AccountKeyRepository,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create an account key: the key is in this answer only' })
  @ApiCreatedResponse({ type: CreatedAccountKeyDto })
  async create(@Body() body: CreateAccountKeyDto): Promise<CreatedAccountKeyDto> {
    const { record, key } = newAccountKey(body, this.clock.now());
    await this.keys.create(record);
    return { ...AccountKeyDto.of(record), key };
  }

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'List account keys, oldest first (never their key material)' })
  async list(): Promise<{ items: AccountKeyDto[] }> {
    return { items: (await this.keys.list()).map(AccountKeyDto.of) };
  }

  @Delete(':keyId')
  @Access('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an account key: refused on every instance within 5 s' })
  async delete(@Param('keyId') keyId: string): Promise<void> {
    if (!(await this.keys.delete(assertKeyId(keyId)))) throw new NotAvailable('keyId', `key "${keyId}" does not exist`);
  }
}
