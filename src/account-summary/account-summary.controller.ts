import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access.decorator';
import { AccountSummaries } from './account-summary.service';
import { AccountSummaryDto } from './dto/account-summary.dto';

@ApiTags('accounts')
@ApiSecurity('api-key')
@Controller('api/whatsapp/accounts')
export class AccountSummaryController {
  constructor(private readonly summaries: AccountSummaries) {}

  @Get(':accountId/summary')
  @Access('read', { account: 'param.accountId' })
  @ApiOperation({ summary: 'The account at a glance: status, holder, last inbound and outbound, queued/processing/failed sends (kept 10 s per instance)' })
  @ApiOkResponse({ type: AccountSummaryDto })
  @ApiNotFoundResponse({ description: 'No such account' })
  async summary(@Param('accountId') accountId: string): Promise<AccountSummaryDto> {
    return AccountSummaryDto.of(await this.summaries.summaryOf(accountId));
  }
}
