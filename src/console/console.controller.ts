import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Public } from '../access/access.decorator';
import { NotAvailable } from '../common/errors';
import { ConsoleFile, ConsoleFiles } from './console-files';

/**
 * Nothing but the page's own files, so the page can run no script or style that did not come from here
 * (no inline ones either: Vite's build emits none). The page holds no data: every call it makes sends
 * the key the operator typed, so serving it needs none.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'";

@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private readonly files = new ConsoleFiles();

  @Get()
  @Public()
  async page(@Res() reply: FastifyReply): Promise<void> {
    const page = this.files.page();
    if (!page) throw new NotAvailable('console', 'the page is not built; run npm run build');
    await this.send(reply, page, 'no-cache');
  }

  @Get('assets/:name')
  @Public()
  async asset(@Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    const asset = this.files.asset(name);
    if (!asset) throw new NotAvailable('name', `no console asset "${name}"`);
    // Vite names each asset by its content's hash: a new build makes new names.
    await this.send(reply, asset, 'public, max-age=31536000, immutable');
  }

  private async send(reply: FastifyReply, file: ConsoleFile, cacheControl: string): Promise<void> {
    await reply
      .type(file.type)
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cache-control', cacheControl)
      .send(file.body);
  }
}
