import { create } from 'qrcode';

/** Modules of quiet zone around the symbol, as scanners expect. */
const MARGIN = 2;

/**
 * The QR as one SVG path over a square of `size` modules. Drawn in the DOM, not as an image: a PNG would
 * need a blob: or data: URL, which `default-src 'self'` refuses (and the QR route needs the key header).
 */
export function qrPath(text: string): { size: number; path: string } {
  const { size, data } = create(text, { errorCorrectionLevel: 'M' }).modules;
  const squares: string[] = [];
  for (let row = 0; row < size; row++)
    for (let column = 0; column < size; column++) if (data[row * size + column]) squares.push(`M${column + MARGIN} ${row + MARGIN}h1v1h-1z`);
  return { size: size + 2 * MARGIN, path: squares.join('') };
}
