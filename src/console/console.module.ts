import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/** The operator's console: a page built from console/ by Vite, served at /console with a strict CSP; its data comes from the API. */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
