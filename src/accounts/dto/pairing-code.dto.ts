import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class PairingCodeDto {
  @ApiProperty({ example: '40712345678', description: 'The phone number of the WhatsApp account to link, digits with country code' })
  @Matches(/^\+?[1-9]\d{7,14}$/, { message: 'must be the phone number to link: 8-15 digits with country code, no leading 0' })
  phoneNumber: string;
}
